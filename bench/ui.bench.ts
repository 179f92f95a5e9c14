/**
 * `synth ui` first paint of a 1,000-asset graph (chains and fan-outs, materialized once) in
 * Debian's headless Chromium: from navigation to the graph laid out and in the DOM. Each run starts
 * a fresh `synth ui` process (min / median / max over RUNS), its first load cold, its second warm.
 */
import { rmSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { makeProject } from '../test/support/project.js';
import { CHROMIUM, startUi } from '../test/cli/ui-helpers.js';
import { trivialGraphDefs } from './engine.bench.js';
import { RUNS, spread } from './fresh-process.js';

export const title = 'synth ui: first paint of a 1,000-asset graph in headless Chromium (fresh synth ui processes; cold and warm page loads)';

const N = 1000;

interface Load {
  api: number;
  wall: number;
  inPage: number;
  nodes: number;
}

/** One page load: GET /api/graph alone, then the page from navigation to the graph in the DOM. */
async function load(browser: Browser, url: string): Promise<Load> {
  const t = performance.now();
  const r = await fetch(url + 'api/graph');
  await r.arrayBuffer();
  const api = performance.now() - t;
  const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
  try {
    const start = performance.now();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    const wall = performance.now() - start;
    const inPage = await page.evaluate(() => (window as unknown as { __synthPaintMs: number }).__synthPaintMs);
    return { api, wall, inPage, nodes: await page.locator('g.node').count() };
  } finally {
    await page.close();
  }
}

export default async function (): Promise<Record<string, string | number>[]> {
  const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  const browser = await chromium.launch(CHROMIUM);
  try {
    const project = await loadProject({ root: dir });
    if (!(await materialize(project, { concurrency: 4 })).ok) throw new Error('materialize failed');
    // Each run starts `synth ui` afresh: its first page load is cold (definitions loaded, code not
    // yet optimised), the second warm.
    const cold: Load[] = [];
    const warm: Load[] = [];
    for (let i = 0; i < RUNS; i++) {
      const { url, ui } = await startUi(dir);
      try {
        cold.push(await load(browser, url));
        warm.push(await load(browser, url));
      } finally {
        ui.child.kill('SIGTERM');
        await ui.done;
      }
    }
    for (const l of [...cold, ...warm]) if (l.nodes !== N) throw new Error(`drew ${l.nodes} nodes, expected ${N}`);
    const both = (f: (l: Load) => number) => `${spread(cold.map(f), 'ms', 0)} · ${spread(warm.map(f), 'ms', 0)}`;
    return [
      { measure: `first paint, wall (goto → graph in the DOM), ${RUNS} fresh synth ui, cold · warm`, 'min / median / max': both((l) => l.wall), target: '< 2000 ms' },
      { measure: 'first paint, in page (performance.now at paint), cold · warm', 'min / median / max': both((l) => l.inPage), target: '' },
      { measure: 'GET /api/graph (reloads definitions + status), cold · warm', 'min / median / max': both((l) => l.api), target: '' },
      { measure: 'nodes drawn', 'min / median / max': String(N), target: String(N) },
    ];
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
