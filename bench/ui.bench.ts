/**
 * `synth ui` first paint of a 1,000-asset graph (chains and fan-outs, materialized once) in
 * Debian's headless Chromium: from navigation to the graph laid out and in the DOM.
 */
import { rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { makeProject } from '../test/support/project.js';
import { CHROMIUM, startUi } from '../test/cli/ui-helpers.js';
import { trivialGraphDefs } from './engine.bench.js';

export const title = 'synth ui: first paint of a 1,000-asset graph in headless Chromium (median of 5 page loads)';

const N = 1000;
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export default async function (): Promise<Record<string, string | number>[]> {
  const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  const { url, ui } = await (async () => {
    const project = await loadProject({ root: dir });
    if (!(await materialize(project, { concurrency: 4 })).ok) throw new Error('materialize failed');
    return startUi(dir);
  })();
  const browser = await chromium.launch(CHROMIUM);
  try {
    const wall: number[] = [];
    const inPage: number[] = [];
    const api: number[] = [];
    let nodes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = await fetch(url + 'api/graph');
      await r.arrayBuffer();
      api.push(performance.now() - t);
      const page = await browser.newPage({ viewport: { width: 1400, height: 820 } });
      const start = performance.now();
      await page.goto(url);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
      wall.push(performance.now() - start);
      inPage.push(await page.evaluate(() => (window as unknown as { __synthPaintMs: number }).__synthPaintMs));
      nodes = await page.locator('g.node').count();
      await page.close();
    }
    if (nodes !== N) throw new Error(`drew ${nodes} nodes, expected ${N}`);
    return [
      { measure: 'first paint, wall (goto → graph in the DOM)', ms: Math.round(median(wall)), target: '< 2000 ms' },
      { measure: 'first paint, in page (performance.now at paint)', ms: Math.round(median(inPage)), target: '' },
      { measure: 'GET /api/graph (reloads definitions + status)', ms: Math.round(median(api)), target: '' },
      { measure: 'nodes drawn', ms: nodes, target: String(N) },
    ];
  } finally {
    await browser.close();
    ui.child.kill('SIGTERM');
    await ui.done;
    rmSync(dir, { recursive: true, force: true });
  }
}
