import type { CatalogData, LockOwner, ScheduleDef } from '../engine/index.js';
import type { ScheduleOrigin } from './checked-schedule.js';
import { nextFireTimes } from './fire-times.js';

/** One schedule in `synth schedules --json`. */
export interface ScheduleReport {
  name: string;
  /** `declared`, `command-line`, or `recorded` (only known from the catalog: a past --cron schedule or a removed one). */
  origin: ScheduleOrigin | 'recorded';
  cron: string | null;
  timezone: string | null;
  select: string[];
  seed: ScheduleDef['seed'] | null;
  catch_up: ScheduleDef['catchUp'] | null;
  force: boolean | null;
  /** The next fire times (ISO, UTC), from node-cron. */
  next_runs: string[];
  /** The latest fire time the daemon handled (on a schedule's first start: when the daemon began watching it). */
  last_fire: string | null;
  last_run_id: string | null;
  /** `running`, `ok`, `failed`, `interrupted`, `error`, or null before the first tick. */
  last_outcome: string | null;
  last_seed: number | null;
}

/** `synth schedules --json`. */
export interface SchedulesReport {
  daemon: { running: boolean; pid: number | null; host: string | null; since: string | null };
  schedules: ScheduleReport[];
}

/**
 * What `synth schedules` shows: every schedule with its next fire times and its last run as
 * the catalog records it, and whether a daemon runs. Schedules known only from the catalog are
 * listed too, without next fire times.
 */
export function scheduleReport(
  schedules: readonly { def: ScheduleDef; origin: ScheduleOrigin }[],
  data: Pick<CatalogData, 'schedules'>,
  daemon: LockOwner | undefined,
  count = 3,
): SchedulesReport {
  const state = (name: string) => {
    const s = (Object.hasOwn(data.schedules, name) ? data.schedules[name] : undefined) ?? { last_fire: null, last_run_id: null, last_outcome: null, last_seed: null };
    // `running` with no daemon alive: the daemon was killed during the run (its next start logs and records it).
    return !daemon && s.last_outcome === 'running' ? { ...s, last_outcome: 'interrupted' } : s;
  };
  const rows: ScheduleReport[] = schedules.map(({ def, origin }) => ({
    name: def.name,
    origin,
    cron: def.cron,
    timezone: def.timezone,
    select: [...def.select],
    seed: def.seed,
    catch_up: def.catchUp,
    force: def.force,
    next_runs: nextFireTimes(def, count).map((d) => d.toISOString()),
    ...state(def.name),
  }));
  const listed = new Set(rows.map((r) => r.name));
  for (const name of Object.keys(data.schedules).sort()) {
    if (listed.has(name)) continue;
    rows.push({ name, origin: 'recorded', cron: null, timezone: null, select: [], seed: null, catch_up: null, force: null, next_runs: [], ...state(name) });
  }
  return {
    daemon: { running: !!daemon, pid: daemon?.pid ?? null, host: daemon?.host ?? null, since: daemon?.since ?? null },
    schedules: rows,
  };
}
