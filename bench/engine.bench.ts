/**
 * Engine speed on synthetic graphs of trivial assets (chains and fan-outs):
 * whole-process `synth status` and no-op `synth materialize`, and the executor's own overhead.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { loadProject } from '../src/engine/project.js';
import { materialize } from '../src/engine/executor.js';
import { makeProject, SYNTH } from '../test/support/project.js';

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function timeProcess(dir: string, args: string[], runs = 5): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [SYNTH, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed: ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return median(times);
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const n of [1000, 10000]) {
    const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(n) });
    try {
      const project = await loadProject({ root: dir });
      const t = process.hrtime.bigint();
      const result = await materialize(project, { concurrency: 4 });
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      if (!result.ok) throw new Error('materialize failed');
      rows.push({
        assets: n,
        measure: 'first materialize, in process (executor + store + catalog)',
        value: `${seconds.toFixed(2)} s`,
        per_asset: `${((seconds * 1000) / n).toFixed(3)} ms`,
        target: n === 1000 ? '< 1 ms/asset' : '',
      });
      rows.push({
        assets: n,
        measure: 'synth status --json (whole process, median of 5)',
        value: `${timeProcess(dir, ['status', '--json']).toFixed(2)} s`,
        per_asset: '',
        target: n === 10000 ? '< 1.5 s' : '',
      });
      rows.push({
        assets: n,
        measure: 'synth materialize, all fresh (whole process, median of 5)',
        value: `${timeProcess(dir, ['materialize', '--json']).toFixed(2)} s`,
        per_asset: '',
        target: n === 1000 ? '< 0.5 s' : '',
      });
      rows.push({
        assets: n,
        measure: 'synth graph --format json (whole process, median of 5)',
        value: `${timeProcess(dir, ['graph', '--format', 'json']).toFixed(2)} s`,
        per_asset: '',
        target: n === 10000 ? '< 1.5 s' : '',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
