import type * as SimpleStatistics from 'simple-statistics';
import { lazyPackage } from '../../engine/index.js';

const simpleStatistics = lazyPackage<typeof SimpleStatistics>('simple-statistics');

/** Correlation coefficient used for numeric pairs. */
export const CorrelationMethod = { pearson: 'pearson', spearman: 'spearman' } as const;
export type CorrelationMethod = (typeof CorrelationMethod)[keyof typeof CorrelationMethod];

/**
 * Correlation of two row-aligned numeric columns over the rows where both are present.
 * NaN with fewer than two such rows or when a column is constant (undefined correlation).
 * Spearman is Pearson on mid-ranks (ties averaged), as scipy.stats.spearmanr (simple-statistics).
 * Pearson is computed here in two plain passes: simple-statistics' sampleCorrelation makes five
 * compensated passes with per-element type checks, 175 ms per pair on 1M rows against ~5 ms.
 */
export function correlation(x: Float64Array, y: Float64Array, method: CorrelationMethod = 'pearson'): number {
  const [a, b] = completePairs(x, y);
  if (a.length < 2) return NaN;
  if (method === 'spearman') {
    // sampleRankCorrelation maps over its input into pairs, which a typed array cannot hold.
    return simpleStatistics().sampleRankCorrelation(Array.from(a), Array.from(b));
  }
  const r = pearson(a, b);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : NaN;
}

function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  // A constant column gives 0/0 = NaN: the correlation is undefined, not 0.
  return sab / Math.sqrt(saa * sbb);
}

function completePairs(x: Float64Array, y: Float64Array): [Float64Array, Float64Array] {
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) n++;
  if (n === x.length) return [x, y];
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i]) && !Number.isNaN(y[i])) {
      a[k] = x[i];
      b[k++] = y[i];
    }
  }
  return [a, b];
}

export interface CorrelationSimilarity {
  /** 1 − |ρ_real − ρ_syn| / 2, NaN when either correlation is undefined. */
  score: number;
  real: number;
  synthetic: number;
}

/** SDMetrics' CorrelationSimilarity of one numeric pair. */
export function correlationSimilarity(
  real: readonly [Float64Array, Float64Array],
  synthetic: readonly [Float64Array, Float64Array],
  method: CorrelationMethod = 'pearson',
): CorrelationSimilarity {
  const r = correlation(real[0], real[1], method);
  const s = correlation(synthetic[0], synthetic[1], method);
  return { score: 1 - Math.abs(r - s) / 2, real: r, synthetic: s };
}
