import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunJson, outcomes, statusOf } from '../support/cli-json.js';
import { makeProject, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

// An asset kind from another npm package, plugged in the way a user would: its own package.json and
// index.js installed in the project's node_modules, listed under "plugins" in synth.config.json, its
// DSL function imported by the definitions, and run through the real `synth` CLI. Nothing in
// synthgraph names it: keying, definition checks, columns, --dry-run estimates, computing, CSV
// storage and `kind:` selection all go through the engine's asset-kind seam.
const PLUGIN_INDEX = `
import { COMMON_OPTION_KEYS, defineAsset } from 'synthgraph';

/** counter({ name, count }): the rows { n: 1 } ... { n: count }. */
export function counter(options) {
  return defineAsset(options, { kind: 'counter', count: options.count }, [...COMMON_OPTION_KEYS, 'count']);
}

export const kinds = [
  {
    kind: 'counter',
    csv: true,
    codeVersion: (asset) => 'counter:1',
    rows: (asset) => asset.def.spec.count,
    columns: () => ['n'],
    checkDefinition: (asset) =>
      Number.isInteger(asset.def.spec.count) && asset.def.spec.count > 0
        ? undefined
        : { what: 'Counter "' + asset.name + '" has count: ' + asset.def.spec.count + '.', why: 'It counts from 1.', fix: 'Set count to e.g. 3.', near: 'count' },
    estimate: async ({ asset }) => ({ requests: asset.def.spec.count }),
    async compute({ asset, ctx, putObject }) {
      const rows = [];
      for (let n = 1; n <= asset.def.spec.count; n++) rows.push({ n });
      ctx.progress(rows.length, rows.length);
      // Bytes stored beside the value (as an image kind stores its pictures), kept with the record.
      const tally = putObject('counted ' + rows.length + ' rows');
      return { value: rows, format: 'jsonl', metadata: { counted: rows.length }, objects: [tally] };
    },
  },
];
`;

const defs = (count: string, feature = 'n'): string => `
import { asset, model } from 'synthgraph';
import { counter } from 'synth-kind-counter';
export const nums = counter({ name: 'nums', count: ${count} });
export const total = asset({ name: 'total', deps: { nums }, materialize: (_ctx, { nums }) => ({ sum: nums.reduce((s, r) => s + r.n, 0) }) });
export const fit = model({ name: 'fit', deps: { nums }, columns: { input: 'nums', features: ['${feature}'] }, train: ({ nums }) => ({ rows: nums.length }) });
`;

describe('an asset kind from another package', () => {
  let dir: string;

  beforeAll(() => {
    dir = makeProject({
      'synth.config.json': JSON.stringify({ plugins: ['synth-kind-counter'] }),
      'src/assets/index.ts': defs('3'),
    });
    const pkg = path.join(dir, 'node_modules', 'synth-kind-counter');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'synth-kind-counter', version: '1.0.0', type: 'module', main: 'index.js' }));
    writeFileSync(path.join(pkg, 'index.js'), PLUGIN_INDEX);
  });
  afterAll(() => removeProject(dir));

  it('plans, materializes, stores (with CSV) and selects its assets, then finds them fresh, then stale when the kind keys a change', () => {
    const plan = synthJson<{ assets: { asset: string; kind: string; action: string; estimate: Record<string, number> | null }[] }>(dir, ['materialize', '--dry-run']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json.assets.find((a) => a.asset === 'nums')).toMatchObject({ kind: 'counter', action: 'run', estimate: { requests: 3 } });

    const first = synthJson<RunJson>(dir, ['materialize']);
    expect(first.code, first.stderr).toBe(0);
    expect(outcomes(first.json)).toEqual({ nums: 'materialized', total: 'materialized', fit: 'materialized' });
    expect(first.json.assets.find((a) => a.asset === 'nums')!.rows).toBe(3);
    expect(synth(dir, ['export', 'total', '--format', 'json']).stdout).toContain('"sum": 6');
    expect(synth(dir, ['export', 'nums', '--format', 'csv']).stdout.trim().split('\n')).toEqual(['n', '1', '2', '3']);

    // The object it stored beside the value is recorded, kept by gc and checked by verify.
    const [record] = synthJson<{ objects?: string[]; metadata: Record<string, unknown> }[]>(dir, ['history', 'nums']).json;
    expect(record.metadata).toEqual({ counted: 3 });
    const [tally] = record.objects ?? [];
    const tallyFile = path.join(dir, '.synth', 'objects', tally.slice(0, 2), tally.slice(2));
    expect(readFileSync(tallyFile, 'utf8')).toBe('counted 3 rows');
    expect(synthJson<{ orphans: number }>(dir, ['gc']).json.orphans).toBe(0);
    expect(existsSync(tallyFile)).toBe(true);
    writeFileSync(tallyFile, 'tampered');
    const verify = synthJson<{ problems: { hash: string | null; current: string[] }[] }>(dir, ['verify']);
    expect(verify.json.problems).toContainEqual(expect.objectContaining({ hash: tally, current: ['nums'] }));
    writeFileSync(tallyFile, 'counted 3 rows');

    expect(statusOf(dir, ['kind:counter'])).toEqual({ nums: 'fresh' });
    expect(statusOf(dir)).toEqual({ nums: 'fresh', total: 'fresh', fit: 'fresh' });

    // `rows` is part of the kind's key: a new count is reason "rows", and flows downstream.
    writeProjectFile(dir, 'src/assets/index.ts', defs('4'));
    expect(statusOf(dir)).toEqual({ nums: 'stale rows', total: 'stale upstream:nums', fit: 'stale upstream:nums' });
    const second = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(second.json)).toEqual({ nums: 'materialized', total: 'materialized', fit: 'materialized' });
    expect(synth(dir, ['export', 'total', '--format', 'json']).stdout).toContain('"sum": 10');
  });

  it("runs the kind's definition check, and checks other kinds against the columns it declares, before anything runs", () => {
    writeProjectFile(dir, 'src/assets/index.ts', defs('0'));
    const bad = synth(dir, ['status']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Counter "nums" has count: 0.');
    expect(bad.stderr).toContain('src/assets/index.ts:');

    writeProjectFile(dir, 'src/assets/index.ts', defs('3', 'nn'));
    const column = synth(dir, ['status']);
    expect(column.code).toBe(2);
    expect(column.stderr).toContain('columns.features names "nn", which is not a column of its input "nums"');
  });

  it('names the known kinds when a definition is of a kind nobody registered', () => {
    writeProjectFile(dir, 'synth.config.json', JSON.stringify({}));
    writeProjectFile(dir, 'src/assets/index.ts', defs('3'));
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Asset "nums" is of an unknown kind "counter".');
    expect(r.stderr).toContain('Known kinds: source, dataset, validation, model, asset');
    expect(r.stderr).toContain('"plugins" in synth.config.json');
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  });
});
