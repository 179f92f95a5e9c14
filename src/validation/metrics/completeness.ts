import type { Row } from '../../engine/index.js';
import { isMissing, keysOf } from './column-kinds.js';

export interface ColumnCompleteness {
  column: string;
  /** Rows where the value is null, undefined, NaN or the key is absent. */
  missing: number;
  null_rate: number;
}

export interface Completeness {
  total: number;
  columns: ColumnCompleteness[];
  /** Share of rows with no missing value in the listed columns; 1 for an empty input. */
  complete_rate: number;
}

/**
 * Null rate per column. Columns default to every key seen in any row (an absent key counts as missing).
 * @example completeness(rows, ['price', 'name'])
 */
export function completeness(rows: readonly Row[], columns?: readonly string[]): Completeness {
  const cols = columns ?? keysOf(rows);
  const incomplete = new Uint8Array(rows.length);
  const out = cols.map((column) => {
    let missing = 0;
    for (let i = 0; i < rows.length; i++) {
      if (isMissing(rows[i][column])) {
        missing++;
        incomplete[i] = 1;
      }
    }
    return { column, missing, null_rate: rows.length ? missing / rows.length : 0 };
  });
  let bad = 0;
  for (let i = 0; i < incomplete.length; i++) bad += incomplete[i];
  return { total: rows.length, columns: out, complete_rate: rows.length ? 1 - bad / rows.length : 1 };
}
