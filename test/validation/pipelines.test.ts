import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadClassifier } from '../../src/models/index.js';
import type { DriftCheckDetails } from '../../src/validation/index.js';
import { makeProject, readProjectFile, removeProject, REPO, synth, synthJson, writeProjectFile } from '../support/project.js';
import { type RunJson, outcomes, statusOf as status } from '../support/cli-json.js';

interface ShowJson {
  state: string;
  metadata: Record<string, unknown>;
  checks: { name: string; score: number; passed: boolean; threshold: number; blocking: boolean }[];
  warnings: string[];
  report?: { passed: boolean; checks: { name: string; details: Record<string, unknown> }[] };
}
const show = (dir: string, asset: string) => synthJson<ShowJson>(dir, ['show', asset]).json;

const LIVE_CSV = readFileSync(path.join(REPO, 'data/live/2024-season-penguins.csv'), 'utf8');

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});
function project(files: Record<string, string> = {}, examples = true): string {
  const dir = makeProject(files, { examples });
  dirs.push(dir);
  return dir;
}

describe('the example pipelines', () => {
  // Every example asset twice, images included: minutes on a loaded machine.
  it('materialize from a clean project (exit 0) with fidelity, TSTR and live drift reports, then retrain exactly category_model when products change', { timeout: 400_000 }, () => {
    const dir = project({ 'data/live/2024-season-penguins.csv': LIVE_CSV });
    const run = synthJson<RunJson>(dir, ['materialize']);
    expect(run.code).toBe(0);
    expect(run.json.ok).toBe(true);
    const all = outcomes(run.json);
    expect(Object.values(all).every((o) => o === 'materialized')).toBe(true);
    expect(Object.keys(all).sort()).toEqual(
      [
        'category_image_model',
        'category_model',
        'penguins',
        'penguins_fidelity',
        'penguins_live',
        'penguins_live_drift',
        'penguins_synth',
        'penguins_train',
        'product_images',
        'product_images_report',
        'products',
        'products_report',
        'species_model',
        'species_tstr',
      ].sort(),
    );

    const fidelity = show(dir, 'penguins_fidelity');
    expect(fidelity.checks.map((c) => [c.name, c.passed])).toEqual([
      ['schema', true],
      ['completeness', true],
      ['fidelity', true],
    ]);
    expect(fidelity.checks[2].score).toBeGreaterThanOrEqual(0.8);
    expect(fidelity.metadata['fidelity.quality']).toBe(fidelity.checks[2].score);
    expect(fidelity.metadata['fidelity.max_psi']).toBeLessThan(0.1);

    const tstr = show(dir, 'species_tstr');
    expect(tstr.checks[0]).toMatchObject({ name: 'utility', passed: true, threshold: 0.9 });
    expect(tstr.metadata['utility.trtr_macro_f1']).toBeGreaterThan(0.9);
    expect(tstr.metadata['utility.tstr_macro_f1']).toBeGreaterThan(0.9);
    expect(tstr.metadata['utility.holdout_rows']).toBe(103);

    // The live batch is heavier: the drift report names the column and the prompt file, as a warning.
    const drift = show(dir, 'penguins_live_drift');
    expect(drift.checks[0]).toMatchObject({ name: 'drift', passed: false, blocking: false });
    const details = drift.report!.checks[0].details as unknown as DriftCheckDetails;
    expect(details.drifted).toEqual(['Body Mass (g)']);
    expect(details.suggestions[0]).toMatch(/^Body Mass \(g\): live mean [\d.]+ vs synthetic [\d.]+ — raise Body Mass \(g\) in prompts\/penguins_v1.yaml/);
    expect(drift.warnings.join('\n')).toContain('penguins_live_drift.drift failed');
    const text = synth(dir, ['show', 'penguins_live_drift']).stdout;
    expect(text).toContain('| Body Mass (g) | ');
    expect(text).toContain('raise Body Mass (g) in prompts/penguins_v1.yaml');

    // Models: the classifier is stored and its evaluation recorded.
    const model = show(dir, 'category_model');
    expect(model.metadata.accuracy).toBeGreaterThan(0);
    const stored = JSON.parse(synth(dir, ['export', 'category_model', '--format', 'json']).stdout);
    expect(loadClassifier(stored).labels.length).toBe(5);

    // The image model reads the pictures' colours with the price.
    expect(show(dir, 'category_image_model').metadata.accuracy).toBeGreaterThan(0.5);

    // A new rule regenerates products; downstream, exactly the reports, the images and both models re-run.
    writeProjectFile(dir, 'prompts/ecommerce_v1.yaml', readProjectFile(dir, 'prompts/ecommerce_v1.yaml') + '  - if category == "Books", price < 30\n');
    const before = status(dir);
    expect(before.category_model).toBe('stale upstream:products upstream:products_report');
    expect(before.species_model).toBe('fresh');
    const again = synthJson<RunJson>(dir, ['materialize']);
    expect(again.code).toBe(0);
    const changed = Object.entries(outcomes(again.json))
      .filter(([, o]) => o !== 'fresh')
      .map(([a, o]) => `${a}:${o}`);
    expect(changed.sort()).toEqual([
      'category_image_model:materialized',
      'category_model:materialized',
      'product_images:materialized',
      'product_images_report:materialized',
      'products:materialized',
      'products_report:materialized',
    ]);
    const retrained = JSON.parse(synth(dir, ['export', 'category_model', '--format', 'json']).stdout);
    expect(retrained).not.toEqual(stored);
  });
});

