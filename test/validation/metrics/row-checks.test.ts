import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { completeness, duplicateRows, keyUniqueness, rulesCheck, schemaPassRate, type RuleLike } from '../../../src/validation/metrics/index.js';

describe('schemaPassRate', () => {
  const Product = z.object({ name: z.string(), price: z.number().positive() });
  it('counts passing rows and keeps the first failures with their zod errors', () => {
    const rows = [{ name: 'a', price: 1 }, { name: 'b', price: -1 }, { price: 3 }, { name: 'd', price: 4 }, { name: 'e', price: 0 }];
    const r = schemaPassRate(rows, Product, 2);
    expect([r.total, r.passed, r.failed, r.pass_rate]).toEqual([5, 2, 3, 0.4]);
    expect(r.failures.map((f) => f.row)).toEqual([1, 2]);
    expect(r.failures[0].errors[0].path).toBe('price');
    expect(r.failures[1].errors[0].path).toBe('name');
  });
});

describe('rulesCheck', () => {
  const rules: RuleLike[] = [
    { text: 'if category == "Electronics", price > 50', test: (r) => r.category !== 'Electronics' || (r.price as number) > 50 },
    { text: 'price < 1000', test: (r) => (r.price as number) < 1000 },
    {
      text: 'broken',
      test: () => {
        throw new Error('boom');
      },
    },
  ];
  it('counts violations per rule, and a throwing rule as violated with its error', () => {
    const rows = [
      { category: 'Electronics', price: 10 },
      { category: 'Books', price: 10 },
      { category: 'Electronics', price: 2000 },
    ];
    const r = rulesCheck(rows, rules.slice(0, 2));
    expect(r.rules.map((x) => [x.rule, x.violations, x.examples])).toEqual([
      ['if category == "Electronics", price > 50', 1, [0]],
      ['price < 1000', 1, [2]],
    ]);
    expect(r.rows_with_violations).toBe(2);
    expect(r.pass_rate).toBeCloseTo(1 / 3, 12);
    const broken = rulesCheck(rows, rules).rules[2];
    expect(broken.violations).toBe(3);
    expect(broken.error).toBe('row 0: boom');
  });
});

describe('completeness and uniqueness', () => {
  const rows = [
    { id: 1, name: 'a', price: 1 },
    { price: 1, name: 'a', id: 1 },
    { id: 2, name: null, price: NaN },
    { id: null, name: 'c' },
  ];
  it('null rate per column, absent keys counted as missing', () => {
    const c = completeness(rows);
    expect(c.columns).toEqual([
      { column: 'id', missing: 1, null_rate: 0.25 },
      { column: 'name', missing: 1, null_rate: 0.25 },
      { column: 'price', missing: 2, null_rate: 0.5 },
    ]);
    expect(c.complete_rate).toBe(0.5);
  });

  it('duplicate rows ignore key order', () => {
    const d = duplicateRows(rows);
    expect(d.duplicates).toBe(1);
    expect(d.examples).toEqual([[0, 1]]);
  });

  it('key uniqueness for simple and composite keys', () => {
    const [id, composite] = keyUniqueness(rows, ['id', ['id', 'name']]);
    expect(id).toMatchObject({ key: ['id'], distinct: 2, duplicates: 1, missing: 1, unique: false, examples: ['1'] });
    expect(composite).toMatchObject({ key: ['id', 'name'], distinct: 1, duplicates: 1, missing: 2, unique: false });
    expect(keyUniqueness([{ k: 'a' }, { k: 'b' }], ['k'])[0].unique).toBe(true);
  });
});
