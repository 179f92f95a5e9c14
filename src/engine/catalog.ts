import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { type LogLine, type LogPosition, SegmentLog } from './catalog-log.js';
import { CATALOG_VERSION, LEGACY_LAYOUT, SPLIT_LAYOUT, damaged, migrateCatalog } from './catalog-migrations.js';
import { type CatalogSettings, defaultCatalogSettings } from './catalog-settings.js';
import { CatalogError } from './catalog-error.js';
import { catalogStamp } from './catalog-stamp.js';
import { withLock } from './lock.js';
import { mayBeRunning } from './process-liveness.js';
import { loadProjectConfig } from './project-config.js';
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
  /** The selected assets, as recorded: the first {@link RUN_SELECTION_KEPT} when there were more (`selection_size` says how many). */
  selection: z.array(z.string()),
  /** How many assets were selected, when `selection` holds only the first of them. */
  selection_size: z.number().optional(),
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

/** Every record of the catalog, as one object: what `Catalog.readAll` returns (and what a format-1 file held). */
export const CatalogDataSchema = z.object({
  /** Format of the catalog; older formats are migrated on read (see catalog-migrations.ts), newer ones refused. */
  version: z.literal(CATALOG_VERSION),
  /** Every materialization kept, oldest first. */
  materializations: z.array(MaterializationSchema),
  /** Every run kept (its latest record), oldest first. */
  runs: z.array(RunSchema),
  schedules: z.record(z.string(), ScheduleStateSchema),
});
export type CatalogData = z.infer<typeof CatalogDataSchema>;

/** `.synth/catalog.json` in the current format: it only names the format and where the records are. */
const MarkerSchema = z.object({ version: z.literal(CATALOG_VERSION), layout: z.literal(SPLIT_LAYOUT) });

const PositionSchema = z.object({ segment: z.number(), offset: z.number() });

/** An asset's current state: its latest materialization, and its latest successful one when that is another. */
const CurrentSchema = z.object({ last: MaterializationSchema, success: MaterializationSchema.optional() });

/** `.synth/catalog/state.json`: every asset's current state, as of a position in the materializations log. */
const StateFileSchema = z.object({ version: z.literal(CATALOG_VERSION), position: PositionSchema, assets: z.array(CurrentSchema) });

/** `.synth/catalog/runs.json`: runs not finished yet (running, or killed) and the daemon's schedule states. */
const RunsFileSchema = z.object({ version: z.literal(CATALOG_VERSION), open: z.array(RunSchema), schedules: z.record(z.string(), ScheduleStateSchema) });
type RunsFile = z.infer<typeof RunsFileSchema>;

/** An asset's current state in memory. */
interface Current {
  last: Materialization;
  success?: Materialization;
}

/** A batch of changes to apply to the catalog in one locked write. */
export interface CatalogChanges {
  materializations?: Materialization[];
  /** Runs to add or replace (by id). */
  runs?: Run[];
  schedules?: Record<string, ScheduleState>;
}

/** True for the name of a temporary file of a catalog write (left by a killed or failed write), in `.synth/` or `.synth/catalog/`. */
export function isCatalogTemp(name: string): boolean {
  // `.catalog.json.tmp` is what lowdb, the catalog's writer before format checks, left behind.
  return name.startsWith('.tmp-catalog.json-') || name === '.catalog.json.tmp' || name.startsWith('.tmp-state.json-') || name.startsWith('.tmp-runs.json-');
}

/** Paths of the catalog's temporary files (see {@link isCatalogTemp}). */
export function catalogTempFiles(stateDir: string): string[] {
  const out: string[] = [];
  for (const dir of [stateDir, path.join(stateDir, 'catalog')]) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) if (isCatalogTemp(n)) out.push(path.join(dir, n));
  }
  return out;
}

/** Selected asset names recorded per run: a run record stays small (O(1) bytes) however big the graph. */
export const RUN_SELECTION_KEPT = 100;

function bounded(run: Run): Run {
  return run.selection.length <= RUN_SELECTION_KEPT ? run : { ...run, selection: run.selection.slice(0, RUN_SELECTION_KEPT), selection_size: run.selection.length };
}

