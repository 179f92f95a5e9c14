import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../src/engine/check.js';
import type { Row } from '../../src/engine/rows.js';
import { splitRows } from '../../src/models/index.js';
import { checks, type PrivacyCheckDetails } from '../../src/validation/index.js';
import { Car as FullCar, cars as carsRows, carsPrompt, generate, Penguin, penguinsReference, repoPrompt } from '../generators/local/support.js';

function ctx(rows: Row[], reference: Row[]): CheckContext {
  return { asset: 'privacy_report', rows, rules: [], inputs: {}, seed: 42, signal: new AbortController().signal, reference };
}
async function run(check: ReturnType<typeof checks.privacy>, c: CheckContext) {
  const outcome = await check.run(c);
  return { ...outcome, passed: outcome.passed ?? outcome.score >= check.threshold, details: outcome.details as unknown as PrivacyCheckDetails };
}

const penguins = penguinsReference();
const split = { test: 0.3, seed: 7 };
const train = splitRows(penguins, split).train;

describe('checks.privacy()', () => {
  it('passes fitted synthetic penguins: no copies, about as close to training as to the hold-out', async () => {
    const { rows } = await generate(repoPrompt('penguins_v1'), { asset: 'penguins', schema: Penguin, reference: train, rows: 1000, seed: 42 });
    const r = await run(checks.privacy({ holdout: split.test, seed: split.seed }), ctx(rows, penguins));
    expect(r.passed).toBe(true);
    expect(r.details.copies.rows).toBe(0);
    expect(r.details.dcr.closer_to_training).toBeGreaterThan(0.3);
    expect(r.details.dcr.closer_to_training).toBeLessThan(0.7);
    expect(r.score).toBeGreaterThan(0.8);
  });

  it('fails rows copied from the training data: copies named, DCR score near 0, blocking when asked', async () => {
    const copied = [...train, ...train.slice(0, 100)];
    const check = checks.privacy({ holdout: split.test, seed: split.seed, blocking: true });
    const r = await run(check, ctx(copied, penguins));
    expect(check.blocking).toBe(true);
    expect(r.passed).toBe(false);
    expect(r.details.copies.rate).toBe(1);
    expect(r.score).toBeLessThan(0.8);
    expect(r.summary).toMatch(/341 synthetic rows \(100(\.0)?%\) are exact copies of real rows/);
  });

  it('flags real identifier values reused, and passes the generator that never reuses them', async () => {
    const cars = carsRows();
    const Car = FullCar.pick({ Name: true, Cylinders: true, Horsepower: true, Origin: true });
    const prompt = carsPrompt();
    const carTrain = splitRows(cars, { test: 0.3, seed: 1 }).train;
    const fresh = await generate(prompt, { asset: 'cars', schema: Car, reference: carTrain, rows: 500, seed: 4 });
    const copying = await generate(prompt, {
      asset: 'cars',
      schema: Car,
      reference: carTrain,
      rows: 500,
      seed: 4,
      config: { provider: 'local', fit: { copy_values: ['Name'] } } as never,
    });
    const check = checks.privacy({ holdout: 0.3, seed: 1 });
    const ok = await run(check, ctx(fresh.rows, cars));
    // Names the generator made up can match real cars it never saw (the hold-out): counted apart.
    expect(ok.details.identifiers).toMatchObject([{ column: 'Name', reused: 0, share: 0, examples: [] }]);
    expect(ok.passed).toBe(true);
    const bad = await run(check, ctx(copying.rows, cars));
    expect(bad.passed).toBe(false);
    expect(bad.details.identifiers[0].share).toBe(1);
    expect(bad.summary).toMatch(/^Name: 500 real values reused \(100(\.0)?%, e\.g\. "/);
    expect(bad.details.identifiers[0].holdout_matches).toBe(0);
  });
});
