import type { ComparedColumn } from './column-table.js';
import { correlation } from './correlation-similarity.js';
import { ksStatistic } from './ks-complement.js';
import { cramersV, jointTable } from './cramers-v.js';
import { meanOfFinite } from './mean.js';

/** SDMetrics 0.32 QualityReport defaults (`sdmetrics/reports/utils.py`). */
export const SDMETRICS_REAL_CORRELATION_THRESHOLD = 0.5;
export const SDMETRICS_REAL_ASSOCIATION_THRESHOLD = 0.3;
/** `np.histogram_bin_edges` default: 10 equal-width bins. */
const BINS = 10;
/** `get_frequencies`: a category only the synthetic data has counts 1e-6 times on the real side. */
const TV_REGULARIZATION = 1e-6;

/** One pair as SDMetrics scores it. */
export interface SdmetricsPair {
  columns: [string, string];
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  /** NaN when SDMetrics gives NaN (constant column, below its threshold...). */
  score: number;
  /** Real Pearson ρ (numeric pairs) or Cramér's V (other pairs). */
  real: number;
  /** Whether the pair counts in the average (SDMetrics' "Meets Threshold?"). */
  counted: boolean;
}

export interface SdmetricsQuality {
  /** nanmean of the two property scores, as `QualityReport.get_score()`. */
  score: number;
  column_shapes: number;
  /** NaN when no pair meets the thresholds. */
  column_pair_trends: number;
  pairs: SdmetricsPair[];
}

/**
 * SDMetrics 0.32's `QualityReport` with its defaults, reproduced exactly on the same columns
 * (numeric = sdtype numerical, categorical = categorical): KSComplement / TVComplement (with its
 * 1e-6 regularization) per column; CorrelationSimilarity (Pearson, rows with both values) for
 * numeric pairs that count only when real |ρ| > 0.5; ContingencySimilarity for the other pairs,
 * counted only when the real Cramér's V > 0.3, where a numeric column is cut into 10 bins **on
 * each side's own min–max** (`np.histogram_bin_edges` + `np.digitize`, so the maximum and a
 * missing value share the top bin) and a missing category is a cell of its own, every row counted.
 * Difference: SDMetrics subsamples categorical pairs above 50,000 rows without a seed; here
 * every row counts.
 */
export function sdmetricsQuality(cols: readonly ComparedColumn[]): SdmetricsQuality {
  const shapes = cols.map(columnShape);
  const pairs: SdmetricsPair[] = [];
  // Cell codes of each column, computed once for all its pairs.
  const codes = new Map<string, Coded>();
  const codedOf = (c: ComparedColumn) => codes.get(c.name) ?? codes.set(c.name, cellCodes(c)).get(c.name)!;
  for (let i = 0; i < cols.length; i++) for (let j = i + 1; j < cols.length; j++) pairs.push(pairTrend(cols[i], cols[j], codedOf));
  const shapeScore = meanOfFinite(shapes);
  const pairScore = meanOfFinite(pairs.filter((p) => p.counted).map((p) => p.score));
  return { score: meanOfFinite([shapeScore, pairScore]), column_shapes: shapeScore, column_pair_trends: pairScore, pairs };
}

function columnShape(c: ComparedColumn): number {
  if (c.kind === 'numeric') {
    if (!c.referenceSorted.length || !c.currentSorted.length) return NaN;
    return 1 - ksStatistic(c.referenceSorted, c.currentSorted);
  }
  let realTotal = 0;
  let synTotal = 0;
  const real = Float64Array.from(c.referenceCounts);
  for (let k = 0; k < real.length; k++) {
    if (c.currentCounts[k] > 0 && real[k] === 0) real[k] = TV_REGULARIZATION;
    realTotal += real[k];
    synTotal += c.currentCounts[k];
  }
  if (realTotal === 0 || synTotal === 0) return NaN;
  let tv = 0;
  for (let k = 0; k < real.length; k++) if (real[k] > 0) tv += Math.abs(c.currentCounts[k] / synTotal - real[k] / realTotal);
  return 1 - 0.5 * tv;
}

