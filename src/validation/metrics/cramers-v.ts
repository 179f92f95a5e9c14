import type { CodedColumn } from './contingency-similarity.js';

/*
 * Cramér's V of two code columns: shared by SDMetrics' pair threshold and the association
 * matrices the charts draw.
 */

/** Joint counts of two code columns (cell = a · kb + b): counted densely, kept as the non-empty cells. */
export function jointTable(a: Int32Array, b: Int32Array, ka: number, kb: number): Map<number, number> {
  const cells = new Map<number, number>();
  if (ka * kb <= DENSE_CELLS) {
    const dense = new Float64Array(ka * kb);
    for (let i = 0; i < a.length; i++) dense[a[i] * kb + b[i]]++;
    for (let k = 0; k < dense.length; k++) if (dense[k]) cells.set(k, dense[k]);
  } else {
    for (let i = 0; i < a.length; i++) {
      const k = a[i] * kb + b[i];
      cells.set(k, (cells.get(k) ?? 0) + 1);
    }
  }
  return cells;
}

/** Above this many cells a joint table is counted in a Map (two columns with thousands of values). */
const DENSE_CELLS = 1 << 22;

/** Cramér's V of a joint table (scipy `association(method='cramer')`, no continuity correction), over the rows and columns present. */
export function cramersV(table: Map<number, number>, kb: number, n: number): number {
  if (n === 0) return NaN;
  const rows = new Map<number, number>();
  const cols = new Map<number, number>();
  for (const [cell, c] of table) {
    const i = Math.floor(cell / kb);
    const j = cell - i * kb;
    rows.set(i, (rows.get(i) ?? 0) + c);
    cols.set(j, (cols.get(j) ?? 0) + c);
  }
  if (rows.size < 2 || cols.size < 2) return NaN;
  let chi2 = 0;
  for (const [i, ni] of rows) {
    for (const [j, nj] of cols) {
      const expected = (ni * nj) / n;
      const o = table.get(i * kb + j) ?? 0;
      chi2 += ((o - expected) * (o - expected)) / expected;
    }
  }
  return Math.sqrt(chi2 / n / Math.min(rows.size - 1, cols.size - 1));
}

/** Cramér's V of two coded columns over the rows where both have a value (code ≥ 0); NaN when undefined. */
export function association(a: CodedColumn, b: CodedColumn): number {
  let n = 0;
  for (let i = 0; i < a.codes.length; i++) if (a.codes[i] >= 0 && b.codes[i] >= 0) n++;
  const ca = new Int32Array(n);
  const cb = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < a.codes.length; i++) {
    if (a.codes[i] >= 0 && b.codes[i] >= 0) {
      ca[k] = a.codes[i];
      cb[k++] = b.codes[i];
    }
  }
  return cramersV(jointTable(ca, cb, a.size, b.size), b.size, n);
}
