/** ISO 8601 dates and datetimes as written in data files: `2012-01-01`, `2012-01-01T10:30`, `2012-01-01 10:30:00.5+02:00`. */
export const ISO_DATE_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO date-like string (no zone = UTC, offsets applied), or undefined when it is not one. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE_LIKE.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(m[4] && !m[9] ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
/** `Jun 12 1998`, as in many web and spreadsheet exports. */
export const MONTH_NAME_DATE = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{1,2}) (\d{4})$/;

/** Epoch ms of a date written as ISO 8601 or as `Jun 12 1998` (UTC), else undefined. */
export function parseDateText(text: string): number | undefined {
  const m = MONTH_NAME_DATE.exec(text);
  if (!m) return parseIsoDate(text);
  const ms = Date.UTC(Number(m[3]), MONTHS.indexOf(m[1] as (typeof MONTHS)[number]), Number(m[2]));
  return new Date(ms).getUTCDate() === Number(m[2]) ? ms : undefined;
}

/** Writes epoch ms as `Jun 12 1998` (day on two digits). */
export function formatMonthNameDate(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(8, 10)} ${iso.slice(0, 4)}`;
}
