/**
 * Validation metrics at scale (validation-probe.ts in fresh processes): 1,000,000 rows × 8
 * columns against a 100,000-row reference, loaded from the object store, rules in the rule
 * language; per step min / median / max, cold (first pass of a process) and warm (second pass).
 */
import { fileURLToPath } from 'node:url';
import { RUNS, runProbe, spread } from './fresh-process.js';

export const title = `Validation metrics: 1,000,000 rows × 8 columns vs a 100,000-row reference, from the store (min / median / max over ${RUNS} fresh processes; target < 10 s, < 1 GB RSS)`;

const PROBE = fileURLToPath(new URL('./validation-probe.ts', import.meta.url));

export default async function (): Promise<Record<string, string | number>[]> {
  const runs: Array<{ cold: Record<string, number>; warm: Record<string, number>; peak_rss_mb: number }> = [];
  for (let i = 0; i < RUNS; i++) runs.push(await runProbe(PROBE, []));
  const out: Record<string, string | number>[] = Object.keys(runs[0].cold).map((step) => ({
    step,
    'cold s': spread(runs.map((r) => r.cold[step])),
    'warm s': spread(runs.map((r) => r.warm[step])),
  }));
  out.push({
    step: 'peak RSS of the process (MB)',
    'cold s': spread(
      runs.map((r) => r.peak_rss_mb),
      '',
      0,
    ),
    'warm s': '',
  });
  return out;
}
