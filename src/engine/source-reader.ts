import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type * as CsvParse from 'csv-parse';
import type { CsvError } from 'csv-parse';
import { lazyPackage } from './lazy-package.js';

const csvParse = lazyPackage<typeof CsvParse>('csv-parse');
import { UsageError } from './errors.js';
import type { Row, RowSchema } from './rows.js';

/** What to do with a malformed line of a CSV/TSV/JSONL source: fail the run (default) or skip it and count it. */
export const OnBadLine = { error: 'error', skip: 'skip' } as const;
export type OnBadLine = (typeof OnBadLine)[keyof typeof OnBadLine];

/** How source files are read. */
export interface SourceReadOptions {
  /** See {@link OnBadLine}. Default 'error'. */
  onBadLine?: OnBadLine;
  /** Declared row schema: decides how CSV text is typed. Default: the safe inference of {@link typeCsvColumns}. */
  schema?: RowSchema;
}

/** A line left out under `onBadLine: 'skip'`. */
export interface SkippedLine {
  file: string;
  line: number;
  why: string;
}

/** A source file whose content is malformed (unbalanced quote, wrong field count, bad JSON line...). Exit 2. */
export class SourceDataError extends UsageError {}

/** Largest JSON array file read whole (JSONL and CSV are streamed, so they have no such limit). */
const MAX_JSON_BYTES = 512 * 1024 * 1024;
/** Longest CSV field / JSONL line: a runaway quote stops here instead of swallowing the file. */
const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rows of one source file, strictly: a malformed line stops the read with its
 * file:line (exit 2) unless `onBadLine` is 'skip', which drops it and records it in `skipped`.
 * CSV and TSV keep their text (see {@link typeCsvColumns}); BOMs and CRLF line ends are handled;
 * CSV, TSV and JSONL are streamed, so memory holds the rows but never the whole file text.
 */
export async function readSourceFile(file: string, options: SourceReadOptions, skipped: SkippedLine[]): Promise<Row[]> {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.tab')) {
    const text = await readDelimited(file, lower.endsWith('.csv') ? ',' : '\t', options.onBadLine ?? 'error', skipped);
    return typeCsvColumns(text.rows, options.schema, file, text.lines);
  }
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return readJsonl(file, options.onBadLine ?? 'error', skipped);
  return readJsonArray(file);
}

/** CSV/TSV cells as text, with the file line each record ends on. */
interface TextRows {
  rows: Record<string, string>[];
  lines: number[];
}

async function readDelimited(file: string, delimiter: string, onBadLine: OnBadLine, skipped: SkippedLine[]): Promise<TextRows> {
  const out: TextRows = { rows: [], lines: [] };
  // Set synchronously as the parser accepts records (the iterator below lags behind it).
  let lastLine = 1;
  const parser = createReadStream(file).pipe(
    csvParse().parse({
      bom: true,
      delimiter,
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        // A column named like an object's prototype would not survive as a row key.
        const bad = names.find((h) => h === '__proto__');
        if (bad !== undefined)
          throw new SourceDataError({
            what: `The header of ${file} names a column "${bad}".`,
            why: 'That name is reserved by JavaScript objects, so its values would be lost.',
            fix: 'Rename the column.',
            file,
            line: 1,
          });
        return names;
      },
      max_record_size: MAX_RECORD_BYTES,
      skip_empty_lines: true,
      skip_records_with_error: onBadLine === 'skip',
      on_record: (record: Record<string, string>, context: { lines: number }) => {
        lastLine = context.lines;
        return { record, line: context.lines };
      },
    }),
  );
  let swallowed: CsvError | undefined;
  parser.on('skip', (err: CsvError) => {
    // An unclosed quote swallows every line after it: never a line to skip quietly.
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') swallowed = err;
    else skipped.push({ file, line: recordLine(err, lastLine), why: describe(err) });
  });
  try {
    for await (const { record, line } of parser as AsyncIterable<{ record: Record<string, string>; line: number }>) {
      out.rows.push(record);
      out.lines.push(line);
    }
  } catch (err) {
    if (err instanceof SourceDataError) throw err;
    throw badLine(file, err as CsvError, lastLine);
  }
  if (swallowed) throw badLine(file, swallowed, lastLine);
  return out;
}

/** The line where the bad record starts: after the last good record for an unclosed quote, else the parser's line. */
function recordLine(err: CsvError, lastGoodLine: number): number {
  if (err.code === 'CSV_QUOTE_NOT_CLOSED') return lastGoodLine + 1;
  return typeof err.lines === 'number' ? err.lines : lastGoodLine + 1;
}

function describe(err: CsvError): string {
  const e = err as CsvError & { record?: unknown[] };
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened on this line is never closed, so the rest of the file would be read as one field';
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `a quoted field is closed and then followed by more text (${err.message.replace(/ at line \d+.*$/, '')}); an unbalanced quote usually starts on this line or the one before`;
    case 'CSV_RECORD_INCONSISTENT_COLUMNS':
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const got = Array.isArray(e.record) ? e.record.length : undefined;
      return got !== undefined ? `the line has ${got} field(s) where the header has ${(err as { columns?: unknown[] }).columns?.length ?? 'another number of'}` : err.message;
    }
    case 'CSV_MAX_RECORD_SIZE':
      return `a field is longer than ${MAX_RECORD_BYTES} bytes (usually an unbalanced quote swallowing the lines after it)`;
    default:
      return err.message;
  }
}

function badLine(file: string, err: CsvError, lastGoodLine: number): SourceDataError {
  const line = recordLine(err, lastGoodLine);
  return new SourceDataError({
    what: `Malformed line ${line} in ${file}: ${describe(err)}.`,
    why: 'A source is read strictly, so that a broken file never loads as fewer or shifted rows.',
    fix: "Fix the line (quote fields that hold the delimiter, double quotes inside quotes), or set onBadLine: 'skip' on the source to leave malformed lines out (they are counted in a warning).",
    file,
    line,
    cause: err,
  });
}

