import type { Row } from '../../engine/index.js';

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
  const limit = Math.min(rows.length, options.sampleSize ?? 10_000);
  const columns = options.columns ?? keysOf(rows, limit);
  const kinds: Record<string, ColumnKind> = {};
  for (const column of columns) {
    const forced = options.overrides?.[column];
    if (forced) {
      kinds[column] = forced;
      continue;
    }
    let seen = false;
    let numeric = true;
    let nested = false;
    for (let i = 0; i < limit; i++) {
      const v = rows[i][column];
      if (isMissing(v)) continue;
      seen = true;
      if (typeof v === 'number') {
        if (!Number.isFinite(v)) numeric = false;
      } else if (v instanceof Date) {
        // numeric as epoch milliseconds
      } else if (typeof v === 'object') {
        nested = true;
        break;
      } else {
        numeric = false;
      }
    }
    if (!seen || nested) continue;
    kinds[column] = numeric ? ColumnKind.numeric : ColumnKind.categorical;
  }
  return kinds;
}

/** Every key of the first `limit` rows, in first-seen order. */
export function keysOf(rows: readonly Row[], limit = rows.length): string[] {
  const keys = new Set<string>();
  for (let i = 0; i < Math.min(limit, rows.length); i++) for (const k in rows[i]) keys.add(k);
  return [...keys];
}
