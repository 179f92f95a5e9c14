/** ISO 8601 dates and datetimes as written in data files: `2012-01-01`, `2012-01-01T10:30`, `2012-01-01 10:30:00.5+02:00`. */
export const ISO_DATE_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO date-like string (no zone = UTC, offsets applied), or undefined when it is not one. */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE_LIKE.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(m[4] && !m[9] ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}
