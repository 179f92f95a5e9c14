import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth } from '../support/project.js';
import { readCatalogData } from '../support/catalog.js';

/**
 * Every definition mistake of issue 11 is found before anything runs: `synth status` exits 2
 * with a message naming the thing to fix (file:line, "did you mean"), and nothing is materialized.
 */

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

const PROMPT = (rules: string[], columns = '') =>
  ['prompt_id: shop_v1', 'domain: shop', 'template: Generate {{rows}} products', 'rules:', ...rules.map((r) => `  - ${r}`), columns].join('\n') + '\n';

const REAL_CSV = 'Label,x,y\na,1,2\nb,2,3\na,3,1\n';
const LIVE_CSV = 'Label,x,z\na,1,2\n';

/** A project whose definitions file declares `body` after an upstream asset and the shared imports. */
function project(body: string, files: Record<string, string> = {}): string {
  const dir = makeProject({
    'src/assets/index.ts': [
      "import { z } from 'zod';",
      "import { asset, checks, dataset, model, source, trainClassifier, validation } from 'synthgraph';",
      "export const Product = z.object({ name: z.string(), category: z.enum(['Books', 'Toys']), price: z.number() });",
      "export const Row = z.object({ Label: z.enum(['a', 'b']), x: z.number(), y: z.number() });",
      "export const upstream = asset({ name: 'upstream', materialize: () => [{ a: 1 }] });",
      body,
    ].join('\n'),
    'prompts/shop_v1.yaml': PROMPT(['if category == "Books", price > 5']),
    'prompts/rows_v1.yaml': PROMPT([]).replace('shop_v1', 'rows_v1'),
    'data/real.csv': REAL_CSV,
    'data/live.csv': LIVE_CSV,
    ...files,
  });
  dirs.push(dir);
  return dir;
}

/** Materializations recorded in the project's catalog (0 when there is none). */
function materialized(dir: string): number {
  if (!existsSync(path.join(dir, '.synth', 'catalog.json'))) return 0;
  return readCatalogData(dir).materializations.length;
}

const products = (extra = '') => `export const products = dataset({ name: 'products', deps: { upstream }, schema: Product, prompt: 'shop_v1', rows: 5${extra} });`;

