/**
 * Engine speed on synthetic graphs of trivial assets (chains and fan-outs):
 * whole-process `synth status` (computed in full, and answered from its snapshot) and no-op `synth materialize` (min / median / max over fresh
 * processes, wall and the process's CPU time; definitions compiled and files in the page cache),
 * and the executor's own overhead (the first materialize of a fresh project in a fresh process: cold).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeProject, removeProject, SYNTH } from '../test/support/project.js';
import { RUNS, runProbe, spread, timeSynthRuns } from './fresh-process.js';

const PROBE = fileURLToPath(new URL('./engine-probe.ts', import.meta.url));
/** Graph sizes (`SYNTH_BENCH_SIZES=1000` for a shorter run). */
const SIZES = (process.env.SYNTH_BENCH_SIZES ?? '1000,10000').split(',').map(Number);

export const title = 'Engine: status, no-op materialize and executor overhead on N trivial assets';

/** Groups of 100: a root, a chain of 49 below it and a fan-out of 50 from it. */
export function trivialGraphDefs(n: number): string {
  return `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < ${n}; i++) {
  const root = i - (i % 100);
  const k = i % 100;
  const up = k === 0 ? undefined : k < 50 ? 'a' + (i - 1) : 'a' + root;
  all['a' + i] = asset({ name: 'a' + i, codeVersion: '1', deps: up ? { up: all[up] as never } : {}, materialize: () => ({ i }) });
}
export const assets = all;
`;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const n of SIZES) {
    // The executor's overhead: the first materialize of a fresh project, in a fresh process each time.
    const first: { ms: number; cpu_ms: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const fresh = makeProject({ 'src/assets/index.ts': trivialGraphDefs(n) });
      try {
        first.push(await runProbe<{ ms: number; cpu_ms: number }>(PROBE, [fresh]));
      } finally {
        removeProject(fresh);
      }
    }
    rows.push({
      assets: n,
      measure: `first materialize, in a fresh process, cold (executor + store + catalog; ${RUNS} processes)`,
      wall: spread(
        first.map((f) => f.ms / 1000),
        's',
      ),
      cpu: spread(
        first.map((f) => f.cpu_ms / 1000),
        's',
      ),
      per_asset: `${spread(
        first.map((f) => f.ms / n),
        'ms',
        3,
      )}`,
      target: n === 1000 ? '< 1 ms/asset' : '',
    });
    const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(n) });
    try {
      await runProbe(PROBE, [dir]);
      // `status` after the first one is answered from the status snapshot; `--reload` computes it from
      // the definitions. A no-op run is answered from it too; without one it computes in full.
      timeSynthRuns(SYNTH, dir, ['status', '--json'], 1);
      const cases: [string, string[], string, (() => void)?][] = [
        ['synth status --json --reload (computed in full)', ['status', '--json', '--reload'], n === 10000 ? '< 1.5 s' : ''],
        ['synth status --json (answered from the status snapshot)', ['status', '--json'], ''],
        ['synth materialize, all fresh (no-op; answered from the status snapshot)', ['materialize', '--json'], n === 1000 ? '< 0.5 s' : n === 10000 ? '≤ 0.6 s (issue 16)' : ''],
        [
          'synth materialize, all fresh (no-op; no snapshot: computed in full)',
          ['materialize', '--json'],
          '',
          () => rmSync(path.join(dir, '.synth', 'cache', 'status.json'), { force: true }),
        ],
        ['synth graph --format json', ['graph', '--format', 'json'], n === 10000 ? '< 1.5 s' : ''],
      ];
      for (const [measure, args, target, before] of cases) {
        before?.();
        const t = timeSynthRuns(SYNTH, dir, args);
        rows.push({ assets: n, measure: `${measure} (whole process, ${RUNS} fresh)`, wall: t.wall, cpu: t.cpu, per_asset: '', target });
      }
    } finally {
      removeProject(dir);
    }
  }
  return rows;
}
