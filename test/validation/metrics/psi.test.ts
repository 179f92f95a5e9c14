import { describe, expect, it } from 'vitest';
import { PSI_FLOOR, psiFromShares, psiLevel, psiReport } from '../../../src/validation/metrics/index.js';

// Hand-worked: reference 50/50, current 75/25 over two bins:
// (0.5−0.75)·ln(0.5/0.75) + (0.5−0.25)·ln(0.5/0.25) = 0.101366 + 0.173287 = 0.274653
const TWO_BIN_PSI = 0.25 * Math.log(0.75 / 0.5) + 0.25 * Math.log(0.5 / 0.25);

describe('PSI', () => {
  it('hand-worked two-bin example from shares', () => {
    expect(TWO_BIN_PSI).toBeCloseTo(0.274653, 6);
    expect(psiFromShares(Float64Array.of(0.5, 0.5), Float64Array.of(0.75, 0.25))).toBeCloseTo(TWO_BIN_PSI, 12);
  });

  it('categorical column: one bin per category', () => {
    const ref = ['a', 'a', 'b', 'b'].map((c) => ({ c }));
    const cur = ['a', 'a', 'a', 'b'].map((c) => ({ c }));
    const col = psiReport(ref, cur).columns[0];
    expect(col.kind).toBe('categorical');
    expect(col.psi).toBeCloseTo(TWO_BIN_PSI, 12);
    expect(col.level).toBe('major');
  });

  it('numeric column: bins at the reference quantiles (median 2.5 for 2 bins)', () => {
    const ref = [1, 2, 3, 4].map((x) => ({ x }));
    const cur = [1, 1, 1, 4].map((x) => ({ x }));
    const col = psiReport(ref, cur, { bins: 2 }).columns[0];
    expect(col.bins.map((b) => b.label)).toEqual(['< 2.5', '≥ 2.5']);
    expect(col.psi).toBeCloseTo(TWO_BIN_PSI, 12);
  });

  it('floors an empty bin at 1e-4 instead of dividing by zero', () => {
    const expected = (0.5 - PSI_FLOOR) * Math.log(0.5 / PSI_FLOOR) + (0.5 - 1) * Math.log(0.5 / 1);
    const col = psiReport([{ c: 'a' }, { c: 'b' }], [{ c: 'b' }, { c: 'b' }]).columns[0];
    expect(col.psi).toBeCloseTo(expected, 12);
    expect(Number.isFinite(col.psi!)).toBe(true);
  });

  it('identical data gives 0 and stable; levels at 0.1 and 0.25', () => {
    const rows = Array.from({ length: 500 }, (_, i) => ({ x: (i * 7919) % 1000, c: ['u', 'v', 'w'][i % 3] }));
    const r = psiReport(rows, [...rows].reverse());
    expect(r.columns.map((c) => c.psi)).toEqual([0, 0]);
    expect(r.level).toBe('stable');
    expect(r.drifted).toEqual([]);
    expect([psiLevel(0.0999), psiLevel(0.1), psiLevel(0.2499), psiLevel(0.25)]).toEqual(['stable', 'moderate', 'moderate', 'major']);
  });

  it('reports drifted columns and a category that only the current side has', () => {
    const ref = Array.from({ length: 1000 }, (_, i) => ({ price: 10 + (i % 100), cat: i % 2 ? 'A' : 'B' }));
    const cur = Array.from({ length: 1000 }, (_, i) => ({ price: 60 + (i % 100), cat: i % 3 ? 'A' : 'C' }));
    const r = psiReport(ref, cur);
    expect(r.drifted.sort()).toEqual(['cat', 'price']);
    const cat = r.columns.find((c) => c.column === 'cat')!;
    expect(cat.bins.map((b) => b.label).sort()).toEqual(['A', 'B', 'C']);
  });

  it('rejects bad options with a UsageError', () => {
    expect(() => psiReport([], [], { bins: 1 })).toThrow(/Invalid options for the PSI check/);
  });
});
