import path from 'node:path';
import { Catalog, type KeyInputs, type Materialization } from './catalog.js';
import { assetKind } from './asset-kind-registry.js';
import { type Overrides, cacheKeyOf, effectiveSettings, generatorConfigsOf, keyInputsFor } from './cache-key.js';
import { decodeValue } from './codec.js';
import { type ComputeSite, type SiteJob, type StoredAsset, storeComputed } from './compute-site.js';
import type { AssetContext, StorageFormat } from './definitions.js';
import { isRetryable, isSynthError, MaterializationError } from './errors.js';
import { RetryAfterUse, withRetry } from './retry.js';
import { type AssetOutcome, assetOutcome, type EngineEvent, type EventListener, Outcome } from './events.js';

export { type MaterializeResult, newId, recordFreshRun } from './run-record.js';
import { type Lock, withLock } from './lock.js';
import { finishRun, type MaterializeResult, newId, startRun } from './run-record.js';
import { heartbeat } from './lock-heartbeat.js';
import { type ComputedValue, type MaterializeSettings, computeAsset } from './materialize-asset.js';
import type { GeneratorConfig } from './generator-plugin.js';
import { publicGeneratorConfig } from './generator-registry.js';
import type { Project, ResolvedAsset } from './project.js';
import { type AssetStatus, computeStatus, failedBlockingChecks } from './status.js';
import { ObjectStore } from './store.js';

/** Options of a materialize run. */
export interface MaterializeOptions {
  /** Asset names to consider (already resolved, e.g. by `resolveSelection`). Default: every asset. */
  assets?: readonly string[];
  /** Re-run selected assets even when fresh. Default: false. */
  force?: boolean;
  /** How many assets may run at the same time. Default: 4. */
  concurrency?: number;
  /** `--seed` / `--generator` for the selected datasets (they change the cache key). */
  overrides?: Omit<Overrides, 'assets'>;
  /** Who started the run, recorded with it: `cli` or `schedule:<name>`. Default: `cli`. */
  trigger?: string;
  /** Aborts the run: running assets are recorded as failed (interrupted), the rest skipped. */
  signal?: AbortSignal;
  /** Receives every engine event. */
  onEvent?: EventListener;
  /** Extra settings passed to generators (e.g. `{ llmCache: false, maxCost: 5 }`). */
  generatorOptions?: Record<string, unknown>;
  /** Base delay of the exponential backoff between retries, in ms. Default: 500. */
  retryDelayMs?: number;
  /**
   * Where assets that must be computed run. Default: in this process. A queue of workers
   * (`synth materialize --queue URL`) is one; the catalog is still written here only.
   */
  computeSite?: ComputeSite;
}

const FLUSH_EVERY_MS = 250;
/** Longest wait between two attempts of an asset: backoff doubles from `retryDelayMs` up to this. */
const ASSET_RETRY_MAX_DELAY_MS = 60_000;

function errorMessage(err: unknown): string {
  if (isSynthError(err)) return [err.what, err.why].filter(Boolean).join(' ');
  return err instanceof Error ? err.message : String(err);
}

function errorRecord(err: unknown): Materialization['error'] {
  if (isSynthError(err)) return { what: err.what, why: err.why, fix: err.fix, retryable: err.retryable };
  return { what: err instanceof Error ? err.message : String(err), retryable: isRetryable(err) };
}

/**
 * Materializes assets in dependency order, independent ones in parallel, under the project's
 * run lock (so two processes, or the daemon and a user, never interleave runs) and writes the
 * catalog in batches under the catalog lock.
 */
export async function materialize(project: Project, options: MaterializeOptions = {}): Promise<MaterializeResult> {
  const emit = (e: EngineEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // A listener's failure must not break the run.
    }
  };
  const locksDir = path.join(project.stateDir, 'locks');
  return withLock(locksDir, 'run', { purpose: `materialize (${options.trigger ?? 'cli'})`, onWait: (owner, message) => emit({ type: 'lock-wait', owner, message }) }, (lock) =>
    new MaterializeRun(project, options, emit, lock).execute(),
  );
}

/** One `materialize` run: its schedule of assets, their outcomes, and the catalog records it batches. */
class MaterializeRun {
  readonly id = newId('run');
  private readonly catalog: Catalog;
  private readonly store: ObjectStore;
  private readonly signal: AbortSignal;
  /** Aborted by the user's signal, or by the run itself when it can no longer record (disk full, lock lost). */
  private readonly stop = new AbortController();
  /** Why the run can no longer record anything; thrown once the running assets have settled. */
  private fatal?: unknown;
  private readonly pending: Materialization[] = [];
  /** Outcomes announced (`asset-finished`) only once their record is in the catalog, by materialization id. */
  private readonly unannounced = new Map<string, AssetOutcome>();
  private lastFlush = Date.now();
  private flushTimer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  /** Materializations made in this run, by asset. */
  private readonly made = new Map<string, Materialization>();
  private readonly outcomes = new Map<string, AssetOutcome>();
  private readonly decoded = new Map<string, unknown>();
  private status!: Map<string, AssetStatus>;