async function readJsonl(file: string, onBadLine: OnBadLine, skipped: SkippedLine[]): Promise<Row[]> {
  const rows: Row[] = [];
  let line = 0;
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const raw of lines) {
    line++;
    const text = (line === 1 ? raw.replace(/^\uFEFF/, '') : raw).trim();
    if (!text) continue;
    let why: string | undefined;
    let value: unknown;
    if (text.length > MAX_RECORD_BYTES) why = `the line is longer than ${MAX_RECORD_BYTES} characters`;
    else {
      try {
        value = JSON.parse(text);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) why = 'the line is not a JSON object';
      } catch (err) {
        why = `invalid JSON (${(err as Error).message})`;
      }
    }
    if (why === undefined) rows.push(value as Row);
    else if (onBadLine === 'skip') skipped.push({ file, line, why });
    else {
      lines.close();
      throw new SourceDataError({
        what: `Malformed line ${line} in ${file}: ${why}.`,
        why: 'A JSONL source holds one JSON object per line.',
        fix: "Fix the line, or set onBadLine: 'skip' on the source to leave malformed lines out.",
        file,
        line,
      });
    }
  }
  return rows;
}

function readJsonArray(file: string): Row[] {
  const size = statSync(file).size;
  if (size > MAX_JSON_BYTES) {
    throw new SourceDataError({
      what: `${file} is ${Math.round(size / 2 ** 20)} MiB, more than the ${MAX_JSON_BYTES / 2 ** 20} MiB a JSON array source may hold.`,
      why: 'A JSON array is parsed whole in memory.',
      fix: 'Write the rows as JSONL or CSV, which are streamed.',
      file,
    });
  }
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n').length : undefined;
    throw new SourceDataError({
      what: `${file}${line ? ` line ${line}` : ''} is not valid JSON: ${(err as Error).message}.`,
      fix: 'Source files must be CSV/TSV with a header, JSONL, or a JSON array of objects.',
      file,
      line,
    });
  }
  if (!Array.isArray(value) || value.some((r) => r === null || typeof r !== 'object' || Array.isArray(r))) {
    throw new SourceDataError({
      what: `${file} is not a JSON array of records.`,
      fix: 'Source files must be CSV/TSV with a header, JSONL, or a JSON array of objects.',
      file,
    });
  }
  return value as Row[];
}

/** A number written the canonical way: no leading zero (except "0" / "0.x"), no "+", no spaces. */
const CANONICAL_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

type ColumnType = 'number' | 'boolean' | 'string';

/**
 * Types CSV text per column, losslessly. With a schema, a column is a number or boolean only if
 * the schema says so (a cell that is not one is a bad line, file:line named). Without one, a
 * column becomes numbers only when every cell is a canonical number (so "01234" keeps its zero)
 * and booleans only when every cell is true/false; dates and everything else stay text.
 * Empty cells are null.
 */
export function typeCsvColumns(rows: Record<string, string>[], schema: RowSchema | undefined, file: string, lines?: readonly number[]): Row[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]);
  const types = new Map<string, ColumnType>();
  for (const column of columns) {
    const declared = schema ? declaredType(schema.shape[column]) : undefined;
    if (declared) types.set(column, declared);
    else if (schema && column in schema.shape) types.set(column, 'string');
    else {
      let numeric = true;
      let boolean = true;
      for (const row of rows) {
        const v = row[column];
        if (v === '') continue;
        if (numeric && !CANONICAL_NUMBER.test(v)) numeric = false;
        if (boolean && v !== 'true' && v !== 'false') boolean = false;
        if (!numeric && !boolean) break;
      }
      types.set(column, numeric ? 'number' : boolean ? 'boolean' : 'string');
    }
  }
  return rows.map((text, i) => {
    const row: Row = {};
    for (const column of columns) {
      const v = text[column];
      const type = types.get(column)!;
      if (v === '' || v === undefined) row[column] = null;
      else if (type === 'string') row[column] = v;
      else if (type === 'boolean') {
        if (v !== 'true' && v !== 'false') throw cellError(file, lines?.[i], column, v, 'true or false');
        row[column] = v === 'true';
      } else {
        const n = Number(v.trim());
        if (v.trim() === '' || !Number.isFinite(n)) throw cellError(file, lines?.[i], column, v, 'a number');
        row[column] = n;
      }
    }
    return row;
  });
}

function cellError(file: string, line: number | undefined, column: string, value: string, expected: string): SourceDataError {
  return new SourceDataError({
    what: `${line !== undefined ? `Line ${line} of ` : ''}${file}: column "${column}" holds ${JSON.stringify(value.slice(0, 40))}, not ${expected}.`,
    why: `The source's schema declares "${column}" as ${expected === 'a number' ? 'a number' : 'a boolean'}.`,
    fix: 'Fix the value, or declare the column as a string (or nullable with an empty cell).',
    file,
    line,
  });
}

/** number/boolean when a zod field (through optional/nullable/default wrappers) is one. */
function declaredType(field: unknown): ColumnType | undefined {
  let node = field as { _zod?: { def: { type: string; innerType?: unknown; in?: unknown } } } | undefined;
  for (let depth = 0; node?._zod && depth < 16; depth++) {
    const def = node._zod.def;
    if (def.type === 'number' || def.type === 'int' || def.type === 'bigint') return 'number';
    if (def.type === 'boolean') return 'boolean';
    if (def.type === 'pipe') node = def.in as typeof node;
    else if (def.innerType !== undefined) node = def.innerType as typeof node;
    else return undefined;
  }
  return undefined;
}