/** Unfinished runs of processes that are gone, kept in `runs.json` (most recent first) for the daemon to report them. */
const DEAD_OPEN_RUNS_KEPT = 64;
/** The state file is rewritten (compaction) once the log after it holds this much (or a segment, if smaller), or a quarter of the state file's size if more. */
const COMPACT_MIN_BYTES = 256 * 1024;
const DAY_MS = 86_400_000;

/**
 * The catalog of materializations and runs. The current state is kept apart from the history, so
 * what a command costs follows what changed, not how much history there is:
 *
 * - `.synth/catalog.json` names the format (`{"version": 2, "layout": "catalog/"}`);
 * - `.synth/catalog/materializations/NNNNNNNN.jsonl`, `runs/NNNNNNNN.jsonl`: append-only history
 *   segments, one JSON record per line;
 * - `.synth/catalog/state.json`: every asset's latest (and latest successful) materialization, as of
 *   a position in the materializations log. A reader folds the log after that position into it;
 *   a writer rewrites it (compaction) only once that tail outgrows a quarter of it;
 * - `.synth/catalog/runs.json`: runs not finished (what `gc` and the daemon need) and schedule states.
 *
 * So `status` reads the state file and a short tail, a no-op `materialize` appends two run records
 * and rewrites the small `runs.json`, and commands about history (`history`, `lineage`, `gc`,
 * `verify`) read the segments. Writes happen under the inter-process catalog lock; readers need
 * none (appends are whole lines, files are replaced by rename). Every read goes through the format's
 * checks: an older format (one `catalog.json` holding every record) is read whole and split by the
 * next command that records something; a damaged or newer one is exit 2.
 */
export class Catalog {
  /** `.synth/catalog.json`. */
  readonly file: string;
  /** `.synth/catalog/`. */
  readonly dir: string;
  private readonly stateFile: string;
  private readonly runsFile: string;
  private readonly materializationLog: SegmentLog;
  private readonly runLog: SegmentLog;

  /** Current state by asset (shared with the index, updated in place by commits). */
  private current = new Map<string, Current>();
  /** Records of a format-1 file (read whole); undefined once split. */
  private legacy?: CatalogData;
  /** Where the state file was taken, its size, and how far the log has been folded into `current`. */
  private snapshotAt: LogPosition = { segment: 1, offset: 0 };
  private snapshotBytes = 0;
  private end?: LogPosition;
  private runsState: RunsFile = { version: CATALOG_VERSION, open: [], schedules: {} };
  private full?: CatalogData;
  private index?: CatalogIndex;

  constructor(
    readonly stateDir: string,
    private readonly locksDir = path.join(stateDir, 'locks'),
    private readonly options: { settings?: CatalogSettings } = {},
  ) {
    this.file = path.join(stateDir, 'catalog.json');
    this.dir = path.join(stateDir, 'catalog');
    this.stateFile = path.join(this.dir, 'state.json');
    this.runsFile = path.join(this.dir, 'runs.json');
    const segmentBytes = (): number => this.settings().segmentBytes;
    this.materializationLog = new SegmentLog(path.join(this.dir, 'materializations'), segmentBytes);
    this.runLog = new SegmentLog(path.join(this.dir, 'runs'), segmentBytes);
  }

  /** Reads the current state (not the history: see `readAll`). No lock needed. */
  async load(): Promise<void> {
    this.loadSync();
  }

  /** {@link load}, for callers that cannot wait (event listeners). */
  loadSync(): void {
    this.reset();
    const marker = this.readMarker();
    if (marker === 'none') return;
    if (marker !== 'split') return this.adoptLegacy(marker);
    this.readSplit();
  }

  /** The current state of every asset, and history lookups (read on first use). */
  get lookup(): CatalogIndex {
    this.index ??= new CatalogIndex(this.current, () => this.readAll());
    return this.index;
  }

  /** Schedule states recorded by the daemon, by schedule name. */
  get schedules(): Record<string, ScheduleState> {
    return this.runsState.schedules;
  }

  /** Runs recorded as started and not finished (still going, or killed), oldest first. */
  get openRuns(): readonly Run[] {
    return this.runsState.open;
  }

  /** Every record kept: reads the whole history (for `history`, `lineage`, `gc`, `verify`), once per load. */
  get data(): CatalogData {
    return this.readAll();
  }

