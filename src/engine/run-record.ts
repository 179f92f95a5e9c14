import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { Catalog } from './catalog.js';
import type { Run } from './catalog-records.js';
import { type AssetOutcome, type EngineEvent, type EventListener, Outcome } from './events.js';
import { type Lock, withLock } from './lock.js';

// A run's records in the catalog (started, finished), apart from the executor: a run with nothing
// to do (recordFreshRun) is recorded without loading what computing assets needs.

/** What `materialize` returns (the contract's `synth materialize --json`). */
export interface MaterializeResult {
  run_id: string;
  ok: boolean;
  assets: AssetOutcome[];
}

/** A new time-ordered id: sortable by creation, unique across processes. */
export function newId(prefix: string): string {
  return `${prefix}_${Date.now().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

/**
 * Records a run as started, before anything runs: a run that never finishes (killed) is seen as
 * interrupted, and `gc` keeps what a live run wrote but has not recorded yet.
 */
export async function startRun(id: string, trigger: string | undefined, selected: string[], catalog: Catalog, lock: Lock, emit: (e: EngineEvent) => void): Promise<Run> {
  const run: Run = {
    id,
    started_at: new Date().toISOString(),
    finished_at: null,
    pid: process.pid,
    host: hostname(),
    trigger: trigger ?? 'cli',
    selection: [...selected],
    ok: null,
    counts: {},
  };
  lock.assertHeld();
  await catalog.commit({ runs: [run] });
  emit({ type: 'run-started', runId: id, trigger: run.trigger, assets: selected });
  return run;
}

/** Records a run as finished with its assets' outcomes (in selection order), and says so. */
export async function finishRun(run: Run, assets: AssetOutcome[], catalog: Catalog, lock: Lock, emit: (e: EngineEvent) => void): Promise<MaterializeResult> {
  const counts = Object.fromEntries(Object.values(Outcome).map((o) => [o, 0])) as Record<Outcome, number>;
  for (const a of assets) counts[a.outcome]++;
  const ok = counts.failed === 0 && counts.blocked === 0 && counts.skipped === 0;
  lock.assertHeld();
  await catalog.commit({ runs: [{ ...run, finished_at: new Date().toISOString(), ok, counts }] });
  emit({ type: 'run-finished', runId: run.id, ok, counts });
  return { run_id: run.id, ok, assets };
}

/**
 * A run with nothing to do, known without loading the definitions: every selected asset is fresh
 * (`fresh`: their outcomes, in dependency order, as the status snapshot gives them; see
 * src/inspect/status-snapshot.ts). Recorded and announced exactly as `materialize` would record a
 * run that found them all fresh, under the run lock. Undefined when `stillFresh`, asked once the
 * lock is held, says another run changed the catalog meanwhile: the caller then runs `materialize`.
 */
export async function recordFreshRun(
  stateDir: string,
  fresh: readonly AssetOutcome[],
  options: { trigger?: string; onEvent?: EventListener; stillFresh: () => boolean },
): Promise<MaterializeResult | undefined> {
  const emit = (e: EngineEvent): void => {
    try {
      options.onEvent?.(e);
    } catch {
      // A listener's failure must not break the run.
    }
  };
  return withLock(
    path.join(stateDir, 'locks'),
    'run',
    { purpose: `materialize (${options.trigger ?? 'cli'})`, onWait: (owner, message) => emit({ type: 'lock-wait', owner, message }) },
    async (lock) => {
      if (!options.stillFresh()) return undefined;
      const catalog = new Catalog(stateDir);
      const run = await startRun(
        newId('run'),
        options.trigger,
        fresh.map((a) => a.asset),
        catalog,
        lock,
        emit,
      );
      for (const outcome of fresh) emit({ type: 'asset-finished', runId: run.id, outcome });
      return finishRun(run, [...fresh], catalog, lock, emit);
    },
  );
}
