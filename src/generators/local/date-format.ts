import { formatMonthNameDate, ISO_DATE_LIKE, MONTH_NAME_DATE, parseDateText, parseIsoDate } from '../../engine/index.js';

/**
 * Dates and datetimes written as text (ISO 8601 and its common variants), fitted as timestamps:
 * parsed to epoch milliseconds (UTC), modelled as numbers, and written back the way the
 * reference writes them (date only, `T` or space, seconds, milliseconds, `Z`).
 */
export interface DateFormat {
  /** 'date' = YYYY-MM-DD; 'datetime' = date and time of day; 'month-name' = `Jun 12 1998`. */
  kind: 'date' | 'datetime' | 'month-name';
  separator: 'T' | ' ';
  seconds: boolean;
  millis: boolean;
  zone: 'Z' | '';
  /** Grid of the modelled timestamps, in ms: a day, a second or a millisecond. */
  step: number;
}

const DAY = 86_400_000;
/**
 * The format most of the reference's values share, when at least 95% of them are dates
 * (undefined otherwise). Offsets are written back as `Z` (the same instant).
 */
export function detectDateFormat(values: readonly string[]): DateFormat | undefined {
  if (values.length === 0) return undefined;
  if (values.filter((v) => MONTH_NAME_DATE.test(v) && parseDateText(v) !== undefined).length >= 0.95 * values.length) {
    return { kind: 'month-name', separator: ' ', seconds: false, millis: false, zone: '', step: DAY };
  }
  let dates = 0;
  let times = 0;
  let space = 0;
  let seconds = 0;
  let millis = 0;
  let zoned = 0;
  for (const v of values) {
    const m = ISO_DATE_LIKE.exec(v);
    if (!m || parseIsoDate(v) === undefined) continue;
    dates++;
    if (!m[4]) continue;
    times++;
    if (m[4] === ' ') space++;
    if (m[7] !== undefined) seconds++;
    if (m[8] !== undefined) millis++;
    if (m[9] !== undefined) zoned++;
  }
  if (dates < 0.95 * values.length) return undefined;
  if (times * 2 < dates) return { kind: 'date', separator: 'T', seconds: false, millis: false, zone: '', step: DAY };
  const hasMillis = millis * 2 >= times;
  return {
    kind: 'datetime',
    separator: space * 2 > times ? ' ' : 'T',
    seconds: seconds * 2 >= times,
    millis: hasMillis,
    zone: zoned * 2 >= times ? 'Z' : '',
    step: hasMillis ? 1 : seconds * 2 >= times ? 1000 : 60_000,
  };
}

/** The format zod's `z.iso.date()` / `z.iso.datetime()` expect, when the reference does not say. */
export function formatForZod(format: 'date' | 'datetime'): DateFormat {
  return format === 'date'
    ? { kind: 'date', separator: 'T', seconds: false, millis: false, zone: '', step: DAY }
    : { kind: 'datetime', separator: 'T', seconds: true, millis: false, zone: 'Z', step: 1000 };
}

/** Writes epoch ms in a reference's format. */
export function formatDate(ms: number, f: DateFormat): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  if (f.kind === 'date') return iso.slice(0, 10);
  if (f.kind === 'month-name') return formatMonthNameDate(ms);
  const time = f.millis ? iso.slice(11, 23) : f.seconds ? iso.slice(11, 19) : iso.slice(11, 16);
  return `${iso.slice(0, 10)}${f.separator}${time}${f.zone}`;
}
