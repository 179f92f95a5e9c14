import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ksComplement, ksPValue, ksTest, sortedPresent } from '../../../src/validation/metrics/index.js';

const sorted = (xs: number[]) => sortedPresent(Float64Array.from(xs));

// Reference values produced with SciPy 1.17.1 / NumPy 2.4 (python3 -m venv; pip install scipy numpy):
//   scipy.stats.ks_2samp(a, b)                      -> statistic, pvalue (method 'auto' = exact here)
//   scipy.stats.kstwobign.sf(sqrt(n*m/(n+m)) * D)   -> limiting-distribution p-value
const a = [0.61, 0.29, 0.06, 0.59, -1.98, -0.15, -1.04, -0.65, 0.4, 1.56, 0.02, 0.42, -0.35, 0.47, 1.22];
const b = [1.36, 0.84, 1.7, 0.38, 0.56, 2.05, 0.42, 1.65, 1.95, -0.53, 0.77, 1.11];
const c = [0.1, 0.5, 0.9, 1.3, -0.2, 0.8, 1.1, 0.0, 0.3, 0.7, 1.5, -0.4, 0.6, 0.2, 0.4];
const x = Array.from({ length: 300 }, (_, i) => ((i * 37) % 101) / 10);
const y = Array.from({ length: 250 }, (_, j) => ((j * 53) % 97) / 10 + 0.5);
const u = Array.from({ length: 40 }, (_, i) => ((i * 13) % 50) / 5);
const v = Array.from({ length: 40 }, (_, i) => ((i * 17) % 45) / 5 + 0.8);

describe('KS statistic and p-value against scipy.stats.ks_2samp', () => {
  it('unequal sizes, exact p-value (15 vs 12 values)', () => {
    const t = ksTest(sorted(a), sorted(b));
    expect(t.statistic).toBeCloseTo(0.5333333333333333, 12);
    expect(t.pvalue).toBeCloseTo(0.029668899772547632, 10);
    expect(t.method).toBe('exact');
  });

  it('equal sizes, exact p-value (15 vs 15 and 40 vs 40 with ties)', () => {
    const t = ksTest(sorted(a), sorted(c));
    expect(t.statistic).toBeCloseTo(0.26666666666666666, 12);
    expect(t.pvalue).toBeCloseTo(0.6781382270680966, 10);
    const t2 = ksTest(sorted(u), sorted(v));
    expect(t2.statistic).toBeCloseTo(0.125, 12);
    expect(t2.pvalue).toBeCloseTo(0.9188052214121167, 10);
  });

  it('300 vs 250 values with ties: exact like scipy auto, asymptotic = kstwobign', () => {
    const t = ksTest(sorted(x), sorted(y));
    expect(t.statistic).toBeCloseTo(0.05, 12);
    expect(t.pvalue).toBeCloseTo(0.8667727971490043, 9);
    const asymp = ksPValue(t.statistic, 300, 250, 'asymp');
    expect(asymp.method).toBe('asymp');
    expect(asymp.pvalue).toBeCloseTo(0.8848876530440944, 9);
    // scipy's own method='asymp' (finite-n kstwo) gives 0.86873: within 0.02 of the limiting form.
    expect(Math.abs(asymp.pvalue - 0.8687299855787326)).toBeLessThan(0.02);
  });

  it('auto switches to the asymptotic form above 10,000 values per side', () => {
    expect(ksPValue(0.01, 20_000, 15_000).method).toBe('asymp');
    expect(ksPValue(0.01, 10_000, 9_000).method).toBe('exact');
  });

  it('Kolmogorov survival function matches scipy.stats.kstwobign.sf on both series branches', () => {
    const expected: Array<[number, number]> = [
      [0.3, 0.9999906941986655],
      [0.8, 0.5441424115741981],
      [1.0, 0.26999967167735456],
      [1.18, 0.1234538094297657],
      [1.5, 0.022217962616525127],
      [2.5, 7.453306344157342e-6],
    ];
    for (const [z, p] of expected) expect(kolmogorovSf(z)).toBeCloseTo(p, 12);
    expect(kolmogorovSf(0)).toBe(1);
  });

  it('KSComplement is 1 for identical samples and 1 − D otherwise', () => {
    expect(ksComplement(sorted(a), sorted([...a].reverse()))).toBe(1);
    expect(ksComplement(sorted(a), sorted(b))).toBeCloseTo(1 - 0.5333333333333333, 12);
    expect(ksComplement(sorted([1, 2]), sorted([10, 20]))).toBe(0);
  });

  it('drops missing values before comparing', () => {
    const withNaN = sortedPresent(Float64Array.from([...a, NaN, NaN]));
    expect(withNaN.length).toBe(a.length);
    expect(ksComplement(withNaN, sorted(a))).toBe(1);
  });
});
