import { describe, expect, it } from 'vitest';
import { productFamilies } from '../../../src/generators/local/product-vocabulary.js';
import { generate, mean, Product, repoPrompt } from './support.js';

describe('local generator on the contract ecommerce schema, no hints', () => {
  const prompt = repoPrompt('ecommerce_v1');

  it('makes 5,000 rows that all pass the schema and every rule', async () => {
    const { rows, metadata } = await generate(prompt, { rows: 5000 });
    expect(rows).toHaveLength(5000);
    for (const row of rows) expect(Product.safeParse(row).success).toBe(true);
    for (const rule of prompt.rules) expect(rows.filter((r) => !rule.test(r))).toEqual([]);
    const electronics = rows.filter((r) => r.category === 'Electronics');
    expect(electronics.length).toBeGreaterThan(800);
    expect(Math.min(...electronics.map((r) => r.price as number))).toBeGreaterThan(50);
    expect(metadata).toMatchObject({ generator: 'local', version: 'local-2', seed: 42, requested: 5000, valid: 5000, fitted: false });
    // Prices are lognormal around 40, so most Electronics rows needed a redraw.
    const fixes = (metadata.rule_fixes as Record<string, number>)['if category == "Electronics", price > 50'];
    expect(fixes).toBeGreaterThan(electronics.length / 2);
    expect(metadata.resampled).toBe(fixes);
  });

  it('gives realistic products: names, descriptions and features that match the category', async () => {
    const { rows } = await generate(prompt, { rows: 1000 });
    for (const row of rows) {
      const family = productFamilies[row.category as keyof typeof productFamilies];
      const name = row.name as string;
      expect(
        family.nouns.some((n) => name.includes(n)),
        `${name} is a ${String(row.category)}`,
      ).toBe(true);
      expect(row.description as string).toContain(name.replace(/^The /, ''));
      for (const f of row.features as string[]) expect(family.features).toContain(f);
      expect(new Set(row.features as string[]).size).toBe((row.features as string[]).length);
    }
    expect(new Set(rows.map((r) => r.name)).size).toBeGreaterThan(500);
    const categories = new Set(rows.map((r) => r.category));
    expect(categories).toEqual(new Set(['Electronics', 'Home', 'Books', 'Toys', 'Sports']));
  });

  it('draws prices around 40 with two decimals outside the rule, and 1 to 4 features', async () => {
    const { rows } = await generate(prompt, { rows: 3000 });
    const others = rows.filter((r) => r.category !== 'Electronics').map((r) => r.price as number);
    expect(mean(others)).toBeGreaterThan(33);
    expect(mean(others)).toBeLessThan(47);
    for (const p of others) expect(Math.round(p * 100) / 100).toBe(p);
    const lengths = rows.map((r) => (r.features as unknown[]).length);
    expect(Math.min(...lengths)).toBe(1);
    expect(Math.max(...lengths)).toBe(4);
  });

  it('reports progress up to the total', async () => {
    const calls: [number, number][] = [];
    await generate(prompt, { rows: 2500, progress: (done, total) => calls.push([done, total]) });
    expect(calls[0]).toEqual([0, 2500]);
    expect(calls).toContainEqual([1000, 2500]);
    expect(calls.at(-1)).toEqual([2500, 2500]);
  });
});
