import path from 'node:path';
import { ZodError } from 'zod';
import { isSynthError, acquireLock, type Lock, LockTimeoutError, type ProjectPaths, ObjectStore } from '../engine/index.js';
import { type DeliveredEvent, type DeliveryContext, deliverEvent } from './deliver-event.js';
import { type LineageSettings, resolveLineageSettings } from './lineage-settings.js';
import { isMlflowError, MlflowClient, MlflowErrorCode } from './mlflow/index.js';
import { Outbox } from './outbox.js';
import { LineageTag } from './run-payload.js';
import { RunLinks } from './run-links.js';
import { SecretScrubber } from './secret-scrubber.js';

/** Options of {@link deliverLineage}. */
export interface DeliverLineageOptions {
  /**
   * Time budget: no new event is started after it, and each request times out within it; what is left
   * stays pending for the next command. Default: `mlflow.deliveryTimeoutMs` (30000).
   * @example 5000
   */
  timeoutMs?: number;
  /**
   * How long to wait for another process that is delivering (the delivery lock). Default: 0 (that
   * process delivers, and what it misses is delivered next time).
   * @example 30000
   */
  lockWaitMs?: number;
  /** Move events MLflow rejected for good back into the queue first. Default: false. */
  retryFailed?: boolean;
  /** Environment to read MLFLOW_TRACKING_URI and secrets from. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** An event MLflow rejected for good (moved to `.synth/outbox/failed/`). */
export interface RejectedEvent {
  entry: string;
  asset?: string;
  materializationId?: string;
  error: string;
}

/** What a delivery did, and what is left. */
export interface DeliveryReport {
  /** False when lineage is off (no tracking URI); nothing else is then meaningful but `pending`. */
  enabled: boolean;
  trackingUri: string | null;
  experiment: string | null;
  experimentId: string | null;
  delivered: DeliveredEvent[];
  rejected: RejectedEvent[];
  /** Events still waiting in the outbox. */
  pending: number;
  /** Events in `outbox/failed/` (rejected by MLflow; `synth lineage push --retry-failed` requeues them). */
  failed: number;
  /** Why delivery stopped before the outbox was empty (server down, time budget, another process delivering). */
  stopped: string | null;
  /** True when the stop reason is transient: a later attempt may deliver the rest. */
  retryLater: boolean;
  /** What delivered runs lack (each said once), e.g. prompt versions a server without a prompt registry refused. */
  warnings: string[];
}

/** Errors that say "this event is wrong", not "the server is unavailable": retrying the same event cannot help. */
const PERMANENT_CODES = new Set<string>([MlflowErrorCode.INVALID_PARAMETER_VALUE, MlflowErrorCode.BAD_REQUEST, MlflowErrorCode.INVALID_INPUT, MlflowErrorCode.PARAM_VALUE_CHANGED]);

/**
 * Delivers pending lineage events to MLflow, oldest first, under the project's `lineage` lock (so two
 * processes never deliver the same event at once). Never throws for MLflow trouble: an unreachable,
 * slow or busy server stops delivery and leaves the rest pending; an event MLflow rejects for good is
 * set aside in `outbox/failed/` so the others still go through.
 * @throws UsageError only for a bad synth.config.json.
 */
export async function deliverLineage(project: Pick<ProjectPaths, 'root' | 'stateDir'>, options: DeliverLineageOptions = {}): Promise<DeliveryReport> {
  const outbox = new Outbox(project.stateDir);
  const settings = resolveLineageSettings(project, options.env);
  const report = emptyReport(settings);
  const finish = (): DeliveryReport => {
    report.pending = outbox.count();
    report.failed = outbox.failedCount();
    return report;
  };
  if (!settings) return finish();
  if (options.retryFailed) outbox.retryFailed();
  if (outbox.count() === 0) return finish();

  const timeoutMs = options.timeoutMs ?? settings.deliveryTimeoutMs;
  const deadline = Date.now() + timeoutMs;
  const lock = await deliveryLock(project, options, report);
  if (!lock) return finish();
  const client = deliveryClient(settings, timeoutMs);
  // A hard deadline: a server that accepts connections but never answers must not hold the command.
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      void client.destroy().catch(() => undefined);
    },
    Math.max(0, deadline - Date.now()),
  );
  try {
    const experiment = await client.getOrCreateExperiment(settings.experiment, { tags: { 'synthgraph.project': path.basename(project.root) } });
    report.experimentId = experiment.experiment_id;
    const links = new RunLinks(project.stateDir);
    const ctx: DeliveryContext = {
      client,
      experimentId: experiment.experiment_id,
      settings,
      store: ObjectStore.of(project.stateDir),
      root: project.root,
      scrubber: new SecretScrubber(options.env),
      runIdOf: runIdLookup(client, experiment.experiment_id, links, report.trackingUri!),
      prompts: new Map(),
    };
    await deliverPending(outbox, ctx, links, report, { deadline, timeoutMs });
  } catch (err) {
    report.stopped = timedOut ? `time budget of ${timeoutMs} ms used up (MLflow too slow)` : describe(err);
    report.retryLater = timedOut || !isMlflowError(err) || err.retryable || err.errorCode === MlflowErrorCode.CONNECTION_ERROR || (err.status ?? 0) >= 500;
  } finally {
    clearTimeout(timer);
    if (!timedOut) await client.close().catch(() => undefined);
    await lock.release();
  }
  return finish();
}

