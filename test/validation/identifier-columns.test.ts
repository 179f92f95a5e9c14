import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/engine/check.js';
import type { Row } from '../../src/engine/rows.js';
import { splitRows } from '../../src/models/index.js';
import { checks, type FidelityCheckDetails, type UtilityCheckDetails } from '../../src/validation/index.js';
import { classifyColumns } from '../../src/validation/metrics/index.js';
import { cars as carsRows } from '../generators/local/support.js';

const cars = carsRows();
const ctx = (rows: Row[], reference: Row[]): CheckContext => ({ asset: 'cars_report', rows, rules: [], inputs: {}, seed: 42, signal: new AbortController().signal, reference });

describe('identifier, name and date columns in the metrics', () => {
  it('classifies names as identifiers, repeated values as categories and ISO date text as numbers', () => {
    const { kinds, skipped } = classifyColumns(cars);
    expect(skipped.map((s) => s.column)).toEqual(['Name']);
    expect(skipped[0].why).toMatch(/^identifier or free text: \d+ distinct values in 406 rows/);
    expect(kinds.Year).toBe('numeric');
    expect(kinds.Origin).toBe('categorical');
  });

  it('fidelity leaves names out (listed with why) and scores dates as numbers: a renamed copy scores 1', async () => {
    // The real rows with every name changed: a perfect copy of everything that can be compared.
    const renamed = cars.map((r, i) => ({ ...r, Name: `car ${i}` }));
    const outcome = await checks.fidelity().run(ctx(renamed, cars));
    const d = outcome.details as unknown as FidelityCheckDetails;
    expect(d.skipped_columns.map((c) => c.column)).toEqual(['Name']);
    expect(outcome.score).toBeCloseTo(1, 10);
    expect(d.sdmetrics_quality.score).toBeCloseTo(1, 10);
    expect(d.column_shapes.columns.find((c) => c.column === 'Year')?.metric).toBe('KSComplement');
    expect(outcome.summary).toContain('skipped Name (identifier/text)');
  });

  it('utility does not use names as features by default', async () => {
    const outcome = await checks.utility({ target: 'Origin', holdout: 0.3, seed: 1 }).run(ctx(splitRows(cars, { test: 0.3, seed: 1 }).train, cars));
    const d = outcome.details as unknown as UtilityCheckDetails;
    expect(d.features).not.toContain('Name');
    expect(d.features).toContain('Horsepower');
  });
});
