import path from 'node:path';
import type { Command } from 'commander';
import { refreshStatusSnapshot } from '../../inspect/status-description.js';
import { deliverLineage, lineageListener } from '../../lineage/index.js';
import { UsageError, type EventListener, loadProject, type Project } from '../../engine/index.js';
import type { CheckedSchedule, DaemonLog, Scheduler, SchedulerOptions } from '../../scheduler/index.js';
import { type CommonOptions, intFlag, openSession, type Session, withCommonOptions } from '../common.js';
import { openQueueSite } from '../open-queue-site.js';
import { age, table } from '../output.js';

interface ScheduleFlags extends CommonOptions {
  cron?: string;
  select?: string;
  force?: boolean;
  name?: string;
  timezone?: string;
  next?: string;
}

interface DaemonFlags extends ScheduleFlags {
  grace: string;
  concurrency?: string;
  status?: boolean;
  queue?: string;
}

/** node-cron and the scheduler load only for the commands that use them, not on every `synth` start. */
type SchedulerModule = typeof import('../../scheduler/index.js');
const loadScheduler = (): Promise<SchedulerModule> => import('../../scheduler/index.js');

/** The `--cron` schedule, if asked for; its flags make no sense without `--cron`. */
function commandLineFrom({ commandLineSchedule }: SchedulerModule, flags: ScheduleFlags) {
  if (!flags.cron) {
    const stray = (['select', 'force', 'name', 'timezone'] as const).filter((f) => flags[f] !== undefined);
    if (stray.length) {
      throw new UsageError({
        what: `--${stray[0]} needs --cron.`,
        why: '--select, --force, --name and --timezone describe the ad-hoc schedule that --cron adds.',
        fix: "Example: synth daemon --cron '0 3 * * *' --select products+",
      });
    }
    return undefined;
  }
  if (!flags.select)
    throw new UsageError({
      what: '--cron needs --select.',
      why: 'The ad-hoc schedule must say which assets each tick materializes.',
      fix: "Example: synth daemon --cron '*/10 * * * * *' --select products",
    });
  return commandLineSchedule({ cron: flags.cron, select: flags.select, force: flags.force, name: flags.name, timezone: flags.timezone });
}

const when = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

/** `synth schedules` / `synth daemon --status`. */
function printStatus(
  { scheduleReport, runningDaemon, daemonLogFile }: SchedulerModule,
  { project, catalog, output }: Session,
  schedules: readonly CheckedSchedule[],
  next: number,
): void {
  const report = scheduleReport(schedules, { schedules: catalog.schedules }, runningDaemon(project.stateDir), next);
  if (output.json) {
    output.out(JSON.stringify(report));
    return;
  }
  const c = output.color;
  const colour: Record<string, (s: string) => string> = { ok: c.green, failed: c.red, error: c.red, interrupted: c.yellow, running: c.cyan };
  const rows = report.schedules.map((s) => [
    s.name,
    s.cron ?? c.dim('(not declared)'),
    s.timezone ?? '',
    s.select.join(' '),
    s.next_runs.map(when).join(', '),
    s.last_outcome ? `${when(s.last_fire)} (${age(s.last_fire)})` : '-',
    s.last_outcome ? (colour[s.last_outcome] ?? ((x: string) => x))(s.last_outcome) : c.dim('never run'),
    [s.last_run_id, s.last_seed != null ? `seed ${s.last_seed}` : ''].filter(Boolean).join(' '),
  ]);
  const lines = rows.length
    ? [table(['schedule', 'cron', 'tz', 'select', 'next runs', 'last fire', 'outcome', 'run'], rows, c)]
    : [c.dim('No schedules: declare one with schedule({...}) in your definitions, or run synth daemon --cron EXPR --select SELECTION.')];
  const d = report.daemon;
  lines.push('', d.running ? `daemon: ${c.green('running')} (pid ${d.pid} on ${d.host}, since ${when(d.since)})` : `daemon: ${c.dim('not running')} (start it with \`synth daemon\`)`);
  lines.push(`log:    ${path.relative(process.cwd(), daemonLogFile(project.stateDir)) || daemonLogFile(project.stateDir)}`);
  output.out(lines.join('\n'));
}

