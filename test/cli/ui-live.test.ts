import { readCatalogData } from '../support/catalog.js';
import { copyFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/engine/index.js';
import { makeProject, REPO, removeProject, synth, synthJson } from '../support/project.js';
import { CHROMIUM, startUi } from './ui-helpers.js';

const SHOTS = path.join(REPO, '.tmp');

/** Copies a screenshot into docs/ for the README when UPDATE_SCREENSHOTS=1 (they are tracked files). */
function publish(file: string): void {
  if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path.join(SHOTS, file), path.join(REPO, 'docs', file));
}

/** A raw HTTP request, so that Host and Origin can be anything (fetch forbids setting Host). */
function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-length': String(Buffer.byteLength(body)), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const runCount = (dir: string) => readCatalogData(dir).runs.length;
const nodeClass = (page: Page, name: string) => page.locator(`g.node[data-asset="${name}"]`).getAttribute('class');

describe('synth ui, live: charts, server-sent updates and the Materialize action, in a real headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  let url: string;
  let origin: string;
  let token: string;
  let stop: () => Promise<unknown>;

  beforeAll(async () => {
    dir = makeProject({}, { examples: true });
    expect(synth(dir, ['materialize', '+penguins_fidelity']).code).toBe(0);
    const started = await startUi(dir);
    url = started.url;
    origin = url.replace(/\/$/, '');
    stop = async () => {
      started.ui.child.kill('SIGTERM');
      return started.ui.done;
    };
    token = /<meta name="synth-token" content="([0-9a-f]+)"/.exec(await (await fetch(url)).text())![1];
    browser = await chromium.launch(CHROMIUM);
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    const result = await stop?.();
    expect((result as { code: number } | undefined)?.code ?? 0).toBe(0);
    removeProject(dir);
  });

  it('serves vega, vega-lite and vega-embed as one file named by its content, cacheable for good, loaded only when a chart is drawn', async () => {
    const html = await (await fetch(url)).text();
    expect(html).not.toMatch(/<script[^>]*vendor\/vega/);
    const src = /<meta name="synth-charts-runtime" content="(\/vendor\/charts-[0-9a-f]{16}\.js)"/.exec(html)![1];
    const res = await fetch(url + src.slice(1));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const body = await res.text();
    expect(body).toContain('vegaEmbed');
    expect(body).not.toContain('sourceMappingURL');
    expect((await fetch(url + 'vendor/vega.js')).status).toBe(404);
  });

  it("draws the charts of a validation asset's report in its panel (vega-embed, SVG)", async () => {
    const api = (await (await fetch(url + 'api/asset/penguins_fidelity')).json()) as { charts: { id: string }[] };
    expect(api.charts.map((c) => c.id)).toEqual(expect.arrayContaining(['fidelity-body-mass-g', 'fidelity-species', 'fidelity-associations']));
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const runtime: string[] = [];
    page.on('request', (r) => new URL(r.url()).pathname.startsWith('/vendor/charts-') && runtime.push(r.url()));
    await page.goto(url + '#asset=penguins_fidelity');
    await page.waitForSelector('#details[data-charts]');
    // The graph was laid out in a worker (off the main thread), and the chart libraries came in one request.
    expect(page.workers().map((w) => new URL(w.url()).pathname)).toContain('/layout-worker.js');
    expect(runtime).toHaveLength(1);
    // Charts are drawn as they come into view of the panel: scrolled to, each one is drawn.
    const plots = page.locator('#details [data-field="charts"] [data-chart] .plot');
    expect(await plots.count()).toBe(api.charts.length);
    for (let i = 0; i < api.charts.length; i++) {
      await plots.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (n) => ['true', 'error'].includes(document.querySelectorAll('#details [data-field="charts"] [data-chart] .plot')[n].getAttribute('data-drawn') ?? ''),
        i,
      );
    }
    const drawn = await plots.evaluateAll((els) => els.map((e) => [e.getAttribute('data-drawn'), e.querySelectorAll('svg .role-mark').length]));
    expect(drawn).toHaveLength(api.charts.length);
    for (const [state, marks] of drawn) {
      expect(state).toBe('true');
      expect(marks).toBeGreaterThan(0);
    }
    // Sortable preview: a click on a column sorts the rows.
    await page.click('g.node[data-asset="penguins_synth"]');
    await page.waitForSelector('#details [data-field="preview"] th[data-sort="Body Mass (g)"]');
    await page.click('#details [data-field="preview"] th[data-sort="Body Mass (g)"]');
    const masses = await page.locator('#details [data-field="preview"] tbody tr').evaluateAll((rows, col) => {
      const i = Array.from(rows[0].closest('table')!.querySelectorAll('th')).findIndex((th) => th.getAttribute('data-sort') === col);
      return rows.map((r) => Number(r.children[i].textContent));
    }, 'Body Mass (g)');
    expect(masses.length).toBeGreaterThan(5);
    expect(masses).toEqual([...masses].sort((a, b) => a - b));

    await page.click('g.node[data-asset="penguins_fidelity"]');
    await page.waitForFunction(
      () =>
        document.querySelector('#details [data-field="name"]')?.textContent === 'penguins_fidelity' &&
        document.querySelector('#details [data-chart="fidelity-species"] .plot[data-drawn="true"]'),
    );
    await page.locator('#details [data-field="charts"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'ui-charts.png') });
    publish('ui-charts.png');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('updates without a reload when a materialization lands (server-sent events), and runs Materialize on a selection', async () => {
    const page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"][data-live="true"]');
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
    expect(await nodeClass(page, 'species_tstr')).toContain('missing');

    // Another process materializes: the page shows it fresh without being reloaded.
    expect(synth(dir, ['materialize', '+species_tstr']).code).toBe(0);
    await page.waitForFunction(() => document.querySelector('g.node[data-asset="species_tstr"]')?.classList.contains('fresh'), null, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    // The page's Materialize action on the selected asset.
    expect(await nodeClass(page, 'species_model')).toContain('missing');
    await page.click('g.node[data-asset="species_model"]');
    expect(await page.inputValue('#selection')).toBe('species_model');
    await page.click('#materialize');
    await page.waitForSelector('#run-status[data-state="done"]', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelector('g.node[data-asset="species_model"]')?.classList.contains('fresh'), null, { timeout: 30_000 });
    expect(await page.locator('#run-status').textContent()).toMatch(/ok: 1 materialized/);
    await page.waitForFunction(() => document.querySelectorAll('#details [data-field="history"] tbody tr').length === 1);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
    const status = synthJson<{ asset: string; state: string }[]>(dir, ['status']).json;
    expect(status.find((a) => a.asset === 'species_model')!.state).toBe('fresh');

    // While another process holds the run lock, Materialize is refused and names the holder.
    const lock = await acquireLock(path.join(dir, '.synth', 'locks'), 'run', { purpose: 'a test holding the lock' });
    try {
      const runs = runCount(dir);
      await page.click('#materialize');
      await page.waitForSelector('#run-status[data-state="refused"]');
      expect(await page.locator('#run-status').textContent()).toContain('a test holding the lock');
      expect(runCount(dir)).toBe(runs);
    } finally {
      await lock.release();
    }
    await page.screenshot({ path: path.join(SHOTS, 'ui-run.png') });
    await page.close();
  }, 300_000);

  it('refuses a POST from another origin, without the token, or to another Host name', async () => {
    const runs = runCount(dir);
    const body = JSON.stringify({ selection: ['products'], force: true });
    const json = { 'content-type': 'application/json' };
    expect((await post(url + 'api/materialize', { ...json, origin: 'http://evil.example', 'x-synth-token': token }, body)).status).toBe(403);
    expect((await post(url + 'api/materialize', { ...json, origin }, body)).status).toBe(403);
    expect((await post(url + 'api/materialize', { ...json, origin, 'x-synth-token': 'f'.repeat(token.length) }, body)).status).toBe(403);
    expect((await post(url + 'api/materialize', { ...json, origin, 'x-synth-token': token, host: `evil.example:${new URL(url).port}` }, body)).status).toBe(421);
    // A page of another origin in the browser: its POST carries its own Origin and no token.
    const page = await browser.newPage();
    await page.goto('data:text/html,<p>elsewhere</p>');
    await page.evaluate(async (target) => {
      await fetch(target, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: '{"selection":["products"],"force":true}' }).catch(() => undefined);
    }, url + 'api/materialize');
    await page.close();
    const refused = await post(url + 'api/materialize', { ...json, origin }, body);
    expect(JSON.parse(refused.body).error.why).toMatch(/token/);
    expect(runCount(dir)).toBe(runs);
  });

  it('--read-only serves the page without the action and refuses every POST', async () => {
    const ro = await startUi(dir, ['--read-only']);
    try {
      const html = await (await fetch(ro.url)).text();
      expect(html).not.toContain('synth-token');
      expect(html).toContain('content="read-only"');
      const page = await browser.newPage();
      await page.goto(ro.url);
      await page.waitForSelector('body[data-ready="true"]');
      expect(await page.locator('#actions').isHidden()).toBe(true);
      expect(await page.locator('#materialize').isVisible()).toBe(false);
      await page.close();
      const res = await post(ro.url + 'api/materialize', { 'content-type': 'application/json', origin: ro.url.replace(/\/$/, ''), 'x-synth-token': token }, '{"selection":[]}');
      expect(res.status).toBe(405);
    } finally {
      ro.ui.child.kill('SIGTERM');
      await ro.ui.done;
    }
  });
});
