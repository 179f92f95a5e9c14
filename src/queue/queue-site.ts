import { Queue, QueueEvents, type JobsOptions } from 'bullmq';
import { hostname } from 'node:os';
import { type AssetContext, type ComputeSite, computeSiteJob, type Project, type SiteJob, type StoredAsset, SynthError, withRunOptions } from '../engine/index.js';
import { datasetParts, shardRanges } from './dataset-parts.js';
import type { Fingerprint } from './fingerprint.js';
import { AssetResultSchema, type JobData, ProgressSchema, ShardResultSchema } from './job-schema.js';
import { assetJobId, QUEUE_NAME, QUEUE_PREFIX, shardJobId } from './queue-names.js';
import type { RedisLocation } from './queue-url.js';
import { checkRedis, redisOptions } from './redis-connection.js';
import { decodeJobError } from './remote-error.js';
import { pathStore, type SharedStore } from './shared-store.js';

/** Raised when the queue's Redis stays unreachable during a run. */
export class QueueUnavailableError extends SynthError {}

/** Options of the coordinator's side of the queue. */
export interface QueueSiteOptions {
  /** The queue's Redis. */
  at: RedisLocation;
  /** The coordinator's definitions fingerprint, sent with every job. */
  fingerprint: Fingerprint;
  /** Most shards a dataset is cut into (its generator's parts, grouped). 1 turns sharding off. Default: 8. */
  maxShards?: number;
  /** How long Redis may stay unreachable before the run fails, in ms. Default: 10000. */
  unreachableMs?: number;
  /** Base delay of the exponential backoff between a job's attempts, in ms. Default: 500. */
  retryDelayMs?: number;
}

interface Waiter {
  resolve(value: unknown): void;
  reject(err: unknown): void;
  progress?(data: unknown): void;
  /** The run's signal: aborting it withdraws the job. */
  signal: AbortSignal;
}

/** How often jobs still awaited are looked up directly, in case their event was missed (e.g. across a reconnection). */
const SWEEP_EVERY_MS = 2000;

/** Finished jobs are kept a while for inspection (BullMQ's own tools), then removed. */
const KEEP_COMPLETED = { age: 3600, count: 10_000 };
const KEEP_FAILED = { age: 7 * 24 * 3600 };

/** How long closing waits for BullMQ's own shutdown once Redis is gone. */
const CLOSE_WAIT_MS = 2000;

/**
 * The coordinator's side of the queue: a compute site that enqueues each asset as a BullMQ job
 * and waits for its result through `QueueEvents`. A dataset whose generator splits its run is
 * cut into shard jobs; once all are done, the coordinator runs the generator itself, which finds
 * every shard's responses in the shared cache and merges them in a fixed order.
 */
export class QueueSite implements ComputeSite {
  private readonly waiters = new Map<string, Waiter>();
  private readonly store: SharedStore;
  private failure?: QueueUnavailableError;
  private downSince?: number;
  private downTimer?: NodeJS.Timeout;
  private closed = false;
  private sweeper?: NodeJS.Timeout;
  private sweeping = false;

  private constructor(
    private readonly project: Project,
    private readonly options: QueueSiteOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    this.store = pathStore(project.stateDir);
  }

  /** Checks Redis answers (a usage error if not), then connects the queue and its event stream. */
  static async open(project: Project, options: QueueSiteOptions): Promise<QueueSite> {
    await checkRedis(options.at);
    // The producer fails fast while Redis is away rather than queueing commands in memory. Jobs
    // that become ready together (a fan of assets) are added in one round trip: ioredis pipelines
    // the commands issued in one tick of the event loop (what `addBulk` does, without waiting to batch).
    const queue = new Queue(QUEUE_NAME, { connection: redisOptions(options.at, { enableOfflineQueue: false, enableAutoPipelining: true }), prefix: QUEUE_PREFIX });
    queue.on('error', () => {}); // connection errors are watched below, as state changes
    await queue.waitUntilReady();
    // QueueEvents reads the event stream from "now" only once its first read is sent, which can be
    // after the first jobs finished: it starts from the stream's current end instead.
    const last = (
      await ((await queue.client) as unknown as { xrevrange(...args: unknown[]): Promise<[string, string[]][]> }).xrevrange(queue.keys.events, '+', '-', 'COUNT', 1)
    )[0]?.[0];
    const events = new QueueEvents(QUEUE_NAME, { connection: redisOptions(options.at), prefix: QUEUE_PREFIX, lastEventId: last ?? '0-0' });
    events.on('error', () => {});
    const site = new QueueSite(project, options, queue, events);
    await events.waitUntilReady();
    site.watch(await queue.client);
    site.watch(await events.client);
    events.on('completed', ({ jobId, returnvalue }) => site.settle(jobId, (w) => w.resolve(typeof returnvalue === 'string' ? JSON.parse(returnvalue) : returnvalue)));
    events.on('failed', ({ jobId, failedReason }) => site.settle(jobId, (w) => w.reject(decodeJobError(failedReason, jobId.split('|')[1] ?? jobId, options.at.display))));
    events.on('progress', ({ jobId, data }) => site.waiters.get(jobId)?.progress?.(data));
    site.sweeper = setInterval(() => void site.sweep(), SWEEP_EVERY_MS);
    return site;
  }

