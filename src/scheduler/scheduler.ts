import { createTask, type Logger, type ScheduledTask } from 'node-cron';
import {
  Catalog,
  type ComputeSite,
  mayBeRunning,
  type ScheduleState,
  isSynthError,
  type EngineEvent,
  type EventListener,
  materialize,
  type MaterializeOptions,
  type Project,
  resolveSelection,
  type SynthError,
} from '../engine/index.js';
import type { CheckedSchedule } from './checked-schedule.js';
import { DaemonEvent, type DaemonLog } from './daemon-log.js';
import { nextFireTimes, previousFireTime } from './fire-times.js';
import { seedForFire } from './run-seed.js';

/** A schedule's last outcome, as kept in the catalog (`schedules.<name>.last_outcome`). */
export const ScheduleOutcome = {
  /** The tick's run is going (or the daemon died during it). */
  running: 'running',
  /** Every selected asset succeeded (materialized, cached or fresh). */
  ok: 'ok',
  /** Some asset failed or was blocked; the daemon carries on. */
  failed: 'failed',
  /** The daemon stopped and aborted the run after the grace period. */
  interrupted: 'interrupted',
  /** The tick could not run (definitions do not load, selection broke...). */
  error: 'error',
} as const;
export type ScheduleOutcome = (typeof ScheduleOutcome)[keyof typeof ScheduleOutcome];

/** Where a tick's assets are computed when not in the daemon's process (e.g. a queue of `synth worker` processes), for one run. */
export interface TickSite extends ComputeSite {
  /** Why the site failed during the run (e.g. its Redis went away), if it did. */
  readonly error?: SynthError;
  /** Releases it after the run; must not hang when the site's service is gone. */
  close(): Promise<void>;
}

/** Options of a Scheduler. */
export interface SchedulerOptions {
  /** The schedules to run, from `checkSchedules`. */
  schedules: readonly CheckedSchedule[];
  /** Where events go (`.synth/logs/daemon.jsonl` and stdout). */
  log: DaemonLog;
  /**
   * Loads the project again before each tick, so that edits to assets and prompts reach the next
   * run exactly as a new `synth materialize` would see them. Default: the project given to the
   * constructor is used for every tick.
   */
  reload?: () => Promise<Project>;
  /** Passed to every materialize call. Example: `{ concurrency: 2 }`. Default: the executor's defaults. */
  materialize?: Pick<MaterializeOptions, 'concurrency' | 'generatorOptions' | 'retryDelayMs'>;
  /**
   * Opens where each tick's run computes its assets, given the project the tick uses; the daemon
   * stays the only writer of the catalog. It may throw (e.g. Redis unreachable): that tick fails,
   * the next one tries again. Returning undefined computes in this process.
   * Default: every tick computes in this process.
   * @example (project) => openQueueSite(project, 'redis://10.0.0.5:6379')
   */
  site?: (project: Project) => Promise<TickSite | undefined>;
  /** Receives every engine event of every run (e.g. for lineage). */
  onEvent?: EventListener;
  /** Runs after each materialization (e.g. delivering lineage); its failure is logged as a warning, never thrown. */
  afterRun?: (project: Project) => Promise<void>;
}

/** How `stop` ended. */
export interface StopResult {
  /** False when a run was still going after the abort wait (e.g. stuck waiting for another process's lock). */
  settled: boolean;
  /** Runs aborted because the grace period ran out. */
  aborted: string[];
}

interface InFlight {
  fire: Date;
  controller: AbortController;
  done: Promise<void>;
}

/** How long an aborted run gets to record its interrupted asset before `stop` gives up on it. */
const ABORT_WAIT_MS = 10_000;

function errorFields(err: unknown): { what: string; why?: string; fix?: string } {
  if (isSynthError(err)) return { what: err.what, why: err.why, fix: err.fix };
  return { what: err instanceof Error ? err.message : String(err) };
}

