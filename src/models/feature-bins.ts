/**
 * Inputs pre-binned once per training (as LightGBM and scikit-learn's HistGradientBoosting do):
 * each tree node then scores its splits from a histogram of class counts per bin, O(rows + bins)
 * per input instead of a sort, O(rows · log rows).
 */
import { upperBound } from '../engine/index.js';

/** At most this many bins per input (codes fit a byte). */
export const MAX_BINS = 256;

/** One input column as bin codes. */
export interface BinnedColumn {
  /** Bin of each row. */
  codes: Uint8Array;
  /** Number of bins. */
  bins: number;
  /**
   * When the column has at most MAX_BINS distinct values, one bin per value and these are the
   * values (ascending): splits then fall midway between the values present in the node, exactly
   * as an exact CART would place them. Null for a quantile-binned column.
   */
  values: Float64Array | null;
  /** Quantile-binned columns: a row is in a bin ≤ b exactly when x < thresholds[b]. */
  thresholds: Float64Array;
}

/** Bins one column: one bin per distinct value when they are few, else ~equal-count bins. */
export function binColumn(col: Float64Array): BinnedColumn {
  const sorted = Float64Array.from(col).sort();
  const uniques: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) uniques.push(sorted[i]);
  if (uniques.length <= MAX_BINS) {
    const values = Float64Array.from(uniques);
    const thresholds = new Float64Array(Math.max(0, values.length - 1));
    for (let b = 0; b < thresholds.length; b++) thresholds[b] = between(values[b], values[b + 1]);
    return { codes: encode(col, thresholds), bins: values.length, values, thresholds };
  }
  // Upper values of ~equal-count bins, then thresholds midway to the next distinct value.
  const uppers: number[] = [];
  const n = sorted.length;
  for (let j = 1; j < MAX_BINS; j++) {
    const v = sorted[Math.floor((j * n) / MAX_BINS) - 1];
    if (v < uniques[uniques.length - 1] && (uppers.length === 0 || v > uppers[uppers.length - 1])) uppers.push(v);
  }
  const thresholds = Float64Array.from(uppers, (v) => between(v, uniques[upperBound(uniques, v)]));
  return { codes: encode(col, thresholds), bins: thresholds.length + 1, values: null, thresholds };
}

/** The midpoint of two adjacent values, or the upper one when the midpoint rounds down onto the lower. */
export function between(lo: number, hi: number): number {
  const t = (lo + hi) / 2;
  return t > lo ? t : hi;
}

function encode(col: Float64Array, thresholds: Float64Array): Uint8Array {
  const codes = new Uint8Array(col.length);
  // Bin = number of thresholds ≤ x, so x < thresholds[b] ⇔ bin ≤ b.
  for (let i = 0; i < col.length; i++) codes[i] = upperBound(thresholds, col[i]);
  return codes;
}
