import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunJson, outcomes, statusOf } from '../support/cli-json.js';
import { makeProject, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

// A generator from another npm package, plugged in the way a user would: its own package.json and
// index.js installed in the project's node_modules, listed under "plugins" in synth.config.json, and
// used by a dataset through the real `synth` CLI. Nothing in synthgraph names it.
const PLUGIN_INDEX = `
/** A tiny generator: rows "PREFIX-i", numbered from 1. */
const upper = {
  provider: 'upper',
  version: '1.0.0',
  async generate(request) {
    const prefix = String(request.config.prefix ?? 'row').toUpperCase();
    const rows = [];
    for (let i = 0; i < request.rows; i++) rows.push({ id: i + 1, name: prefix + '-' + i });
    request.progress(rows.length, request.rows);
    return { rows, metadata: { made_by: 'synth-generator-upper', prompt: request.prompt.id } };
  },
};

export const generators = [
  {
    provider: 'upper',
    version: '1.0.0',
    operational: ['concurrency'],
    load: async () => upper,
    loadCheck: async () => (request) =>
      request.config.prefix !== undefined && typeof request.config.prefix !== 'string'
        ? { what: 'Dataset "' + request.asset + '": prefix must be a string.', why: 'It is written before each row number.', fix: "Set prefix: 'abc'.", near: 'prefix' }
        : undefined,
  },
];
`;

const defs = (generator: string): string => `
import { dataset, z } from 'synthgraph';
export const names = dataset({
  name: 'names',
  schema: z.object({ id: z.number().int(), name: z.string() }),
  prompt: 'names_v1',
  rows: 4,
  seed: 1,
  generator: ${generator},
});
`;

const PROMPT = `prompt_id: names_v1
domain: test
template: Generate {{rows}} names.
`;

describe('a generator plug-in from another package', () => {
  let dir: string;

  beforeAll(() => {
    dir = makeProject({
      'synth.config.json': JSON.stringify({ plugins: ['synth-generator-upper'] }),
      'src/assets/index.ts': defs("{ provider: 'upper', prefix: 'abc' }"),
      'prompts/names_v1.yaml': PROMPT,
    });
    const pkg = path.join(dir, 'node_modules', 'synth-generator-upper');
    mkdirSync(pkg);
    writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'synth-generator-upper', version: '1.0.0', type: 'module', main: 'index.js' }));
    writeFileSync(path.join(pkg, 'index.js'), PLUGIN_INDEX);
  });
  afterAll(() => removeProject(dir));

  it('materializes a dataset through it, then finds it fresh, then stale when an option changes', () => {
    const first = synthJson<RunJson>(dir, ['materialize']);
    expect(first.code, first.stderr).toBe(0);
    expect(outcomes(first.json)).toEqual({ names: 'materialized' });
    const rows = synth(dir, ['export', 'names', '--format', 'jsonl'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown);
    expect(rows).toEqual([
      { id: 1, name: 'ABC-0' },
      { id: 2, name: 'ABC-1' },
      { id: 3, name: 'ABC-2' },
      { id: 4, name: 'ABC-3' },
    ]);

    expect(statusOf(dir)).toEqual({ names: 'fresh' });
    const second = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(second.json)).toEqual({ names: 'fresh' });
    expect(second.json.assets[0].cache_key).toBe(first.json.assets[0].cache_key);

    // An operational option is not part of the key; a data option is.
    writeProjectFile(dir, 'src/assets/index.ts', defs("{ provider: 'upper', prefix: 'abc', concurrency: 4 }"));
    expect(statusOf(dir)).toEqual({ names: 'fresh' });
    writeProjectFile(dir, 'src/assets/index.ts', defs("{ provider: 'upper', prefix: 'xyz' }"));
    expect(statusOf(dir)).toEqual({ names: 'stale generator' });
    const third = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(third.json)).toEqual({ names: 'materialized' });
    expect(synth(dir, ['export', 'names', '--format', 'jsonl']).stdout).toContain('"XYZ-3"');
  });

  it("runs the plug-in's definition check before anything runs", () => {
    writeProjectFile(dir, 'src/assets/index.ts', defs("{ provider: 'upper', prefix: 7 }"));
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('prefix must be a string');
    expect(r.stderr).toContain('src/assets/index.ts:');
  });

  it('names the plugins setting when a provider is unknown, and a listed plug-in that is not installed', () => {
    writeProjectFile(dir, 'src/assets/index.ts', defs("{ provider: 'uper' }"));
    const unknown = synth(dir, ['status']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown generator provider "uper"');
    expect(unknown.stderr).toContain('Did you mean "upper"?');
    expect(unknown.stderr).toContain('"plugins" in synth.config.json');

    writeProjectFile(dir, 'synth.config.json', JSON.stringify({ plugins: ['synth-generator-missing'] }));
    const missing = synth(dir, ['status']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Plug-in "synth-generator-missing" (listed in synth.config.json) cannot be used.');
    expect(missing.stderr).toContain('npm install synth-generator-missing');
    expect(missing.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
  });
});
