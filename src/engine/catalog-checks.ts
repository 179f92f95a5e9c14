import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { CatalogError } from './catalog-error.js';
import { CATALOG_VERSION, damaged, migrateCatalog } from './catalog-migrations.js';

// The checks every read of a catalog file goes through: a file that is not what synthgraph wrote
// is a `CatalogError` (exit 2) naming the file, the record and the field.

/** Checks parsed JSON against a schema (fast predicate first; zod names the problem). */
export function check(file: string, schema: z.ZodType, fast: (v: unknown) => boolean, data: unknown, where = ''): void {
  if (fast(data)) return;
  const checked = schema.safeParse(data);
  if (checked.success) return; // refinements only zod checks (none today) passed
  const issue = checked.error.issues[0];
  const field = issue.path
    .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
    .join('')
    .replace(/^\./, '');
  throw damaged(file, `${where}${field || 'The file'}: ${issue.message}${checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : ''}.`);
}

/** A JSON file of the catalog folder with its size, checked; undefined when it does not exist. */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, fast: (v: unknown) => boolean): { value: T; bytes: number } | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, err);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw unreadable(file, err);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CATALOG_VERSION) migrateCatalog(file, raw); // throws "written by a newer synthgraph"
  check(file, schema, fast, raw);
  return { value: raw as T, bytes: text.length };
}

export function unreadable(file: string, err: unknown): CatalogError {
  return new CatalogError({
    what: `The catalog ${file} cannot be read.`,
    why: (err as Error).message,
    fix: 'Restore it from a backup, or move it away to start a new catalog (with `.synth/catalog/`; stored objects are kept).',
    file,
    cause: err,
  });
}
