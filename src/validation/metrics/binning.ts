import type * as SimpleStatistics from 'simple-statistics';
import { lazyPackage, upperBound } from '../../engine/index.js';

const simpleStatistics = lazyPackage<typeof SimpleStatistics>('simple-statistics');

/*
 * Bin edges are the interior cut points e_1 < … < e_k; bin i holds e_i ≤ x < e_{i+1}
 * (bin 0 is everything below e_1, bin k everything from e_k up), so values outside the
 * reference's range still land in the first or last bin.
 */

/** Interior edges at the reference's quantiles 1/bins … (bins−1)/bins (numpy's linear rule), ties merged. */
export function quantileEdges(sortedReference: Float64Array, bins: number): Float64Array {
  if (sortedReference.length === 0 || bins < 2) return new Float64Array(0);
  const edges: number[] = [];
  // simple-statistics reads only `.length` and indexes, so a typed array is fine.
  const data = sortedReference as unknown as number[];
  const { quantileSorted } = simpleStatistics();
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(data, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return Float64Array.from(edges);
}

/** Interior edges of `bins` equal-width bins over [min, max] of the reference (numpy histogram_bin_edges). */
export function equalWidthEdges(sortedReference: Float64Array, bins: number): Float64Array {
  const n = sortedReference.length;
  if (n === 0 || bins < 2) return new Float64Array(0);
  const lo = sortedReference[0];
  const hi = sortedReference[n - 1];
  if (hi === lo) return Float64Array.of(lo);
  const out = new Float64Array(bins - 1);
  for (let i = 1; i < bins; i++) out[i - 1] = lo + ((hi - lo) * i) / bins;
  return out;
}

/** Bin of x: number of edges ≤ x. */
export const binOf: (edges: Float64Array, x: number) => number = upperBound;

/** Row-aligned bin codes of a numeric column (-1 for NaN), for joint tables. */
export function binCodes(values: Float64Array, edges: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number.isNaN(values[i]) ? -1 : binOf(edges, values[i]);
  return out;
}

/** Counts per bin of an ascending array, by binary search on each edge: O(bins · log n). */
export function binCountsSorted(sorted: Float64Array, edges: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let prev = 0;
  for (let i = 0; i < edges.length; i++) {
    const below = lowerBound(sorted, edges[i]);
    counts[i] = below - prev;
    prev = below;
  }
  counts[edges.length] = sorted.length - prev;
  return counts;
}

/** Number of elements < x in an ascending array. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