  /** Every record kept (see {@link CatalogData}); reads the history segments, once per load. */
  readAll(): CatalogData {
    if (this.full) return this.full;
    if (this.legacy) return (this.full = this.legacy);
    const materializations: Materialization[] = [];
    const ids = new Set<string>();
    const first = this.materializationLog.segments()[0] ?? 1;
    this.materializationLog.read({ segment: first, offset: 0 }, (line) => {
      const m = parseLine(line, isMaterialization, MaterializationSchema);
      if (m) {
        materializations.push(m);
        ids.add(m.id);
      }
    });
    // Current records older than the history kept (retention) are still part of the catalog.
    const kept: Materialization[] = [];
    for (const c of this.current.values()) {
      for (const m of c.success && c.success !== c.last ? [c.success, c.last] : [c.last]) if (!ids.has(m.id)) kept.push(m);
    }
    kept.sort((a, b) => a.finished_at.localeCompare(b.finished_at));
    const runs = new Map<string, Run>();
    const firstRun = this.runLog.segments()[0] ?? 1;
    this.runLog.read({ segment: firstRun, offset: 0 }, (line) => {
      const r = parseLine(line, isRun, RunSchema);
      if (r) runs.set(r.id, r);
    });
    for (const r of this.runsState.open) if (!runs.has(r.id)) runs.set(r.id, r);
    this.full = { version: CATALOG_VERSION, materializations: [...kept, ...materializations], runs: [...runs.values()], schedules: this.runsState.schedules };
    return this.full;
  }

  /** Changes whenever another process records something (the UI reloads then). */
  changeStamp(): string {
    return catalogStamp(this.stateDir);
  }

  /**
   * Applies changes under the catalog lock, after whatever other processes wrote: materializations
   * and runs are appended to the history, `runs.json` is rewritten when runs or schedules change,
   * and `state.json` when the log after it has grown enough. A write that fails (disk full) leaves
   * the catalog readable (an unfinished line is skipped by readers) and is a `WriteError`.
   */
  async commit(changes: CatalogChanges): Promise<void> {
    const consequence = 'The catalog was left as it was: what this command had not recorded yet is not recorded (those assets run again next time).';
    try {
      if (!existsSync(this.stateDir)) mkdirSync(this.stateDir, { recursive: true });
      await withLock(this.locksDir, 'catalog', { purpose: 'catalog write' }, async () => {
        this.split(consequence);
        this.catchUp();
        const mats = changes.materializations ?? [];
        if (mats.length) {
          this.end = this.materializationLog.append(
            mats.map((m) => JSON.stringify(m)),
            consequence,
          );
          for (const m of mats) {
            apply(this.current, m);
            this.full?.materializations.push(m);
            this.index?.add(m);
          }
        }
        if (changes.runs?.length || changes.schedules) this.recordRuns(changes, consequence);
        this.compact(consequence);
      });
    } catch (err) {
      throw writeError(err, this.file, consequence);
    }
  }

  private reset(): void {
    this.current = new Map();
    this.legacy = undefined;
    this.snapshotAt = { segment: 1, offset: 0 };
    this.snapshotBytes = 0;
    this.end = undefined;
    this.runsState = { version: CATALOG_VERSION, open: [], schedules: {} };
    this.full = undefined;
    this.index = undefined;
  }