  constructor(
    private readonly project: Project,
    private readonly options: MaterializeOptions,
    private readonly emit: (e: EngineEvent) => void,
    private readonly lock: Lock,
  ) {
    this.catalog = new Catalog(project.stateDir);
    this.store = ObjectStore.of(project.stateDir);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
  }

  async execute(): Promise<MaterializeResult> {
    await this.catalog.load();
    const selected = this.project.graph.sort(this.options.assets ?? this.project.graph.order);
    const overrides: Overrides | undefined = this.options.overrides ? { ...this.options.overrides, assets: new Set(selected) } : undefined;
    // The run's own store: objects the status pass checked are not read and hashed again below.
    this.status = computeStatus(this.project, this.catalog.lookup, overrides, this.store);
    const run = await startRun(this.id, this.options.trigger, selected, this.catalog, this.lock, this.emit);
    await this.schedule(selected, overrides);
    clearTimeout(this.flushTimer);
    await this.flush();
    if (this.fatal) throw this.fatal;
    return finishRun(
      run,
      selected.map((n) => this.outcomes.get(n)!),
      this.catalog,
      this.lock,
      this.emit,
    );
  }

  /** Runs the selected assets as soon as their selected upstreams are done, up to `concurrency` at once. */
  private async schedule(selected: string[], overrides: Overrides | undefined): Promise<void> {
    const inRun = new Set(selected);
    const waitingOn = new Map<string, number>();
    const ready: string[] = [];
    for (const name of selected) {
      let n = 0;
      for (const u of this.project.assets.get(name)!.upstream) if (inRun.has(u)) n++;
      waitingOn.set(name, n);
      if (n === 0) ready.push(name);
    }
    const concurrency = Math.max(1, this.options.concurrency ?? 4);
    let running = 0;
    let next = 0; // ready[next] is the next to start (an index, not shift(): the queue can hold thousands)
    await new Promise<void>((resolve, reject) => {
      let done = 0;
      const finished = (name: string, outcome: AssetOutcome): void => {
        this.outcomes.set(name, outcome);
        const record = this.made.get(name);
        // "materialized" is said only once it is recorded: the flush announces it.
        if (record && record.id === outcome.materialization_id && record.run_id === this.id) this.unannounced.set(record.id, outcome);
        else this.emit({ type: 'asset-finished', runId: this.id, outcome });
        done++;
        for (const child of this.project.graph.childrenOf(name)) {
          if (!inRun.has(child)) continue;
          const left = waitingOn.get(child)! - 1;
          waitingOn.set(child, left);
          if (left === 0) ready.push(child);
        }
      };
      const pump = (): void => {
        while (next < ready.length) {
          const name = ready[next];
          // A fresh asset is settled here and now: no slot, no promise (a no-op run is all of them).
          const fresh = this.freshOutcome(name);
          if (fresh) {
            next++;
            finished(name, fresh);
            continue;
          }
          if (running >= concurrency) break;
          next++;
          running++;
          this.runOne(name, overrides)
            .then((outcome) => {
              running--;
              finished(name, outcome);
              this.requestFlush();
              pump();
            })
            .catch(reject);
        }
        if (done === selected.length) resolve();
      };
      pump();
    });
  }

  /**
   * The outcome of an asset the status pass found fresh, when nothing in this run changed that:
   * not forced, not blocked by a check, and every upstream either outside the run or fresh in it
   * (so its data is the one the key was computed from). Undefined otherwise: `runOne` decides.
   */
  private freshOutcome(name: string): AssetOutcome | undefined {
    if (this.options.force || this.signal.aborted) return undefined;
    const status = this.status.get(name)!;
    const latest = status.latest;
    if (status.state !== 'fresh' || status.reasons.length > 0 || !latest?.data_hash) return undefined;
    const asset = this.project.assets.get(name)!;
    for (const up of asset.upstream) {
      const o = this.outcomes.get(up);
      if (o && o.outcome !== 'fresh') return undefined;
    }
    return this.outcome(asset, 'fresh', { cache_key: status.cacheKey, data_hash: latest.data_hash, rows: latest.rows, materialization_id: latest.id });
  }

