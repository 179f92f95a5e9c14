import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as Tinyglobby from 'tinyglobby';
import type * as CsvParseSync from 'csv-parse/sync';
import { lazyPackage } from './lazy-package.js';

const csvParseSync = lazyPackage<typeof CsvParseSync>('csv-parse/sync');
// Only sources declared with a glob need it (and picomatch with it).
const tinyglobby = lazyPackage<typeof Tinyglobby>('tinyglobby');
import type { FileRef } from './definitions.js';
import { SynthError, type SynthErrorInit } from './errors.js';
import { didYouMean } from './option-issues.js';
import type { FileHashMemo } from './file-hash-memo.js';
import { hashJson, sha256 } from './hashing.js';
import type { Row } from './rows.js';
import { readSourceFile, type SkippedLine, type SourceReadOptions } from './source-reader.js';

/** Raised when a source's files can't be found or parsed. */
export class SourceFileError extends SynthError {}

/** The folder of an installed package, walking up `node_modules` folders from `root` as Node does. */
function packageDir(root: string, name: string): string | undefined {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Files below a folder (relative, `/`-separated), skipping nested node_modules; bounded for huge packages. */
function filesBelow(dir: string, limit = 20_000): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= limit) return;
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== 'node_modules' && !e.name.startsWith('.')) walk(child);
      } else out.push(child);
    }
  };
  walk('');
  return out;
}

