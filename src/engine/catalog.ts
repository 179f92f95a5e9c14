import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { z } from 'zod';
import { SynthError } from './errors.js';
import { withLock } from './lock.js';
import { writeError } from './write-error.js';

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
  version: z.literal(1),
  materializations: z.array(MaterializationSchema),
  runs: z.array(RunSchema),
  schedules: z.record(z.string(), ScheduleStateSchema),
});
export type CatalogData = z.infer<typeof CatalogDataSchema>;

const empty = (): CatalogData => ({ version: 1, materializations: [], runs: [], schedules: {} });

/** A batch of changes to apply to the catalog in one locked read-modify-write. */
export interface CatalogChanges {
  materializations?: Materialization[];
  /** Runs to add or replace (by id). */
  runs?: Run[];
  schedules?: Record<string, ScheduleState>;
}

/** Raised when `.synth/catalog.json` cannot be parsed (edited or damaged by hand): bad input, exit 2. */
export class CatalogError extends SynthError {
  override readonly exitCode = 2;
}

/**
 * The catalog of materializations and runs: one JSON file managed by lowdb.
 * lowdb rewrites the whole file (atomically, by rename) and is single-process, so every
 * read-modify-write happens under an inter-process lock, re-reading the file first so that
 * records written by another process meanwhile are kept.
 */
export class Catalog {
  readonly file: string;
  private readonly db: Low<CatalogData>;
  private index?: CatalogIndex;

  constructor(
    readonly stateDir: string,
    private readonly locksDir = path.join(stateDir, 'locks'),
  ) {
    this.file = path.join(stateDir, 'catalog.json');
    // Compact JSON: the catalog can hold tens of thousands of records, and lowdb rewrites it whole.
    this.db = new Low<CatalogData>(new DataFile<CatalogData>(this.file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) }), empty());
  }

  /** lowdb's temporary file, renamed over the catalog on every write. */
  get tempFile(): string {
    return path.join(this.stateDir, '.catalog.json.tmp');
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
    try {
      this.seen = this.fingerprint();
      await this.db.read();
    } catch (err) {
      throw new CatalogError({
        what: `The catalog ${this.file} cannot be read.`,
        why: (err as Error).message,
        fix: 'Restore it from a backup, or move it away to start a new catalog (stored objects are kept).',
        file: this.file,
        cause: err,
      });
    }
    const data = this.db.data ?? empty();
    if (data.version !== 1 || !Array.isArray(data.materializations)) {
      throw new CatalogError({
        what: `The catalog ${this.file} has an unknown format.`,
        why: `Expected {"version": 1, ...}.`,
        fix: 'Upgrade synthgraph, or move the file away to start a new catalog.',
        file: this.file,
      });
    }
    data.runs ??= [];
    data.schedules ??= {};
    this.db.data = data;
    this.index = undefined;
    return data;
  }

  get data(): CatalogData {
    return this.db.data ?? empty();
  }

  /** Lookups over the loaded data. */
  get lookup(): CatalogIndex {
    this.index ??= new CatalogIndex(this.data);
    return this.index;
  }

  /**
   * Applies changes under the catalog lock, merging with whatever other processes wrote. A write
   * that fails (disk full: the lock file, the new catalog) leaves the catalog as it was, removes
   * lowdb's temporary file and is a `WriteError`.
   */
  async commit(changes: CatalogChanges): Promise<void> {
    try {
      if (!existsSync(this.stateDir)) mkdirSync(this.stateDir, { recursive: true });
      await withLock(this.locksDir, 'catalog', { purpose: 'catalog write' }, async () => {
        // Re-read only if another process wrote since we did: every write renames a new file over
        // the old one, so an unchanged (inode, size, mtime) means our copy is current.
        const data = this.db.data && this.seen !== undefined && this.fingerprint() === this.seen ? this.data : await this.load();
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
        try {
          await this.db.write();
        } catch (err) {
          // lowdb (steno) writes `.catalog.json.tmp` then renames it: a failed write leaves it behind.
          // Removed here, under the lock, where no other process can be writing it.
          rmSync(this.tempFile, { force: true });
          throw err;
        }
        this.seen = this.fingerprint();
        this.index = undefined;
      });
    } catch (err) {
      throw writeError(err, this.file, 'The catalog was left as it was: what this command had not recorded yet is not recorded (those assets run again next time).');
    }
  }
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
