import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Row } from '../src/engine/rows.js';
import { createRng } from '../src/models/index.js';
import { psiReport, qualityReport, rulesCheck, schemaPassRate, type RuleLike } from '../src/validation/metrics/index.js';

export const title = 'Validation metrics: 1,000,000 rows × 8 columns against a 100,000-row reference (target < 10 s, < 1 GB RSS)';

const CATS = {
  c1: ['red', 'green', 'blue'],
  c2: ['S', 'M', 'L', 'XL', 'XXL'],
  c3: Array.from({ length: 10 }, (_, i) => `region-${i}`),
  c4: Array.from({ length: 50 }, (_, i) => `sku-${i}`),
} as const;

function makeRows(n: number, seed: number, shift: number): Row[] {
  const rng = createRng(seed);
  const pick = (xs: readonly string[]) => xs[Math.floor(rng() * rng() * xs.length)];
  const rows = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const n1 = rng() * 100 + shift;
    rows[i] = {
      n1,
      n2: n1 * 0.5 + rng() * 20,
      n3: Math.round(rng() * 1000) / 10,
      n4: -Math.log(1 - rng()) * 40,
      c1: pick(CATS.c1),
      c2: pick(CATS.c2),
      c3: pick(CATS.c3),
      c4: pick(CATS.c4),
    };
  }
  return rows;
}

const Schema = z.object({
  n1: z.number(),
  n2: z.number(),
  n3: z.number().min(0).max(100),
  n4: z.number().nonnegative(),
  c1: z.enum(CATS.c1),
  c2: z.enum(CATS.c2),
  c3: z.string(),
  c4: z.string().startsWith('sku-'),
});

const rules: RuleLike[] = [
  { text: 'if c1 == "red", n1 > 5', test: (r) => r.c1 !== 'red' || (r.n1 as number) > 5 },
  { text: 'n2 < 60', test: (r) => (r.n2 as number) < 60 },
];

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20);
  const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const step = <T>(name: string, fn: () => T): T => {
    const t0 = performance.now();
    const result = fn();
    out.push({ step: name, seconds: Number(((performance.now() - t0) / 1000).toFixed(3)), rss_mb: rssMb(), peak_rss_mb: peakMb() });
    return result;
  };

  const current = step('generate 1,000,000 rows (setup, not counted)', () => makeRows(1_000_000, 1, 3));
  const reference = step('generate 100,000 reference rows (setup, not counted)', () => makeRows(100_000, 2, 0));
  const t0 = performance.now();
  const schema = step('schema pass rate (zod safeParse per row)', () => schemaPassRate(current, Schema));
  const rulesResult = step('rules check (2 rules)', () => rulesCheck(current, rules));
  const quality = step('fidelity: KS/TV + 28 pair trends (quality report)', () => qualityReport(reference, current));
  const psi = step('PSI, 8 columns', () => psiReport(reference, current));
  const total = (performance.now() - t0) / 1000;
  out.push({ step: 'total of the four checks', seconds: Number(total.toFixed(3)), rss_mb: rssMb(), peak_rss_mb: peakMb() });
  out.push({
    step: `results: schema ${schema.pass_rate.toFixed(4)}, rules ${rulesResult.pass_rate.toFixed(4)}, quality ${quality.score.toFixed(4)}, max PSI ${psi.max_psi.toFixed(4)}`,
    seconds: '',
    rss_mb: '',
    peak_rss_mb: '',
  });
  return out;
}
