import { parseIsoDate } from '../engine/index.js';

/** Layouts an ISO date is rewritten to, as exports from other systems write them. */
const DATE_LAYOUTS = [
  (y: string, m: string, d: string) => `${m}/${d}/${y}`,
  (y: string, m: string, d: string) => `${d}.${m}.${y}`,
  (y: string, m: string, d: string) => `${y}/${m}/${d}`,
] as const;

/** True for a value a format change applies to: an ISO date string or a finite number. */
export function isReformattable(value: unknown): boolean {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && parseIsoDate(value) !== undefined);
}

/**
 * The value written the other way: an ISO date in layout `layout` (0..2: `MM/DD/YYYY`,
 * `DD.MM.YYYY`, `YYYY/MM/DD`), a number as text with its unit (`"12.5 kg"`).
 */
export function reformat(value: unknown, layout: number, unit: string | undefined): unknown {
  if (typeof value === 'number') return unit ? `${value} ${unit}` : String(value);
  const text = String(value);
  const [y, m, d] = [text.slice(0, 4), text.slice(5, 7), text.slice(8, 10)];
  return DATE_LAYOUTS[layout % DATE_LAYOUTS.length](y, m, d);
}

/** How many layouts {@link reformat} picks from. */
export const DATE_LAYOUT_COUNT = DATE_LAYOUTS.length;

/** The format family of a value, for measuring how consistent a column is. */
export function formatFamily(value: unknown): string {
  if (value === null || value === undefined) return 'missing';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') {
    if (parseIsoDate(value) !== undefined) return 'iso-date';
    if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value)) return 'us-date';
    if (/^\d{1,2}\.\d{1,2}\.\d{4}$/.test(value)) return 'dotted-date';
    if (/^\d{4}\/\d{1,2}\/\d{1,2}$/.test(value)) return 'slashed-date';
    if (/^-?\d+(\.\d+)?(e[+-]?\d+)?( \S+)?$/i.test(value)) return 'number-text';
    return 'text';
  }
  return typeof value;
}
