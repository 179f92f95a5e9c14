import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { CATALOG_VERSION, damaged, migrateCatalog } from './catalog-migrations.js';
import { CatalogError } from './catalog-error.js';
import { withLock } from './lock.js';
import { compilePredicate } from './schema-predicate.js';
import { writeError } from './write-error.js';

export { CatalogError } from './catalog-error.js';

/** What the cache key of an asset is made of; kept with each materialization to explain staleness. */
export const KeyInputsSchema = z.object({
  kind: z.string(),
  name: z.string(),
  code: z.string(),
  prompt: z.object({ id: z.string(), hash: z.string() }).nullable(),
  seed: z.number().nullable(),
  generator: z.record(z.string(), z.unknown()).nullable(),
  rows: z.number().nullable(),
  /** Data hash of each direct upstream asset, by asset name. */
  upstream: z.record(z.string(), z.string()),
  /** Content hash of observed external data (source assets). */
  observed: z.string().nullable(),
});
export type KeyInputs = z.infer<typeof KeyInputsSchema>;

export const ErrorRecordSchema = z.object({
  what: z.string(),
  why: z.string().optional(),
  fix: z.string().optional(),
  retryable: z.boolean().optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;

/** The result of a check, as kept in the catalog (validation assets). */
export const CheckRecordSchema = z.object({
  name: z.string(),
  score: z.number(),
  passed: z.boolean(),
  threshold: z.number(),
  blocking: z.boolean(),
  summary: z.string(),
});
export type CheckRecord = z.infer<typeof CheckRecordSchema>;

export const MaterializationSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  asset: z.string(),
  kind: z.string(),
  status: z.enum(['success', 'failed']),
  /** `materialized` (computed now), `cached` (reused an earlier result with the same key) or `failed`. */
  outcome: z.enum(['materialized', 'cached', 'failed']),
  cache_key: z.string().nullable(),
  key_inputs: KeyInputsSchema.nullable(),
  data_hash: z.string().nullable(),
  format: z.enum(['jsonl', 'json']).nullable(),
  /** Object holding the CSV export of a dataset. */
  csv_hash: z.string().nullable(),
  bytes: z.number().nullable(),
  /** Upstream materializations that fed this one, by asset name. */
  upstream: z.record(z.string(), z.object({ data_hash: z.string(), materialization_id: z.string() })),
  prompt_id: z.string().nullable(),
  prompt_hash: z.string().nullable(),
  seed: z.number().nullable(),
  generator: z.record(z.string(), z.unknown()).nullable(),
  rows: z.number().nullable(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  checks: z.array(CheckRecordSchema).optional(),
  /** Objects stored beside the value that it refers to (e.g. image files), kept as long as the record. */
  objects: z.array(z.string()).optional(),
  warnings: z.array(z.string()),
  error: ErrorRecordSchema.nullable(),
  /** For `cached` outcomes: the materialization whose stored result was reused. */
  reused_from: z.string().nullable(),
});
export type Materialization = z.infer<typeof MaterializationSchema>;

export const RunSchema = z.object({
  id: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  pid: z.number(),
  /** Host of the process (runs are recorded when they start: an unfinished run whose process is gone was interrupted). */
  host: z.string().optional(),
  /** `cli`, or `schedule:<name>` for daemon runs. */
  trigger: z.string(),
  selection: z.array(z.string()),
  ok: z.boolean().nullable(),
  counts: z.record(z.string(), z.number()),
});
export type Run = z.infer<typeof RunSchema>;

/** Daemon bookkeeping per schedule (node-cron keeps no state of its own). */
export const ScheduleStateSchema = z.object({
  last_fire: z.string().nullable(),
  last_run_id: z.string().nullable(),
  last_outcome: z.string().nullable(),
  last_seed: z.number().nullable(),
});
export type ScheduleState = z.infer<typeof ScheduleStateSchema>;

export const CatalogDataSchema = z.object({
  /** Format of the file; older formats are migrated on read (see catalog-migrations.ts), newer ones refused. */
  version: z.literal(CATALOG_VERSION),
  materializations: z.array(MaterializationSchema),
  runs: z.array(RunSchema),
  schedules: z.record(z.string(), ScheduleStateSchema),
});
export type CatalogData = z.infer<typeof CatalogDataSchema>;

const empty = (): CatalogData => ({ version: CATALOG_VERSION, materializations: [], runs: [], schedules: {} });

/** A batch of changes to apply to the catalog in one locked read-modify-write. */
export interface CatalogChanges {
  materializations?: Materialization[];
  /** Runs to add or replace (by id). */
  runs?: Run[];
  schedules?: Record<string, ScheduleState>;
}

/** True for the name of a temporary file of a catalog write (left by a killed or failed write). */
export function isCatalogTemp(name: string): boolean {
  // `.catalog.json.tmp` is what lowdb, the catalog's writer before format checks, left behind.
  return name.startsWith('.tmp-catalog.json-') || name === '.catalog.json.tmp';
}

/**
 * The catalog of materializations and runs: one JSON file, rewritten whole through the engine's
 * atomic write (temporary file + rename). Every read-modify-write happens under an inter-process
 * lock, re-reading the file first so that records written by another process meanwhile are kept.
 * Every read goes through the format's checks: an older format is migrated (and written in the
 * current one by the next command that records something), a damaged or newer one is exit 2.
 */
export class Catalog {
  readonly file: string;
  private current?: CatalogData;
  private index?: CatalogIndex;

  constructor(
    readonly stateDir: string,
    private readonly locksDir = path.join(stateDir, 'locks'),
  ) {
    this.file = path.join(stateDir, 'catalog.json');
  }

  /** (inode, size, mtime) of the file as last read or written by us. */
  private seen?: string;

  private fingerprint(): string | undefined {
    try {
      const s = statSync(this.file);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return undefined;
    }
  }

  /** Reads the catalog from disk (no lock needed: writes are atomic renames). */
  async load(): Promise<CatalogData> {
    this.seen = this.fingerprint();
    let text: string | undefined;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unreadable(this.file, err);
    }
    const data = text === undefined ? empty() : readCatalogText(this.file, text);
    this.current = data;
    this.index = undefined;
    return data;
  }

  get data(): CatalogData {
    return this.current ?? empty();
  }

  /** Lookups over the loaded data. */
  get lookup(): CatalogIndex {
    this.index ??= new CatalogIndex(this.data);
    return this.index;
  }

  /**
   * Applies changes under the catalog lock, merging with whatever other processes wrote. A write
   * that fails (disk full: the lock file, the new catalog) leaves the catalog as it was and no
   * temporary file, and is a `WriteError`.
   */
  async commit(changes: CatalogChanges): Promise<void> {
    const consequence = 'The catalog was left as it was: what this command had not recorded yet is not recorded (those assets run again next time).';
    try {
      if (!existsSync(this.stateDir)) mkdirSync(this.stateDir, { recursive: true });
      await withLock(this.locksDir, 'catalog', { purpose: 'catalog write' }, async () => {
        // Re-read only if another process wrote since we did: every write renames a new file over
        // the old one, so an unchanged (inode, size, mtime) means our copy is current.
        const data = this.current && this.seen !== undefined && this.fingerprint() === this.seen ? this.current : await this.load();
        if (changes.materializations?.length) {
          const known = new Set(data.materializations.map((m) => m.id));
          for (const m of changes.materializations) if (!known.has(m.id)) data.materializations.push(m);
        }
        for (const run of changes.runs ?? []) {
          const i = data.runs.findIndex((r) => r.id === run.id);
          if (i >= 0) data.runs[i] = run;
          else data.runs.push(run);
        }
        // Schedule names are user-given: defined as own properties, never through a `__proto__` setter.
        for (const [name, state] of Object.entries(changes.schedules ?? {})) Object.defineProperty(data.schedules, name, { value: state, enumerable: true, writable: true, configurable: true });
        this.seen = undefined; // until written: a failed write must not leave our copy looking current
        // Compact JSON: the catalog can hold tens of thousands of records, and is rewritten whole.
        writeFileAtomic(this.file, JSON.stringify(data), { consequence });
        this.seen = this.fingerprint();
        this.index = undefined;
      });
    } catch (err) {
      throw writeError(err, this.file, consequence);
    }
  }
}

