import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerSynth, npmInstall, packRepo, type PackInfo, writeUserCsv } from '../support/packed-project.js';

// One temp folder for the tarball and the consumer project, removed at the end.
let tmp: string;
let tarball: string;
let info: PackInfo;
let consumer: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'synth-packed-'));
  ({ tarball, info } = packRepo(tmp));
  consumer = path.join(tmp, 'my-project');
  mkdirSync(consumer);
}, 600_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack: the tarball holds what users need and nothing else', () => {
  it('built JavaScript, emitted .d.ts, the bin and the UI page; no TypeScript sources, tests or example data', () => {
    const files = info.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'bin/synth.mjs', 'dist/index.js', 'dist/cli/main.js', 'dist/types/index.d.ts', 'src/ui/public/index.html']),
    );
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(test|bench|scripts|data|prompts|docs|\.ci)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/') && !f.startsWith('src/ui/public/'))).toEqual([]);
  });
  it('package.json: exports with types/import/default, a top-level types for node10, vega-datasets not a runtime dependency', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a package.json read only to compare fields with expected values
    const pkg = JSON.parse(execFileSync('tar', ['-xOzf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, any>;
    expect(Object.keys(pkg.exports['.'])).toEqual(['types', 'import', 'default']);
    expect(pkg.types).toBe('./dist/types/index.d.ts');
    expect(pkg.bin).toEqual({ synth: 'bin/synth.mjs' });
    expect(pkg.dependencies['vega-datasets']).toBeUndefined();
    expect(pkg.scripts.prepack).toBeDefined();
  });
});

describe('a new project from the tarball: npm install, synth init --from, synth materialize', () => {
  it('installs the tarball into an empty folder (no dev tools of synthgraph needed)', () => {
    npmInstall(consumer, [tarball]);
    expect(existsSync(path.join(consumer, 'node_modules', 'synthgraph', 'dist', 'index.js'))).toBe(true);
    expect(existsSync(path.join(consumer, 'node_modules', 'vega-datasets'))).toBe(false);
    expect(existsSync(path.join(consumer, 'node_modules', 'vitest'))).toBe(false);
    // The installed CLI reports its own version, not the consumer's npm_package_version.
    const version = consumerSynth(consumer, ['--version']);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(consumer, 'node_modules', 'synthgraph', 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('`synth init --from people.csv` scaffolds a source, an inferred schema and a fitted dataset', () => {
    writeUserCsv(path.join(consumer, 'people.csv'));
    const r = consumerSynth(consumer, ['init', '--from', 'people.csv', '--json']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const out = JSON.parse(r.stdout) as { created: string[]; updated: string[]; assets: string[]; data: { rows: number; columns: { name: string; type: string; nullable: boolean }[] } };
    expect(out.assets).toEqual(['people', 'people_synth', 'people_fidelity']);
    expect(out.updated).toContain('package.json');
    expect((JSON.parse(r.stdout) as { next: string[] }).next).toEqual(['npx synth materialize', 'npx synth show people_fidelity', 'npx synth status']);
    expect(out.data.rows).toBe(150);
    expect(Object.fromEntries(out.data.columns.map((c) => [c.name, `${c.type}${c.nullable ? '?' : ''}`]))).toEqual({
      id: 'integer',
      region: 'enum',
      score: 'number?',
      age: 'integer',
      active: 'boolean',
      comment: 'string',
    });
    const pkg = JSON.parse(readFileSync(path.join(consumer, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.synthgraph).toMatch(/^file:/); // what npm install wrote is kept
  });

  it('`synth materialize` gives a fitted synthetic copy and its fidelity report, with no other step', () => {
    const r = consumerSynth(consumer, ['materialize', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const run = JSON.parse(r.stdout) as { ok: boolean; assets: { asset: string; outcome: string; rows: number | null }[] };
    expect(run.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['people', 'materialized'],
      ['people_synth', 'materialized'],
      ['people_fidelity', 'materialized'],
    ]);
    const show = consumerSynth(consumer, ['show', 'people_fidelity', '--json']);
    const report = JSON.parse(show.stdout) as { checks: { name: string; score: number; passed: boolean }[] };
    const fidelity = report.checks.find((c) => c.name === 'fidelity');
    expect(fidelity?.passed).toBe(true);
    expect(fidelity?.score).toBeGreaterThan(0.8);
    expect(report.checks.find((c) => c.name === 'schema')?.score).toBe(1);
  });

  it('the consumer type-checks with strict, noUncheckedIndexedAccess and exactOptionalPropertyTypes, without skipLibCheck', () => {
    // The devDependencies synth init added (typescript, @types/node), from npm's cache where possible.
    npmInstall(consumer);
    // More of the API than the scaffold uses: options, checks, models, the loader.
    writeFileSync(
      path.join(consumer, 'src', 'more.ts'),
      `import { checks, dataset, loadProject, model, schedule, splitRows, trainClassifier, evaluateClassifier, validation, z, type GeneratorConfig } from 'synthgraph';
import { peopleSynth } from './assets/index.js';
export const Item = z.object({ sku: z.string(), price: z.number().positive() });
const generator: GeneratorConfig = { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', temperature: 0.7, maxCost: 2 };
export const items = dataset({ name: 'items', schema: Item, prompt: 'items_v1', rows: 10, generator });
export const itemsReport = validation({ name: 'items_report', deps: { items }, checks: [checks.unique({ key: 'sku' }), checks.completeness({ maxNullRate: 0.1 })] });
export const regionModel = model({
  name: 'region_model',
  deps: { peopleSynth },
  train: ({ peopleSynth }) => trainClassifier(splitRows(peopleSynth, { test: 0.2, seed: 1 }).train, { target: 'region', features: ['age'] }),
  evaluate: (m, { peopleSynth }) => ({ f1: evaluateClassifier(m, peopleSynth).macro_f1 }),
});
export const nightly = schedule({ name: 'nightly', cron: '0 2 * * *', select: 'people+' });
export const loaded = loadProject({ root: '.' }).then((p) => p.assets.size);
`,
    );
    const tsc = path.join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');
    let out = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', '.', '--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--skipLibCheck', 'false', '--pretty', 'false'], {
        cwd: consumer,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout);
    }
    expect(out).toBe('');
  });
});
