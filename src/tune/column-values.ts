import type { Row } from '../engine/index.js';

/** Present (non-null, non-empty) values of a column. */
export function presentValues(rows: readonly Row[], column: string): unknown[] {
  const out: unknown[] = [];
  for (const r of rows) {
    const v = r[column];
    if (v !== null && v !== undefined && v !== '') out.push(v);
  }
  return out;
}

/** Finite numbers of a column (text such as "12 kg" left out). */
export function numbersOf(rows: readonly Row[], column: string): number[] {
  return presentValues(rows, column).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

/** Counts of each scalar value of a column, in order of first appearance. */
export function valueCounts(rows: readonly Row[], column: string): Map<string | number | boolean, number> {
  const counts = new Map<string | number | boolean, number>();
  for (const v of presentValues(rows, column)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

/** Decimal places a number is written with (at most 6). */
export function decimalsOf(x: number): number {
  const text = String(x);
  const dot = text.indexOf('.');
  return dot < 0 || text.includes('e') ? 0 : Math.min(6, text.length - dot - 1);
}

/** Rounds to `d` decimals. */
export function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Tukey's far-out fences (3 × IQR past the quartiles) of sorted numbers. */
export function farFences(sorted: readonly number[]): [number, number] {
  const q = (p: number) => {
    const at = (sorted.length - 1) * p;
    const lo = Math.floor(at);
    return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
  };
  const q1 = q(0.25);
  const q3 = q(0.75);
  return [q1 - 3 * (q3 - q1), q3 + 3 * (q3 - q1)];
}