/**
 * Parses the text of a catalog file: JSON, then its format version (older formats migrated, newer
 * ones refused), then the records' structure. Every failure is a `CatalogError` (exit 2) saying what to do.
 */
export function readCatalogText(file: string, text: string): CatalogData {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw unreadable(file, err);
  }
  const data = migrateCatalog(file, raw);
  if (isCatalogData(data)) return data;
  const checked = CatalogDataSchema.safeParse(data);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue.path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`)).join('').replace(/^\./, '');
    throw damaged(file, `${where || 'The file'}: ${issue.message}${checked.error.issues.length > 1 ? ` (and ${checked.error.issues.length - 1} more problems)` : ''}.`);
  }
  return data as CatalogData; // refinements only zod checks (none today) passed
}

/**
 * The catalog schema as a plain predicate: checking 10,000 records through zod took as long as
 * parsing their JSON. The records are used as read, not zod's copies, so fields this release does
 * not know are kept when the catalog is rewritten.
 */
const isCatalogData = compilePredicate(CatalogDataSchema) as (data: unknown) => data is CatalogData;

function unreadable(file: string, err: unknown): CatalogError {
  return new CatalogError({
    what: `The catalog ${file} cannot be read.`,
    why: (err as Error).message,
    fix: 'Restore it from a backup, or move it away to start a new catalog (stored objects are kept).',
    file,
    cause: err,
  });
}

/** Indexes over catalog data, built once per load. */
export class CatalogIndex {
  private readonly byAsset = new Map<string, Materialization[]>();
  private readonly byId = new Map<string, Materialization>();

  constructor(readonly data: CatalogData) {
    for (const m of data.materializations) {
      this.byId.set(m.id, m);
      let list = this.byAsset.get(m.asset);
      if (!list) this.byAsset.set(m.asset, (list = []));
      list.push(m);
    }
  }

  /** Every materialization of an asset, oldest first. */
  history(asset: string): Materialization[] {
    return this.byAsset.get(asset) ?? [];
  }

  get(id: string): Materialization | undefined {
    return this.byId.get(id);
  }

  /** The most recent materialization (successful or not). */
  last(asset: string): Materialization | undefined {
    const list = this.history(asset);
    return list[list.length - 1];
  }

  /** The most recent successful materialization: the asset's current value. */
  latestSuccess(asset: string): Materialization | undefined {
    const list = this.history(asset);
    for (let i = list.length - 1; i >= 0; i--) if (list[i].status === 'success') return list[i];
    return undefined;
  }

  /** The most recent successful materialization with this cache key, however old. */
  byCacheKey(asset: string, key: string): Materialization | undefined {
    const list = this.history(asset);
    for (let i = list.length - 1; i >= 0; i--) if (list[i].status === 'success' && list[i].cache_key === key) return list[i];
    return undefined;
  }
}
