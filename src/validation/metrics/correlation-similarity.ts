import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';

/** Correlation coefficient used for numeric pairs. */
export const CorrelationMethod = { pearson: 'pearson', spearman: 'spearman' } as const;
export type CorrelationMethod = (typeof CorrelationMethod)[keyof typeof CorrelationMethod];

/**
 * Correlation of two row-aligned numeric columns over the rows where both are present.
 * NaN with fewer than two such rows or when a column is constant (undefined correlation).
 * Spearman is Pearson on mid-ranks (ties averaged), as scipy.stats.spearmanr.
 */
export function correlation(x: Float64Array, y: Float64Array, method: CorrelationMethod = 'pearson'): number {
  const [a, b] = completePairs(x, y);
  if (a.length < 2) return NaN;
  if (method === 'spearman') {
    // sampleRankCorrelation maps over its input into pairs, which a typed array cannot hold.
    return sampleRankCorrelation(Array.from(a), Array.from(b));
  }
  // simple-statistics only reads `.length` and indexes: a typed array is accepted at run time.
  const r = sampleCorrelation(a as unknown as number[], b as unknown as number[]);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : NaN;
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
