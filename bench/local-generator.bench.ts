/**
 * Local generator (embedded, seeded), each case in fresh processes (local-generator-probe.ts):
 * cold = the first call of a process, warm = the second; min / median / max.
 */
import { fileURLToPath } from 'node:url';
import { RUNS, runProbe, spread } from './fresh-process.js';

export const title = `Local generator: ecommerce rows and penguins fitting (min / median / max over ${RUNS} fresh processes; target: 100k ecommerce rows < 2 s)`;

const PROBE = fileURLToPath(new URL('./local-generator-probe.ts', import.meta.url));
const CASES = {
  'ecommerce-10k': 'ecommerce 10k rows',
  'ecommerce-100k': 'ecommerce 100k rows',
  'penguins-10k': 'penguins: fit 344 reference rows + 10k rows',
  'penguins-100k': 'penguins: fit 344 reference rows + 100k rows',
  'penguins-hints-10k': 'penguins: no reference (hints only), 10k rows',
};

type Run = { ms: number; rows: number; resampled: number };

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  for (const [key, label] of Object.entries(CASES)) {
    const runs: Array<{ cold: Run; warm: Run }> = [];
    for (let i = 0; i < RUNS; i++) runs.push(await runProbe(PROBE, [key]));
    for (const phase of ['cold', 'warm'] as const) {
      const rs = runs.map((r) => r[phase]);
      out.push({
        case: `${label}, ${phase === 'cold' ? 'cold (first call of the process)' : 'warm (second call)'}`,
        ms: spread(
          rs.map((r) => r.ms),
          '',
          0,
        ),
        'rows/s': spread(
          rs.map((r) => r.rows / (r.ms / 1000)),
          '',
          0,
        ),
        resampled: rs[0].resampled,
      });
    }
  }
  return out;
}
