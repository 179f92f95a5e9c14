import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CheckContext, CheckOutcome } from '../../src/engine/check.js';
import { MaterializationError, PromptFileError, UsageError } from '../../src/engine/errors.js';
import type { Row } from '../../src/engine/rows.js';
import { shuffledIndexes, splitRows } from '../../src/models/index.js';
import { compileRule } from '../../src/rules/index.js';
import { checks, type DriftCheckDetails, type FidelityCheckDetails, type RulesCheckDetails, type UtilityCheckDetails } from '../../src/validation/index.js';

const penguins = JSON.parse(readFileSync(new URL('../../node_modules/vega-datasets/data/penguins.json', import.meta.url), 'utf8')) as Row[];

function thrown(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

function ctx(rows: Row[], extra: Partial<CheckContext> = {}): CheckContext {
  return { asset: 'report', rows, rules: [], inputs: {}, seed: 42, signal: new AbortController().signal, ...extra };
}
async function run(check: ReturnType<typeof checks.schema>, c: CheckContext): Promise<CheckOutcome & { passed: boolean }> {
  const outcome = await check.run(c);
  return { ...outcome, passed: outcome.passed ?? outcome.score >= check.threshold };
}

describe('check options', () => {
  it('reject unknown keys, out-of-range thresholds and malformed extra rules with our errors', () => {
    expect(() => checks.fidelity({ treshold: 0.9 } as never)).toThrow(UsageError);
    expect(() => checks.fidelity({ treshold: 0.9 } as never)).toThrow(/checks.fidelity/);
    expect(thrown(() => checks.schema({ threshold: 1.5 })).why).toMatch(/^threshold:/);
    expect(thrown(() => checks.drift({ name: 'a.b' })).why).toMatch(/^name: .*no dots/);
    expect(thrown(() => checks.utility({} as never)).why).toMatch(/^target:/);
    const bad = thrown(() => checks.rules({ rules: ['price >> 5'] }));
    expect(bad).toBeInstanceOf(PromptFileError);
    expect((bad as PromptFileError).what).toMatch(/^checks.rules\(\{ rules \}\): Rule 1 is malformed/);
  });

  it('put their own options in the config (hashed into the cache key) and apply defaults', () => {
    const a = checks.fidelity({ seed: 1 });
    const b = checks.fidelity({ seed: 2, blocking: true, name: 'fid' });
    expect(a.config).not.toEqual(b.config);
    expect([a.name, a.blocking, a.threshold]).toEqual(['fidelity', false, 0.8]);
    expect([b.name, b.blocking, b.threshold]).toEqual(['fid', true, 0.8]);
    expect((a.config as { kind: string }).kind).toBe('fidelity');
    expect([checks.drift().threshold, checks.utility({ target: 'x' }).threshold, checks.completeness().threshold]).toEqual([1, 0.8, 1]);
  });

  it('fail clearly when a comparing check has no reference', async () => {
    await expect(run(checks.fidelity(), ctx(penguins))).rejects.toThrow(MaterializationError);
    await expect(run(checks.drift(), ctx(penguins))).rejects.toThrow(/has no reference data to compare with/);
  });
});

describe('row checks on top of the metrics', () => {
  const Product = z.object({ name: z.string(), price: z.number().positive() });
  const rows: Row[] = [
    { name: 'a', price: 10, category: 'Books' },
    { name: 'b', price: -1, category: 'Books' },
    { name: 'a', price: 10, category: 'Books' },
    { name: null, price: 500, category: 'Electronics' },
  ];

  it('schema: pass rate and failing rows; skipped without a schema', async () => {
    const r = await run(checks.schema(), ctx(rows, { schema: Product }));
    expect(r.score).toBe(0.5);
    expect(r.passed).toBe(false);
    expect((r.details.failures as { row: number }[]).map((f) => f.row)).toEqual([1, 3]);
    const skipped = await run(checks.schema(), ctx(rows));
    expect([skipped.score, skipped.details.skipped]).toEqual([1, true]);
  });

  it('rules: prompt rules with their lines plus extra rules, violations per rule', async () => {
    const prompt = [{ ...compileRule('if category == "Electronics", price > 50'), line: 7 }];
    const r = await run(checks.rules({ rules: ['price < 100'] }), ctx(rows, { rules: prompt, promptFile: '/x/y/prompts/shop_v1.yaml' }));
    const d = r.details as unknown as RulesCheckDetails;
    expect(d.file).toBe('prompts/shop_v1.yaml');
    expect(d.rules.map((x) => [x.rule, x.origin, x.line, x.violations, x.examples])).toEqual([
      ['if category == "Electronics", price > 50', 'prompt', 7, 0, []],
      ['price < 100', 'check', null, 1, [3]],
    ]);
    expect(r.score).toBe(0.75);
    expect(r.summary).toContain('1× "price < 100"');
    const onlyExtra = await run(checks.rules({ rules: ['price < 1000'], promptRules: false }), ctx(rows, { rules: prompt }));
    expect((onlyExtra.details as unknown as RulesCheckDetails).rules).toHaveLength(1);
  });

  it('unique: whole-row duplicates, then key repeats and missing keys', async () => {
    const plain = await run(checks.unique(), ctx(rows));
    expect([plain.score, plain.metrics?.duplicates]).toEqual([0.75, 1]);
    const keyed = await run(checks.unique({ key: 'name' }), ctx(rows));
    expect(keyed.metrics).toMatchObject({ duplicates: 1, duplicate_keys: 1, missing_keys: 1 });
    expect(keyed.score).toBe(0.5);
    const composite = await run(checks.unique({ key: ['name', 'price'] }), ctx(rows));
    expect(composite.metrics?.duplicate_keys).toBe(1);
  });

  it('completeness: null rate per column against its limit', async () => {
    const strict = await run(checks.completeness(), ctx(rows));
    expect(strict.score).toBeCloseTo(2 / 3, 12);
    expect(strict.summary).toContain('name 25.0% > 0.0%');
    const relaxed = await run(checks.completeness({ perColumn: { name: 0.25 } }), ctx(rows));
    expect([relaxed.score, relaxed.passed]).toEqual([1, true]);
  });
});

describe('fidelity', () => {
  it('identical synthetic and real data score 1.0, with PSI 0 on every column', async () => {
    const r = await run(checks.fidelity(), ctx(penguins, { reference: penguins }));
    const d = r.details as unknown as FidelityCheckDetails;
    expect(r.score).toBe(1);
    expect(d.column_shapes.columns.every((c) => c.score === 1)).toBe(true);
    expect(d.psi.columns.map((c) => c.psi)).toEqual(d.psi.columns.map(() => 0));
    expect(d.psi.columns).toHaveLength(7);
    expect(r.metrics?.max_psi).toBe(0);
    expect(d.suggestions).toEqual([]);
  });

  it('a shifted numeric column lowers the score and is named with a suggestion', async () => {
    const shifted = penguins.map((p) => ({ ...p, 'Body Mass (g)': typeof p['Body Mass (g)'] === 'number' ? (p['Body Mass (g)'] as number) + 900 : null }));
    const r = await run(checks.fidelity({ threshold: 0.95 }), ctx(shifted, { reference: penguins, promptFile: '/p/prompts/penguins_v1.yaml' }));
    const d = r.details as unknown as FidelityCheckDetails;
    expect(r.score).toBeLessThan(0.95);
    expect(r.passed).toBe(false);
    expect(d.psi.drifted).toEqual(['Body Mass (g)']);
    expect(d.suggestions[0]).toMatch(/^Body Mass \(g\): real mean .* — lower Body Mass \(g\) in prompts\/penguins_v1.yaml/);
  });
});

describe('drift', () => {
  const live = splitRows(penguins, { test: 0.5, seed: 3 }).test;
  it('no drift when the live rows are the reference itself', async () => {
    const r = await run(checks.drift(), ctx(penguins, { reference: penguins }));
    expect([r.score, r.passed, r.metrics?.max_psi]).toEqual([1, true, 0]);
  });

  it('names drifted columns with PSI level and KS p-value, and suggests the prompt change', async () => {
    const heavier = live.map((p) => ({ ...p, 'Body Mass (g)': typeof p['Body Mass (g)'] === 'number' ? Math.round((p['Body Mass (g)'] as number) * 1.15) : null }));
    const r = await run(checks.drift({ prompt: 'penguins_v1' }), ctx(heavier, { reference: penguins }));
    const d = r.details as unknown as DriftCheckDetails;
    expect(d.drifted).toContain('Body Mass (g)');
    const mass = d.columns.find((c) => c.column === 'Body Mass (g)')!;
    expect(mass.level).toBe('major');
    expect(mass.ks_pvalue).toBeLessThan(1e-3);
    expect(mass.psi_noise).toBeGreaterThan(0);
    expect(r.score).toBeCloseTo(1 - d.drifted.length / d.compared, 12);
    expect(r.passed).toBe(false);
    expect(d.suggestions.join('\n')).toMatch(/Body Mass \(g\): live mean .* vs synthetic .* — raise Body Mass \(g\) in prompts\/penguins_v1.yaml/);
  });

  it('ksAlpha also flags a numeric column whose KS test rejects', async () => {
    const nudged = penguins.map((p) => ({ ...p, 'Flipper Length (mm)': typeof p['Flipper Length (mm)'] === 'number' ? (p['Flipper Length (mm)'] as number) + 3 : null }));
    const psiOnly = (await run(checks.drift(), ctx(nudged, { reference: penguins }))).details as unknown as DriftCheckDetails;
    const withKs = (await run(checks.drift({ ksAlpha: 0.5 }), ctx(nudged, { reference: penguins }))).details as unknown as DriftCheckDetails;
    const flipper = withKs.columns.find((c) => c.column === 'Flipper Length (mm)')!;
    expect(flipper.ks_pvalue).toBeLessThan(0.5);
    expect(withKs.drifted).toContain('Flipper Length (mm)');
    expect(withKs.drifted.length).toBeGreaterThanOrEqual(psiOnly.drifted.length);
  });

  it('an empty live folder scores 1 with nothing to compare', async () => {
    const r = await run(checks.drift(), ctx([], { reference: penguins }));
    expect([r.score, r.summary]).toEqual([1, 'no target rows yet: nothing to compare']);
  });
});

describe('utility (TSTR vs TRTR)', () => {
  const split = { test: 0.3, seed: 7 };
  it('holds out exactly splitRows(real).test: the real training split as "synthetic" gives ratio 1', async () => {
    const train = splitRows(penguins, split).train;
    const r = await run(checks.utility({ target: 'Species', holdout: split.test, seed: split.seed }), ctx(train, { reference: penguins }));
    const d = r.details as unknown as UtilityCheckDetails;
    expect(d.tstr).toEqual(d.trtr);
    expect(d.ratio).toBe(1);
    expect(d.holdout_rows).toBe(splitRows(penguins, split).test.length);
    expect(r.metrics).toMatchObject({ ratio: 1, tstr_macro_f1: d.tstr.macro_f1, trtr_accuracy: d.trtr.accuracy });
  });

  it('shuffled labels drive TSTR macro F1 towards chance and fail the check', async () => {
    const order = shuffledIndexes(penguins.length, 99);
    const shuffled = penguins.map((row, i) => ({ ...row, Species: penguins[order[i]].Species }));
    const r = await run(checks.utility({ target: 'Species', seed: 3 }), ctx(shuffled, { reference: penguins }));
    const d = r.details as unknown as UtilityCheckDetails;
    expect(d.trtr.macro_f1).toBeGreaterThan(0.9);
    expect(d.tstr.macro_f1).toBeLessThan(0.5);
    expect(r.score).toBeLessThan(0.6);
    expect(r.passed).toBe(false);
    const tstr = await run(checks.utility({ target: 'Species', seed: 3, score: 'tstr' }), ctx(shuffled, { reference: penguins }));
    expect(tstr.score).toBe(d.tstr.macro_f1);
  });
});
