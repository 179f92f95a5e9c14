import type * as SimpleStatistics from 'simple-statistics';
import { lazyPackage } from '../../engine/index.js';

const simpleStatistics = lazyPackage<typeof SimpleStatistics>('simple-statistics');
import type { Prng } from './prng.js';

/**
 * A column's own distribution, for a Gaussian copula on ranks: reference values become normal
 * scores (so the multivariate normal models their dependence, not their shape), and a drawn
 * score goes back through the reference's quantile function. Discrete columns come back as
 * values the reference holds (no 7 in a column of {3, 4, 5, 6, 8}); continuous ones are
 * interpolated between neighbouring reference values, so a skewed, zero-inflated or bounded
 * column keeps its shape and range.
 */
export class EmpiricalMarginal {
  /** Reference values, ascending. */
  private readonly sorted: Float64Array;
  /** First and last index in `sorted` of each distinct value (its block of tied ranks). */
  private readonly blocks = new Map<number, [number, number]>();

  constructor(
    values: readonly number[],
    /** True: only values the reference holds; false: interpolated between them. */
    readonly discrete: boolean,
  ) {
    this.sorted = Float64Array.from(values).sort();
    const n = this.sorted.length;
    for (let i = 0; i < n;) {
      let j = i;
      while (j + 1 < n && this.sorted[j + 1] === this.sorted[i]) j++;
      this.blocks.set(this.sorted[i], [i, j]);
      i = j + 1;
    }
  }

  /** The normal score of a reference value (its mid-rank: tied values share one score). */
  score(value: number): number {
    const block = this.blocks.get(value);
    if (!block) return 0;
    return simpleStatistics().probit((block[0] + block[1] + 2) / 2 / (this.sorted.length + 1));
  }

  /** The value at normal score `z`. */
  valueAt(z: number): number {
    const n = this.sorted.length;
    const u = 0.5 * (1 + simpleStatistics().errorFunction(z / Math.SQRT2));
    if (this.discrete) return this.sorted[Math.min(n - 1, Math.max(0, Math.floor(u * n)))];
    // Linear interpolation of the quantile function at plotting positions i/(n+1).
    const pos = u * (n + 1) - 1;
    if (pos <= 0) return this.sorted[0];
    if (pos >= n - 1) return this.sorted[n - 1];
    const i = Math.floor(pos);
    return this.sorted[i] + (pos - i) * (this.sorted[i + 1] - this.sorted[i]);
  }

  /** A reference value that `admits` accepts, uniformly over the rows; undefined when none does. */
  pickAdmitted(rng: Prng, admits: (x: number) => boolean): number | undefined {
    const start = rng.int(0, this.sorted.length - 1);
    for (let k = 0; k < this.sorted.length; k++) {
      const x = this.sorted[(start + k) % this.sorted.length];
      if (admits(x)) return x;
    }
    return undefined;
  }

  /** Distinct values. */
  get support(): number {
    return this.blocks.size;
  }
}

/** Sample skewness (Fisher-Pearson, biased), 0 for fewer than 3 values or no spread. */
export function skewness(values: readonly number[]): number {
  const n = values.length;
  if (n < 3) return 0;
  let mean = 0;
  for (const v of values) mean += v / n;
  let m2 = 0;
  let m3 = 0;
  for (const v of values) {
    const d = v - mean;
    m2 += (d * d) / n;
    m3 += (d * d * d) / n;
  }
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}