  private outcome(asset: ResolvedAsset, outcome: Outcome, fields: Partial<AssetOutcome> = {}): AssetOutcome {
    return assetOutcome(asset.name, asset.kind, outcome, fields);
  }

  /** The materialization an upstream provides in this run: made now, or its latest. */
  private upstreamRecord(name: string): Materialization | undefined {
    return this.made.get(name) ?? this.status.get(name)?.latest;
  }

  private async runOne(name: string, overrides: Overrides | undefined): Promise<AssetOutcome> {
    const asset = this.project.assets.get(name)!;
    const status = this.status.get(name)!;
    if (this.signal.aborted) return this.outcome(asset, 'skipped', { reasons: ['interrupted'] });

    // Upstream problems first: a failed or blocked upstream, a failed blocking check, or data never made.
    const upstreamIds: Materialization['upstream'] = Object.create(null); // keyed by user-given asset names
    for (const up of asset.upstream) {
      const o = this.outcomes.get(up);
      if (o && (o.outcome === 'failed' || o.outcome === 'blocked' || o.outcome === 'skipped')) {
        return this.outcome(asset, 'blocked', { reasons: [`upstream:${up}`], error: `upstream ${up} ${o.outcome}` });
      }
      const rec = this.upstreamRecord(up);
      if (!rec?.data_hash) {
        return this.outcome(asset, 'blocked', {
          reasons: [`upstream:${up}`],
          error: `upstream ${up} has never been materialized; select it too (e.g. +${name})`,
        });
      }
      const failedChecks = failedBlockingChecks(rec);
      if (failedChecks.length) {
        const detail = failedChecks.map(({ name: n, check: c }) => `${n} (score ${c.score.toFixed(3)} < ${c.threshold})`);
        return this.outcome(asset, 'blocked', { reasons: failedChecks.map(({ name: n }) => `blocked:${n}`), error: `blocked by failed check ${detail.join(', ')}` });
      }
      upstreamIds[up] = { data_hash: rec.data_hash, materialization_id: rec.id };
    }
    const upstream = Object.fromEntries(Object.entries(upstreamIds).map(([up, u]) => [up, u.data_hash]));

    // The status pass already computed the key when every upstream was fresh; it still holds
    // if the upstreams' data did not change during this run (the common, all-fresh case).
    const unchanged = status.keyInputs !== null && asset.upstream.every((up) => status.keyInputs!.upstream[up] === upstream[up]);
    const keyInputs = unchanged ? status.keyInputs! : keyInputsFor(asset, upstream, status.observed, overrides);
    const cacheKey = unchanged ? status.cacheKey! : cacheKeyOf(keyInputs);
    const latest = status.latest;
    if (
      !this.options.force &&
      latest &&
      latest.cache_key === cacheKey &&
      status.last?.status !== 'failed' &&
      latest.data_hash &&
      this.store.check(latest.data_hash, latest.bytes) === 'ok'
    ) {
      return this.outcome(asset, 'fresh', { cache_key: cacheKey, data_hash: latest.data_hash, rows: latest.rows, materialization_id: latest.id });
    }
    const reasons = status.latest ? status.reasons.filter((r) => !r.startsWith('blocked:')) : ['missing'];
    if (!this.options.force) {
      const earlier = this.catalog.lookup.byCacheKey(name, cacheKey);
      if (earlier?.data_hash && this.store.check(earlier.data_hash, earlier.bytes) === 'ok') {
        const now = new Date().toISOString();
        const record: Materialization = {
          ...earlier,
          id: newId('mat'),
          run_id: this.id,
          outcome: 'cached',
          upstream: upstreamIds,
          started_at: now,
          finished_at: now,
          duration_ms: 0,
          reused_from: earlier.reused_from ?? earlier.id,
          error: null,
        };
        this.record(record);
        return this.outcome(asset, 'cached', { cache_key: cacheKey, data_hash: record.data_hash, rows: record.rows, materialization_id: record.id, reasons });
      }
    }
    return this.compute(asset, keyInputs, cacheKey, upstreamIds, reasons, overrides);
  }

