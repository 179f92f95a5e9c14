import { looksLikeIdentifier, MAX_SMALL_CATEGORIES, parseDateText, type Row } from '../../engine/index.js';

/** How a column is compared: by its empirical distribution (numeric) or by category shares. */
export const ColumnKind = { numeric: 'numeric', categorical: 'categorical' } as const;
export type ColumnKind = (typeof ColumnKind)[keyof typeof ColumnKind];

/** null, undefined and NaN are "missing" everywhere in the metrics: they are dropped, never counted as a value. */
export function isMissing(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value));
}

export interface ColumnKindOptions {
  /**
   * Columns to type. Default: every key seen in the first `sampleSize` rows.
   * @example ['price', 'category']
   */
  columns?: readonly string[];
  /**
   * Forced kinds, e.g. a small integer code that should be compared as categories.
   * Default: none. @example { rating: 'categorical' }
   */
  overrides?: Readonly<Record<string, ColumnKind>>;
  /**
   * How many leading rows are inspected to decide kinds (keeps typing O(1) on huge inputs).
   * Default 10000.
   */
  sampleSize?: number;
  /**
   * Identifier, name and free-text columns (text whose values rarely repeat, see
   * `looksLikeIdentifier`): 'skip' leaves them out (their shapes and pairs say nothing about realism: every value
   * differs), 'keep' compares them as categories. Default 'skip'.
   */
  identifiers?: 'skip' | 'keep';
}

/** A column left out of the comparison, and why. */
export interface SkippedColumn {
  column: string;
  why: string;
}

/**
 * Decides the kind of each column from the data. The rule is deliberately simple:
 * - numeric: every non-missing value is a finite number or a Date (compared as epoch ms),
 *   including low-cardinality integers (override them to `categorical` if they are codes);
 * - categorical: strings, booleans, or a mix of scalars;
 * - left out: columns holding arrays or objects (no meaningful shape metric), and columns with
 *   no non-missing value at all.
 */
export function inferColumnKinds(rows: readonly Row[], options: ColumnKindOptions = {}): Record<string, ColumnKind> {
  return classifyColumns(rows, options).kinds;
}

/**
 * {@link inferColumnKinds}, plus the columns it leaves out as identifiers or free text. Text that
 * reads as ISO dates (`2012-01-01`, `2012-01-01T10:30:00Z`) is numeric, as epoch milliseconds.
 */
export function classifyColumns(rows: readonly Row[], options: ColumnKindOptions = {}): { kinds: Record<string, ColumnKind>; skipped: SkippedColumn[] } {
  const limit = Math.min(rows.length, options.sampleSize ?? 10_000);
  const columns = options.columns ?? keysOf(rows, limit);
  const kinds: Record<string, ColumnKind> = {};
  const skipped: SkippedColumn[] = [];
  for (const column of columns) {
    const forced = options.overrides?.[column];
    if (forced) {
      kinds[column] = forced;
      continue;
    }
    let seen = 0;
    let numeric = true;
    let dates = true;
    let nested = false;
    const distinct = new Set<unknown>();
    for (let i = 0; i < limit; i++) {
      const v = rows[i][column];
      if (isMissing(v)) continue;
      seen++;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) numeric = false;
        dates = false;
      } else if (v instanceof Date) {
        // numeric as epoch milliseconds
      } else if (typeof v === 'object') {
        nested = true;
        break;
      } else {
        numeric = false;
        if (dates && (typeof v !== 'string' || parseDateText(v) === undefined)) dates = false;
        distinct.add(v);
      }
    }
    if (!seen || nested) continue;
    if (numeric || dates) {
      kinds[column] = ColumnKind.numeric;
      continue;
    }
    // A handful of values is always compared (small test batches are not identifiers).
    if ((options.identifiers ?? 'skip') === 'skip' && distinct.size > MAX_SMALL_CATEGORIES && looksLikeIdentifier(distinct.size, seen)) {
      skipped.push({ column, why: `identifier or free text: ${distinct.size} distinct values in ${seen} rows, so its shape and pairs cannot be compared as categories` });
      continue;
    }
    kinds[column] = ColumnKind.categorical;
  }
  return { kinds, skipped };
}

/** Every key of the first `limit` rows, in first-seen order. */
export function keysOf(rows: readonly Row[], limit = rows.length): string[] {
  const keys = new Set<string>();
  for (let i = 0; i < Math.min(limit, rows.length); i++) for (const k in rows[i]) keys.add(k);
  return [...keys];
}