/** Adds the ad-hoc schedule flags shared by `synth daemon` and `synth schedules`. */
function withScheduleFlags(cmd: Command): Command {
  return cmd
    .option('--cron <expr>', "add an ad-hoc schedule: 5 fields, or 6 with seconds first (e.g. '0 3 * * 1', '*/10 * * * * *')")
    .option('--select <selection>', 'what the --cron schedule materializes (synth materialize syntax, e.g. "products+")')
    .option('--force', 'the --cron schedule re-materializes even fresh assets')
    .option('--name <name>', 'name of the --cron schedule (default: adhoc)')
    .option('--timezone <tz>', 'IANA time zone of the --cron expression (default: UTC)')
    .option('--next <n>', 'how many next fire times the status lists', '3');
}

export function registerDaemon(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    withScheduleFlags(
      program
        .command('daemon')
        .description('run the schedules in the foreground: each tick materializes its selection (stops gracefully on SIGINT/SIGTERM)')
        .option('--grace <duration>', 'on SIGINT/SIGTERM, how long the running materialization may take to finish before it is aborted', '30s')
        .option('--concurrency <n>', 'assets a tick runs at the same time')
        .option(
          '--queue <redis-url>',
          "compute each tick's assets on `synth worker` processes fed through this Redis (default: executor.queue in synth.config.json, else in the daemon)",
        )
        .option('--status', 'list the schedules, their next fire times and last runs, and whether a daemon runs (as `synth schedules`)'),
    ),
  ).action(async (flags: DaemonFlags) => {
    const session = await openSession(flags);
    const { project, output } = session;
    const sched = await loadScheduler();
    const { acquireDaemonLock, checkSchedules, DaemonLog, daemonLogFile, humanLine, parseDuration, Scheduler } = sched;
    const schedules = checkSchedules(project, commandLineFrom(sched, flags));
    if (flags.status) {
      printStatus(sched, session, schedules, intFlag(flags.next, '--next', 1) ?? 3);
      setExit(0);
      return;
    }
    if (schedules.length === 0) {
      throw new UsageError({
        what: 'There is no schedule to run.',
        why: `${path.relative(project.root, project.defsFile)} declares no schedule, and no --cron was given.`,
        fix: "Declare one, e.g. export const nightly = schedule({ name: 'nightly', cron: '0 3 * * *', select: 'products+' }), or run synth daemon --cron '0 3 * * *' --select products+",
        file: project.defsFile,
      });
    }
    const graceMs = parseDuration(flags.grace, '--grace');
    await checkQueueSettings(project, flags.queue);
    const concurrency = intFlag(flags.concurrency, '--concurrency', 1);
    const lock = await acquireDaemonLock(project.stateDir);
    const log = new DaemonLog(daemonLogFile(project.stateDir), (entry) => output.out(output.json ? JSON.stringify(entry) : humanLine(entry)));
    const scheduler = new Scheduler(project, schedulerOptions(project, flags, schedules, log, concurrency));
    let settled = true;
    try {
      ({ settled } = await runUntilStopped(scheduler, graceMs, log));
    } finally {
      await lock.release();
    }
    setExit(0);
    // A run stuck waiting for another process's run lock would keep the process alive forever.
    if (!settled) setTimeout(() => process.exit(0), 200).unref();
  });

  withCommonOptions(
    withScheduleFlags(program.command('schedules').description('list the schedules, their next fire times and last runs, and whether a daemon runs (as `synth daemon --status`)')),
  ).action(async (flags: ScheduleFlags) => {
    const session = await openSession(flags);
    const sched = await loadScheduler();
    printStatus(sched, session, sched.checkSchedules(session.project, commandLineFrom(sched, flags)), intFlag(flags.next, '--next', 1) ?? 3);
    setExit(0);
  });
}

