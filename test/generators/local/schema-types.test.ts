import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MaterializationError } from '../../../src/engine/errors.js';
import { generate, tempPrompt, thrown } from './support.js';

describe('schema-driven generation without hints', () => {
  const prompt = tempPrompt('people', 'prompt_id: people\ndomain: crm\ntemplate: Generate {{rows}} customers\n');

  it('fills every zod type it knows with values that pass the schema', async () => {
    const Schema = z.object({
      id: z.number().int().positive(),
      uuid: z.uuid(),
      email: z.email(),
      website: z.url(),
      created_at: z.iso.datetime(),
      birthday: z.iso.date(),
      first_name: z.string(),
      city: z.string().min(2).max(40),
      age: z.number().int().min(18).max(99),
      rating: z.number().min(1).max(5),
      active: z.boolean(),
      plan: z.enum(['free', 'pro', 'team']),
      kind: z.literal('customer'),
      tags: z.array(z.enum(['vip', 'new', 'churn-risk'])).max(2),
      address: z.object({ street: z.string(), zip: z.string(), country: z.string() }),
      score: z.union([z.number().int().min(0).max(10), z.literal('n/a')]),
      nickname: z.string().max(5).optional(),
      notes: z.string().nullable(),
      code: z.string().length(6),
      count: z.number().int().multipleOf(5).min(0).max(100),
    });
    const { rows } = await generate(prompt, { schema: Schema, rows: 2000 });
    for (const row of rows) {
      const parsed = Schema.safeParse(row);
      expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    }
    expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.uuid)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.plan))).toEqual(new Set(['free', 'pro', 'team']));
    const ages = rows.map((r) => r.age as number);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(18);
    expect(ages.reduce((s, a) => s + a, 0) / ages.length).toBeGreaterThan(30);
    expect(ages.reduce((s, a) => s + a, 0) / ages.length).toBeLessThan(48);
    expect((rows[0].created_at as string) < '2026').toBe(true);
    expect(rows.filter((r) => r.active === true).length / rows.length).toBeGreaterThan(0.7);
  });

  it('generates the input of transforms and pipes', async () => {
    const Schema = z.object({ slug: z.string().transform((s) => s.toLowerCase()), qty: z.number().int().min(1).max(9).pipe(z.number().max(5)) });
    const { rows, metadata } = await generate(prompt, { schema: Schema, rows: 300 });
    for (const row of rows) expect(Schema.safeParse(row).success).toBe(true);
    expect(new Set(rows.map((r) => r.qty))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(metadata.schema_fixes).toBeGreaterThan(0);
  });

  it('gives people, not products, outside ecommerce', async () => {
    const Schema = z.object({ name: z.string(), description: z.string() });
    const { rows } = await generate(prompt, { schema: Schema, rows: 50 });
    expect(rows.every((r) => /^\S+( \S+)+$/.test(r.name as string))).toBe(true);
    expect(rows.some((r) => /Headphones|Yoga Mat|Teddy Bear/.test(JSON.stringify(r)))).toBe(false);
  });

  it('refuses a type that does not survive JSON, with a fix', async () => {
    const err = await thrown(() => generate(prompt, { schema: z.object({ when: z.date() }) }));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toContain('"when"');
    expect(err.fix).toContain('z.iso.datetime()');
  });
});
