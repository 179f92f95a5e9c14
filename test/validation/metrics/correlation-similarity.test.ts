import { describe, expect, it } from 'vitest';
import { correlation, correlationSimilarity } from '../../../src/validation/metrics/index.js';

// Reference values: scipy.stats.pearsonr(p, q).statistic and scipy.stats.spearmanr(p, q).statistic
// (SciPy 1.17.1) for the arrays below, built by the same formula in Python.
const p = Float64Array.from({ length: 60 }, (_, i) => ((i * 7) % 23) + i * 0.1);
const q = Float64Array.from({ length: 60 }, (_, i) => ((i * 11) % 19) + i * 0.05);
const a = Float64Array.from([0.61, 0.29, 0.06, 0.59, -1.98, -0.15, -1.04, -0.65, 0.4, 1.56, 0.02, 0.42]);
const b = Float64Array.from([1.36, 0.84, 1.7, 0.38, 0.56, 2.05, 0.42, 1.65, 1.95, -0.53, 0.77, 1.11]);

describe('correlation', () => {
  it('Pearson and Spearman match scipy', () => {
    expect(correlation(p, q)).toBeCloseTo(0.02223636954916153, 12);
    expect(correlation(p, q, 'spearman')).toBeCloseTo(0.01322589608224507, 12);
    expect(correlation(a, b)).toBeCloseTo(-0.16125026147468796, 12);
    expect(correlation(a, b, 'spearman')).toBeCloseTo(-0.16783216783216784, 12);
  });

  it('uses only rows where both values are present', () => {
    const x = Float64Array.from([...a, NaN, 5]);
    const y = Float64Array.from([...b, 3, NaN]);
    expect(correlation(x, y)).toBeCloseTo(-0.16125026147468796, 12);
  });

  it('is NaN for a constant column', () => {
    expect(correlation(Float64Array.of(1, 1, 1), Float64Array.of(1, 2, 3))).toBeNaN();
  });
});

describe('correlationSimilarity', () => {
  it('is 1 − |ρ_real − ρ_syn| / 2', () => {
    const x = Float64Array.of(1, 2, 3, 4);
    const up = Float64Array.of(2, 4, 6, 8);
    const down = Float64Array.of(8, 6, 4, 2);
    expect(correlationSimilarity([x, up], [x, up]).score).toBeCloseTo(1, 12);
    const opposite = correlationSimilarity([x, up], [x, down]);
    expect(opposite.real).toBeCloseTo(1, 12);
    expect(opposite.synthetic).toBeCloseTo(-1, 12);
    expect(opposite.score).toBeCloseTo(0, 12);
  });
});