function pairTrend(a: ComparedColumn, b: ComparedColumn, codedOf: (c: ComparedColumn) => Coded): SdmetricsPair {
  const columns: [string, string] = [a.name, b.name];
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    const metric = 'CorrelationSimilarity' as const;
    // SDMetrics raises on a constant column (NaN score, not counted).
    if (constant(a.reference) || constant(b.reference) || constant(a.current) || constant(b.current)) return { columns, metric, score: NaN, real: NaN, counted: false };
    const real = correlation(a.reference, b.reference);
    if (!(Math.abs(real) > SDMETRICS_REAL_CORRELATION_THRESHOLD)) return { columns, metric, score: NaN, real, counted: false };
    const syn = correlation(a.current, b.current);
    return { columns, metric, score: Number.isNaN(syn) ? NaN : 1 - Math.abs(real - syn) / 2, real, counted: true };
  }
  const metric = 'ContingencySimilarity' as const;
  const ca = codedOf(a);
  const cb = codedOf(b);
  const p = jointTable(ca.real, cb.real, ca.size, cb.size);
  const real = cramersV(p, cb.size, ca.real.length);
  if (!(real > SDMETRICS_REAL_ASSOCIATION_THRESHOLD)) return { columns, metric, score: NaN, real, counted: false };
  const q = jointTable(ca.syn, cb.syn, ca.size, cb.size);
  const nr = ca.real.length;
  const ns = ca.syn.length;
  let diff = 0;
  for (const [cell, n] of p) diff += Math.abs(n / nr - (q.get(cell) ?? 0) / ns);
  for (const [cell, n] of q) if (!p.has(cell)) diff += n / ns;
  return { columns, metric, score: 1 - diff / 2, real, counted: true };
}

/** Whether every present value is the same (pandas `nunique() == 1`). */
function constant(values: Float64Array): boolean {
  let first = NaN;
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(first)) first = v;
    else if (v !== first) return false;
  }
  return !Number.isNaN(first);
}

/** Per-row cell codes of both sides (0..size-1), missing included. */
interface Coded {
  real: Int32Array;
  syn: Int32Array;
  size: number;
}

/**
 * Per-row cell codes of both sides, missing included: categories by their shared code with
 * missing as one more code; numbers by `np.digitize` on that side's own 10 equal-width bins.
 */
function cellCodes(c: ComparedColumn): Coded {
  if (c.kind === 'categorical') {
    const missing = c.dictionary.size;
    const code = (codes: Int32Array) => codes.map((x) => (x < 0 ? missing : x));
    return { real: code(c.reference), syn: code(c.current), size: missing + 1 };
  }
  return { real: digitize(c.reference, c.referenceSorted), syn: digitize(c.current, c.currentSorted), size: BINS + 2 };
}

/** `np.digitize(x, np.histogram_bin_edges(x.dropna()))`: 1..10, the maximum and NaN in 11. */
function digitize(values: Float64Array, sorted: Float64Array): Int32Array {
  const out = new Int32Array(values.length);
  if (sorted.length === 0) return out.fill(BINS + 1);
  let lo = sorted[0];
  let hi = sorted[sorted.length - 1];
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  // np.linspace: start + i * step, the last edge set to stop.
  const step = (hi - lo) / BINS;
  const edges = new Float64Array(BINS + 1);
  for (let i = 0; i < BINS; i++) edges[i] = i * step + lo;
  edges[BINS] = hi;
  for (let r = 0; r < values.length; r++) {
    const x = values[r];
    if (Number.isNaN(x)) {
      out[r] = BINS + 1;
      continue;
    }
    // Number of edges <= x (searchsorted side='right').
    let k = 0;
    while (k <= BINS && edges[k] <= x) k++;
    out[r] = k;
  }
  return out;
}