function sleep(ms: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * The in-process cron scheduler behind `synth daemon`. node-cron decides when a schedule fires;
 * this class turns each fire into a `materialize` call with `trigger: 'schedule:<name>'`, and adds
 * what node-cron lacks: no overlap per schedule, one run at a time in the process (and the
 * executor's run lock against other processes), state in the catalog so that fire times missed
 * while the daemon was down can be caught up, and a graceful stop.
 */
export class Scheduler {
  private readonly tasks: ScheduledTask[] = [];
  private readonly inFlight = new Map<string, InFlight>();
  /** In-process queue: one materialization at a time, in fire order. */
  private chain: Promise<unknown> = Promise.resolve();
  private stopping = false;
  private readonly catalog: Catalog;

  constructor(
    private readonly project: Project,
    private readonly options: SchedulerOptions,
  ) {
    this.catalog = new Catalog(project.stateDir);
  }

  get schedules(): readonly CheckedSchedule[] {
    return this.options.schedules;
  }

  /**
   * Starts ticking: logs `daemon-started`, looks for fire times missed while the daemon was down
   * (logging them and, with `catchUp: 'latest'`, running the latest once), then arms node-cron.
   * A schedule seen for the first time is recorded as watched from now, so that a later downtime
   * can be detected even before its first tick.
   */
  async start(): Promise<void> {
    const log = this.options.log;
    log.write({
      event: DaemonEvent.daemonStarted,
      pid: process.pid,
      schedules: this.schedules.map((s) => ({
        name: s.def.name,
        cron: s.def.cron,
        timezone: s.def.timezone,
        select: s.def.select,
        next: nextFireTimes(s.def, 1)[0]?.toISOString() ?? null,
      })),
    });
    const now = new Date();
    await this.catalog.load();
    const known = this.catalog.schedules;
    // Keyed by user-given schedule names: null prototype.
    const baselines: Record<string, ScheduleState> = Object.create(null);
    const catchUps: [CheckedSchedule, Date][] = [];
    this.recoverInterrupted(baselines);
    for (const s of this.schedules) {
      const state = Object.hasOwn(baselines, s.def.name) ? baselines[s.def.name] : Object.hasOwn(known, s.def.name) ? known[s.def.name] : undefined;
      if (!state?.last_fire) {
        baselines[s.def.name] = {
          last_fire: now.toISOString(),
          last_run_id: state?.last_run_id ?? null,
          last_outcome: state?.last_outcome ?? null,
          last_seed: state?.last_seed ?? null,
        };
        continue;
      }
      const missed = previousFireTime(s.def, now, new Date(state.last_fire));
      if (!missed) continue;
      const catchUp = s.def.catchUp === 'latest';
      log.write({
        event: DaemonEvent.missed,
        schedule: s.def.name,
        fire: missed.toISOString(),
        reason: `the daemon was not running (last fire ${state.last_fire}); ${catchUp ? 'catching up once' : "catchUp is 'none'"}`,
        catch_up: catchUp,
      });
      if (catchUp) catchUps.push([s, missed]);
    }
    if (Object.keys(baselines).length) await this.catalog.commit({ schedules: baselines });
    // A signal may have stopped the daemon while it was starting.
    if (this.stopping) return;
    for (const [s, fire] of catchUps) void this.fire(s, fire, true);
    for (const s of this.schedules) this.tasks.push(this.arm(s));
  }

  /**
   * A schedule still `running` when a daemon starts (it holds the daemon lock, so no other daemon
   * runs) was interrupted: the previous daemon was killed during that tick's run. Logs it, with the
   * run it had started, and marks it `interrupted` (written with the baselines). What that run had
   * recorded stays; the rest runs at the next tick.
   */
  private recoverInterrupted(changes: Record<string, ScheduleState>): void {
    for (const [name, state] of Object.entries(this.catalog.schedules)) {
      if (state.last_outcome !== ScheduleOutcome.running) continue;
      const run = this.catalog.openRuns.findLast(
        (r) => r.trigger === `schedule:${name}` && r.finished_at === null && Date.parse(r.started_at) >= Date.parse(state.last_fire ?? '') - 1000,
      );
      if (run && mayBeRunning(run)) continue; // its process is still going (another host): not ours to judge
      this.options.log.write({
        event: DaemonEvent.interrupted,
        schedule: name,
        ...(state.last_fire ? { fire: state.last_fire } : {}),
        ...(run ? { run_id: run.id } : {}),
        reason: 'the daemon was killed while this run was going; assets it had recorded are kept, the others run at the next tick',
      });
      changes[name] = { ...state, last_run_id: run?.id ?? state.last_run_id, last_outcome: ScheduleOutcome.interrupted };
    }
  }

  private arm(s: CheckedSchedule): ScheduledTask {
    const log = this.options.log;
    const warn = (message: string | Error) =>
      log.write({ event: DaemonEvent.warning, schedule: s.def.name, message: `node-cron: ${message instanceof Error ? message.message : message}` });
    const logger: Logger = { info: () => undefined, debug: () => undefined, warn, error: warn };
    // The tick function never throws and resolves when its run is over; overlap is handled in
    // `fire` (it also covers catch-up runs, which node-cron does not know about).
    const task = createTask(s.def.cron, (ctx) => this.fire(s, ctx.date, false), { name: `synth:${s.def.name}`, timezone: s.def.timezone, noOverlap: false, logger });
    task.on('execution:missed', (ctx) => {
      log.write({
        event: DaemonEvent.missed,
        schedule: s.def.name,
        fire: ctx.date.toISOString(),
        reason: 'the process was busy at the fire time (event loop blocked past the 1 s tolerance)',
        catch_up: false,
      });
    });
    void task.start();
    return task;
  }

  /** Handles one fire time of a schedule. Never throws. */
  private async fire(s: CheckedSchedule, fire: Date, catchUp: boolean): Promise<void> {
    const log = this.options.log;
    const name = s.def.name;
    if (this.stopping) {
      log.write({ event: DaemonEvent.skipped, schedule: name, fire: fire.toISOString(), reason: 'shutdown' });
      return;
    }
    const running = this.inFlight.get(name);
    if (running) {
      log.write({ event: DaemonEvent.skipped, schedule: name, fire: fire.toISOString(), reason: 'overlap', message: `the run for ${running.fire.toISOString()} is still going` });
      return;
    }
    log.write({ event: DaemonEvent.tick, schedule: name, fire: fire.toISOString(), ...(catchUp ? { catch_up: true } : {}) });
    const controller = new AbortController();
    const done = this.exclusive(() => this.run(s, fire, catchUp, controller.signal)).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, { fire, controller, done });
    await done;
  }

  /** Runs `fn` after every materialization queued before it. */
  private exclusive(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async run(s: CheckedSchedule, fire: Date, catchUp: boolean, signal: AbortSignal): Promise<void> {
    const log = this.options.log;
    const name = s.def.name;
    const at = fire.toISOString();
    if (this.stopping) {
      log.write({ event: DaemonEvent.skipped, schedule: name, fire: at, reason: 'shutdown' });
      return;
    }
    const seed = s.def.seed === 'per-run' ? seedForFire(fire) : null;
    const started = Date.now();
    let runId: string | null = null;
    let site: TickSite | undefined;
    try {
      const project = this.options.reload ? await this.options.reload() : this.project;
      const assets = this.options.reload ? resolveSelection(project, s.def.select) : [...s.assets];
      await this.record(name, { last_fire: at, last_run_id: null, last_outcome: ScheduleOutcome.running, last_seed: seed });
      site = await this.options.site?.(project);
      const result = await materialize(project, {
        ...(site ? { computeSite: site } : {}),
        ...this.options.materialize,
        assets,
        force: s.def.force,
        trigger: `schedule:${name}`,
        overrides: seed === null ? undefined : { seed },
        signal,
        onEvent: (e: EngineEvent) => {
          if (e.type === 'run-started') {
            runId = e.runId;
            log.write({ event: DaemonEvent.started, schedule: name, fire: at, run_id: e.runId, assets: e.assets, seed, ...(catchUp ? { catch_up: true } : {}) });
          } else if (e.type === 'lock-wait') {
            log.write({ event: DaemonEvent.lockWait, schedule: name, fire: at, message: e.message });
          }
          this.options.onEvent?.(e);
        },
      });
      const counts: Record<string, number> = {};
      for (const a of result.assets) counts[a.outcome] = (counts[a.outcome] ?? 0) + 1;
      log.write({
        event: DaemonEvent.finished,
        schedule: name,
        fire: at,
        run_id: result.run_id,
        ok: result.ok,
        counts,
        assets: result.assets.map((a) => ({ asset: a.asset, outcome: a.outcome, error: a.error })),
        duration_ms: Date.now() - started,
        seed,
        // The site's own failure once (e.g. the queue's Redis went away), besides the assets it failed.
        ...(site?.error ? { error: errorFields(site.error) } : {}),
      });
      const outcome = signal.aborted ? ScheduleOutcome.interrupted : result.ok ? ScheduleOutcome.ok : ScheduleOutcome.failed;
      await this.record(name, { last_fire: at, last_run_id: result.run_id, last_outcome: outcome, last_seed: seed });
      await this.options.afterRun?.(project).catch((err: unknown) => log.write({ event: DaemonEvent.warning, schedule: name, message: `after the run: ${errorFields(err).what}` }));
    } catch (err) {
      log.write({ event: DaemonEvent.failed, schedule: name, fire: at, ...(runId ? { run_id: runId } : {}), error: errorFields(err), duration_ms: Date.now() - started });
      await this.record(name, { last_fire: at, last_run_id: runId, last_outcome: ScheduleOutcome.error, last_seed: seed });
    } finally {
      await site?.close().catch((err: unknown) => log.write({ event: DaemonEvent.warning, schedule: name, message: `closing the compute site: ${errorFields(err).what}` }));
    }
  }

  /** Writes a schedule's state to the catalog; a failure is logged, never thrown (the daemon goes on). */
  private async record(name: string, state: ScheduleState): Promise<void> {
    try {
      await this.catalog.commit({ schedules: { [name]: state } });
    } catch (err) {
      this.options.log.write({ event: DaemonEvent.warning, schedule: name, message: `could not record the schedule state: ${errorFields(err).what}` });
    }
  }

  /** Resolves when no tick is queued or running (new ticks may start afterwards). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()].map((f) => f.done));
  }

  /** Names of the schedules whose run is queued or going. */
  get busy(): string[] {
    return [...this.inFlight.keys()];
  }

  /**
   * Aborts the runs going now (e.g. on a second Ctrl-C): the executor records the running asset
   * as failed (interrupted) and skips the rest. Returns the schedules aborted.
   */
  abort(reason: string): string[] {
    const names: string[] = [];
    for (const [name, f] of this.inFlight) {
      if (f.controller.signal.aborted) continue;
      names.push(name);
      this.options.log.write({ event: DaemonEvent.warning, schedule: name, fire: f.fire.toISOString(), message: `${reason}: aborting the run` });
      f.controller.abort();
    }
    return names;
  }

  /**
   * Stops the daemon: no new ticks (queued ones are skipped), the running materialization gets
   * `graceMs` to finish, then it is aborted (the executor records the running asset as failed,
   * interrupted; finished assets stay) and gets a little longer to record that.
   */
  async stop(graceMs: number, reason = 'stop requested'): Promise<StopResult> {
    const log = this.options.log;
    if (!this.stopping) {
      this.stopping = true;
      for (const task of this.tasks.splice(0)) void task.destroy();
      log.write({ event: DaemonEvent.daemonStopping, message: `${reason}; ${this.inFlight.size ? `letting the running run finish (grace ${graceMs / 1000}s)` : 'nothing running'}` });
    }
    const aborted: string[] = [];
    const settle = async (ms: number): Promise<boolean> => {
      if (this.inFlight.size === 0) return true;
      const timer = sleep(ms);
      const finished = await Promise.race([this.idle().then(() => true), timer.promise.then(() => false)]);
      timer.cancel();
      return finished;
    };
    let settled = await settle(graceMs);
    if (!settled) {
      aborted.push(...this.abort(`grace period of ${graceMs / 1000}s over`));
      settled = await settle(ABORT_WAIT_MS);
    }
    log.write({
      event: DaemonEvent.daemonStopped,
      message: settled ? undefined : "a run did not stop in time (waiting for another process's run lock, or an asset ignoring the abort); the catalog holds what was recorded so far",
    });
    return { settled, aborted };
  }
}
