import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-write.js';
import { type LogLine, type LogPosition, SegmentLog } from './catalog-log.js';
import { CATALOG_VERSION, FORMAT_2_STATE, LEGACY_LAYOUT, SPLIT_LAYOUT, damaged, migrateCatalog } from './catalog-migrations.js';
import { type Current, readStateFile, type StateRead, stateFileBytes } from './catalog-state.js';
import { type CatalogSettings, defaultCatalogSettings } from './catalog-settings.js';
import { check, readJsonFile, unreadable } from './catalog-checks.js';
import { catalogStamp } from './catalog-stamp.js';
import { withLock } from './lock.js';
import { mayBeRunning } from './process-liveness.js';
import { loadProjectConfig } from './project-config.js';
import { compilePredicate } from './schema-predicate.js';
import { writeError } from './write-error.js';
import { type Materialization, MaterializationSchema, type Run, RunSchema, type ScheduleState, ScheduleStateSchema } from './catalog-records.js';

export { CatalogError } from './catalog-error.js';

export * from './catalog-records.js';

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
const MarkerSchema = z.object({
  version: z.literal(CATALOG_VERSION),
  layout: z.literal(SPLIT_LAYOUT),
  /** Set by the migration of a format-2 marker: the current state is still in `state.json`. */
  state: z.literal(FORMAT_2_STATE).optional(),
});

const PositionSchema = z.object({ segment: z.number(), offset: z.number() });

/** An asset's current state: its latest materialization, and its latest successful one when that is another. */
const CurrentSchema = z.object({ last: MaterializationSchema, success: MaterializationSchema.optional() });

/** `.synth/catalog/state.json` of format 2: every asset's current state (whole records), as of a position in the materializations log. */
const Format2StateSchema = z.object({ version: z.literal(2), position: PositionSchema, assets: z.array(CurrentSchema) });

/** `.synth/catalog/runs.json`: runs not finished yet (running, or killed) and the daemon's schedule states. */
const RunsFileSchema = z.object({ version: z.number().int(), open: z.array(RunSchema), schedules: z.record(z.string(), ScheduleStateSchema) });
type RunsFile = z.infer<typeof RunsFileSchema>;

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
  return (
    name.startsWith('.tmp-catalog.json-') ||
    name === '.catalog.json.tmp' ||
    name.startsWith('.tmp-state.json-') ||
    name.startsWith('.tmp-state.jsonl-') ||
    name.startsWith('.tmp-runs.json-')
  );
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
/**
 * The state file is rewritten (compaction) once the log after it holds this much (or a segment, if
 * smaller), or a quarter of what a reader parses of the state file (its index line) if that is
 * more: every reader parses the tail's whole records, so it stays small beside the index (the
 * state file then grows by at least a quarter between two rewrites: O(k) bytes written on average).
 */
const COMPACT_MIN_BYTES = 256 * 1024;
const DAY_MS = 86_400_000;

/**
 * The catalog of materializations and runs. The current state is kept apart from the history, so
 * what a command costs follows what changed, not how much history there is:
 *
 * - `.synth/catalog.json` names the format (`{"version": 3, "layout": "catalog/"}`);
 * - `.synth/catalog/materializations/NNNNNNNN.jsonl`, `runs/NNNNNNNN.jsonl`: append-only history
 *   segments, one JSON record per line;
 * - `.synth/catalog/state.jsonl`: every asset's latest (and latest successful) materialization, as of
 *   a position in the materializations log: an index line holding what staleness needs, then each
 *   whole record on a line, parsed only when something else is asked of it (catalog-state.ts). A
 *   reader folds the log after that position into it; a writer rewrites it (compaction) only once
 *   that tail outgrows a quarter of its index line (every reader parses the tail whole);
 * - `.synth/catalog/runs.json`: runs not finished (what `gc` and the daemon need) and schedule states.
 *
 * So `status` reads the state file and a short tail, a no-op `materialize` appends two run records
 * and rewrites the small `runs.json`, and commands about history (`history`, `lineage`, `gc`,
 * `verify`) read the segments. Writes happen under the inter-process catalog lock; readers need
 * none (appends are whole lines, files are replaced by rename). Every read goes through the format's
 * checks: an older format (one `catalog.json` holding every record; or format 2, whose `state.json`
 * holds whole records) is read as it is and rewritten by the next command that records something;
 * a damaged or newer one is exit 2.
 */
export class Catalog {
  /** `.synth/catalog.json`. */
  readonly file: string;
  /** `.synth/catalog/`. */
  readonly dir: string;
  private readonly stateFile: string;
  /** `state.json`: where a format-2 catalog keeps its current state (whole records). */
  private readonly format2StateFile: string;
  /** The catalog is in format 2 (read through `state.json`) until the next write upgrades it. */
  private format2 = false;
  private readonly runsFile: string;
  private readonly materializationLog: SegmentLog;
  private readonly runLog: SegmentLog;

