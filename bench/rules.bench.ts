/**
 * Rule evaluation throughput on 1M generated rows: each case in fresh processes (min / median /
 * max over RUNS), cold (first pass of a process) and warm (second pass). The rows are made in the
 * probe (bench/rules-probe.ts) and not timed.
 */
import { fileURLToPath } from 'node:url';
import { RUNS, runProbe, spread } from './fresh-process.js';

export const title = 'Rule evaluation throughput (compiled closures, 1M rows; fresh processes, cold and warm)';

const PROBE = fileURLToPath(new URL('./rules-probe.ts', import.meta.url));
const ROWS = 1_000_000;

type Probe = Record<string, { cold_ms: number; warm_ms: number; count: number }>;

export default async function (): Promise<Record<string, string | number>[]> {
  const runs: Probe[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runProbe<Probe>(PROBE, []));
  return Object.keys(runs[0]).map((name) => {
    const cold = runs.map((r) => r[name].cold_ms);
    const warm = runs.map((r) => r[name].warm_ms);
    const perRow = name.startsWith('1M');
    const checks = name.includes('x 3 rules') ? 3 : 1;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return {
      case: name,
      'cold ms (min / median / max)': spread(cold, '', 0),
      'warm ms (min / median / max)': spread(warm, '', 0),
      'rows/s (warm median)': perRow ? Math.round(ROWS / (median(warm) / 1000)) : '-',
      'rule checks/s (warm median)': perRow ? Math.round((ROWS * checks) / (median(warm) / 1000)) : '-',
      failures: perRow ? runs[0][name].count : '-',
    };
  });
}
