import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadGenerator } from '../../src/engine/index.js';
import '../../src/generators/registry.js';
import { OpenAIGenerator } from '../../src/generators/openai/index.js';
import { duplicateRate, formatInconsistencyRate, measureNoise, missingRate, outlierRate, withNoise } from '../../src/noise/index.js';
import { promptFieldProblem } from '../../src/rules/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { generate, Product, tempPrompt, thrown } from '../generators/local/support.js';
import { productsRequest, removeDir, SECRET_KEY, tempStateDir, validRows, PROMPT_YAML } from '../generators/openai/openai-test-kit.js';
import type { GenerateRequest } from '../../src/generators/generator.js';

const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n');

const ECOMMERCE = `prompt_id: shop_v1
domain: ecommerce
template: Generate {{rows}} products
rules:
  - if category == "Electronics", price > 50
`;

const NOISY = `${ECOMMERCE}noise:
  missing: { description: 0.1, category: 0.03 }
  typos: { name: 0.05 }
  outliers: { price: { rate: 0.02, factor: 40 } }
  formats: { price: { rate: 0.04, unit: USD } }
  labels: { category: 0.06 }
  duplicates: 0.05
`;

/** Runs the local generator as the engine loads it: through the registered wrappers. */
async function run(yaml: string, seed = 42, rows = 1000) {
  const prompt = tempPrompt('shop_v1', yaml);
  const generator = await loadGenerator({ provider: 'local' });
  const request = {
    asset: 'products',
    schema: Product as never,
    prompt,
    rows,
    seed,
    config: { provider: 'local' },
    stateDir: '/tmp/synth-noise-state',
    signal: new AbortController().signal,
    progress() {},
    warn() {},
  };
  return { prompt, result: await generator.generate(request) };
}

