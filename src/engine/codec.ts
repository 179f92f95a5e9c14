import { csvFormat } from 'd3-dsv';
import type { Row } from './rows.js';
import type { StorageFormat } from './definitions.js';

/** True when a value is a non-empty array of plain objects: stored as rows (JSONL + CSV). */
export function isRowArray(value: unknown): value is Row[] {
  return Array.isArray(value) && value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype);
}

/** Serializes rows as JSONL: one JSON object per line, keys in the row's own order, final newline. */
export function encodeJsonl(rows: readonly Row[]): string {
  let out = '';
  for (const row of rows) out += JSON.stringify(row) + '\n';
  return out;
}

export function decodeJsonl(text: string): Row[] {
  const rows: Row[] = [];
  for (const line of text.split('\n')) if (line) rows.push(JSON.parse(line) as Row);
  return rows;
}

/** Column names of a set of rows, in first-seen order. */
function columnsOf(rows: readonly Row[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) seen.add(k);
  return [...seen];
}

/** CSV (RFC 4180) with a header row; nested values (arrays, objects) are written as JSON text. */
export function encodeCsv(rows: readonly Row[]): string {
  const columns = columnsOf(rows);
  const flat = rows.map((row) => {
    const out: Record<string, string> = {};
    for (const c of columns) {
      const v = row[c];
      out[c] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    return out;
  });
  return csvFormat(flat, columns) + '\n';
}

/** Encodes an asset value in its storage format. */
export function encodeValue(value: unknown, format: StorageFormat): string {
  return format === 'jsonl' ? encodeJsonl(value as Row[]) : JSON.stringify(value, null, 2) + '\n';
}

export function decodeValue(text: string, format: StorageFormat): unknown {
  return format === 'jsonl' ? decodeJsonl(text) : JSON.parse(text);
}
