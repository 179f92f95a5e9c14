/**
 * Inspection commands on a 10,000-asset project (chains and fan-outs of trivial assets),
 * materialized once so that the catalog holds 10,000 records: whole-process times of
 * `synth graph` in every format, `synth status`, `synth lineage` and `synth history`.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { makeProject, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';

export const title = 'Graph inspection on 10,000 materialized assets (whole process, median of 5)';

const N = 10_000;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median wall time of a whole `synth` process, and the size of what it printed. */
function timeProcess(dir: string, args: string[], runs = 5): { seconds: number; bytes: number } {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [SYNTH, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
    bytes = r.stdout.length;
  }
  return { seconds: median(times), bytes };
}

export default async function (): Promise<Record<string, string | number>[]> {
  const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  const rows: Record<string, string | number>[] = [];
  try {
    const project = await loadProject({ root: dir });
    const t = process.hrtime.bigint();
    const result = await materialize(project, { concurrency: 4 });
    if (!result.ok) throw new Error('materialize failed');
    rows.push({ command: 'materialize (setup, in process, once)', seconds: (Number(process.hrtime.bigint() - t) / 1e9).toFixed(2), output: `${N} records`, target: '' });
    const cases: [string[], string][] = [
      [['graph', '--format', 'json'], '< 1.5 s'],
      [['status', '--json'], '< 1.5 s'],
      [['graph'], ''],
      [['graph', '--format', 'dot'], ''],
      [['graph', '--format', 'mermaid'], ''],
      [['status'], ''],
      [['graph', '+a5049', '--format', 'json'], ''],
      [['lineage', 'a5099', '--json'], ''],
      [['history', 'a5000', '--json'], ''],
    ];
    for (const [args, target] of cases) {
      const { seconds, bytes } = timeProcess(dir, args);
      rows.push({ command: `synth ${args.join(' ')}`, seconds: seconds.toFixed(2), output: `${(bytes / 1024).toFixed(0)} KiB`, target });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
