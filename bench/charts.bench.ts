/**
 * Charts: every chart of a 20-column fidelity report rendered to SVG on the server (vega's
 * headless View, from the built dist/ as `synth report` loads it), in 5 fresh processes (cold:
 * includes loading vega and vega-lite; warm: the same again in that process); `synth report
 * --format html` as a whole process (wall and CPU time); and `synth ui` first paint with the
 * charts of a validation asset in view drawn (vega-embed) in a 1,000-asset project, in Debian's
 * headless Chromium, each of 5 loads against a freshly started `synth ui`.
 * Run alone: `npm run bench -- charts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { RandomAlgorithm, seededRandom } from '../src/engine/seeded-random.js';
import { CHROMIUM, startUi } from '../test/cli/ui-helpers.js';
import { makeProject, REPO, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';
import { CPU_HOOK, cpuAtExitMs, processCpuMs } from './fresh-process.js';

export const title = 'charts: SVG rendering of a 20-column fidelity report, and synth ui first paint with charts (1,000 assets)';

const RUNS = 5;
const PROBE = fileURLToPath(new URL('./charts-probe.mjs', import.meta.url));

/** 2,000 rows of 20 columns: 12 numeric, 6 categorical, 2 dates; `shift` moves the synthetic side a little. */
export function csv(seed: number, shift: number): string {
  const r = seededRandom(RandomAlgorithm.sfc32, seed);
  const header = [...Array.from({ length: 12 }, (_, i) => `n${i}`), ...Array.from({ length: 6 }, (_, i) => `c${i}`), 'd0', 'd1'];
  const rows = Array.from({ length: 2000 }, () => {
    const base = r.normal();
    const nums = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? base * 10 + i + shift : r.normal() * (i + 1) + 50 + shift).toFixed(3));
    const cats = Array.from({ length: 6 }, (_, i) => String.fromCharCode(97 + Math.min(i + 3, Math.floor(Math.abs(base + r.normal()) * (i + 2)))));
    const dates = [0, 1].map((i) => new Date(Date.UTC(2024, 0, 1) + Math.floor((r.next() + shift / 20) * 300 + i * 30) * 86_400_000).toISOString().slice(0, 10));
    return [...nums, ...cats, ...dates].join(',');
  });
  return [header.join(','), ...rows].join('\n') + '\n';
}

export const fidelityDefs = (extra = '') => `
import { checks, source, validation } from 'synthgraph';
export const real = source({ name: 'real', file: 'data/real.csv' });
export const synthetic = source({ name: 'synthetic', file: 'data/synthetic.csv' });
export const fidelity = validation({ name: 'fidelity', deps: { synthetic, real }, target: 'synthetic', reference: 'real', checks: [checks.fidelity({ threshold: 0 })] });
${extra}`;

