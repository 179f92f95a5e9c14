import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, REPO, removeProject, synth } from '../support/project.js';
import { CHROMIUM, startUi } from './ui-helpers.js';

const SHOTS = path.join(REPO, '.tmp');

describe('synth ui in a real headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let url: string;
  let stop: () => Promise<unknown>;
  let assets: string[];

  beforeAll(async () => {
    dir = makeProject({}, { examples: true });
    expect(synth(dir, ['materialize', '+category_model']).code).toBe(0);
    assets = (JSON.parse(synth(dir, ['graph', '--json']).stdout) as { nodes: { asset: string }[] }).nodes.map((n) => n.asset);
    const started = await startUi(dir);
    url = started.url;
    stop = async () => {
      started.ui.child.kill('SIGTERM');
      return started.ui.done;
    };
    browser = await chromium.launch(CHROMIUM);
  });
  afterAll(async () => {
    await browser?.close();
    const result = await stop?.();
    expect((result as { code: number } | undefined)?.code ?? 0).toBe(0); // SIGTERM is a clean stop
    removeProject(dir);
  });

  it('serves the read-only JSON API on 127.0.0.1', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const graph = (await (await fetch(url + 'api/graph')).json()) as { nodes: { asset: string; state: string; reason_text: string[] }[]; edges: unknown[] };
    expect(graph.nodes.map((n) => n.asset).sort()).toEqual([...assets].sort());
    const products = graph.nodes.find((n) => n.asset === 'products')!;
    expect(products.state).toBe('fresh');
    expect(graph.nodes.find((n) => n.asset === 'penguins_synth')!.reason_text).toContain('never materialized');
    const asset = await fetch(url + 'api/asset/products_report');
    expect(asset.status).toBe(200);
    const body = (await asset.json()) as { history: unknown[]; report: { checks: { name: string }[] } };
    expect(body.history).toHaveLength(1);
    expect(body.report.checks.map((c) => c.name)).toContain('rules');
    expect((await fetch(url + 'api/asset/nope')).status).toBe(404);
    expect((await fetch(url + 'api/graph', { method: 'POST' })).status).toBe(405);
  });

  it('draws every asset coloured by state, and a click shows status, reasons, history and report', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    const drawn = await page.locator('g.node').evaluateAll((els) => els.map((e) => [e.getAttribute('data-asset'), e.getAttribute('class')]));
    expect(drawn.map(([a]) => a).sort()).toEqual([...assets].sort());
    const cls = Object.fromEntries(drawn);
    expect(cls.products).toContain('fresh');
    expect(cls.penguins_synth).toContain('missing');
    // State colours come from the stylesheet: a fresh node's outline is green, a missing one's red.
    const stroke = (name: string) => page.locator(`g.node[data-asset="${name}"] .shape`).evaluate((e) => getComputedStyle(e).stroke);
    expect(await stroke('products')).toBe('rgb(46, 125, 50)');
    expect(await stroke('penguins_synth')).toBe('rgb(198, 40, 40)');
    expect(await page.locator('path.edge').count()).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: (mkdirSync(SHOTS, { recursive: true }), path.join(SHOTS, 'ui-graph.png')) });

    await page.click('g.node[data-asset="products_report"]');
    await page.waitForSelector('#details:not([hidden]) [data-field="history"]');
    const panel = page.locator('#details');
    expect(await panel.locator('[data-field="name"]').textContent()).toBe('products_report');
    expect(await panel.locator('[data-field="state"]').textContent()).toBe('fresh');
    expect(await panel.locator('[data-field="reasons"]').textContent()).toContain('up to date');
    const text = (await panel.textContent())!;
    expect(text).toContain('Report: checks');
    expect(text).toMatch(/rules.*pass/s);
    expect(await panel.locator('[data-field="history"] tbody tr').count()).toBe(1);

    // A missing asset says why, in words.
    await page.click('g.node[data-asset="species_model"]');
    await page.waitForFunction(() => document.querySelector('#details [data-field="name"]')?.textContent === 'species_model');
    expect(await panel.locator('[data-field="reasons"]').textContent()).toContain('never materialized');
    expect(await panel.locator('[data-field="history"]').textContent()).toContain('no materializations yet');

    // Back to the report, for the screenshot of the details panel.
    await page.click('g.node[data-asset="products_report"]');
    await page.waitForFunction(() => document.querySelector('#details [data-field="name"]')?.textContent === 'products_report');
    await page.screenshot({ path: path.join(SHOTS, 'ui-details.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