  /** Computes an asset now (its kind's `compute`, retried on retryable errors), stores the value and records the outcome. */
  private async compute(
    asset: ResolvedAsset,
    keyInputs: KeyInputs,
    cacheKey: string,
    upstreamIds: Materialization['upstream'],
    reasons: string[],
    overrides: Overrides | undefined,
  ): Promise<AssetOutcome> {
    const name = asset.name;
    // An asset's code may block the event loop for long: the lock heartbeat must run on its own thread by now.
    heartbeat.start();
    this.emit({ type: 'asset-started', runId: this.id, asset: name, kind: asset.kind, reasons });
    const settings = effectiveSettings(asset, overrides);
    const warnings: string[] = [];
    const started = Date.now();
    const ctx = this.assetContext(name, settings?.seed, warnings);
    const runGenerator = settings ? generatorConfigsOf(assetKind(asset.kind, name)).withRunOptions(settings.generator, this.options.generatorOptions) : null;
    const base = this.recordBase(asset, cacheKey, keyInputs, upstreamIds, settings?.seed ?? null, runGenerator, started);
    try {
      const site = this.options.computeSite;
      if (site) {
        // Computed elsewhere (e.g. queue workers), which retry on their side; the store is shared. Jobs
        // carry the generator config without URL credentials: workers take secrets from their environment.
        const upstream: SiteJob['upstream'] = Object.create(null); // keyed by user-given asset names
        for (const [up, u] of Object.entries(upstreamIds)) upstream[up] = { data_hash: u.data_hash, format: (this.upstreamRecord(up)!.format ?? 'json') as StorageFormat };
        const stored = await site.compute({ runId: this.id, asset: name, cacheKey, upstream, seed: settings?.seed ?? null, generator: base.generator, retries: asset.def.retries }, ctx);
        if (this.signal.aborted) throw interrupted(name);
        return this.succeeded(asset, base, started, stored, reasons, warnings);
      }
      const inputs = this.loadInputs(asset, upstreamIds);
      const computed = await this.computeWithRetries(asset, inputs, { seed: settings?.seed ?? null, generator: runGenerator, stateDir: this.project.stateDir }, ctx);
      if (this.signal.aborted) throw interrupted(name);
      return this.succeeded(asset, base, started, this.storeValue(asset, computed), reasons, warnings);
    } catch (err) {
      return this.failed(asset, base, started, err, reasons, warnings);
    }
  }

  /** What the asset's code sees of the run: its seed, the signal, progress and warnings (kept in `warnings`). */
  private assetContext(name: string, seed: number | undefined, warnings: string[]): AssetContext {
    return {
      asset: name,
      runId: this.id,
      seed,
      root: this.project.root,
      signal: this.signal,
      progress: (done, total, detail) => this.emit({ type: 'asset-progress', runId: this.id, asset: name, done, total, detail }),
      warn: (message) => {
        warnings.push(message);
        this.emit({ type: 'asset-warning', runId: this.id, asset: name, message });
      },
      readObject: (hash) => this.store.get(hash),
    };
  }

  /** The fields a materialization of this computation records however it ends. */
  private recordBase(
    asset: ResolvedAsset,
    cacheKey: string,
    keyInputs: KeyInputs,
    upstreamIds: Materialization['upstream'],
    seed: number | null,
    runGenerator: GeneratorConfig | null,
    started: number,
  ) {
    return {
      run_id: this.id,
      asset: asset.name,
      kind: asset.kind,
      cache_key: cacheKey,
      key_inputs: keyInputs,
      upstream: upstreamIds,
      prompt_id: asset.prompt?.id ?? null,
      prompt_hash: asset.prompt?.hash ?? null,
      seed,
      // What is recorded: URL credentials removed (the generator itself gets the full config).
      generator: runGenerator ? publicGeneratorConfig(runGenerator) : null,
      started_at: new Date(started).toISOString(),
      reused_from: null,
    };
  }

  /** The asset's value, computed by its kind; retryable errors are retried with backoff, an interrupted run stops it. */
  private computeWithRetries(asset: ResolvedAsset, inputs: Record<string, unknown>, settings: MaterializeSettings, ctx: AssetContext): Promise<ComputedValue> {
    return withRetry(
      async () => {
        if (this.signal.aborted) throw interrupted(asset.name);
        return computeAsset(this.project, asset, inputs, settings, ctx, (data) => this.store.put(data));
      },
      {
        retries: asset.def.retries,
        minDelayMs: this.options.retryDelayMs ?? 500,
        maxDelayMs: ASSET_RETRY_MAX_DELAY_MS,
        maxRetryAfterMs: 0,
        retryAfter: RetryAfterUse.atLeast,
        retryable: isRetryable,
      },
      {
        signal: this.signal,
        onRetry: (error, retry) => this.emit({ type: 'asset-retry', runId: this.id, asset: asset.name, attempt: retry, error: errorMessage(error) }),
      },
    );
  }

  /** Writes the value (and its CSV copy, and the prompt it was made from) to the object store. */
  private storeValue(asset: ResolvedAsset, computed: ComputedValue): StoredAsset {
    const stored = storeComputed(this.store, asset, computed);
    this.decoded.set(stored.dataHash, computed.value);
    return stored;
  }