function stats(xs: number[], unit: string, digits = 0): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(digits)} / ${s[Math.floor(s.length / 2)].toFixed(digits)} / ${s[s.length - 1].toFixed(digits)} ${unit}`;
}

export function fidelityProject(defs: string): string {
  const dir = makeProject({ 'src/assets/index.ts': defs, 'data/real.csv': csv(1, 0), 'data/synthetic.csv': csv(2, 0.3) });
  const r = spawnSync(process.execPath, [SYNTH, 'materialize'], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`materialize failed: ${r.stderr}`);
  return dir;
}

/** Runs `synth report` with a preload that writes the process's CPU time at exit; resolves to [wall s, CPU ms]. */
function timedReport(dir: string, args: string[], cpuFile: string): [number, number] {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', CPU_HOOK, SYNTH, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SYNTH_BENCH_CPU_FILE: cpuFile } });
  if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
  return [Number(process.hrtime.bigint() - t) / 1e9, cpuAtExitMs(cpuFile)];
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const load = [loadavg()[0]];
  const dir = fidelityProject(fidelityDefs());
  const out = mkdtempSync(path.join(tmpdir(), 'synth-charts-bench-'));
  try {
    const json = path.join(out, 'report.json');
    writeFileSync(json, spawnSync(process.execPath, [SYNTH, 'report', 'fidelity', '--format', 'json'], { cwd: dir, encoding: 'utf8' }).stdout);
    const cold: number[] = [];
    const warm: number[] = [];
    const coldCpu: number[] = [];
    const warmCpu: number[] = [];
    let charts = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = spawnSync(process.execPath, [PROBE, json], { cwd: REPO, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
      const t = JSON.parse(r.stdout) as { charts: number; cold_ms: number; warm_ms: number; cold_cpu_ms: number; warm_cpu_ms: number };
      charts = t.charts;
      cold.push(t.cold_ms);
      warm.push(t.warm_ms);
      coldCpu.push(t.cold_cpu_ms);
      warmCpu.push(t.warm_cpu_ms);
    }
    rows.push({ measure: `render all ${charts} charts to SVG, cold (fresh process: loads vega + vega-lite)`, 'min / median / max': stats(cold, 'ms'), target: '< 1000 ms' });
    rows.push({ measure: '  the same, CPU time', 'min / median / max': stats(coldCpu, 'ms'), target: '' });
    rows.push({ measure: `render all ${charts} charts to SVG, warm (same process, again)`, 'min / median / max': stats(warm, 'ms'), target: '' });
    rows.push({ measure: '  the same, CPU time', 'min / median / max': stats(warmCpu, 'ms'), target: '' });
    const whole: number[] = [];
    const wholeCpu: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [wall, cpu] = timedReport(dir, ['report', 'fidelity', '--format', 'html', '--out', path.join(out, `r${i}.html`)], path.join(out, 'cpu'));
      whole.push(wall);
      wholeCpu.push(cpu);
    }
    rows.push({ measure: `synth report fidelity --format html (whole process, ${charts} charts inline)`, 'min / median / max': stats(whole, 's', 2), target: '' });
    rows.push({ measure: '  the same, CPU time of the process', 'min / median / max': stats(wholeCpu, 'ms'), target: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
  load.push(loadavg()[0]);

  // 1,000 assets: 997 trivial ones plus the two sources and the fidelity validation.
  const big = fidelityProject(fidelityDefs(trivialGraphDefs(997)));
  const browser = await chromium.launch(CHROMIUM);
  try {
    const paint: number[] = [];
    const fromLaunch: number[] = [];
    const mainThread: number[] = [];
    const serverCpu: number[] = [];
    let inView = 0;
    let total = 0;
    let nodes = 0;
    for (let i = 0; i < RUNS; i++) {
      const launched = performance.now();
      const { url, ui } = await startUi(big);
      try {
        const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const start = performance.now();
        await page.goto(url + '#asset=fidelity');
        // First paint with charts: the graph laid out and drawn, the panel shown, and every chart
        // in the panel's view drawn (the others are drawn as they scroll into view).
        await page.waitForFunction(
          () => {
            if (document.body.dataset.ready !== 'true') return false;
            const details = document.getElementById('details')!;
            if (details.hidden) return false;
            const box = details.getBoundingClientRect();
            const plots = Array.from(details.querySelectorAll<HTMLElement>('[data-field="charts"] .plot')).filter((p) => {
              const r = p.getBoundingClientRect();
              return r.top < box.bottom && r.bottom > box.top;
            });
            return plots.length > 0 && plots.every((p) => p.dataset.drawn === 'true');
          },
          null,
          { timeout: 120_000, polling: 20 },
        );
        const now = performance.now();
        paint.push(now - start);
        fromLaunch.push(now - launched);
        // Main-thread task time of the page (script, layout, style, paint): its CPU cost, steadier than wall time on a busy machine.
        const { metrics } = await cdp.send('Performance.getMetrics');
        mainThread.push((metrics.find((m) => m.name === 'TaskDuration')?.value ?? 0) * 1000);
        serverCpu.push(processCpuMs(ui.child.pid!));
        inView = await page.locator('#details [data-field="charts"] .plot[data-drawn="true"]').count();
        total = await page.locator('#details [data-field="charts"] .plot').count();
        nodes = await page.locator('g.node').count();
        await page.close();
      } finally {
        ui.child.kill('SIGTERM');
        await ui.done;
      }
    }
    if (nodes !== 1000) throw new Error(`drew ${nodes} nodes, expected 1000`);
    rows.push({
      measure: `synth ui first paint: 1,000-asset graph + panel + the ${inView} charts in view drawn (of ${total}), fresh synth ui each`,
      'min / median / max': stats(paint, 'ms'),
      target: '< 2000 ms',
    });
    rows.push({ measure: '  the same, from launching synth ui (server start included)', 'min / median / max': stats(fromLaunch, 'ms'), target: '' });
    rows.push({ measure: "  the page's main-thread task time (CPU) until then", 'min / median / max': stats(mainThread, 'ms'), target: '' });
    rows.push({ measure: '  CPU time of the synth ui process until then', 'min / median / max': stats(serverCpu, 'ms'), target: '' });
  } finally {
    await browser.close();
    rmSync(big, { recursive: true, force: true });
  }
  load.push(loadavg()[0]);
  rows.push({ measure: 'load average while measuring (1 min, 2 cores): start / middle / end', 'min / median / max': load.map((l) => l.toFixed(1)).join(' / '), target: '' });
  return rows;
}