/** [mistake, definitions body, extra files, strings stderr must contain]. */
const cases: [string, string, Record<string, string>, string[]][] = [
  [
    'a rule naming a field the schema does not have',
    products(),
    { 'prompts/shop_v1.yaml': PROMPT(['if categry == "Books", price > 5']) },
    ['prompts/shop_v1.yaml:5', 'reads the field "categry"', 'Did you mean "category"?'],
  ],
  [
    'a column hint for an unknown field',
    products(),
    { 'prompts/shop_v1.yaml': PROMPT([], 'columns:\n  prise:\n    min: 1') },
    ['prompts/shop_v1.yaml:6', 'Column hint for unknown field "prise"', 'Did you mean "price"?'],
  ],
  [
    'a faker path that does not exist',
    products(),
    { 'prompts/shop_v1.yaml': PROMPT([], 'columns:\n  name:\n    faker: commerce.prodName') },
    ['prompts/shop_v1.yaml:7', 'faker method "commerce.prodName" does not exist', 'Did you mean "commerce.productName"?'],
  ],
  ['an unknown generator provider', products(", generator: { provider: 'locale' }"), {}, ['src/assets/index.ts:6', 'Unknown generator provider "locale"', 'Did you mean "local"?']],
  [
    'an unknown local generator option',
    products(", generator: { provider: 'local', max_attempt: 3 }"),
    {},
    ['src/assets/index.ts:6', 'generator.max_attempt', 'Did you mean "max_attempts"?'],
  ],
  [
    'an unknown openai generator option',
    products(", generator: { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', temprature: 0.2 }"),
    {},
    ['src/assets/index.ts:6', '"temprature" is not an option', 'Did you mean "temperature"?'],
  ],
  [
    'an unknown check option',
    products() + "\nexport const report = validation({\n  name: 'report',\n  deps: { products },\n  checks: [checks.unique({ treshold: 0.9 } as never)],\n});",
    {},
    ['src/assets/index.ts:10', 'Unknown option "treshold" in checks.unique()', 'Did you mean "threshold"?'],
  ],
  [
    'a typo in a package source path',
    "export const penguins = source({ name: 'penguins', file: { package: 'vega-datasets', path: 'data/penguin.json' } });",
    {},
    ['src/assets/index.ts:6', 'No file data/penguin.json in package vega-datasets', "path: 'data/penguins.json'"],
  ],
  [
    'a missing plain source file',
    "export const real = source({ name: 'real', file: 'data/rael.csv' });",
    {},
    ['src/assets/index.ts:6', 'Missing file data/rael.csv', "Did you mean 'data/real.csv'?"],
  ],
  [
    'a utility target that is not a column (case)',
    "export const real = source({ name: 'real', file: 'data/real.csv' });\n" +
      "export const synthetic = dataset({ name: 'synthetic', schema: Row, prompt: 'rows_v1', rows: 20, reference: real });\n" +
      "export const tstr = validation({ name: 'tstr', deps: { synthetic, real }, target: 'synthetic', reference: 'real',\n  checks: [checks.utility({ target: 'label' })] });",
    {},
    ['src/assets/index.ts:9', 'option target names "label"', 'Did you mean "Label"?'],
  ],
  [
    'a misspelt utility feature, against a source file header',
    "export const real = source({ name: 'real', file: 'data/real.csv' });\n" +
      "export const live = source({ name: 'live', file: 'data/live.csv' });\n" +
      "export const tstr = validation({ name: 'tstr', deps: { live, real }, target: 'live', reference: 'real',\n  checks: [checks.utility({ target: 'Label', features: ['x', 'y'] })] });",
    {},
    ['src/assets/index.ts:9', 'option features names "y", which is not a column of the dataset under test', 'Its columns are: Label, x, z.'],
  ],
  [
    'a model target that is not a column',
    "export const real = source({ name: 'real', file: 'data/real.csv' });\n" +
      "export const m = model({ name: 'm', deps: { real },\n  columns: { input: 'real', target: 'label', features: ['x'] },\n  train: ({ real }) => trainClassifier(real, { target: 'label', features: ['x'] }) });",
    {},
    ['src/assets/index.ts:8', 'columns.target names "label"', 'Did you mean "Label"?'],
  ],
  [
    'a misspelt model feature',
    "export const synthetic = dataset({ name: 'synthetic', schema: Row, prompt: 'rows_v1', rows: 20 });\n" +
      "export const m = model({ name: 'm', deps: { synthetic },\n  columns: { input: 'synthetic', target: 'Label', features: ['x', 'yy'] },\n  train: ({ synthetic }) => trainClassifier(synthetic, { target: 'Label', features: ['x', 'yy'] }) });",
    {},
    ['src/assets/index.ts:8', 'columns.features names "yy"', 'Did you mean "y"?'],
  ],
  [
    'a reference glob that matches no file',
    "export const real = source({ name: 'real', file: 'data/old/*.csv' });\n" +
      "export const synthetic = dataset({ name: 'synthetic', schema: Row, prompt: 'rows_v1', rows: 20, reference: real });",
    {},
    ['src/assets/index.ts:7', 'is source "real", whose files (data/old/*.csv) match no file'],
  ],
  ['rows: 0', products().replace('rows: 5', 'rows: 0'), {}, ['src/assets/index.ts:6', 'Dataset "products" has rows: 0', 'allowEmpty: true']],
  [
    'an option a DSL function does not take (definitions are not type-checked)',
    "export const real = source({ name: 'real', file: 'data/real.csv' });\n" +
      "export const synthetic = dataset({ name: 'synthetic', schema: Row, prompt: 'rows_v1', rows: 20, refrence: real } as never);",
    {},
    ['src/assets/index.ts:7', 'Unknown option "refrence" in dataset', 'Did you mean "reference"?'],
  ],
];

describe('definition mistakes are exit 2 from synth status, before anything runs', () => {
  it.each(cases)('%s', (_name, body, files, expected) => {
    const dir = project(body, files);
    const r = synth(dir, ['status']);
    expect(r.code, r.stderr).toBe(2);
    for (const text of expected) expect(r.stderr).toContain(text);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(materialized(dir)).toBe(0);
  });

  it('status, materialize, graph and --dry-run all refuse the same mistake, and the upstream asset is not built', () => {
    const dir = project(products(), { 'prompts/shop_v1.yaml': PROMPT(['if categry == "Books", price > 5']) });
    for (const args of [['status'], ['materialize'], ['graph'], ['materialize', '--dry-run'], ['materialize', 'upstream+']]) {
      const r = synth(dir, args);
      expect(r.code, `synth ${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toContain('prompts/shop_v1.yaml:5');
      expect(r.stderr).toContain('Did you mean "category"?');
    }
    expect(materialized(dir)).toBe(0);
    expect(existsSync(path.join(dir, '.synth', 'objects'))).toBe(false);
  });

  it('rows: 0 is accepted with allowEmpty: true, and correct definitions pass', () => {
    const dir = project(products().replace('rows: 5', 'rows: 0, allowEmpty: true'));
    const r = synth(dir, ['materialize']);
    expect(r.code, r.stderr).toBe(0);
    expect(materialized(dir)).toBe(2);
  });

  it('a glob source that matches nothing is fine when it is not reference data (a watched folder may start empty)', () => {
    const dir = project("export const live = source({ name: 'live', file: 'data/live/*.csv' });");
    expect(synth(dir, ['status']).code).toBe(0);
  });
});
