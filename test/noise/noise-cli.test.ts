import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, readProjectFile, removeProject, synthJson, writeProjectFile } from '../support/project.js';
import { type RunJson, outcomes, statusOf } from '../support/cli-json.js';

interface ShowJson {
  metadata: Record<string, unknown>;
  checks: { name: string; score: number; passed: boolean }[];
  report?: { checks: { name: string; details: Record<string, unknown> }[] };
}

const DEFS = `import { z } from 'zod';
import { checks, dataset, validation } from 'synthgraph';
const Product = z.object({
  name: z.string(),
  description: z.string().nullable(),
  category: z.enum(['Electronics', 'Home', 'Books']),
  price: z.number().positive(),
});
export const clean = dataset({ name: 'clean', schema: Product, prompt: 'shop_clean', rows: 400, seed: 3 });
export const products = dataset({ name: 'products', schema: Product, prompt: 'shop_v1', rows: 400, seed: 3 });
export const report = validation({ name: 'report', deps: { products, clean }, target: 'products', reference: 'clean', checks: [checks.noise(), checks.fidelity({ threshold: 0 })] });
`;
const PROMPT = (id: string, noise: string) => `prompt_id: ${id}
domain: ecommerce
template: Generate {{rows}} products
${noise}`;

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

describe('noise through synth materialize', () => {
  it('records declared and applied noise, reports it measured vs declared, and a changed noise block makes the dataset stale', () => {
    const dir = makeProject({
      'src/assets/index.ts': DEFS,
      'prompts/shop_clean.yaml': PROMPT('shop_clean', ''),
      'prompts/shop_v1.yaml': PROMPT('shop_v1', 'noise:\n  missing: { description: 0.1 }\n  duplicates: 0.05\n  outliers: { price: 0.02 }\n'),
    });
    dirs.push(dir);
    const run = synthJson<RunJson>(dir, ['materialize']);
    expect(run.code).toBe(0);
    const products = synthJson<ShowJson>(dir, ['show', 'products']).json;
    expect(products.metadata.noise).toMatchObject({
      seed: 3,
      declared: { missing: { description: 0.1 }, duplicates: 0.05 },
      applied: { missing: { description: 40 }, duplicates: 20, outliers: { price: 8 } },
    });
    expect(synthJson<ShowJson>(dir, ['show', 'clean']).json.metadata.noise).toBeUndefined();

    const report = synthJson<ShowJson>(dir, ['show', 'report']).json;
    expect(report.checks.find((c) => c.name === 'noise')).toMatchObject({ passed: true, score: 1 });
    const noise = report.report!.checks.find((c) => c.name === 'noise')!.details as { rates: { kind: string; column: string; declared: number; measured: number }[] };
    expect(noise.rates.find((r) => r.kind === 'duplicates')).toMatchObject({ declared: 0.05, measured: 0.05 });
    const fidelity = report.report!.checks.find((c) => c.name === 'fidelity')!.details as { noise?: unknown[] };
    expect(fidelity.noise).toHaveLength(3);

    // The noise block is part of the prompt file, whose hash is in the cache key.
    writeProjectFile(dir, 'prompts/shop_v1.yaml', readProjectFile(dir, 'prompts/shop_v1.yaml').replace('0.1 }', '0.2 }'));
    const status = statusOf(dir);
    expect(status.products).toBe('stale prompt');
    expect(status.clean).toBe('fresh');
    const again = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(again.json).products).toBe('materialized');
    expect(synthJson<ShowJson>(dir, ['show', 'products']).json.metadata.noise).toMatchObject({ applied: { missing: { description: 80 } } });
  });
});
