import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/engine/rows.js';
import { UsageError } from '../../../src/engine/errors.js';
import { shuffledIndexes } from '../../../src/models/index.js';
import { utilityReport } from '../../../src/validation/metrics/index.js';

const penguinsPath = new URL('../../../node_modules/vega-datasets/data/penguins.json', import.meta.url);
const penguins = JSON.parse(readFileSync(penguinsPath, 'utf8')) as Row[];

describe('TSTR / TRTR utility on Palmer penguins', () => {
  it('real rows as synthetic: TRTR and TSTR macro F1 are high', () => {
    const r = utilityReport(penguins, penguins, { target: 'Species', seed: 1 });
    expect(r.task).toBe('multiclass');
    expect(r.metric).toBe('macro_f1');
    expect(r.trtr.macro_f1).toBeGreaterThan(0.9);
    expect(r.tstr.macro_f1).toBeGreaterThan(0.9);
    expect(r.holdout_rows).toBe(Math.round(penguins.length * 0.3));
    expect(r.trtr.train_rows + r.holdout_rows).toBe(penguins.length);
    expect(r.ratio).toBeCloseTo(r.tstr.macro_f1 / r.trtr.macro_f1, 12);
  });

  it('shuffled synthetic labels drive TSTR macro F1 towards chance (1/3)', () => {
    const order = shuffledIndexes(penguins.length, 99);
    const shuffled = penguins.map((row, i) => ({ ...row, Species: penguins[order[i]].Species }));
    const r = utilityReport(shuffled, penguins, { target: 'Species', seed: 1 });
    expect(r.trtr.macro_f1).toBeGreaterThan(0.9);
    expect(r.tstr.macro_f1).toBeGreaterThan(0.15);
    expect(r.tstr.macro_f1).toBeLessThan(0.5);
    expect(r.ratio!).toBeLessThan(0.6);
  });

  it('is reproducible for a seed', () => {
    const a = utilityReport(penguins, penguins, { target: 'Species', seed: 4 });
    const b = utilityReport(penguins, penguins, { target: 'Species', seed: 4 });
    expect(a).toEqual(b);
  });

  it('categories present on one side only do not crash encoding', () => {
    // Synthetic islands are all new names; the real hold-out has islands the model never saw.
    const synthetic = penguins.map((r) => ({ ...r, Island: `Synthetic ${String(r.Island)}`, Sex: 'UNKNOWN' }));
    const r = utilityReport(synthetic, penguins, { target: 'Species', seed: 2 });
    expect(r.tstr.macro_f1).toBeGreaterThan(0.5);
    expect(r.features).toContain('Island');
  });

  it('binary target: F1 of the declared positive label, and an error without one', () => {
    const rows = penguins.filter((r) => r.Sex === 'MALE' || r.Sex === 'FEMALE');
    expect(() => utilityReport(rows, rows, { target: 'Sex', seed: 1 })).toThrow(UsageError);
    expect(() => utilityReport(rows, rows, { target: 'Sex', seed: 1 })).toThrow(/binary but no positive label/);
    const r = utilityReport(rows, rows, { target: 'Sex', seed: 1, positiveLabel: 'FEMALE' });
    expect(r.task).toBe('binary');
    expect(r.metric).toBe('f1');
    expect(r.positive_label).toBe('FEMALE');
    expect(r.trtr.f1).toBeGreaterThan(0.7);
    expect(r.ratio).toBeCloseTo(r.tstr.f1! / r.trtr.f1!, 12);
    expect(() => utilityReport(rows, rows, { target: 'Sex', seed: 1, positiveLabel: 'F' })).toThrow(/not a class/);
  });
});
