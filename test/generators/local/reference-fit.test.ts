import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UsageError } from '../../../src/engine/errors.js';
import type { Row } from '../../../src/engine/rows.js';
import { generate, mean, Penguin, penguinsReference, repoPrompt, std, tempPrompt, thrown } from './support.js';

const numeric = ['Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'] as const;
const species = ['Adelie', 'Chinstrap', 'Gentoo'] as const;
const values = (rows: Row[], field: string) => rows.map((r) => r[field]).filter((v): v is number => typeof v === 'number');
const share = (rows: Row[], pred: (r: Row) => boolean) => rows.filter(pred).length / rows.length;

describe('fitting the Palmer penguins reference', () => {
  const prompt = repoPrompt('penguins_v1');
  const reference = penguinsReference();
  const run = (rows = 10000, seed = 1) => generate(prompt, { asset: 'penguins', schema: Penguin, reference, rows, seed });

  it('matches per-species means and spreads of every numeric column', async () => {
    const { rows, metadata } = await run();
    for (const sp of species) {
      const real = reference.filter((r) => r.Species === sp);
      const synth = rows.filter((r) => r.Species === sp);
      for (const field of numeric) {
        const m = mean(values(real, field));
        expect(Math.abs(mean(values(synth, field)) - m) / m, `${sp} ${field} mean`).toBeLessThan(0.01);
        const s = std(values(real, field));
        expect(Math.abs(std(values(synth, field)) - s) / s, `${sp} ${field} std`).toBeLessThan(0.1);
      }
    }
    expect(metadata).toMatchObject({ fitted: true, resampled: 0, fit: { rows: 344, class: 'Species', categorical: ['Species', 'Island', 'Sex'], numeric: [...numeric] } });
  });

  it('keeps category frequencies, conditional on the species', async () => {
    const { rows } = await run();
    for (const sp of species) {
      expect(Math.abs(share(rows, (r) => r.Species === sp) - share(reference, (r) => r.Species === sp))).toBeLessThan(0.02);
      const realSp = reference.filter((r) => r.Species === sp);
      const synthSp = rows.filter((r) => r.Species === sp);
      for (const island of ['Biscoe', 'Dream', 'Torgersen']) {
        expect(Math.abs(share(synthSp, (r) => r.Island === island) - share(realSp, (r) => r.Island === island))).toBeLessThan(0.03);
      }
    }
    // Gentoo live on Biscoe only, Chinstrap on Dream only: no rule needed to keep that.
    expect(rows.filter((r) => r.Species === 'Gentoo' && r.Island !== 'Biscoe')).toEqual([]);
    expect(rows.filter((r) => r.Species === 'Chinstrap' && r.Island !== 'Dream')).toEqual([]);
  });

  it('keeps the males heavier than the females within each species', async () => {
    const { rows } = await run();
    for (const sp of species) {
      const male = mean(
        values(
          rows.filter((r) => r.Species === sp && r.Sex === 'MALE'),
          'Body Mass (g)',
        ),
      );
      const female = mean(
        values(
          rows.filter((r) => r.Species === sp && r.Sex === 'FEMALE'),
          'Body Mass (g)',
        ),
      );
      expect(male - female, sp).toBeGreaterThan(250);
    }
  });

  it('keeps integers integers, the reference grid, the observed range and the schema', async () => {
    const { rows } = await run(5000);
    for (const row of rows) expect(Penguin.safeParse(row).success).toBe(true);
    expect(values(rows, 'Flipper Length (mm)').every(Number.isInteger)).toBe(true);
    expect(values(rows, 'Body Mass (g)').every((v) => v % 25 === 0)).toBe(true);
    expect(values(rows, 'Beak Length (mm)').every((v) => Math.round(v * 10) / 10 === v)).toBe(true);
    for (const field of numeric) {
      const real = values(reference, field);
      expect(Math.min(...values(rows, field))).toBeGreaterThanOrEqual(Math.min(...real));
      expect(Math.max(...values(rows, field))).toBeLessThanOrEqual(Math.max(...real));
    }
  });

  it('keeps missing values at the reference rate ("." counts as missing for an enum)', async () => {
    const { rows } = await run(20000);
    const realMissingSex = share(reference, (r) => r.Sex !== 'MALE' && r.Sex !== 'FEMALE');
    expect(Math.abs(share(rows, (r) => r.Sex === null) - realMissingSex)).toBeLessThan(0.01);
    expect(share(rows, (r) => r['Body Mass (g)'] === null)).toBeGreaterThan(0.001);
    expect(share(rows, (r) => r['Body Mass (g)'] === null)).toBeLessThan(0.015);
    expect(rows.some((r) => r.Sex === '.')).toBe(false);
  });

  it('is deterministic with a reference too', async () => {
    const a = await run(500, 9);
    const b = await run(500, 9);
    const c = await run(500, 10);
    expect(JSON.stringify(b.rows)).toBe(JSON.stringify(a.rows));
    expect(JSON.stringify(c.rows)).not.toBe(JSON.stringify(a.rows));
  });

  it('enforces rules on fitted columns by redrawing from the fitted distribution', async () => {
    const custom = tempPrompt(
      'penguins_rules',
      `prompt_id: penguins_rules\ndomain: biology\ntemplate: penguins\nrules:\n  - if Species == "Adelie", Sex == "FEMALE"\n  - Island != "Torgersen"\n`,
    );
    const { rows, metadata } = await generate(custom, { schema: Penguin, reference, rows: 3000 });
    expect(rows.filter((r) => r.Species === 'Adelie' && r.Sex !== 'FEMALE')).toEqual([]);
    expect(rows.filter((r) => r.Island === 'Torgersen')).toEqual([]);
    expect((metadata.rule_fixes as Record<string, number>)['Island != "Torgersen"']).toBeGreaterThan(100);
    // Female Adelie stay female-sized.
    expect(
      mean(
        values(
          rows.filter((r) => r.Species === 'Adelie'),
          'Body Mass (g)',
        ),
      ),
    ).toBeLessThan(3550);
  });

  it('conditions on generator.fit.by, and rejects a class column that is not a field', async () => {
    const { metadata } = await generate(prompt, { schema: Penguin, reference, rows: 100, config: { provider: 'local', fit: { by: 'Island' } } });
    expect((metadata.fit as Record<string, unknown>).class).toBe('Island');
    const err = await thrown(() => generate(prompt, { schema: Penguin, reference, config: { provider: 'local', fit: { by: 'species' } } }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.what).toContain('"species"');
  });

  it('rejects bad generator options', async () => {
    const err = await thrown(() => generate(prompt, { schema: Penguin, reference, config: { provider: 'local', max_attempts: -1 } }));
    expect(err).toBeInstanceOf(UsageError);
    expect(err.what).toContain('max_attempts');
  });

  it('warns and generates from hints when no reference column can be fitted', async () => {
    const Schema = z.object({ contact_email: z.string() });
    const warnings: string[] = [];
    const p = tempPrompt('notes', 'prompt_id: notes\ndomain: misc\ntemplate: x\n');
    const ref = Array.from({ length: 50 }, (_, i) => ({ contact_email: `person${i}@example.org` }));
    const { rows, metadata } = await generate(p, { schema: Schema, reference: ref, rows: 20, warn: (m) => warnings.push(m) });
    expect(rows).toHaveLength(20);
    expect(metadata.fitted).toBe(false);
    expect(warnings.join()).toContain('no column of the reference could be fitted');
  });

  it('fits a reference on a schema with free text and unfitted columns', async () => {
    const Schema = z.object({ kind: z.enum(['a', 'b']), size: z.number(), note: z.string(), extra: z.boolean() });
    const ref = Array.from({ length: 400 }, (_, i) => ({ kind: i % 4 === 0 ? 'a' : 'b', size: i % 4 === 0 ? 10 + (i % 7) : 100 + (i % 13), note: `note ${i}`, extra: i % 2 === 0 }));
    const p = tempPrompt('mixed', 'prompt_id: mixed\ndomain: misc\ntemplate: x\n');
    const { rows, metadata } = await generate(p, { schema: Schema, reference: ref, rows: 4000 });
    expect(Math.abs(share(rows, (r) => r.kind === 'a') - 0.25)).toBeLessThan(0.03);
    expect(
      mean(
        values(
          rows.filter((r) => r.kind === 'a'),
          'size',
        ),
      ),
    ).toBeCloseTo(13, 0);
    expect(
      mean(
        values(
          rows.filter((r) => r.kind === 'b'),
          'size',
        ),
      ),
    ).toBeCloseTo(106, 0);
    expect((metadata.fit as Record<string, unknown>).categorical).toEqual(['kind', 'extra']);
    for (const row of rows) expect(Schema.safeParse(row).success).toBe(true);
  });
});