  /** Current state by asset (shared with the index, updated in place by commits). */
  private current = new Map<string, Current>();
  /** Records of a format-1 file (read whole); undefined once split. */
  private legacy?: CatalogData;
  /** Where the state file was taken, what a reader parses of it, and how far the log has been folded into `current`. */
  private snapshotAt: LogPosition = { segment: 1, offset: 0 };
  private snapshotParsedBytes = 0;
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
    this.stateFile = path.join(this.dir, 'state.jsonl');
    this.format2StateFile = path.join(this.dir, FORMAT_2_STATE);
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
    if (typeof marker !== 'string') return this.adoptLegacy(marker);
    this.format2 = marker === 'split-2';
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
        // Only runs or schedule states, in a catalog of the current format not read yet (a run with
        // nothing to do, recorded without loading the project): the assets' state is neither
        // needed nor changed, so it is not read; its compaction waits for the next commit of records.
        if (!changes.materializations?.length && this.end === undefined && !this.legacy && !this.format2 && this.readMarker() === 'split') {
          this.recordRuns(changes, consequence);
          this.pruneRuns();
          return;
        }
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
    this.snapshotParsedBytes = 0;
    this.end = undefined;
    this.runsState = { version: CATALOG_VERSION, open: [], schedules: {} };
    this.full = undefined;
    this.index = undefined;
  }

  /** `catalog.json`: absent, the current format's marker, or a format-1 catalog (migrated in memory). */
  private readMarker(): 'none' | 'split' | 'split-2' | CatalogData {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw unreadable(this.file, err);
    }
    const read = readCatalogText(this.file, text);
    return read.layout === SPLIT_LAYOUT ? (read.format2 ? 'split-2' : 'split') : read.data;
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
      const state = this.format2 ? this.readFormat2State() : readStateFile(this.stateFile);
      if (state) {
        for (const c of state.assets) this.current.set(c.last.asset, c);
        this.snapshotAt = state.position;
        this.snapshotParsedBytes = state.parsedBytes;
      } else {
        // No state file yet (or removed): the whole log is the state.
        this.snapshotAt = { segment: this.materializationLog.segments()[0] ?? 1, offset: 0 };
        this.snapshotParsedBytes = 0;
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

  /** `state.json` of a format-2 catalog: whole records, every one parsed and checked. */
  private readFormat2State(): StateRead | undefined {
    const state = readJsonFile(this.format2StateFile, Format2StateSchema, isFormat2State);
    if (!state) return undefined;
    const assets = state.value.assets.map((c) => ({ last: c.last, success: c.success ?? (c.last.status === 'success' ? c.last : undefined) }));
    return { position: state.value.position, assets, parsedBytes: state.bytes };
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
      if (this.legacy || this.format2 || this.end === undefined) {
        this.reset();
        this.format2 = false;
        this.readSplit();
      }
      return;
    }
    this.reset();
    if (marker === 'split-2') return this.upgradeFormat2(consequence);
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

  /**
   * Under the lock: format 2 to 3. The history segments and `runs.json` stay; `state.jsonl` is
   * written from `state.json` and the log after it, then `catalog.json` replaced by the new marker
   * (a process killed before that leaves `state.json` in charge, and its `state.jsonl` is written
   * again next time), then `state.json` removed.
   */
  private upgradeFormat2(consequence: string): void {
    this.format2 = true;
    this.readSplit();
    this.format2 = false;
    this.writeState(consequence);
    writeFileAtomic(this.file, JSON.stringify({ version: CATALOG_VERSION, layout: SPLIT_LAYOUT }), { consequence });
    rmSync(this.format2StateFile, { force: true });
  }

  /** Appends run records to the history and rewrites runs.json (open runs, schedule states). */
  private recordRuns(changes: CatalogChanges, consequence: string): void {
    // Re-read under the lock: another process may have started or finished a run.
    const runs = readJsonFile(this.runsFile, RunsFileSchema, isRunsFile)?.value ?? { version: CATALOG_VERSION, open: [], schedules: {} };
    runs.version = CATALOG_VERSION;
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
    if (tail > Math.max(Math.min(COMPACT_MIN_BYTES, settings.segmentBytes), this.snapshotParsedBytes / 4)) {
      this.writeState(consequence);
      if (settings.materializationsDays !== null) this.materializationLog.prune(this.snapshotAt, Date.now() - settings.materializationsDays * DAY_MS);
    }
    this.pruneRuns();
  }

  /** Applies the retention setting of run history. */
  private pruneRuns(): void {
    const { runsDays } = this.settings();
    if (runsDays !== null) this.runLog.prune(this.runLog.end(), Date.now() - runsDays * DAY_MS);
  }

  private writeState(consequence: string): void {
    const bytes = stateFileBytes(this.end!, this.current.values());
    writeFileAtomic(this.stateFile, bytes, { consequence });
    // Left by an upgrade from format 2 killed after its new marker was written.
    rmSync(this.format2StateFile, { force: true });
    this.snapshotAt = this.end!;
    this.snapshotParsedBytes = bytes.indexOf(0x0a) + 1;
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
export type CatalogText =
  { layout: typeof SPLIT_LAYOUT; /** The current state is still in format 2's `state.json`. */ format2: boolean } | { layout: typeof LEGACY_LAYOUT; data: CatalogData };

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
    return { layout: SPLIT_LAYOUT, format2: data.state === FORMAT_2_STATE };
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
const isFormat2State = compilePredicate(Format2StateSchema);
const isRunsFile = compilePredicate(RunsFileSchema);
const isMaterialization = compilePredicate(MaterializationSchema);
const isRun = compilePredicate(RunSchema);

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
