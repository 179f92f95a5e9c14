import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MaterializationError, PromptFileError } from '../../../src/engine/errors.js';
import { generate, Product, tempPrompt, thrown } from './support.js';

const withRules = (id: string, rules: string[], extra = '') =>
  tempPrompt(id, `prompt_id: ${id}\ndomain: ecommerce\ntemplate: Generate {{rows}} products\nrules:\n${rules.map((r) => `  - '${r}'`).join('\n')}\n${extra}`);

describe('rules', () => {
  it('holds every rule of several kinds on every row, and counts the fixes', async () => {
    const rules = [
      'if category == "Electronics", price > 50',
      'if category in ["Books", "Toys"], price <= 25 and price >= 5',
      'category != "Home" or price < 100',
      'if price > 100, len(features) >= 3',
      'not (category == "Sports" and price < 20)',
    ];
    const prompt = withRules('many_rules', rules);
    const { rows, metadata } = await generate(prompt, { rows: 5000 });
    for (const rule of prompt.rules)
      expect(
        rows.filter((r) => !rule.test(r)),
        rule.text,
      ).toEqual([]);
    for (const row of rows) expect(Product.safeParse(row).success).toBe(true);
    const fixes = metadata.rule_fixes as Record<string, number>;
    expect(fixes[rules[0]]).toBeGreaterThan(500);
    expect(fixes[rules[1]]).toBeGreaterThan(500);
    expect(metadata.resampled).toBeGreaterThan(1000);
    // Constrained draws land inside the window rather than piling up at its edges.
    const books = rows.filter((r) => r.category === 'Books').map((r) => r.price as number);
    expect(new Set(books).size).toBeGreaterThan(500);
  });

  it('keeps the hinted category weights among the values a rule allows', async () => {
    const prompt = withRules('weighted', ['category in ["Books", "Toys"]'], 'columns:\n  category:\n    categories: { Books: 3, Toys: 1, Home: 4 }\n');
    const { rows } = await generate(prompt, { rows: 4000 });
    const books = rows.filter((r) => r.category === 'Books').length / rows.length;
    expect(rows.every((r) => r.category === 'Books' || r.category === 'Toys')).toBe(true);
    expect(books).toBeGreaterThan(0.72);
    expect(books).toBeLessThan(0.78);
  });

  it('fails with a clear MaterializationError naming the impossible rule and its file:line', async () => {
    const prompt = withRules('impossible', ['if category == "Electronics", price > 50', 'price > 10 and price < 5']);
    const err = await thrown(() => generate(prompt, { rows: 10 }));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.asset).toBe('products');
    expect(err.file).toBe(prompt.file);
    expect(err.line).toBe(6);
    expect(err.what).toContain('price > 10 and price < 5');
    expect(err.what).toContain(`${prompt.file}:6`);
    expect(err.why).toMatch(/price \(> 10, < 5\) admit no value/);
    expect(err.fix).toBeTruthy();
  });

  it('satisfies rules that together exclude a category by redrawing the condition too', async () => {
    // Books would need price > 100 and < 50: whole-row redraws move those rows to other categories.
    const prompt = withRules('contradiction', ['if category == "Books", price > 100', 'if category == "Books", price < 50']);
    const { rows } = await generate(prompt, { rows: 300 });
    expect(rows.filter((r) => r.category === 'Books')).toEqual([]);
    for (const rule of prompt.rules) expect(rows.every((r) => rule.test(r))).toBe(true);
  });

  it('rejects a rule about a field the schema does not have, at the rule line', async () => {
    const prompt = withRules('unknown_field', ['price > 0', 'if category == "Books", pages > 10']);
    const err = await thrown(() => generate(prompt));
    expect(err).toBeInstanceOf(PromptFileError);
    expect(err.line).toBe(6);
    expect(err.what).toContain('"pages"');
  });

  it('redraws columns the schema rejects (custom refinements) and records it', async () => {
    const Schema = z.object({
      code: z.string().refine((s) => s.length % 2 === 0, 'even length'),
      n: z
        .number()
        .int()
        .min(1)
        .max(100)
        .refine((n) => n % 7 !== 0, 'no multiples of 7'),
    });
    const prompt = tempPrompt('refined', 'prompt_id: refined\ndomain: misc\ntemplate: x\n');
    const { rows, metadata } = await generate(prompt, { schema: Schema, rows: 1000 });
    for (const row of rows) expect(Schema.safeParse(row).success).toBe(true);
    expect(metadata.schema_fixes).toBeGreaterThan(100);
  });

  it('runs out of distinct values for a unique column with a clear error', async () => {
    const prompt = withRules('uniq', ['price > 0'], 'columns:\n  category:\n    unique: true\n');
    const err = await thrown(() => generate(prompt, { rows: 10 }));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toContain('"category"');
    expect(err.why).toContain('Only 5 distinct values');
  });
});