  /** `catalog.json`: absent, the current format's marker, or a format-1 catalog (migrated in memory). */
  private readMarker(): 'none' | 'split' | CatalogData {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw unreadable(this.file, err);
    }
    const read = readCatalogText(this.file, text);
    return read.layout === SPLIT_LAYOUT ? 'split' : read.data;
  }

  private adoptLegacy(data: CatalogData): void {
    this.legacy = data;
    for (const m of data.materializations) apply(this.current, m);
    this.runsState = { version: CATALOG_VERSION, open: data.runs.filter((r) => r.finished_at === null), schedules: data.schedules };
  }

  /** Reads state.json, folds the log after it, and reads runs.json. */
  private readSplit(): void {
    for (let attempt = 0; ; attempt++) {
      this.current = new Map();
      const state = readJsonFile(this.stateFile, StateFileSchema, isStateFile);
      if (state) {
        for (const c of state.value.assets) this.current.set(c.last.asset, { last: c.last, success: c.success ?? (c.last.status === 'success' ? c.last : undefined) });
        this.snapshotAt = state.value.position;
        this.snapshotBytes = state.bytes;
      } else {
        // No state file yet (or removed): the whole log is the state.
        this.snapshotAt = { segment: this.materializationLog.segments()[0] ?? 1, offset: 0 };
        this.snapshotBytes = 0;
      }
      const end = this.materializationLog.read(this.snapshotAt, (line) => {
        const m = parseLine(line, isMaterialization, MaterializationSchema);
        if (m) apply(this.current, m);
      });
      if (end) {
        this.end = end;
        break;
      }
      // A segment after our state file was removed by a compaction meanwhile: its state file is newer.
      if (attempt > 3) throw damaged(this.stateFile, `Its position (segment ${this.snapshotAt.segment}) is in a history segment that no longer exists.`);
    }
    this.runsState = readJsonFile(this.runsFile, RunsFileSchema, isRunsFile)?.value ?? { version: CATALOG_VERSION, open: [], schedules: {} };
  }

  /** Under the lock: brings what we read up to date with what other processes appended since. */
  private catchUp(): void {
    if (!this.end) return this.readSplit();
    const end = this.materializationLog.read(this.end, (line) => {
      const m = parseLine(line, isMaterialization, MaterializationSchema);
      if (m) {
        apply(this.current, m);
        this.full?.materializations.push(m);
        this.index?.add(m);
      }
    });
    if (end) this.end = end;
    else {
      this.readSplit();
      this.full = undefined;
      this.index = undefined;
    }
  }

  /**
   * Under the lock: makes sure the records are in the split layout. A format-1 `catalog.json` (or
   * none) is split: history segments and state files first, then `catalog.json` replaced by the
   * marker, so a process killed meanwhile leaves the old file in charge (its half-made folder is
   * removed by the next attempt).
   */
  private split(consequence: string): void {
    const marker = this.readMarker();
    if (marker === 'split') {
      if (this.legacy || this.end === undefined) {
        this.reset();
        this.readSplit();
      }
      return;
    }
    this.reset();
    if (marker !== 'none') this.adoptLegacy(marker);
    const data = this.legacy;
    rmSync(this.dir, { recursive: true, force: true });
    mkdirSync(this.dir, { recursive: true });
    let end: LogPosition = { segment: 1, offset: 0 };
    for (let i = 0; data && i < data.materializations.length; i += 5000) {
      end = this.materializationLog.append(
        data.materializations.slice(i, i + 5000).map((m) => JSON.stringify(m)),
        consequence,
      );
    }
    for (let i = 0; data && i < data.runs.length; i += 5000) {
      this.runLog.append(
        data.runs.slice(i, i + 5000).map((r) => JSON.stringify(r)),
        consequence,
      );
    }
    this.end = end;
    this.writeState(consequence);
    writeFileAtomic(this.runsFile, JSON.stringify(this.runsState), { consequence });
    writeFileAtomic(this.file, JSON.stringify({ version: CATALOG_VERSION, layout: SPLIT_LAYOUT }), { consequence });
    this.legacy = undefined;
    this.full = undefined;
    this.index = undefined;
  }

  /** Appends run records to the history and rewrites runs.json (open runs, schedule states). */
  private recordRuns(changes: CatalogChanges, consequence: string): void {
    // Re-read under the lock: another process may have started or finished a run.
    const runs = readJsonFile(this.runsFile, RunsFileSchema, isRunsFile)?.value ?? { version: CATALOG_VERSION, open: [], schedules: {} };
    if (changes.runs?.length) {
      const recorded = changes.runs.map(bounded);
      this.runLog.append(
        recorded.map((r) => JSON.stringify(r)),
        consequence,
      );
      for (const run of recorded) {
        runs.open = runs.open.filter((r) => r.id !== run.id);
        if (run.finished_at === null) runs.open.push(run);
        if (this.full) {
          const i = this.full.runs.findIndex((r) => r.id === run.id);
          if (i >= 0) this.full.runs[i] = run;
          else this.full.runs.push(run);
        }
      }
      // Runs of processes that are gone stay listed (the daemon reports them as interrupted), within a bound.
      const dead = runs.open.filter((r) => !mayBeRunning(r));
      if (dead.length > DEAD_OPEN_RUNS_KEPT) {
        const drop = new Set(dead.slice(0, dead.length - DEAD_OPEN_RUNS_KEPT).map((r) => r.id));
        runs.open = runs.open.filter((r) => !drop.has(r.id));
      }
    }
    // Schedule names are user-given: defined as own properties, never through a `__proto__` setter.
    for (const [name, state] of Object.entries(changes.schedules ?? {}))
      Object.defineProperty(runs.schedules, name, { value: state, enumerable: true, writable: true, configurable: true });
    writeFileAtomic(this.runsFile, JSON.stringify(runs), { consequence });
    this.runsState = runs;
    if (this.full) this.full.schedules = runs.schedules;
  }

  /** Rewrites state.json once the log after it is big enough, then applies the retention settings. */
  private compact(consequence: string): void {
    const end = this.end!;
    const tail = this.materializationLog.bytesBetween(this.snapshotAt, end);
    const settings = this.settings();
    if (tail > Math.max(Math.min(COMPACT_MIN_BYTES, settings.segmentBytes), this.snapshotBytes / 4)) {
      this.writeState(consequence);
      if (settings.materializationsDays !== null) this.materializationLog.prune(this.snapshotAt, Date.now() - settings.materializationsDays * DAY_MS);
    }
    if (settings.runsDays !== null) this.runLog.prune(this.runLog.end(), Date.now() - settings.runsDays * DAY_MS);
  }

  private writeState(consequence: string): void {
    const assets: { last: Materialization; success?: Materialization }[] = [];
    for (const c of this.current.values()) assets.push(c.success && c.success !== c.last ? { last: c.last, success: c.success } : { last: c.last });
    const text = JSON.stringify({ version: CATALOG_VERSION, position: this.end, assets });
    writeFileAtomic(this.stateFile, text, { consequence });
    this.snapshotAt = this.end!;
    this.snapshotBytes = Buffer.byteLength(text);
  }

  private configured?: CatalogSettings;

  /** Retention and segment size: given, else from the project's synth.config.json (read once, by writers only). */
  private settings(): CatalogSettings {
    if (this.options.settings) return this.options.settings;
    if (!this.configured) {
      try {
        // `.synth/` sits at the project root; a bad config was already reported by the command.
        this.configured = loadProjectConfig(path.dirname(this.stateDir)).catalog;
      } catch {
        this.configured = defaultCatalogSettings();
      }
    }
    return this.configured;
  }
}