/** What is wrong with a file reference, or undefined when it names an existing file (globs may match nothing). */
export function sourceRefProblem(root: string, ref: FileRef): SynthErrorInit | undefined {
  if (typeof ref !== 'string') {
    const dir = packageDir(root, ref.package);
    if (!dir) {
      return {
        what: `Package ${ref.package} (of file ${ref.path}) is not installed.`,
        why: `No node_modules/${ref.package} where the project can see it (searched from ${root} upwards).`,
        fix: `npm install ${ref.package}`,
      };
    }
    if (existsSync(path.join(dir, ref.path))) return undefined;
    const near = didYouMean(ref.path.replace(/^\.?\//, ''), filesBelow(dir));
    return {
      what: `No file ${ref.path} in package ${ref.package}.`,
      why: `The package is installed (${path.relative(root, dir) || dir}) but has no such file.`,
      fix: near ? `Did you mean { package: '${ref.package}', path: '${near}' }?` : `Check the path inside the package: ls ${path.relative(root, dir) || dir}`,
    };
  }
  if (isGlob(ref)) return undefined;
  const file = path.resolve(root, ref);
  if (existsSync(file)) return undefined;
  let siblings: string[] = [];
  try {
    siblings = readdirSync(path.dirname(file));
  } catch {
    // The folder is missing too: no suggestion.
  }
  const near = didYouMean(path.basename(file), siblings);
  return {
    what: `Missing file ${ref}.`,
    why: `The source reads ${file}, which does not exist.`,
    fix: near ? `Did you mean '${path.join(path.dirname(ref), near)}'?` : 'Create the file, fix the path, or use a glob (e.g. data/live/*.csv) for a folder that may start empty.',
  };
}

/** Finds a file shipped in an installed package. */
function packageFile(root: string, ref: { package: string; path: string }): string {
  const problem = sourceRefProblem(root, ref);
  if (problem) throw new SourceFileError(problem);
  return path.join(packageDir(root, ref.package)!, ref.path);
}

function isGlob(ref: string): boolean {
  return /[*?[{]/.test(ref);
}

/** The files a source reads, sorted, globs expanded. */
export function resolveSourceFiles(root: string, refs: readonly FileRef[]): string[] {
  const files = new Set<string>();
  for (const ref of refs) {
    if (typeof ref !== 'string') files.add(packageFile(root, ref));
    else if (isGlob(ref)) for (const f of tinyglobby().globSync(ref, { cwd: root, absolute: true, onlyFiles: true })) files.add(f);
    else files.add(path.resolve(root, ref));
  }
  return [...files].sort();
}

/**
 * The observed version of a source's files: a hash of their names (relative to the root) and
 * content (memoized by size/mtime/inode when a memo is given). Missing files count as absent,
 * so a watched folder may start empty.
 */
export function observeSourceFiles(root: string, refs: readonly FileRef[], memo?: FileHashMemo): { files: string[]; hash: string } {
  const files = resolveSourceFiles(root, refs).filter((f) => existsSync(f));
  const parts = files.map((f) => [path.relative(root, f), memo ? memo.hash(f) : sha256(readFileSync(f))]);
  memo?.save();
  return { files, hash: hashJson(parts) };
}

/**
 * The column names a source file's first lines give, by its extension: a CSV/TSV header (parsed
 * by the same parser as the rows), the keys of JSONL records, the keys of a JSON array's records.
 */
function columnsOfText(file: string, text: string): string[] {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.tsv') || lower.endsWith('.tab')) {
    const records = csvParseSync().parse(text, { bom: true, delimiter: lower.endsWith('.csv') ? ',' : '\t', to_line: 1, relax_column_count: true }) as string[][];
    return (records[0] ?? []).map((h) => h.trim());
  }
  const records: unknown[] =
    lower.endsWith('.jsonl') || lower.endsWith('.ndjson')
      ? text
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown)
      : (JSON.parse(text) as unknown[]);
  if (!Array.isArray(records)) throw new Error('the JSON is not an array of records');
  const keys: string[] = [];
  for (const r of records.slice(0, 1000)) if (r && typeof r === 'object') keys.push(...Object.keys(r));
  return keys;
}

/** Bytes read from the start of a CSV or JSONL file to learn its columns. */
const HEAD_BYTES = 16 * 1024;
/** Lines of a CSV or JSONL file read to learn its columns (the header and a few records). */
const HEAD_LINES = 6;
/** JSON files are parsed whole to learn their columns, up to this size. */
const MAX_JSON_BYTES = 32 * 1024 * 1024;

/** The first `HEAD_LINES` whole lines of a file (within `HEAD_BYTES`). */
function headOf(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
    const lines = buffer.subarray(0, n).toString('utf8').split('\n');
    // A full buffer ends inside a line: drop that partial line.
    const keep = Math.min(HEAD_LINES, n === HEAD_BYTES ? lines.length - 1 : lines.length);
    return lines.slice(0, keep).join('\n');
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}

/**
 * The columns of a source's files (union, first-seen order) as the source loader reads them:
 * the header of a CSV, the keys of the first records of JSONL or JSON. Undefined when they
 * cannot be known cheaply (no file, unreadable, a very large JSON, a header with no row).
 */
export function readSourceColumns(files: readonly string[]): string[] | undefined {
  const seen = new Set<string>();
  for (const file of files) {
    try {
      const json = !/\.(csv|tsv|tab|jsonl|ndjson)$/i.test(file);
      if (json && statSync(file).size > MAX_JSON_BYTES) return undefined;
      for (const k of columnsOfText(file, json ? readFileSync(file, 'utf8') : headOf(file))) seen.add(k);
    } catch {
      return undefined;
    }
  }
  return seen.size ? [...seen] : undefined;
}

/**
 * Reads rows from JSON (an array), JSONL, CSV or TSV files, concatenated in file name order,
 * strictly (see {@link readSourceFile}). `skipped` lists the lines left out under `onBadLine: 'skip'`.
 */
export async function readSourceRows(files: readonly string[], options: SourceReadOptions = {}): Promise<{ rows: Row[]; skipped: SkippedLine[] }> {
  const rows: Row[] = [];
  const skipped: SkippedLine[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      // Checked before the run; the file went away since.
      throw new SourceFileError({
        what: `Missing file ${file}.`,
        why: 'It was there when the definitions were checked.',
        fix: 'Restore the file or fix the source path, then run again.',
        file,
      });
    }
    try {
      for (const row of await readSourceFile(file, options, skipped)) rows.push(row);
    } catch (err) {
      if (err instanceof SynthError) throw err;
      throw new SourceFileError({
        what: `Cannot read ${file}.`,
        why: (err as Error).message,
        fix: 'Source files must be CSV/TSV with a header, JSONL, or a JSON array of objects.',
        file,
        cause: err,
      });
    }
  }
  return { rows, skipped };
}