  /** Why the queue could not be used, when Redis went away during the run. */
  get error(): QueueUnavailableError | undefined {
    return this.failure;
  }

  async compute(job: SiteJob, ctx: AssetContext): Promise<StoredAsset> {
    this.throwIfDown();
    const parts = await datasetParts(this.project, this.store, job, ctx);
    const maxShards = this.options.maxShards ?? 8;
    if (parts && parts.count >= 2 && maxShards >= 2) return this.computeSharded(job, ctx, parts.count, maxShards);
    const result = AssetResultSchema.parse(
      await this.run(assetJobId(job.runId, job.asset), this.data(job), job.retries, ctx, (data) => {
        const p = ProgressSchema.safeParse(data);
        if (p.success) ctx.progress(p.data.done, p.data.total, p.data.detail);
      }),
    );
    for (const w of result.warnings) ctx.warn(w);
    return result.stored;
  }

  /**
   * Shards run on the workers (each sends its part of the first-round requests into the shared
   * LLM cache); the coordinator then runs the generator, which reads them back in batch order, so
   * the rows are those of a single-process run.
   */
  private async computeSharded(job: SiteJob, ctx: AssetContext, count: number, maxShards: number): Promise<StoredAsset> {
    const ranges = shardRanges(count, maxShards);
    let partsDone = 0;
    let shardsDone = 0;
    const totals: Record<string, number> = Object.create(null);
    const results = await Promise.all(
      ranges.map(async (shard) => {
        const r = ShardResultSchema.parse(await this.run(shardJobId(job.runId, job.asset, shard.index), this.data(job, shard), job.retries, ctx));
        partsDone += shard.to - shard.from;
        ctx.progress(partsDone, count, { shards_done: ++shardsDone, shards: ranges.length });
        return r;
      }),
    );
    for (const r of results) {
      for (const w of r.warnings) ctx.warn(w);
      for (const [k, v] of Object.entries(r.counts)) totals[k] = (totals[k] ?? 0) + v;
    }
    this.throwIfDown();
    const stored = await computeSiteJob(this.project, this.store, { ...job, generator: this.withSharedLimits(job.generator) }, ctx);
    return { ...stored, metadata: { ...stored.metadata, queue_shards: { shards: ranges.length, parts: count, ...totals } } };
  }

  private data(job: SiteJob, shard?: JobData['shard']): JobData {
    return { v: 1, fingerprint: this.options.fingerprint.hash, fingerprintParts: this.options.fingerprint.parts, job, ...(shard ? { shard } : {}) };
  }

  /** The generator config with the shared rpm/tpm budgets, when the provider takes them. */
  private withSharedLimits(config: SiteJob['generator']): SiteJob['generator'] {
    return config ? withRunOptions(config as never, { sharedLimiter: this.options.at.url }) : null;
  }

  /** Adds a job (idempotent: its id is the run's and the asset's) and waits for its result. */
  private run(jobId: string, data: JobData, retries: number, ctx: AssetContext, progress?: (data: unknown) => void): Promise<unknown> {
    const opts: JobsOptions = {
      jobId,
      attempts: retries + 1,
      backoff: { type: 'exponential', delay: this.options.retryDelayMs ?? 500 },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    };
    return new Promise((resolve, reject) => {
      this.waiters.set(jobId, { resolve, reject, progress, signal: ctx.signal });
      if (ctx.signal.aborted) return this.withdraw(ctx.signal);
      this.hookAbort(ctx.signal);
      this.queue
        .add(data.shard ? 'shard' : 'asset', data, opts)
        .catch((err: unknown) => this.settle(jobId, (w) => w.reject(this.failure ?? this.unavailable(`adding the job failed: ${(err as Error).message}`))));
    });
  }

