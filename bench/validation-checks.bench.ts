import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { Check, CheckContext } from '../src/engine/check.js';
import type { Row } from '../src/engine/rows.js';
import { createRng } from '../src/models/index.js';
import { checks } from '../src/validation/index.js';
import { Penguin } from '../src/assets/penguins.js';

export const title = 'Validation checks end to end (check.run, as a validation asset runs them): penguin-shaped rows, 7 columns';

const penguins = JSON.parse(readFileSync(new URL('../node_modules/vega-datasets/data/penguins.json', import.meta.url), 'utf8')) as Row[];

/** n penguins resampled from the real ones (seeded), measurements jittered so values are not all repeats. */
function resample(n: number, seed: number, massShift = 0): Row[] {
  const rng = createRng(seed);
  const jitter = (v: unknown, scale: number, int: boolean) => {
    if (typeof v !== 'number') return v;
    const x = v + (rng() - 0.5) * scale;
    return int ? Math.round(x) : Math.round(x * 10) / 10;
  };
  const out = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const p = penguins[Math.floor(rng() * penguins.length)];
    out[i] = {
      ...p,
      'Beak Length (mm)': jitter(p['Beak Length (mm)'], 1, false),
      'Beak Depth (mm)': jitter(p['Beak Depth (mm)'], 0.5, false),
      'Flipper Length (mm)': jitter(p['Flipper Length (mm)'], 4, true),
      'Body Mass (g)': jitter(typeof p['Body Mass (g)'] === 'number' ? (p['Body Mass (g)'] as number) + massShift : null, 100, true),
    };
  }
  return out;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
  const time = async (step: string, check: Check, ctx: CheckContext) => {
    const t0 = performance.now();
    const r = await check.run(ctx);
    out.push({ step, seconds: Number(((performance.now() - t0) / 1000).toFixed(3)), score: Number(r.score.toFixed(4)), peak_rss_mb: peakMb() });
  };
  const base = { asset: 'bench', rules: [], inputs: {}, seed: 42, signal: new AbortController().signal };

  const synthetic = resample(1_000_000, 1);
  const reference = resample(100_000, 2);
  const live = resample(200_000, 3, 400);
  const big = { ...base, rows: synthetic, reference, schema: Penguin };
  await time('schema, 1M rows', checks.schema(), big);
  await time('completeness, 1M rows', checks.completeness({ maxNullRate: 0.05 }), big);
  await time('unique (whole rows), 1M rows', checks.unique(), big);
  await time('fidelity (KS/TV, 21 pairs, PSI), 1M vs 100k', checks.fidelity(), big);
  await time('drift (PSI + KS), 200k live vs 100k', checks.drift(), { ...base, rows: live, reference });
  for (const n of [1_000, 10_000, 50_000]) {
    await time(`utility (2 random forests, 30 trees), ${n.toLocaleString('en')} synthetic vs 344 real`, checks.utility({ target: 'Species', seed: 7 }), {
      ...base,
      rows: synthetic.slice(0, n),
      reference: penguins,
    });
  }
  return out;
}
