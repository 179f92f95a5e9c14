import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/models/index.js';
import { inferColumnKinds, qualityReport } from '../../../src/validation/metrics/index.js';

function table(n: number, seed: number, shift = 0) {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const x = rng() * 10 + shift;
    return { x, y: 2 * x + rng(), cat: rng() < 0.7 ? 'A' : 'B', flag: rng() < 0.5, tags: ['nested'] };
  });
}

describe('inferColumnKinds', () => {
  it('numbers are numeric, strings and booleans categorical, nested and empty columns left out', () => {
    const kinds = inferColumnKinds([
      { n: 1, d: new Date(0), s: 'a', b: true, arr: [1], none: null },
      { n: 2.5, d: new Date(1), s: 'b', b: false, arr: [2], none: null },
    ]);
    expect(kinds).toEqual({ n: 'numeric', d: 'numeric', s: 'categorical', b: 'categorical' });
    expect(inferColumnKinds([{ n: 1 }], { overrides: { n: 'categorical' } })).toEqual({ n: 'categorical' });
  });
});

describe('qualityReport', () => {
  it('identical real and synthetic data score exactly 1 everywhere', () => {
    const real = table(400, 1);
    const r = qualityReport(real, [...real].reverse());
    expect(r.score).toBe(1);
    expect(r.column_shapes.columns.map((c) => [c.column, c.metric, c.score])).toEqual([
      ['x', 'KSComplement', 1],
      ['y', 'KSComplement', 1],
      ['cat', 'TVComplement', 1],
      ['flag', 'TVComplement', 1],
    ]);
    // 4 columns -> 6 pairs: x/y by correlation, the rest by contingency tables.
    expect(r.column_pair_trends.pairs).toHaveLength(6);
    expect(r.column_pair_trends.pairs.find((p) => p.columns.join() === 'x,y')!.metric).toBe('CorrelationSimilarity');
    for (const p of r.column_pair_trends.pairs) expect(p.score).toBeCloseTo(1, 12);
  });

  it('overall score is the mean of the shape and pair-trend property scores', () => {
    const r = qualityReport(table(300, 1), table(300, 2, 3));
    expect(r.score).toBeLessThan(0.95);
    expect(r.score).toBeCloseTo((r.column_shapes.score + r.column_pair_trends.score!) / 2, 12);
    const x = r.column_shapes.columns.find((c) => c.column === 'x')!;
    expect(x.score).toBeCloseTo(1 - x.ks_statistic!, 12);
    expect(x.ks_pvalue).toBeLessThan(0.01);
  });

  it('scores a column missing from the synthetic data 0 with a note', () => {
    const real = table(50, 1);
    const syn = real.map(({ cat: _cat, ...rest }) => rest);
    const cat = qualityReport(real, syn).column_shapes.columns.find((c) => c.column === 'cat')!;
    expect(cat.score).toBe(0);
    expect(cat.note).toMatch(/synthetic/);
  });

  it('can skip weak numeric pairs (documented option, off by default)', () => {
    const rng = createRng(3);
    const noise = Array.from({ length: 200 }, () => ({ a: rng(), b: rng() }));
    expect(qualityReport(noise, noise).column_pair_trends.pairs[0].score).toBeCloseTo(1, 12);
    const skipped = qualityReport(noise, noise, { minRealCorrelation: 0.5 }).column_pair_trends;
    expect(skipped.pairs[0].score).toBeNull();
    expect(skipped.pairs[0].skipped).toMatch(/below 0.5/);
    expect(skipped.score).toBeNull();
  });

  it('subsamples large inputs with a fixed seed: same score on every run', () => {
    const real = table(3000, 5);
    const syn = table(3000, 6, 0.5);
    const a = qualityReport(real, syn, { maxRows: 1000 });
    const b = qualityReport(real, syn, { maxRows: 1000 });
    expect(a.rows.subsampled).toBe(true);
    expect(a.score).toBe(b.score);
    expect(qualityReport(real, syn, { maxRows: 1000, seed: 9 }).score).not.toBe(a.score);
  });
});
