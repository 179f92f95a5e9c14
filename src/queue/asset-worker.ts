import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { hostname } from 'node:os';
import { type AssetContext, computeSiteJob, isRetryable, MaterializationError, type Project, withRunOptions } from '../engine/index.js';
import { datasetParts } from './dataset-parts.js';
import { definitionsFingerprint, fingerprintDifference } from './fingerprint.js';
import { type AssetResult, JobDataSchema, type ShardResult } from './job-schema.js';
import { QUEUE_NAME, QUEUE_PREFIX } from './queue-names.js';
import type { RedisLocation } from './queue-url.js';
import { checkRedis, redisOptions } from './redis-connection.js';
import { encodeJobError } from './remote-error.js';
import { pathStore } from './shared-store.js';

/** Options of `synth worker`. */
export interface AssetWorkerOptions {
  /** The queue's Redis. */
  at: RedisLocation;
  /** Jobs computed at once by this process. Default: 1 (CPU-bound assets gain nothing from more). */
  concurrency?: number;
  /**
   * How long a job's lock lasts without renewal, and how often stalled jobs are looked for, in ms:
   * a job whose worker died is picked up by another one within about twice this. Default: 30000.
   */
  stallMs?: number;
  /** What the worker reports (one event per job start and end). */
  onEvent?: (event: WorkerEvent) => void;
}

/** What a worker reports. */
export type WorkerEvent =
  | { event: 'ready'; worker: string; queue: string; redis: string; fingerprint: string }
  | { event: 'job-started'; worker: string; job: string; asset: string; shard: number | null; attempt: number }
  | { event: 'job-finished'; worker: string; job: string; asset: string; shard: number | null; duration_ms: number; data_hash: string | null }
  | { event: 'job-failed'; worker: string; job: string; asset: string; shard: number | null; duration_ms: number; error: string; will_retry: boolean }
  | { event: 'warning'; worker: string; message: string }
  | { event: 'closed'; worker: string };

/** A running worker. */
export interface AssetWorker {
  readonly id: string;
  /** Stops taking jobs and waits for the running ones to finish (graceful shutdown). */
  close(): Promise<void>;
}

/** Progress is sent to Redis at most this often per job (every update is a Redis round trip and a stream entry). */
const PROGRESS_EVERY_MS = 250;

/**
 * `synth worker`: takes asset and shard jobs from the queue, computes them from the local
 * project's definitions, writes the objects to the shared store and returns what the
 * coordinator records. A job from a coordinator with other definitions is refused.
 */