describe('blocking checks', () => {
  const defs = (orders: string) => `
import { asset, checks, validation } from 'synthgraph';
export const orders = asset({ name: 'orders', materialize: () => ${orders} });
export const ordersReport = validation({
  name: 'orders_report',
  deps: { orders },
  // Orders are not generated from a prompt: the rule is declared on the check.
  checks: [checks.rules({ blocking: true, rules: ['total > 0'] }), checks.unique({ key: 'id' })],
});
export const revenue = asset({
  name: 'revenue',
  deps: { orders, report: ordersReport },
  materialize: (_ctx, { orders }) => ({ total: orders.reduce((s, o) => s + o.total, 0) }),
});
`;
  it('a failing blocking check blocks downstream and exits 1, naming the check and its score; fixing the data unblocks', () => {
    const dir = project({ 'src/assets/index.ts': defs('[{ id: 1, total: 20 }, { id: 2, total: -5 }, { id: 2, total: 40 }, { id: 4, total: -1 }]') }, false);
    const text = synth(dir, ['materialize']);
    expect(text.code).toBe(1);
    expect(text.stdout + text.stderr).toMatch(/orders_report\.rules \(score 0\.500 < 1\)/);
    // The non-blocking failure (a repeated id) is only a warning.
    expect(text.stdout + text.stderr).toMatch(/orders_report\.unique failed \(score 0\.750 < 1\)/);

    const json = synthJson<RunJson>(dir, ['materialize']);
    expect(json.code).toBe(1);
    expect(outcomes(json.json)).toMatchObject({ orders: 'fresh', orders_report: 'fresh', revenue: 'blocked' });
    expect(json.json.assets.find((a) => a.asset === 'revenue')!.error).toContain('orders_report.rules (score 0.500 < 1)');
    expect(status(dir).revenue).toContain('blocked:orders_report.rules');
    const report = show(dir, 'orders_report');
    expect(report.checks.map((c) => [c.name, c.score, c.passed, c.blocking])).toEqual([
      ['rules', 0.5, false, true],
      ['unique', 0.75, false, false],
    ]);

    writeProjectFile(dir, 'src/assets/index.ts', defs('[{ id: 1, total: 20 }, { id: 2, total: 5 }, { id: 3, total: 40 }]'));
    const fixed = synthJson<RunJson>(dir, ['materialize']);
    expect(fixed.code).toBe(0);
    expect(outcomes(fixed.json)).toMatchObject({ orders: 'materialized', orders_report: 'materialized', revenue: 'materialized' });
  });
});

describe('live data and drift', () => {
  it('a new file in the live folder makes the drift report stale, and the new report covers it', { timeout: 400_000 }, () => {
    const lines = LIVE_CSV.trimEnd().split('\n');
    const [header, body] = [lines[0], lines.slice(1)];
    const dir = project({ 'data/live/batch-1.csv': [header, ...body.slice(0, 80)].join('\n') + '\n' });
    expect(synthJson<RunJson>(dir, ['materialize', '+penguins_live_drift']).code).toBe(0);
    expect(status(dir, ['+penguins_live_drift'])).toMatchObject({ penguins_live: 'fresh', penguins_live_drift: 'fresh' });

    writeProjectFile(dir, 'data/live/batch-2.csv', [header, ...body.slice(80)].join('\n') + '\n');
    expect(status(dir, ['+penguins_live_drift'])).toEqual({
      penguins: 'fresh',
      penguins_train: 'fresh',
      penguins_synth: 'fresh',
      penguins_live: 'stale data',
      penguins_live_drift: 'stale upstream:penguins_live',
    });
    const run = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(run.json)).toMatchObject({ penguins_live: 'materialized', penguins_live_drift: 'materialized', penguins_synth: 'fresh', species_model: 'materialized' });
    const drift = show(dir, 'penguins_live_drift');
    expect(drift.state).toBe('fresh');
    expect((drift.report!.checks[0].details as unknown as DriftCheckDetails).rows.target).toBe(body.length);

    // synth report: Markdown and HTML files with the check table, JSON with the details.
    expect(synth(dir, ['report', 'penguins_live_drift', '--format', 'md', '--out', 'out/drift.md']).code).toBe(0);
    const md = readProjectFile(dir, 'out/drift.md');
    expect(md).toContain('# Validation report: penguins_live_drift');
    expect(md).toContain('| check | result | score | threshold | blocking | summary |');
    expect(md).toMatch(/\| drift \| FAIL \| 0\.857 \| 1 \| no \| 1\/7 columns drifted: Body Mass \(g\) PSI/);
    expect(md).toContain('prompts/penguins_v1.yaml');
    const html = synthJson<{ file: string; format: string; passed: boolean }>(dir, ['report', 'penguins_live_drift', '--format', 'html', '--out', 'out/drift.html']);
    expect(html.json).toMatchObject({ format: 'html', passed: false });
    const page = readFileSync(html.json.file, 'utf8');
    expect(page).toContain('<th>check</th><th>result</th><th>score</th><th>threshold</th><th>blocking</th><th>summary</th>');
    expect(page).toContain('<td>drift</td><td class="bad">FAIL</td><td>0.857</td>');
    const json = JSON.parse(synth(dir, ['report', 'penguins_live_drift', '--format', 'json']).stdout);
    expect(json.report.checks[0].details.drifted).toEqual(['Body Mass (g)']);
  });

  it('synth report refuses what it cannot render, with exit 2', () => {
    const dir = project();
    const never = synth(dir, ['report', 'species_tstr']);
    expect([never.code, never.stderr]).toEqual([2, expect.stringContaining('never been materialized')]);
    expect(synth(dir, ['report', 'products']).stderr).toContain('is a dataset, not a validation');
    expect(synth(dir, ['report', 'products_report', '--format', 'pdf']).code).toBe(2);
    expect(status(dir, ['products_report']).products_report).toMatch(/^missing/); // report never materializes
    expect(synth(dir, ['report', 'product_report']).stderr).toContain('Did you mean "products_report"');
  });
});
