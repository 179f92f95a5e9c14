/** Number formats shared by check summaries and report renderers, so both read the same. */

/** A share as a percentage with one decimal: 0.1234 → "12.3%". */
export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** A score or statistic with three decimals; "–" for null, undefined or NaN. */
export function num(x: number | null | undefined, digits = 3): string {
  return x === null || x === undefined || Number.isNaN(x) ? '–' : x.toFixed(digits);
}

/** A p-value: three significant digits, scientific below 0.001. */
export function pvalue(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return x !== 0 && x < 0.001 ? x.toExponential(2) : x.toFixed(3);
}