/** The current state as records are appended: the latest, and the latest successful, per asset. */
function apply(current: Map<string, Current>, m: Materialization): void {
  const c = current.get(m.asset);
  if (!c) current.set(m.asset, { last: m, success: m.status === 'success' ? m : undefined });
  else {
    c.last = m;
    if (m.status === 'success') c.success = m;
  }
}

/** What reading `catalog.json` found: the marker of the split layout, or a whole format-1 catalog. */
export type CatalogText = { layout: typeof SPLIT_LAYOUT } | { layout: typeof LEGACY_LAYOUT; data: CatalogData };

/**
 * Parses the text of `catalog.json`: JSON, then its format version (older formats migrated, newer
 * ones refused), then its structure. Every failure is a `CatalogError` (exit 2) saying what to do.
 */
export function readCatalogText(file: string, text: string): CatalogText {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw unreadable(file, err);
  }
  const data = migrateCatalog(file, raw);
  if (data.layout === SPLIT_LAYOUT) {
    check(file, MarkerSchema, isMarker, data);
    return { layout: SPLIT_LAYOUT };
  }
  const { layout: _legacy, ...records } = data;
  check(file, CatalogDataSchema, isCatalogData, records);
  return { layout: LEGACY_LAYOUT, data: records as CatalogData };
}

/**
 * The catalog schemas as plain predicates: checking 10,000 records through zod took as long as
 * parsing their JSON. The records are used as read, not zod's copies, so fields this release does
 * not know are kept when they are written again.
 */
const isCatalogData = compilePredicate(CatalogDataSchema);
const isMarker = compilePredicate(MarkerSchema);
const isStateFile = compilePredicate(StateFileSchema);
const isRunsFile = compilePredicate(RunsFileSchema);
const isMaterialization = compilePredicate(MaterializationSchema);
const isRun = compilePredicate(RunSchema);

