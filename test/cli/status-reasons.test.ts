import { afterEach, describe, expect, it } from 'vitest';
import { type StatusJson } from '../support/cli-json.js';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

function examples(): string {
  const dir = makeProject({}, { examples: true });
  dirs.push(dir);
  return dir;
}

/** The reasons column of `synth status` for one asset (the table is `asset kind state reasons ...`). */
function reasonsOf(dir: string, asset: string): string {
  const r = synth(dir, ['status', asset]);
  expect(r.code, r.stderr).toBe(0);
  const line = r.stdout.split('\n').find((l) => l.startsWith(asset + ' '));
  expect(line, r.stdout).toBeDefined();
  return line!;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const text = readProjectFile(dir, file);
  const next = text.replace(from, to);
  expect(next, `${file} should contain ${from}`).not.toBe(text);
  writeProjectFile(dir, file, next);
}

describe('synth status explains each reason in words, checked against real runs', () => {
  it('never materialized; a prompt change with its line count; rows; upstream re-materialized', () => {
    const dir = examples();
    expect(reasonsOf(dir, 'products')).toMatch(/missing\s+never materialized/);
    expect(reasonsOf(dir, 'products_report')).toMatch(/missing\s+never materialized\s+-/); // its missing upstream is not repeated

    expect(synth(dir, ['materialize', '+category_model']).code).toBe(0);
    // Two template lines reworded and one added: three lines changed, as a reader counts them.
    edit(
      dir,
      'prompts/ecommerce_v1.yaml',
      /template: >\n.*\n.*\n/,
      'template: >\n  Generate {{rows}} varied product records for an online shop, with fields:\n  name, description, category, price and features.\n  Prefer realistic prices.\n',
    );
    expect(reasonsOf(dir, 'products')).toMatch(/stale\s+prompt ecommerce_v1 changed \(3 lines\)/);
    expect(reasonsOf(dir, 'products_report')).toContain('upstream products is stale');

    // The local generator does not read the template's wording: same rows, so the report stays fresh (early cut-off).
    expect(synth(dir, ['materialize', 'products']).code).toBe(0);
    expect(reasonsOf(dir, 'products')).toMatch(/products\s+dataset\s+fresh/);
    expect(reasonsOf(dir, 'products_report')).toMatch(/products_report\s+validation\s+fresh/);

    // Fewer rows are different data: the report now waits on the new products.
    edit(dir, 'src/assets/ecommerce.ts', 'rows: 500,', 'rows: 400,');
    expect(reasonsOf(dir, 'products')).toContain('rows 500 → 400');
    expect(synth(dir, ['materialize', 'products']).code).toBe(0);
    expect(reasonsOf(dir, 'products_report')).toMatch(/stale\s+upstream products re-materialized/);
  });

  it('seed 42 → 43 when the definition changes the seed', () => {
    const dir = examples();
    expect(synth(dir, ['materialize', 'products']).code).toBe(0);
    edit(dir, 'src/assets/ecommerce.ts', /seed: 42,/, 'seed: 43,');
    expect(reasonsOf(dir, 'products')).toContain('seed 42 → 43');
    const json = synthJson<StatusJson[]>(dir, ['status', 'products']).json;
    expect(json[0]).toMatchObject({ asset: 'products', state: 'stale', reasons: ['seed'] });
  });

  it('last run failed: <message> when the generator cannot satisfy the prompt', () => {
    const dir = examples();
    const file = 'prompts/ecommerce_v1.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).trimEnd() + '\n  - price < 0\n');
    expect(synth(dir, ['materialize', 'products']).code).toBe(1);
    const line = reasonsOf(dir, 'products');
    expect(line).toContain('never materialized; last run failed: The local generator could not make rows of dataset "products"');
    expect(synthJson<StatusJson[]>(dir, ['status', 'products']).json[0].reasons).toContain('failed');
  });

  it('blocked by check products_report.<check> below a failed blocking check', () => {
    const dir = examples();
    // 500 products in 5 categories cannot have unique categories: a blocking check that fails for real.
    edit(dir, 'src/assets/ecommerce.ts', 'checks.unique()', "checks.unique({ blocking: true, key: ['category'] })");
    const run = synth(dir, ['materialize', '+category_model']);
    expect(run.code).toBe(1);
    expect(reasonsOf(dir, 'category_model')).toContain('blocked by check products_report.unique');
    const json = synthJson<StatusJson[]>(dir, ['status', 'category_model']).json;
    expect(json[0].reasons).toContain('blocked:products_report.unique');
  });
});
