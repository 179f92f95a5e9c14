import { createTask, parse, type ScheduledTask } from 'node-cron';

/** What fire times depend on: the expression and its time zone. */
export interface CronTiming {
  /** Cron expression, 5 fields or 6 with seconds first. Example: `'0 3 * * 1'`. */
  cron: string;
  /** IANA time zone the expression is read in. Example: `'UTC'`. */
  timezone: string;
}

/**
 * Runs `fn` with a stopped node-cron task for the expression, and destroys it afterwards:
 * node-cron's task registry is global, so a task left behind would leak (and keep firing if started).
 */
export function withCronTask<T>(timing: CronTiming, fn: (task: ScheduledTask) => T): T {
  const task = createTask(timing.cron, () => undefined, { timezone: timing.timezone });
  try {
    return fn(task);
  } finally {
    void task.destroy();
  }
}

/** The next `count` fire times after now, as node-cron computes them. */
export function nextFireTimes(timing: CronTiming, count: number): Date[] {
  return withCronTask(timing, (task) => task.getNextRuns(count));
}

/** Local calendar parts of an instant in a time zone. */
interface LocalParts {
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(ms: number, timezone: string): LocalParts {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short' });
    formatters.set(timezone, f);
  }
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(ms)) parts[p.type] = p.value;
  return { month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour) % 24, minute: Number(parts.minute), weekday: WEEKDAYS[parts.weekday] };
}

const HOUR = 3_600_000;
/** Far enough back for the rarest expressions node-cron accepts (29 February: once in four years). */
const LOOKBACK_MS = 4 * 366 * 24 * HOUR;

/**
 * The latest fire time `t` with `after < t <= before`, or null if there is none.
 *
 * node-cron only looks forward from "now", and a missed-run check needs to look back, so this
 * walks back hour by hour: each hour is first filtered on the local month, day and hour (an
 * `Intl` call), then the candidate seconds of a matching hour are confirmed with node-cron's own
 * `match`, so the two never disagree on what an expression means (L, W, #, DST). The cost is
 * about one `Intl` call per hour between the answer and `before` (a weekly schedule: at most
 * 168), looking at most four years back.
 */
export function previousFireTime(timing: CronTiming, before: Date, after: Date | null = null): Date | null {
  const fields = parse(timing.cron);
  const numeric = (list: (number | string)[]): Set<number> | null => (list.every((v) => typeof v === 'number') ? new Set(list as number[]) : null);
  const hours = new Set(fields.hour);
  const months = new Set(fields.month);
  // Day fields with L, W or # tokens are left to `match`.
  const days = numeric(fields.dayOfMonth);
  const weekdays = numeric(fields.dayOfWeek);
  const minutes = [...fields.minute].sort((a, b) => b - a);
  const seconds = [...fields.second].sort((a, b) => b - a);
  const end = before.getTime();
  const floor = Math.max(after ? after.getTime() : -Infinity, end - LOOKBACK_MS);
  const dayMatches = (p: LocalParts): boolean => months.has(p.month) && (!days || days.has(p.day)) && (!weekdays || weekdays.has(p.weekday));
  const couldMatch = (p: LocalParts): boolean => dayMatches(p) && hours.has(p.hour);
  return withCronTask(timing, (task) => {
    for (let hourStart = Math.floor(end / HOUR) * HOUR; hourStart + HOUR > floor; hourStart -= HOUR) {
      const local = localParts(hourStart, timing.timezone);
      // In a zone whose offset is not whole hours the local hour (and maybe day) changes inside
      // this UTC hour, so its last millisecond is checked too.
      if (!couldMatch(local) && (local.minute === 0 || !couldMatch(localParts(hourStart + HOUR - 1, timing.timezone)))) {
        // A day that cannot match is left in one step, to its local 00:00 or 01:00 (a DST day is
        // 23 or 25 hours long, so stopping one hour short never skips the previous day's last hour).
        if (local.minute === 0 && !dayMatches(local) && local.hour > 1) hourStart -= (local.hour - 1) * HOUR;
        continue;
      }
      const candidates: number[] = [];
      for (const m of minutes) {
        const utcMinute = (m - local.minute + 60) % 60;
        for (const s of seconds) candidates.push(hourStart + utcMinute * 60_000 + s * 1000);
      }
      candidates.sort((a, b) => b - a);
      for (const t of candidates) {
        if (t > end || t <= floor || !task.match(new Date(t))) continue;
        // In the hour repeated when DST ends, node-cron fires only the first of the two instants
        // that read the same wall-clock time.
        const first = t - HOUR;
        const [a, b] = [localParts(first, timing.timezone), localParts(t, timing.timezone)];
        const repeated = a.day === b.day && a.hour === b.hour && a.minute === b.minute && task.match(new Date(first));
        if (!repeated) return new Date(t);
        if (first > floor) return new Date(first);
      }
    }
    return null;
  });
}