export async function startAssetWorker(project: Project, options: AssetWorkerOptions): Promise<AssetWorker> {
  const { at } = options;
  const { warnings } = await checkRedis(at);
  const id = `${hostname()}:${process.pid}`;
  const emit = (e: WorkerEvent) => options.onEvent?.(e);
  for (const message of warnings) emit({ event: 'warning', worker: id, message });
  const fingerprint = definitionsFingerprint(project);
  const store = pathStore(project.stateDir);
  const stallMs = options.stallMs ?? 30_000;

  const processor = async (job: Job): Promise<AssetResult | ShardResult> => {
    const parsed = JobDataSchema.safeParse(job.data);
    if (!parsed.success) {
      throw new UnrecoverableError(
        encodeJobError(
          new MaterializationError({
            what: `Worker ${id} cannot read job ${job.id}.`,
            why: parsed.error.issues[0]?.message,
            fix: 'Run the same synthgraph version on the coordinator and every worker.',
          }),
        ),
      );
    }
    const data = parsed.data;
    const asset = data.job.asset;
    const shard = data.shard?.index ?? null;
    if (data.fingerprint !== fingerprint.hash) {
      const differ = fingerprintDifference(fingerprint.parts, data.fingerprintParts);
      const error = new MaterializationError({
        what: `Worker ${id} refused "${asset}": its definitions differ from the coordinator's.`,
        why: `Different ${differ.join(', ')} (worker ${describe(fingerprint.parts, differ)}; coordinator ${describe(data.fingerprintParts, differ)}). Computing it would store data the coordinator's definitions did not ask for.`,
        fix: `Check out the same project version (definitions, prompts, synthgraph version) on every worker and restart it (worker root: ${project.root}).`,
        asset,
      });
      emit({ event: 'job-failed', worker: id, job: String(job.id), asset, shard, duration_ms: 0, error: `${error.what} ${error.why}`, will_retry: false });
      throw new UnrecoverableError(encodeJobError(error));
    }
    emit({ event: 'job-started', worker: id, job: String(job.id), asset, shard, attempt: job.attemptsMade + 1 });
    const started = Date.now();
    const jobWarnings: string[] = [];
    let lastProgress = 0;
    const controller = new AbortController();
    const ctx: AssetContext = {
      asset,
      runId: data.job.runId,
      seed: data.job.seed ?? undefined,
      root: project.root,
      signal: controller.signal,
      progress: (done, total, detail) => {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS && done < total) return;
        lastProgress = now;
        void job.updateProgress({ done, total, ...(detail ? { detail } : {}) }).catch(() => {});
      },
      warn: (message) => jobWarnings.push(message),
      readObject: (hash) => store.get(hash),
    };
    // The rpm/tpm budgets of an LLM are shared by every worker through this Redis.
    const siteJob = { ...data.job, generator: data.job.generator ? withRunOptions(data.job.generator as never, { sharedLimiter: at.url }) : null };
    try {
      let result: AssetResult | ShardResult;
      if (data.shard) {
        const parts = await datasetParts(project, store, siteJob, ctx);
        if (!parts)
          throw new MaterializationError({
            what: `Worker ${id} got a shard of "${asset}", whose generator cannot be split here.`,
            fix: 'Run the same synthgraph version on the coordinator and every worker.',
            asset,
          });
        const counts = await parts.generator.prepareParts!(parts.request, data.shard.from, data.shard.to);
        result = { counts, warnings: jobWarnings, worker: id };
      } else {
        const stored = await computeSiteJob(project, store, siteJob, ctx);
        result = { stored, warnings: jobWarnings, worker: id };
      }
      emit({ event: 'job-finished', worker: id, job: String(job.id), asset, shard, duration_ms: Date.now() - started, data_hash: 'stored' in result ? result.stored.dataHash : null });
      return result;
    } catch (err) {
      const retry = isRetryable(err) && job.attemptsMade + 1 < (job.opts.attempts ?? 1);
      emit({ event: 'job-failed', worker: id, job: String(job.id), asset, shard, duration_ms: Date.now() - started, error: errorText(err), will_retry: retry });
      // Errors that another attempt cannot fix (bad input, a broken rule...) fail the job at once.
      throw isRetryable(err) ? new Error(encodeJobError(err)) : new UnrecoverableError(encodeJobError(err));
    }
  };

  const worker = new Worker(QUEUE_NAME, processor, {
    connection: redisOptions(at),
    prefix: QUEUE_PREFIX,
    concurrency: Math.max(1, options.concurrency ?? 1),
    lockDuration: stallMs,
    stalledInterval: stallMs,
    // A job whose worker died twice is failed rather than passed on forever.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', () => {}); // connection errors: ioredis reconnects by itself
  void worker.run();
  await worker.waitUntilReady();
  emit({ event: 'ready', worker: id, queue: `${QUEUE_PREFIX}:${QUEUE_NAME}`, redis: at.display, fingerprint: fingerprint.hash });
  return {
    id,
    close: async () => {
      await worker.close();
      emit({ event: 'closed', worker: id });
    },
  };
}

function describe(parts: Record<string, string>, keys: string[]): string {
  return keys.map((k) => `${k} ${(parts[k] ?? 'none').slice(0, 12)}`).join(', ');
}

function errorText(err: unknown): string {
  const e = err as { what?: string; why?: string; message?: string };
  return e?.what ? [e.what, e.why].filter(Boolean).join(' ') : String(e?.message ?? err);
}
