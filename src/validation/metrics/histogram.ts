import { type Row, parseDateText } from '../../engine/index.js';
import { binCountsSorted } from './binning.js';
import { isMissing } from './column-kinds.js';
import type { ComparedColumn } from './column-table.js';

/** Bins of the histograms a report stores for its charts. */
export const HISTOGRAM_BINS = 20;

/**
 * A numeric column of both sides cut into the same equal-width bins over their joint range, as
 * shares of each side's present values: what the real-vs-synthetic and live-vs-synthetic charts
 * draw. Only for reading; no score is computed from it.
 */
export interface ColumnHistogram {
  /** `bins + 1` bin boundaries, ascending (epoch ms for dates). */
  edges: number[];
  /** Share of the reference side's present values in each bin (sums to 1, or all 0 when none). */
  reference: number[];
  /** The same for the current (synthetic / target) side. */
  current: number[];
  /** The values are dates (epoch ms), so charts draw a time axis. */
  date: boolean;
}

/** Equal-width histograms of a numeric compared column; undefined for categorical or empty columns. */
export function columnHistogram(c: ComparedColumn, date: boolean, bins = HISTOGRAM_BINS): ColumnHistogram | undefined {
  if (c.kind !== 'numeric') return undefined;
  const r = c.referenceSorted;
  const s = c.currentSorted;
  if (r.length + s.length === 0) return undefined;
  const lo = Math.min(r.length ? r[0] : Infinity, s.length ? s[0] : Infinity);
  const hi = Math.max(r.length ? r[r.length - 1] : -Infinity, s.length ? s[s.length - 1] : -Infinity);
  // A constant column still gets one visible bar: a unit-wide bin around the value.
  const [from, to] = hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? to : from + ((to - from) * i) / bins));
  const interior = Float64Array.from(edges.slice(1, -1));
  const shares = (sorted: Float64Array) => {
    const counts = binCountsSorted(sorted, interior);
    return Array.from(counts, (n) => (sorted.length ? n / sorted.length : 0));
  };
  return { edges, reference: shares(r), current: shares(s), date };
}

/** Whether a column holds dates (Date values or date text), judged on its first present value. */
export function isDateColumn(rows: readonly Row[], column: string): boolean {
  for (const row of rows) {
    const v = row[column];
    if (isMissing(v)) continue;
    return v instanceof Date || (typeof v === 'string' && parseDateText(v) !== undefined);
  }
  return false;
}
