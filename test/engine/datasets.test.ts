import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';
import { parsePromptFile } from '../../src/rules/index.js';
import { type RunJson, outcomes, statusOf as status } from '../support/cli-json.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});
function project(): string {
  const dir = makeProject({}, { examples: true });
  dirs.push(dir);
  return dir;
}

const ecommerce = ['+category_model'];

describe('the ecommerce pipeline', () => {
  it('rebuilds exactly the dataset and its downstream when the prompt changes, and reuses the old result when reverted', () => {
    const dir = project();
    const first = synthJson<RunJson>(dir, ['materialize', ...ecommerce]);
    expect(first.code).toBe(0);
    expect(outcomes(first.json)).toEqual({ products: 'materialized', products_report: 'materialized', category_model: 'materialized' });
    expect(first.json.assets[0].rows).toBe(500);

    const original = readProjectFile(dir, 'prompts/ecommerce_v1.yaml');
    writeProjectFile(dir, 'prompts/ecommerce_v1.yaml', original + '  - if category == "Books", price < 30\n');
    expect(status(dir, ecommerce)).toEqual({
      products: 'stale prompt',
      products_report: 'stale upstream:products',
      category_model: 'stale upstream:products upstream:products_report',
    });
    // The penguins pipeline is untouched by the ecommerce prompt.
    expect(status(dir, ['penguins'])).toEqual({ penguins: 'missing' });
    const second = synthJson<RunJson>(dir, ['materialize', ...ecommerce]);
    expect(outcomes(second.json)).toEqual({ products: 'materialized', products_report: 'materialized', category_model: 'materialized' });

    writeProjectFile(dir, 'prompts/ecommerce_v1.yaml', original);
    expect(status(dir, ['products'])).toEqual({ products: 'stale prompt' });
    const third = synthJson<RunJson>(dir, ['materialize', ...ecommerce]);
    expect(outcomes(third.json)).toEqual({ products: 'cached', products_report: 'cached', category_model: 'cached' });
    expect(third.json.assets[0].data_hash).toBe(first.json.assets[0].data_hash);
  });

  it('marks a seed change with reason seed, and --seed overrides it for the run', () => {
    const dir = project();
    synth(dir, ['materialize', 'products']);
    writeProjectFile(dir, 'src/assets/ecommerce.ts', readProjectFile(dir, 'src/assets/ecommerce.ts').replace('seed: 42,', 'seed: 43,'));
    expect(status(dir, ['products'])).toEqual({ products: 'stale seed' });
    const r = synthJson<RunJson>(dir, ['materialize', 'products', '--seed', '42']);
    expect(outcomes(r.json)).toEqual({ products: 'fresh' });
  });

  it('gives byte-identical data for the same seed in two fresh folders, and different data for another seed', () => {
    const one = project();
    const two = project();
    synth(one, ['materialize', 'products']);
    synth(two, ['materialize', 'products']);
    const a = synth(one, ['export', 'products', '--format', 'jsonl']).stdout;
    const b = synth(two, ['export', 'products', '--format', 'jsonl']).stdout;
    expect(a.split('\n').filter(Boolean)).toHaveLength(500);
    expect(a).toBe(b);
    synth(two, ['materialize', 'products', '--seed', '7']);
    const c = synth(two, ['export', 'products', '--format', 'jsonl']).stdout;
    expect(c).not.toBe(a);
  });

  it('holds every rule of ecommerce_v1 on every generated row, and exports CSV', () => {
    const dir = project();
    synth(dir, ['materialize', 'products']);
    const prompt = parsePromptFile(path.join(dir, 'prompts/ecommerce_v1.yaml'), readProjectFile(dir, 'prompts/ecommerce_v1.yaml'));
    expect(prompt.rules.length).toBeGreaterThan(0);
    const rows = synth(dir, ['export', 'products', '--format', 'jsonl'])
      .stdout.split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    for (const row of rows) for (const rule of prompt.rules) expect(rule.test(row), `${rule.text} on ${JSON.stringify(row)}`).toBe(true);
    expect(rows.filter((r) => r.category === 'Electronics').length).toBeGreaterThan(20);
    const out = path.join(dir, 'products.csv');
    expect(synth(dir, ['export', 'products', '--format', 'csv', '--out', out]).code).toBe(0);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('name,description,category,price,features');
    expect(csv).toHaveLength(501);
  });

  it('shows a materialization with its record and a preview of rows', () => {
    const dir = project();
    synth(dir, ['materialize', 'products']);
    const shown = synthJson<Record<string, unknown>>(dir, ['show', 'products']).json;
    expect(shown).toMatchObject({ asset: 'products', kind: 'dataset', state: 'fresh', rows: 500, prompt_id: 'ecommerce_v1', seed: 42 });
    expect(shown.prompt_hash).toMatch(/^[0-9a-f]{64}$/);
    const text = synth(dir, ['show', 'products']).stdout;
    expect(text).toContain('first 5 rows');
    const history = synthJson<unknown[]>(dir, ['history', 'products']).json;
    expect(history).toHaveLength(1);
  });
});
