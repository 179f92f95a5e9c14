import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Row } from '../../../src/engine/rows.js';
import { Car, cars as carsRows, carsPrompt, generate } from './support.js';

const cars = carsRows();
const prompt = carsPrompt();
const run = (schema: z.ZodObject = Car, config: Record<string, unknown> = { provider: 'local' }) =>
  generate(prompt, { asset: 'cars', schema, reference: cars, rows: 2000, seed: 3, config: config as never });

function pearson(rows: Row[], a: string, b: string): number {
  const xs = rows.filter((r) => typeof r[a] === 'number' && typeof r[b] === 'number');
  const x = xs.map((r) => r[a] as number);
  const y = xs.map((r) => r[b] as number);
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('type-aware fitting (cars, no hints)', () => {
  it('draws a small-support integer column from its real support only, keeping its shares and correlations', async () => {
    const { rows, metadata } = await run();
    const support = new Set(cars.map((r) => r.Cylinders));
    expect(rows.every((r) => support.has(r.Cylinders))).toBe(true);
    for (const c of [4, 6, 8]) {
      const real = cars.filter((r) => r.Cylinders === c).length / cars.length;
      const syn = rows.filter((r) => r.Cylinders === c).length / rows.length;
      expect(Math.abs(real - syn), `share of ${c}`).toBeLessThan(0.05);
    }
    expect(rows.filter((r) => r.Cylinders === 5).length / rows.length).toBeLessThan(0.03);
    for (const other of ['Displacement', 'Weight_in_lbs', 'Miles_per_Gallon']) {
      expect(Math.abs(pearson(rows, 'Cylinders', other) - pearson(cars, 'Cylinders', other)), other).toBeLessThan(0.06);
    }
    expect((metadata.fit as { columns: Record<string, string> }).columns.Cylinders).toMatch(/^discrete: 5 distinct values: drawn by their frequencies/);
  });

  it('fits z.iso.date() columns as timestamps: within the real range, in its format, spread like it', async () => {
    const { rows, metadata } = await run();
    const years = rows.map((r) => r.Year as string);
    expect(years.every((y) => /^\d{4}-\d{2}-\d{2}$/.test(y))).toBe(true);
    expect(years.every((y) => y >= '1970-01-01' && y <= '1982-01-01')).toBe(true);
    const early = years.filter((y) => y < '1976-01-01').length / years.length;
    const realEarly = cars.filter((r) => (r.Year as string) < '1976-01-01').length / cars.length;
    expect(Math.abs(early - realEarly)).toBeLessThan(0.06);
    expect((metadata.fit as { columns: Record<string, string> }).columns.Year).toMatch(/^date: dates fitted as timestamps/);
  });

  it('fits date-like strings without a format, and datetimes keep their written form', async () => {
    const schema = z.object({ Year: z.string(), Stamp: z.string() });
    const reference = cars.map((r, i) => ({ Year: r.Year, Stamp: `${r.Year} ${String(i % 24).padStart(2, '0')}:30:00` }));
    const { rows } = await generate(prompt, { asset: 'cars', schema, reference, rows: 500, seed: 1 });
    expect(rows.every((r) => /^19(7\d|8[0-2])-01-01$/.test(r.Year as string) || /^19[78]\d-\d\d-\d\d$/.test(r.Year as string))).toBe(true);
    expect(rows.every((r) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(r.Stamp as string))).toBe(true);
  });

  it('never copies a real name; names look like the real ones (words from them, not person names)', async () => {
    const { rows, metadata } = await run();
    const real = new Set(cars.map((r) => r.Name));
    expect(rows.filter((r) => real.has(r.Name)).length).toBe(0);
    const makes = new Set(cars.map((r) => (r.Name as string).split(' ')[0]));
    expect(rows.filter((r) => makes.has((r.Name as string).split(' ')[0])).length / rows.length).toBeGreaterThan(0.9);
    expect((metadata.fit as { columns: Record<string, string> }).columns.Name).toMatch(/^words: identifier or text/);
  });

  it('learns code patterns (AB-1234) without reusing a real code; copy_values allows real values', async () => {
    const schema = z.object({ sku: z.string(), kind: z.enum(['a', 'b']) });
    const reference = Array.from({ length: 300 }, (_, i) => ({ sku: `AB-${String(1000 + i * 7).padStart(4, '0')}`, kind: i % 3 ? 'a' : 'b' }));
    const real = new Set(reference.map((r) => r.sku));
    const { rows } = await generate(prompt, { asset: 'skus', schema, reference, rows: 500, seed: 2 });
    expect(rows.every((r) => /^AB-\d{4}$/.test(r.sku as string))).toBe(true);
    expect(rows.filter((r) => real.has(r.sku as string)).length).toBe(0);
    const copied = await generate(prompt, { asset: 'skus', schema, reference, rows: 500, seed: 2, config: { provider: 'local', fit: { copy_values: ['sku'] } } as never });
    expect(copied.rows.every((r) => real.has(r.sku as string))).toBe(true);
  });

  it('keeps a zero-inflated, long-tailed column: its zero share and its range', async () => {
    const schema = z.object({ spend: z.number().nonnegative(), group: z.enum(['x', 'y']) });
    const reference = Array.from({ length: 400 }, (_, i) => ({ spend: i % 3 === 0 ? 0 : Math.round(Math.exp((i % 53) / 10) * 100) / 100, group: i % 2 ? 'x' : 'y' }));
    const { rows, metadata } = await generate(prompt, { asset: 'spend', schema, reference, rows: 3000, seed: 5 });
    const zeros = rows.filter((r) => r.spend === 0).length / rows.length;
    expect(Math.abs(zeros - 134 / 400)).toBeLessThan(0.04);
    const max = Math.max(...reference.map((r) => r.spend));
    expect(rows.every((r) => (r.spend as number) >= 0 && (r.spend as number) <= max)).toBe(true);
    expect((metadata.fit as { columns: Record<string, string> }).columns.spend).toMatch(/^quantile: \d+% of values are 0/);
  });

  it('is deterministic: the same seed gives the same rows', async () => {
    const a = await run();
    const b = await run();
    expect(JSON.stringify(a.rows)).toBe(JSON.stringify(b.rows));
  });
});

describe('type-aware fitting through the CLI', () => {
  it('fits a CSV source with dates, counts and names, and synth show says how each column was modelled', async () => {
    const { makeProject, removeProject, synth } = await import('../../support/project.js');
    const { encodeCsv } = await import('../../../src/engine/codec.js');
    const project = makeProject({
      'data/cars.csv': encodeCsv(cars),
      'prompts/cars_v1.yaml': 'prompt_id: cars_v1\ndomain: automotive\nversion: 1\ntemplate: Generate {{rows}} cars.\n',
      'src/assets/index.ts': `
        import { z } from 'zod';
        import { dataset, source } from 'synthgraph';
        const Car = z.object({
          Name: z.string(), Miles_per_Gallon: z.number().nullable(), Cylinders: z.number().int(), Displacement: z.number(),
          Horsepower: z.number().nullable(), Weight_in_lbs: z.number().int(), Acceleration: z.number(), Year: z.iso.date(),
          Origin: z.enum(['USA', 'Europe', 'Japan']),
        });
        export const cars = source({ name: 'cars', file: 'data/cars.csv' });
        export const carsSynth = dataset({ name: 'cars_synth', schema: Car, prompt: 'cars_v1', rows: 300, reference: cars });`,
    });
    try {
      expect(synth(project, ['materialize']).code).toBe(0);
      const show = synth(project, ['show', 'cars_synth']);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/^ {4}Cylinders: discrete: 5 distinct values/m);
      expect(show.stdout).toMatch(/^ {4}Year: date: dates fitted as timestamps/m);
      expect(show.stdout).toMatch(/^ {4}Name: words: identifier or text \(\d+ distinct of 406\)/m);
      expect(show.stdout).toMatch(/^ {4}Origin: class: the class column/m);
    } finally {
      removeProject(project);
    }
  });
});
