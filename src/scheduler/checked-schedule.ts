import { validateDetailed } from 'node-cron';
import { isSynthError, UsageError, type Project, type ScheduleDef, schedule, resolveSelection } from '../engine/index.js';

/** Where a schedule comes from: the definitions file, or `synth daemon --cron ... --select ...`. */
export const ScheduleOrigin = {
  declared: 'declared',
  commandLine: 'command-line',
} as const;
export type ScheduleOrigin = (typeof ScheduleOrigin)[keyof typeof ScheduleOrigin];

/** A schedule whose expression, time zone, options and selection were checked against the project. */
export interface CheckedSchedule {
  readonly def: ScheduleDef;
  readonly origin: ScheduleOrigin;
  /** The selection resolved to asset names (topological order) when the daemon started. */
  readonly assets: readonly string[];
}

const NAME = /^[A-Za-z_][\w.-]*$/;
const SEEDS: readonly string[] = ['fixed', 'per-run'];
const CATCH_UPS: readonly string[] = ['none', 'latest'];

/** Whether the runtime knows an IANA time zone. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks one schedule against the project and resolves its selection. Every problem is a
 * UsageError (exit 2) that names the schedule, found before the daemon starts ticking.
 */
export function checkSchedule(project: Project, def: ScheduleDef, origin: ScheduleOrigin = ScheduleOrigin.declared): CheckedSchedule {
  const file = origin === ScheduleOrigin.declared ? project.defsFile : undefined;
  const where = origin === ScheduleOrigin.declared ? `Schedule "${def.name}"` : `The --cron schedule "${def.name}"`;
  const fail = (what: string, why: string, fix: string): never => {
    throw new UsageError({ what: `${where} ${what}`, why, fix, file });
  };
  if (typeof def.name !== 'string' || !NAME.test(def.name)) {
    fail(
      `has an invalid name.`,
      'Schedule names key their state in the catalog and appear in run triggers (schedule:<name>).',
      'Use letters, digits, _, - and . and start with a letter, e.g. weekly_refresh.',
    );
  }
  const cron = typeof def.cron === 'string' ? def.cron.trim() : '';
  const check = cron ? validateDetailed(cron) : { valid: false, errors: [{ field: 'expression', message: 'the expression is empty' }] };
  if (!check.valid) {
    fail(
      `has an invalid cron expression ${JSON.stringify(def.cron)}.`,
      check.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      'Use 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first. Examples: "0 3 * * 1" (Mondays 03:00), "*/30 * * * * *" (every 30 s).',
    );
  }
  if (typeof def.timezone !== 'string' || !isTimeZone(def.timezone)) {
    fail(
      `has an unknown time zone ${JSON.stringify(def.timezone)}.`,
      'Time zones are IANA names known to Node.js.',
      "Use e.g. 'UTC' (the default, no DST surprises) or 'Europe/Paris'.",
    );
  }
  if (!SEEDS.includes(def.seed))
    fail(`has seed: ${JSON.stringify(def.seed)}.`, `seed is one of ${SEEDS.join(', ')}.`, "Use seed: 'per-run' for a new seed on every tick, or leave it out.");
  if (!CATCH_UPS.includes(def.catchUp))
    fail(
      `has catchUp: ${JSON.stringify(def.catchUp)}.`,
      `catchUp is one of ${CATCH_UPS.join(', ')}.`,
      "Use catchUp: 'latest' to run once at start after missed fire times, or leave it out.",
    );
  let assets: string[] = [];
  try {
    assets = resolveSelection(project, def.select);
  } catch (err) {
    if (!isSynthError(err)) throw err;
    fail(`has a bad selection: ${err.what}`, err.why ?? '', err.fix ?? 'Run `synth status` to list assets.');
  }
  if (assets.length === 0) fail(`selects no asset (${def.select.join(' ')}).`, 'A tick would have nothing to materialize.', 'Fix select, e.g. select: "products+".');
  return { def: { ...def, cron }, origin, assets };
}

/** Options of an ad-hoc schedule given on the command line. */
export interface CommandLineScheduleOptions {
  /** Cron expression (`--cron`). Example: `'*\/10 * * * * *'`. */
  cron: string;
  /** Selection (`--select`). Example: `'products+'`. */
  select: string | string[];
  /** Schedule name (`--name`). Default: `'adhoc'`. */
  name?: string;
  /** Re-materialize even fresh assets (`--force`). Default: false. */
  force?: boolean;
  /** Time zone (`--timezone`). Default: `'UTC'`. */
  timezone?: string;
}

/** The schedule `synth daemon --cron EXPR --select SELECTION` adds beside the declared ones. */
export function commandLineSchedule(options: CommandLineScheduleOptions): ScheduleDef {
  return schedule({
    name: options.name ?? 'adhoc',
    cron: options.cron,
    select: options.select,
    force: options.force,
    timezone: options.timezone,
  });
}

/**
 * Checks every schedule the daemon will run: the declared ones and the command-line one,
 * whose name must not clash with a declared one.
 */
export function checkSchedules(project: Project, commandLine?: ScheduleDef): CheckedSchedule[] {
  const checked = project.schedules.map((s) => checkSchedule(project, s));
  if (commandLine) {
    if (project.schedules.some((s) => s.name === commandLine.name)) {
      throw new UsageError({
        what: `The --cron schedule is named "${commandLine.name}", like a declared schedule.`,
        why: 'Schedule names key their state in the catalog, so they must be unique.',
        fix: 'Pick another name with --name.',
      });
    }
    checked.push(checkSchedule(project, commandLine, ScheduleOrigin.commandLine));
  }
  return checked;
}