/** The daemon's scheduler: it reloads the definitions before each tick and records lineage as `synth materialize` does. */
function schedulerOptions(project: Project, flags: DaemonFlags, schedules: readonly CheckedSchedule[], log: DaemonLog, concurrency: number | undefined): SchedulerOptions {
  // Ticks run one at a time, so the project last reloaded is the one the running tick uses.
  let current = project;
  let recordLineage: EventListener = () => undefined;
  return {
    schedules,
    log,
    reload: async () => (current = await loadProject({ root: flags.root, defs: flags.defs })),
    materialize: concurrency === undefined ? undefined : { concurrency },
    // A queue is connected for each tick's run and closed after it: a Redis that is away fails that
    // tick only, and the next one connects again.
    site: (p) => openQueueSite(p, flags.queue),
    // Lineage as for `synth materialize`: events go to the outbox during the run, delivery after it.
    // A listener per run, as each `synth materialize` has: it reads the reloaded definitions, the
    // lineage config, the git commit and the catalog as they are now, not as they were at start.
    onEvent: (e) => {
      if (e.type === 'run-started') {
        recordLineage = lineageListener(current, { onError: (err) => log.write({ event: 'warning', message: `lineage: event not recorded: ${(err as Error).message ?? err}` }) });
      }
      recordLineage(e);
    },
    afterRun: async (p) => {
      // Delivery reads the lineage settings itself (off: nothing is sent; default time budget: mlflow.deliveryTimeoutMs).
      const report = await deliverLineage(p);
      for (const w of report.warnings) log.write({ event: 'warning', message: `lineage: ${w}` });
      if (report.enabled && report.pending)
        log.write({ event: 'warning', message: `lineage: ${report.pending} events pending (MLflow unreachable?); delivered on the next run or by \`synth lineage push\`` });
      // A `synth status` beside the daemon then answers from the snapshot of the status after this tick.
      await refreshStatusSnapshot(p);
    },
  };
}

/** A bad --queue URL or executor section is a usage error at start, not a failure at every tick. Redis itself is only needed by the ticks. */
async function checkQueueSettings(project: Project, flag: string | undefined): Promise<void> {
  const { executorConfig, parseQueueUrl } = await import('../../queue/queue-config.js');
  const url = flag ?? executorConfig(project.root).queue;
  if (url !== undefined) parseQueueUrl(url, flag !== undefined ? '--queue' : 'executor.queue in synth.config.json');
}

/**
 * Runs the scheduler until SIGINT/SIGTERM: the first signal lets the running materialization finish
 * within `graceMs`, a second one aborts it. `settled` is false when a run did not end in time.
 */
async function runUntilStopped(scheduler: Scheduler, graceMs: number, log: DaemonLog): Promise<{ settled: boolean }> {
  let stopping: Promise<{ settled: boolean }> | undefined;
  let resolveStopped!: (r: { settled: boolean }) => void;
  const stopped = new Promise<{ settled: boolean }>((r) => (resolveStopped = r));
  const onSignal = (sig: NodeJS.Signals) => {
    if (stopping) {
      // A second signal: do not wait for the grace period.
      scheduler.abort(`${sig} again`);
      return;
    }
    stopping = scheduler.stop(graceMs, `${sig} received`);
    void stopping.then(resolveStopped);
  };
  // A stray rejection in an asset's code must not take the daemon down with it.
  const onRejection = (reason: unknown) => log.write({ event: 'warning', message: `unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}` });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('unhandledRejection', onRejection);
  try {
    await scheduler.start();
    return await stopped;
  } catch (err) {
    await scheduler.stop(0, 'start failed');
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('unhandledRejection', onRejection);
  }
}
