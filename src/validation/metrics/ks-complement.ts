import { ksPValue, type KsMethod } from './kolmogorov.js';

/**
 * Two-sample Kolmogorov–Smirnov statistic D = max_x |F_a(x) − F_b(x)| over two ascending
 * arrays of present values (missing values already dropped). One merge pass, O(n + m).
 */
export function ksStatistic(sortedA: Float64Array, sortedB: Float64Array): number {
  const n = sortedA.length;
  const m = sortedB.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const x = sortedA[i] <= sortedB[j] ? sortedA[i] : sortedB[j];
    while (i < n && sortedA[i] <= x) i++;
    while (j < m && sortedB[j] <= x) j++;
    const diff = Math.abs(i / n - j / m);
    if (diff > d) d = diff;
  }
  return d;
}

export interface KsTestResult {
  /** D, the largest gap between the two empirical CDFs. */
  statistic: number;
  /** Two-sided p-value (see kolmogorov.ts for the methods). */
  pvalue: number;
  /** The method actually used. */
  method: 'exact' | 'asymp';
}

/** KS test on two ascending arrays of present values. Both must be non-empty. */
export function ksTest(sortedA: Float64Array, sortedB: Float64Array, method: KsMethod = 'auto'): KsTestResult {
  const statistic = ksStatistic(sortedA, sortedB);
  return { statistic, ...ksPValue(statistic, sortedA.length, sortedB.length, method) };
}

/** SDMetrics' KSComplement: 1 − D (1 = same distribution). NaN when a side has no values. */
export function ksComplement(sortedReal: Float64Array, sortedSynthetic: Float64Array): number {
  return 1 - ksStatistic(sortedReal, sortedSynthetic);
}