/** Checks parsed JSON against a schema (fast predicate first; zod names the problem). */
function check(file: string, schema: z.ZodType, fast: (v: unknown) => boolean, data: unknown, where = ''): void {
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
function readJsonFile<T>(file: string, schema: z.ZodType<T>, fast: (v: unknown) => boolean): { value: T; bytes: number } | undefined {
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

/**
 * One history line: a record, or undefined for a line cut short by a killed writer (it does not
 * parse). A line that parses but is not a record is damage: exit 2, naming the file and offset.
 */
function parseLine<T>(line: LogLine, fast: (v: unknown) => boolean, schema: z.ZodType<T>): T | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line.text);
  } catch {
    return undefined;
  }
  check(line.file, schema, fast, raw, `the record at byte ${line.at}: `);
  return raw as T;
}

function unreadable(file: string, err: unknown): CatalogError {
  return new CatalogError({
    what: `The catalog ${file} cannot be read.`,
    why: (err as Error).message,
    fix: 'Restore it from a backup, or move it away to start a new catalog (with `.synth/catalog/`; stored objects are kept).',
    file,
    cause: err,
  });
}

/**
 * Lookups over the catalog: an asset's current state from the state the catalog holds in memory,
 * and its history (every materialization kept) read on first use, so that commands which only need
 * the current state (`status`, a no-op `materialize`) never read the history.
 */
export class CatalogIndex {
  private byAsset?: Map<string, Materialization[]>;
  private byId?: Map<string, Materialization>;
  /** Current records by id, built on the first `get` that comes before the history is read. */
  private currentById?: Map<string, Materialization>;

  constructor(
    private readonly current: ReadonlyMap<string, Current>,
    private readonly all: () => CatalogData,
  ) {}

  /** An index over records held in memory (tests, tools). */
  static of(data: CatalogData): CatalogIndex {
    const current = new Map<string, Current>();
    for (const m of data.materializations) apply(current, m);
    return new CatalogIndex(current, () => data);
  }

  /** Every record kept (reads the history). */
  get data(): CatalogData {
    return this.all();
  }

  private history_(): void {
    if (this.byAsset) return;
    this.byAsset = new Map();
    this.byId = new Map();
    for (const m of this.all().materializations) this.index(m);
  }

  private index(m: Materialization): void {
    this.byId!.set(m.id, m);
    let list = this.byAsset!.get(m.asset);
    if (!list) this.byAsset!.set(m.asset, (list = []));
    list.push(m);
  }

  /** Called by the catalog for a record it appended or read after the history was indexed. */
  add(m: Materialization): void {
    if (this.byAsset && !this.byId!.has(m.id)) this.index(m);
    this.currentById?.set(m.id, m);
  }

  /** Every materialization of an asset, oldest first (reads the history). */
  history(asset: string): Materialization[] {
    this.history_();
    return this.byAsset!.get(asset) ?? [];
  }

  /** A materialization by id: a current one without reading the history, else from it. */
  get(id: string): Materialization | undefined {
    if (!this.byId) {
      if (!this.currentById) {
        this.currentById = new Map();
        for (const c of this.current.values()) {
          this.currentById.set(c.last.id, c.last);
          if (c.success) this.currentById.set(c.success.id, c.success);
        }
      }
      const here = this.currentById.get(id);
      if (here) return here;
    }
    this.history_();
    return this.byId!.get(id);
  }

  /** The most recent materialization (successful or not). */
  last(asset: string): Materialization | undefined {
    return this.current.get(asset)?.last;
  }

  /** The most recent successful materialization: the asset's current value. */
  latestSuccess(asset: string): Materialization | undefined {
    return this.current.get(asset)?.success;
  }

  /** The most recent successful materialization with this cache key, however old (the current value first, else the history). */
  byCacheKey(asset: string, key: string): Materialization | undefined {
    const latest = this.latestSuccess(asset);
    if (latest?.cache_key === key) return latest;
    const list = this.history(asset);
    for (let i = list.length - 1; i >= 0; i--) if (list[i].status === 'success' && list[i].cache_key === key) return list[i];
    return undefined;
  }
}
