import { hash } from 'node:crypto';
import { type Row, canonicalJson } from '../../engine/index.js';
import { isMissing } from './column-kinds.js';

export interface DuplicateRows {
  total: number;
  /** Rows equal (canonical JSON: key order ignored) to an earlier row. */
  duplicates: number;
  duplicate_rate: number;
  /** First duplicate pairs as [earlier index, duplicate index]. */
  examples: Array<[number, number]>;
}

/**
 * Exact duplicate rows, comparing canonical JSON so that key order does not matter.
 * Rows are remembered by a SHA-1 of their canonical JSON (27 characters) rather than the JSON
 * itself, which keeps a million wide rows in a few hundred MB instead of gigabytes.
 */
export function duplicateRows(rows: readonly Row[], maxExamples = 5): DuplicateRows {
  const seen = new Map<string, number>();
  let duplicates = 0;
  const examples: Array<[number, number]> = [];
  for (let i = 0; i < rows.length; i++) {
    const key = hash('sha1', canonicalJson(rows[i]), 'base64');
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      duplicates++;
      if (examples.length < maxExamples) examples.push([first, i]);
    }
  }
  return { total: rows.length, duplicates, duplicate_rate: rows.length ? duplicates / rows.length : 0, examples };
}

export interface KeyUniqueness {
  /** The key's columns (one for a simple key, several for a composite key). */
  key: string[];
  /** Distinct non-missing key values. */
  distinct: number;
  /** Rows whose key value appeared in an earlier row. */
  duplicates: number;
  /** Rows with a missing value in some key column (a key must be present). */
  missing: number;
  /** No duplicate and no missing value. */
  unique: boolean;
  /** First duplicated key values (as JSON). */
  examples: string[];
}

/**
 * Uniqueness of declared key columns.
 * @param keys each entry is a column name or a list of columns forming a composite key.
 * @example keyUniqueness(rows, ['id', ['order_id', 'line']])
 */
export function keyUniqueness(rows: readonly Row[], keys: ReadonlyArray<string | readonly string[]>, maxExamples = 5): KeyUniqueness[] {
  return keys.map((k) => {
    const cols = typeof k === 'string' ? [k] : [...k];
    const seen = new Set<unknown>();
    let duplicates = 0;
    let missing = 0;
    const examples: string[] = [];
    for (const row of rows) {
      if (cols.some((c) => isMissing(row[c]))) {
        missing++;
        continue;
      }
      // A lone scalar key is its own identity; composite keys need one string.
      const v = cols.length === 1 && typeof row[cols[0]] !== 'object' ? row[cols[0]] : canonicalJson(cols.map((c) => row[c]));
      if (seen.has(v)) {
        duplicates++;
        if (examples.length < maxExamples) examples.push(typeof v === 'string' && cols.length > 1 ? v : JSON.stringify(v));
      } else seen.add(v);
    }
    return { key: cols, distinct: seen.size, duplicates, missing, unique: duplicates === 0 && missing === 0, examples };
  });
}
