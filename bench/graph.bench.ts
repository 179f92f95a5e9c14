/**
 * Inspection commands on a 10,000-asset project (chains and fan-outs of trivial assets),
 * materialized once so that the catalog holds 10,000 records: whole-process times of
 * `synth graph` in every format, `synth status`, `synth lineage` and `synth history`, each over
 * fresh processes (min / median / max of wall time and of the process's CPU time; warm files).
 */
import { rmSync } from 'node:fs';
// The engine knows no asset kind: the built-in ones register here, as in the CLI.
import '../src/builtin-plugins.js';
import { materialize } from '../src/engine/executor.js';
import { loadProject } from '../src/engine/project.js';
import { makeProject, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';
import { RUNS, timeSynthRuns } from './fresh-process.js';

export const title = 'Graph inspection on 10,000 materialized assets (whole processes: min / median / max, wall and CPU)';

const N = 10_000;

export default async function (): Promise<Record<string, string | number>[]> {
  const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(N) });
  const rows: Record<string, string | number>[] = [];
  try {
    const project = await loadProject({ root: dir });
    const t = process.hrtime.bigint();
    const result = await materialize(project, { concurrency: 4 });
    if (!result.ok) throw new Error('materialize failed');
    rows.push({
      command: 'materialize (setup, in process, once, cold)',
      wall: `${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)} s`,
      cpu: '',
      output: `${N} records`,
      target: '',
    });
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
      const { wall, cpu, stdout } = timeSynthRuns(SYNTH, dir, args);
      rows.push({ command: `synth ${args.join(' ')} (${RUNS} fresh)`, wall, cpu, output: `${(stdout.length / 1024).toFixed(0)} KiB`, target });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