/** The report of a delivery that has not started. */
function emptyReport(settings: LineageSettings | undefined): DeliveryReport {
  return {
    enabled: !!settings,
    trackingUri: settings ? displayUri(settings.trackingUri) : null,
    experiment: settings?.experiment ?? null,
    experimentId: null,
    delivered: [],
    rejected: [],
    pending: 0,
    failed: 0,
    stopped: null,
    retryLater: false,
    warnings: [],
  };
}

/** The delivery lock, or undefined (said in the report) when another process holds it past the wait. */
async function deliveryLock(project: Pick<ProjectPaths, 'stateDir'>, options: DeliverLineageOptions, report: DeliveryReport): Promise<Lock | undefined> {
  try {
    return await acquireLock(path.join(project.stateDir, 'locks'), 'lineage', { purpose: 'lineage delivery', waitMs: options.lockWaitMs ?? 0 });
  } catch (err) {
    if (!(err instanceof LockTimeoutError)) throw err;
    report.stopped = `another process is delivering lineage (${err.why ?? 'lock busy'})`;
    report.retryLater = true;
    return undefined;
  }
}

/** An MLflow client whose requests fit in the time budget. */
function deliveryClient(settings: LineageSettings, timeoutMs: number): MlflowClient {
  const requestTimeoutMs = Math.min(Math.max(timeoutMs, 1_000), 60_000);
  return new MlflowClient({
    trackingUri: settings.trackingUri,
    connectTimeoutMs: Math.min(requestTimeoutMs, 5_000),
    headersTimeoutMs: requestTimeoutMs,
    bodyTimeoutMs: requestTimeoutMs,
    // The outbox retries on the next command; within one delivery, a short backoff is enough.
    retry: { retries: 2, minDelayMs: 200, maxDelayMs: 2_000, maxRetryAfterMs: 2_000 },
  });
}

/** The MLflow run of a materialization delivered before: from the run links, else searched by tag (once per delivery). */
function runIdLookup(client: MlflowClient, experimentId: string, links: RunLinks, trackingUri: string): (materializationId: string) => Promise<string | undefined> {
  const found = new Map<string, string | undefined>();
  return async (materializationId) => {
    const link = links.get(materializationId, trackingUri);
    if (link) return link.run_id;
    if (!found.has(materializationId)) {
      found.set(materializationId, (await client.findRunByTag(experimentId, LineageTag.materializationId, materializationId))?.info.run_id);
    }
    return found.get(materializationId);
  };
}

/**
 * Delivers the outbox's events in order until it is empty or the time budget is used up. An event
 * that cannot be read, or that MLflow rejects for good, is set aside; any other error stops delivery.
 */
async function deliverPending(outbox: Outbox, ctx: DeliveryContext, links: RunLinks, report: DeliveryReport, budget: { deadline: number; timeoutMs: number }): Promise<void> {
  for (const entry of outbox.list()) {
    if (Date.now() > budget.deadline) {
      report.stopped = `time budget of ${budget.timeoutMs} ms used up`;
      report.retryLater = true;
      return;
    }
    let event;
    try {
      event = outbox.read(entry);
    } catch (err) {
      const error = err instanceof ZodError ? 'not a valid lineage event' : (err as Error).message;
      outbox.reject(entry, error);
      report.rejected.push({ entry: entry.name, error });
      continue;
    }
    try {
      const done = await deliverEvent(event, ctx);
      links.add({
        materialization_id: done.materializationId,
        run_id: done.runId,
        experiment_id: done.experimentId,
        tracking_uri: report.trackingUri!,
        model_id: done.modelId,
        delivered_at: new Date().toISOString(),
      });
      outbox.remove(entry);
      report.delivered.push(done);
      for (const w of done.warnings) if (!report.warnings.includes(w)) report.warnings.push(w);
    } catch (err) {
      if (!isMlflowError(err) || !PERMANENT_CODES.has(err.errorCode)) throw err;
      const error = `${err.what} ${err.mlflowMessage}`;
      outbox.reject(entry, error);
      report.rejected.push({ entry: entry.name, asset: event.materialization.asset, materializationId: event.materialization.id, error });
    }
  }
}

function describe(err: unknown): string {
  if (isSynthError(err)) return [err.what, err.why].filter(Boolean).join(' ');
  return err instanceof Error ? err.message : String(err);
}

/** The tracking URI without credentials (it is printed and stored in run links). */
export function displayUri(uri: string): string {
  try {
    const url = new URL(uri);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  } catch {
    return uri;
  }
}