  /** Records a computed and stored value. */
  private succeeded(asset: ResolvedAsset, base: ReturnType<MaterializeRun['recordBase']>, started: number, stored: StoredAsset, reasons: string[], warnings: string[]): AssetOutcome {
    const finished = Date.now();
    const record: Materialization = {
      ...base,
      id: newId('mat'),
      status: 'success',
      outcome: 'materialized',
      data_hash: stored.dataHash,
      format: stored.format,
      csv_hash: stored.csvHash,
      bytes: stored.bytes,
      rows: stored.rows,
      finished_at: new Date(finished).toISOString(),
      duration_ms: finished - started,
      metadata: stored.metadata,
      checks: stored.checks,
      ...(stored.objects?.length ? { objects: stored.objects } : {}),
      warnings,
      error: null,
    };
    this.record(record);
    return this.outcome(asset, 'materialized', {
      cache_key: base.cache_key,
      data_hash: stored.dataHash,
      rows: stored.rows,
      duration_ms: record.duration_ms,
      reasons,
      materialization_id: record.id,
      warnings,
    });
  }

  /** Records a failed computation (an interrupted run says so rather than what the abort caused). */
  private failed(asset: ResolvedAsset, base: ReturnType<MaterializeRun['recordBase']>, started: number, err: unknown, reasons: string[], warnings: string[]): AssetOutcome {
    const finished = Date.now();
    const error = this.signal.aborted ? interrupted(asset.name) : err;
    const record: Materialization = {
      ...base,
      id: newId('mat'),
      status: 'failed',
      outcome: 'failed',
      data_hash: null,
      format: null,
      csv_hash: null,
      bytes: null,
      rows: null,
      finished_at: new Date(finished).toISOString(),
      duration_ms: finished - started,
      metadata: {},
      warnings,
      error: errorRecord(error),
    };
    this.record(record);
    return this.outcome(asset, 'failed', {
      cache_key: base.cache_key,
      duration_ms: record.duration_ms,
      error: errorMessage(error),
      reasons,
      materialization_id: record.id,
      warnings,
      ...(isSynthError(error) && error.exitCode > 1 ? { exit_code: error.exitCode } : {}),
    });
  }

  private loadInputs(asset: ResolvedAsset, upstream: Materialization['upstream']): Record<string, unknown> {
    const inputs: Record<string, unknown> = Object.create(null); // keyed by user-given dep keys
    for (const [key, depName] of Object.entries(asset.deps)) {
      const { data_hash } = upstream[depName];
      let value = this.decoded.get(data_hash);
      if (value === undefined) {
        const rec = this.upstreamRecord(depName)!;
        value = decodeValue(this.store.getText(data_hash), (rec.format ?? 'json') as StorageFormat);
        this.decoded.set(data_hash, value);
      }
      // Each asset gets its own copy, so one asset mutating its input cannot change another's.
      inputs[key] = structuredClone(value);
    }
    return inputs;
  }

  private record(m: Materialization): void {
    this.made.set(m.asset, m);
    this.pending.push(m);
  }

  /** Asks for a flush: at once if the last one is 250 ms old, else when it will be (records are batched, not written one by one). */
  private requestFlush(): void {
    if (this.flushTimer) return;
    const wait = Math.max(0, FLUSH_EVERY_MS - (Date.now() - this.lastFlush));
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, wait);
  }

  /**
   * Writes pending records to the catalog (checking first that the run lock is still ours), then
   * announces their assets as finished. A write that fails (disk full, lock lost) stops the run: no
   * new asset starts, nothing more is recorded, and `execute` throws the error. Never rejects.
   */
  private flush(): Promise<void> {
    this.lastFlush = Date.now();
    this.flushing = this.flushing.then(async () => {
      if (this.fatal || this.pending.length === 0) return;
      const batch = this.pending.splice(0);
      try {
        this.lock.assertHeld();
        await this.catalog.commit({ materializations: batch });
      } catch (err) {
        this.fatal = err;
        this.stop.abort();
        return;
      }
      for (const m of batch) {
        const outcome = this.unannounced.get(m.id);
        if (!outcome) continue;
        this.unannounced.delete(m.id);
        this.emit({ type: 'asset-finished', runId: this.id, outcome, record: m });
      }
    });
    return this.flushing;
  }
}

function interrupted(asset: string): MaterializationError {
  return new MaterializationError({
    what: `Materializing "${asset}" was interrupted.`,
    why: 'The run was stopped (signal or shutdown) before the asset finished.',
    fix: 'Run `synth materialize` again: finished assets and cached LLM responses are reused.',
    asset,
  });
}
