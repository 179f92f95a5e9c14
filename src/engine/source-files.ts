import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { globSync } from 'tinyglobby';
import type { FileRef } from './definitions.js';
import { SynthError } from './errors.js';
import type { FileHashMemo } from './file-hash-memo.js';
import { hashJson, sha256 } from './hashing.js';
import type { Row } from './rows.js';
import { readSourceFile, type SkippedLine, type SourceReadOptions } from './source-reader.js';

/** Raised when a source's files can't be found or parsed. */
export class SourceFileError extends SynthError {}

/** Finds a file shipped in an installed package by walking up `node_modules` folders from `root`. */
function packageFile(root: string, ref: { package: string; path: string }): string {
  for (let dir = root; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', ref.package, ref.path);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new SourceFileError({
    what: `File ${ref.path} of package ${ref.package} not found.`,
    why: `The package is not installed where the project can see it (searched node_modules from ${root} upwards).`,
    fix: `npm install ${ref.package}`,
  });
}

/** The files a source reads, sorted, globs expanded. */
export function resolveSourceFiles(root: string, refs: readonly FileRef[]): string[] {
  const files = new Set<string>();
  for (const ref of refs) {
    if (typeof ref !== 'string') files.add(packageFile(root, ref));
    else if (/[*?[{]/.test(ref)) for (const f of globSync(ref, { cwd: root, absolute: true, onlyFiles: true })) files.add(f);
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
 * Reads rows from JSON (an array), JSONL, CSV or TSV files, concatenated in file name order,
 * strictly (see {@link readSourceFile}). `skipped` lists the lines left out under `onBadLine: 'skip'`.
 */
export async function readSourceRows(files: readonly string[], options: SourceReadOptions = {}): Promise<{ rows: Row[]; skipped: SkippedLine[] }> {
  const rows: Row[] = [];
  const skipped: SkippedLine[] = [];
  for (const file of files) {
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