describe('noise: declared imperfections applied after generation', () => {
  it('a prompt without noise gives byte-identical rows and metadata to the bare generator', async () => {
    const prompt = tempPrompt('shop_v1', ECOMMERCE);
    const bare = await generate(prompt, { rows: 500, seed: 9 });
    const { result } = await run(ECOMMERCE, 9, 500);
    expect(jsonl(result.rows)).toBe(jsonl(bare.rows));
    expect(result.metadata).toEqual(bare.metadata);
    expect(result.metadata.noise).toBeUndefined();
  });

  it('reproduces each declared rate: missing, duplicates, formats and outliers measured; typos and labels counted against the clean rows', async () => {
    const { prompt, result } = await run(NOISY);
    const rows = result.rows;
    expect(rows).toHaveLength(1000);
    expect(missingRate(rows, 'description')).toBeCloseTo(0.1, 2);
    expect(missingRate(rows, 'category')).toBeCloseTo(0.03, 2);
    // Duplicates are applied last and exactly (the clean rows have none).
    expect(duplicateRate(rows)).toBeCloseTo(0.05, 2);
    expect(Math.abs(formatInconsistencyRate(rows, 'price') - 0.04)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(outlierRate(rows, 'price') - 0.02)).toBeLessThanOrEqual(0.01);
    expect(rows.filter((r) => typeof r.price === 'string').every((r) => /^\d+(\.\d+)? USD$/.test(r.price as string))).toBe(true);
    // Without duplicates, typos and labels can be compared with the clean rows value by value.
    const clean = (await generate(prompt, { rows: 1000, seed: 42 })).rows;
    const { result: typed } = await run(`${ECOMMERCE}noise:\n  typos: { name: 0.05 }\n  labels: { category: 0.06 }\n`);
    expect(typed.rows.filter((r, i) => r.name !== clean[i].name)).toHaveLength(50);
    expect(typed.rows.filter((r, i) => r.category !== clean[i].category)).toHaveLength(60);
    for (const [i, r] of typed.rows.entries()) if (r.name !== clean[i].name) expect(Math.abs((r.name as string).length - (clean[i].name as string).length)).toBeLessThanOrEqual(1);
    // The materialization records what was declared and applied.
    expect(result.metadata.noise).toMatchObject({
      seed: 42,
      declared: { duplicates: 0.05 },
      applied: { missing: { description: 100, category: 30 }, typos: { name: 50 }, duplicates: 50 },
    });
    // The measurement the noise check reports.
    const measured = measureNoise(rows, prompt.noise!);
    expect(measured.find((m) => m.kind === 'typos')?.measured).toBeNull();
    expect(measured.find((m) => m.kind === 'missing' && m.column === 'description')).toMatchObject({ declared: 0.1, measured: 0.1 });
  });

  it('is byte-stable for a seed and differs for another seed', async () => {
    const a = await run(NOISY, 5, 300);
    const b = await run(NOISY, 5, 300);
    const c = await run(NOISY, 6, 300);
    expect(jsonl(b.result.rows)).toBe(jsonl(a.result.rows));
    expect(jsonl(c.result.rows)).not.toBe(jsonl(a.result.rows));
  });

  it('adding noise to one column leaves the noise of the others as it was', async () => {
    const one = await run(`${ECOMMERCE}noise:\n  missing: { description: 0.1 }\n`);
    const two = await run(`${ECOMMERCE}noise:\n  missing: { description: 0.1, name: 0.1 }\n`);
    expect(two.result.rows.map((r) => r.description)).toEqual(one.result.rows.map((r) => r.description));
  });

  it('reformats ISO dates into other layouts', async () => {
    const Order = z.object({ id: z.string(), shipped: z.iso.date() });
    const prompt = tempPrompt('orders_v1', 'prompt_id: orders_v1\ndomain: shop\ntemplate: orders\nnoise:\n  formats: { shipped: 0.2 }\n');
    const generator = await loadGenerator({ provider: 'local' });
    const { rows } = await generator.generate({
      asset: 'orders',
      schema: Order as never,
      prompt,
      rows: 200,
      seed: 1,
      config: { provider: 'local' },
      stateDir: '/tmp/synth-noise-state',
      signal: new AbortController().signal,
      progress() {},
      warn() {},
    });
    const other = rows.filter((r) => !/^\d{4}-\d{2}-\d{2}/.test(r.shipped as string));
    expect(other).toHaveLength(40);
    expect(other.every((r) => /^(\d{2}\/\d{2}\/\d{4}|\d{2}\.\d{2}\.\d{4}|\d{4}\/\d{2}\/\d{2})$/.test(r.shipped as string))).toBe(true);
  });

  it('rejects a rate above 1, an unknown noise key and a noise column the schema lacks, at their lines', async () => {
    const high = await thrown(async () => tempPrompt('shop_v1', `${ECOMMERCE}noise:\n  missing:\n    price: 1.5\n`));
    expect(high.message).toContain('noise.missing.price');
    expect(high.line).toBe(8);
    const key = await thrown(async () => tempPrompt('shop_v1', `${ECOMMERCE}noise:\n  mising: { price: 0.1 }\n`));
    expect(key.message).toContain('Unknown key "noise.mising"');
    expect(String(key.fix)).toContain('missing');
    const prompt = tempPrompt('shop_v1', `${ECOMMERCE}noise:\n  missing:\n    prize: 0.1\n`);
    const problem = promptFieldProblem(prompt, Object.keys(Product.shape), 'products');
    expect(problem?.what).toContain('"prize"');
    expect(problem?.fix).toContain('price');
    expect(problem?.line).toBe(8);
  });
});

describe('noise on the LLM path (openai generator against a local server)', () => {
  let server: FakeOpenAIServer;
  const dirs: string[] = [];
  afterEach(async () => {
    await server?.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('applies the same noise to rows an OpenAI-compatible server returned, reproducibly', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows, requireKey: SECRET_KEY });
    const generator = withNoise(new OpenAIGenerator({ env: { OPENAI_API_KEY: SECRET_KEY } }));
    const noisyYaml = `${PROMPT_YAML}noise:\n  missing: { price: 0.1 }\n  duplicates: 0.1\n`;
    const make = async (): Promise<GenerateRequest> => {
      const stateDir = tempStateDir();
      dirs.push(stateDir);
      const request = productsRequest(server.url, stateDir, { rows: 40 });
      const { parsePromptFile } = await import('../../src/rules/index.js');
      return { ...request, prompt: parsePromptFile('prompts/products_v1.yaml', noisyYaml) };
    };
    const first = await generator.generate(await make());
    expect(first.rows).toHaveLength(40);
    // Duplicates come last (copies carry the other noise, as in real data), so the missing rate is reproduced within a copy or two.
    expect(Math.abs(missingRate(first.rows, 'price') - 0.1)).toBeLessThanOrEqual(0.05);
    expect(duplicateRate(first.rows)).toBeCloseTo(0.1, 5);
    expect(first.metadata).toMatchObject({ provider: 'openai', noise: { applied: { missing: { price: 4 }, duplicates: 4 } } });
    // A fresh cache (the server is asked again) gives the same bytes: the noise follows the seed.
    const second = await generator.generate(await make());
    expect(jsonl(second.rows)).toBe(jsonl(first.rows));
  });
});
