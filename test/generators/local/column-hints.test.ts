import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PromptFileError } from '../../../src/engine/errors.js';
import { generate, mean, Product, std, tempPrompt, thrown } from './support.js';

const head = (id: string) => `prompt_id: ${id}\ndomain: ecommerce\ntemplate: Generate {{rows}} products\n`;

describe('column hints', () => {
  it('respects numeric, categorical, array, template, faker and unique hints', async () => {
    const prompt = tempPrompt(
      'hinted',
      head('hinted') +
        `columns:
  price:
    min: 10
    max: 20
    decimals: 0
  category:
    categories: { Books: 3, Toys: 1 }
  features:
    items: { min: 2, max: 3, categories: [red, green, blue, black] }
  name:
    template: "SKU-{{index}} {{category}}"
    unique: true
  description:
    faker: commerce.productDescription
`,
    );
    const { rows } = await generate(prompt, { rows: 4000 });
    const prices = rows.map((r) => r.price as number);
    expect(Math.min(...prices)).toBe(10);
    expect(Math.max(...prices)).toBe(20);
    expect(prices.every(Number.isInteger)).toBe(true);
    const books = rows.filter((r) => r.category === 'Books').length / rows.length;
    expect(books).toBeGreaterThan(0.72);
    expect(books).toBeLessThan(0.78);
    expect(new Set(rows.map((r) => r.category))).toEqual(new Set(['Books', 'Toys']));
    for (const row of rows) {
      const features = row.features as string[];
      expect(features.length).toBeGreaterThanOrEqual(2);
      expect(features.length).toBeLessThanOrEqual(3);
      for (const f of features) expect(['red', 'green', 'blue', 'black']).toContain(f);
      expect(Product.safeParse(row).success).toBe(true);
    }
    expect(rows[0].name).toBe(`SKU-1 ${String(rows[0].category)}`);
    expect(rows[41].name).toBe(`SKU-42 ${String(rows[41].category)}`);
    expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.description)).size).toBeGreaterThan(3000);
  });

  it('reads categories and faker on an array column as hints for its items', async () => {
    const prompt = tempPrompt(
      'array_hint',
      head('array_hint') + 'columns:\n  features:\n    categories: [waterproof, wireless]\n    items: { min: 1, max: 2 }\n  name:\n    faker: commerce.productName\n',
    );
    const { rows } = await generate(prompt, { rows: 300 });
    for (const row of rows) {
      for (const f of row.features as string[]) expect(['waterproof', 'wireless']).toContain(f);
      expect(Product.safeParse(row).success).toBe(true);
    }
    expect(new Set(rows.map((r) => (r.features as string[]).length))).toEqual(new Set([1, 2]));
  });

  it('draws normal and lognormal columns with the hinted mean and std', async () => {
    const Schema = z.object({ height: z.number(), income: z.number().positive(), score: z.number().int().min(0).max(10) });
    const prompt = tempPrompt(
      'dists',
      `prompt_id: dists\ndomain: people\ntemplate: x\ncolumns:
  height: { distribution: normal, mean: 170, std: 10, decimals: 1 }
  income: { distribution: lognormal, mean: 50000, std: 30000 }
  score: { distribution: uniform }
`,
    );
    const { rows } = await generate(prompt, { schema: Schema, rows: 20000 });
    const heights = rows.map((r) => r.height as number);
    expect(mean(heights)).toBeCloseTo(170, 0);
    expect(std(heights)).toBeGreaterThan(9.5);
    expect(std(heights)).toBeLessThan(10.5);
    const incomes = rows.map((r) => r.income as number);
    expect(Math.abs(mean(incomes) - 50000)).toBeLessThan(1500);
    expect(Math.min(...incomes)).toBeGreaterThan(0);
    const scores = rows.map((r) => r.score as number);
    expect(new Set(scores)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    // Uniform: each of the 11 values about 1/11 of the rows, both ends included.
    for (const v of [0, 5, 10]) expect(Math.abs(scores.filter((s) => s === v).length / rows.length - 1 / 11)).toBeLessThan(0.015);
  });

  it('emits nulls (nullable) and absent keys (optional) at null_rate, and none by default', async () => {
    const Schema = z.object({ a: z.string().nullable(), b: z.number().optional(), c: z.string().nullable() });
    const prompt = tempPrompt('nulls', `prompt_id: nulls\ndomain: misc\ntemplate: x\ncolumns:\n  a: { null_rate: 0.2 }\n  b: { null_rate: 0.5, min: 1, max: 2 }\n`);
    const { rows } = await generate(prompt, { schema: Schema, rows: 5000 });
    const aNull = rows.filter((r) => r.a === null).length / rows.length;
    expect(aNull).toBeGreaterThan(0.17);
    expect(aNull).toBeLessThan(0.23);
    const bAbsent = rows.filter((r) => !('b' in r)).length / rows.length;
    expect(bAbsent).toBeGreaterThan(0.46);
    expect(bAbsent).toBeLessThan(0.54);
    expect(rows.every((r) => typeof r.c === 'string')).toBe(true);
    expect(JSON.stringify(rows.find((r) => !('b' in r)))).not.toContain('"b"');
  });

  const bad: [string, string, RegExp, number][] = [
    ['unknown key', 'columns:\n  price:\n    min: 1\n    maxx: 5\n', /maxx/, 7],
    ['faker path that does not exist', 'columns:\n  name:\n    faker: commerce.productNom\n', /commerce\.productNom/, 6],
    ['min above max', 'columns:\n  price:\n    max: 5\n    min: 10\n', /min \(10\) is greater than max \(5\)/, 7],
    ['null_rate on a required field', 'columns:\n  name:\n    null_rate: 0.1\n', /neither nullable nor optional/, 6],
    ['hint for a field the schema lacks', 'columns:\n  colour:\n    categories: [red]\n', /unknown field "colour"/, 5],
    ['category outside the enum', 'columns:\n  category:\n    categories: [Books, Garden]\n', /"Garden" is not a value/, 6],
    ['numeric hint on a string', 'columns:\n  name:\n    mean: 3\n', /applies to numbers/, 6],
    ['wrong value type', 'columns:\n  price:\n    distribution: gaussian\n', /distribution/, 6],
    ['hint range outside the schema', 'columns:\n  price:\n    max: -5\n', /outside the schema's range/, 6],
  ];
  for (const [label, columns, message, line] of bad) {
    it(`rejects a bad hint (${label}) with PromptFileError at its line`, async () => {
      // Refused when the prompt file is read (distribution, min/max) or when the generator reads its hints.
      const err = await thrown(async () => generate(tempPrompt('bad_hint', head('bad_hint') + columns)));
      expect(err).toBeInstanceOf(PromptFileError);
      expect(err.message).toMatch(message);
      expect(err.file).toMatch(/bad_hint\.yaml$/);
      expect(err.line).toBe(line);
      expect(err.fix).toBeTruthy();
    });
  }
});