  /** One abort listener per run signal, not one per job (a run may await hundreds). */
  private readonly hooked = new WeakSet<AbortSignal>();
  private hookAbort(signal: AbortSignal): void {
    if (this.hooked.has(signal)) return;
    this.hooked.add(signal);
    signal.addEventListener('abort', () => this.withdraw(signal), { once: true });
  }

  /** Rejects the jobs awaited for an aborted run; those still waiting are removed from the queue (one a worker holds finishes there, unrecorded). */
  private withdraw(signal: AbortSignal): void {
    for (const [id, w] of [...this.waiters]) {
      if (w.signal !== signal) continue;
      this.waiters.delete(id);
      void this.queue.remove(id).catch(() => {});
      w.reject(signal.reason);
    }
  }

  /** Settles awaited jobs that finished without their event reaching us (a safety net: events are the fast path). */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.failure || this.waiters.size === 0) return;
    this.sweeping = true;
    try {
      for (const id of [...this.waiters.keys()]) {
        const job = await this.queue.getJob(id);
        if (!job?.finishedOn) continue;
        const state = await job.getState();
        if (state === 'completed') this.settle(id, (w) => w.resolve(job.returnvalue));
        else if (state === 'failed') this.settle(id, (w) => w.reject(decodeJobError(job.failedReason, id.split('|')[1] ?? id, this.options.at.display)));
      }
    } catch {
      // Redis away: the watchdog decides.
    } finally {
      this.sweeping = false;
    }
  }

  private settle(jobId: string, f: (w: Waiter) => void): void {
    const w = this.waiters.get(jobId);
    if (!w) return;
    this.waiters.delete(jobId);
    f(w);
  }

  /** Fails the run's waiting jobs once a connection to Redis stays down longer than `unreachableMs`. */
  private watch(client: unknown): void {
    const c = client as { on(event: 'close' | 'ready', f: () => void): unknown };
    c.on('close', () => {
      if (this.closed || this.failure) return;
      this.downSince ??= Date.now();
      this.downTimer ??= setTimeout(() => this.giveUp(), this.options.unreachableMs ?? 10_000);
    });
    c.on('ready', () => {
      clearTimeout(this.downTimer);
      this.downTimer = undefined;
      this.downSince = undefined;
    });
  }

  private giveUp(): void {
    if (this.closed) return;
    const seconds = ((Date.now() - (this.downSince ?? Date.now())) / 1000).toFixed(1);
    this.failure = this.unavailable(`the connection has been closed for ${seconds} s`);
    for (const id of [...this.waiters.keys()]) this.settle(id, (w) => w.reject(this.failure));
  }

  private unavailable(why: string): QueueUnavailableError {
    return new QueueUnavailableError({
      what: `The queue's Redis at ${this.options.at.display} went away during the run.`,
      why: `${why[0].toUpperCase()}${why.slice(1)}; the assets it was computing are recorded as failed (coordinator ${hostname()}:${process.pid}).`,
      fix: 'Bring Redis back (or point --queue at a running one) and run `synth materialize` again: finished assets are reused, the rest is recomputed.',
    });
  }

  private throwIfDown(): void {
    if (this.failure) throw this.failure;
  }

  /** Closes the queue and its event stream; bounded, even when Redis went away (a daemon closes one per tick and must go on). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.downTimer);
    clearInterval(this.sweeper);
    // close() is called first even with Redis gone: it sets the closing flags that end QueueEvents'
    // read loop, which otherwise retries on a timer and keeps the process alive after the run.
    const closing = Promise.all([this.events.close(), this.queue.close()]).then(
      () => true,
      () => true,
    );
    // With Redis away a clean close waits for pending commands for ever: the clients are cut.
    if (this.failure || this.downSince !== undefined) await this.disconnect();
    if (await settlesWithin(closing, CLOSE_WAIT_MS)) return;
    await this.disconnect(); // Redis went away while closing
    await settlesWithin(closing, CLOSE_WAIT_MS);
  }

  private async disconnect(): Promise<void> {
    for (const client of await Promise.all([this.queue.client, this.events.client].map((c) => c.catch(() => undefined))))
      (client as { disconnect?(): void } | undefined)?.disconnect?.();
  }
}

/** True once `p` resolved, false when `ms` passed first. */
async function settlesWithin(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms).unref()));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
