import { type Row, canonicalJson, parseDateText } from '../../engine/index.js';
import { isMissing } from './column-kinds.js';

/*
 * Columnar views of row arrays. Every metric works on these typed arrays instead of the
 * row objects, so a column is read from the rows once and sorted at most once.
 */

/** A numeric column, row-aligned: NaN marks a missing value. Dates become epoch ms. */
export function numericColumn(rows: readonly Row[], column: string): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i][column];
    out[i] = typeof v === 'number' ? v : v instanceof Date ? v.getTime() : typeof v === 'string' ? (parseDateText(v) ?? NaN) : NaN;
  }
  return out;
}

/** The non-missing values of a row-aligned numeric column, ascending (a fresh array). */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) out[k++] = values[i];
  return out.sort();
}

/**
 * Category codes shared by the two sides of a comparison, so that code 3 means the same
 * category in the real and the synthetic data. Values are keyed by identity of the scalar
 * (so `true` and `"true"` stay distinct); objects by their canonical JSON.
 */
export class CategoryDictionary {
  private readonly index = new Map<unknown, number>();
  /** Display label of each code. */
  readonly labels: string[] = [];

  /** The code of a value, adding it when new; -1 for a missing value. */
  code(value: unknown): number {
    if (isMissing(value)) return -1;
    const json = typeof value === 'object' ? canonicalJson(value) : undefined;
    const key = json === undefined ? value : 'json:' + json;
    let c = this.index.get(key);
    if (c === undefined) {
      c = this.labels.length;
      this.index.set(key, c);
      this.labels.push(json ?? String(value));
    }
    return c;
  }

  get size(): number {
    return this.labels.length;
  }
}

/** A categorical column as codes (row-aligned, -1 = missing), extending `dict` with new categories. */
export function categoricalColumn(rows: readonly Row[], column: string, dict: CategoryDictionary): Int32Array {
  const out = new Int32Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = dict.code(rows[i][column]);
  return out;
}

/** Count of each code in 0..size-1 (missing codes ignored). */
export function countCodes(codes: Int32Array, size: number): Float64Array {
  const counts = new Float64Array(size);
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0) counts[c]++;
  }
  return counts;
}

/** Counts divided by their total (all zeros when the total is zero). */
export function toShares(counts: Float64Array): Float64Array {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const out = new Float64Array(counts.length);
  if (total > 0) for (let i = 0; i < counts.length; i++) out[i] = counts[i] / total;
  return out;
}
