import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inferColumns, renderZodObject, zodOf } from '../../src/init/infer-schema.js';
import { linkSynthgraph, synth } from '../support/project.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** An empty folder where synthgraph is installed. */
function emptyProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-init-'));
  dirs.push(dir);
  linkSynthgraph(dir);
  return dir;
}
const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), 'utf8');

describe('schema inference (values as a CSV parser or JSON gives them)', () => {
  it('numbers, integers, booleans, enums, nullable cells and NA markers, strings as text', () => {
    const records = Array.from({ length: 40 }, (_, i) => ({
      n: String(i * 1.5),
      k: i,
      flag: i % 2 === 0 ? 'true' : 'false',
      tier: ['gold', 'silver'][i % 2],
      maybe: i % 5 === 0 ? 'NA' : String(i),
      empty: i % 3 === 0 ? null : 'x' + (i % 4),
      text: `free text ${i}`,
    }));
    const columns = inferColumns(records);
    expect(Object.fromEntries(columns.map((c) => [c.name, zodOf(c)]))).toEqual({
      n: 'z.number()',
      k: 'z.number().int()',
      flag: 'z.boolean()',
      tier: "z.enum(['gold', 'silver'])",
      maybe: 'z.number().int().nullable()',
      empty: "z.enum(['x0', 'x1', 'x2', 'x3']).nullable()",
      text: 'z.string()',
    });
    expect(columns.filter((c) => c.unique).map((c) => c.name)).toEqual(['k', 'maybe', 'text']);
  });
  it('JSON records: missing keys are optional, arrays of strings or numbers are arrays, objects are left out', () => {
    const records = [
      { a: 1, tags: ['x', 'y'], v: [1, 2], o: { deep: 1 } },
      { tags: [], v: [3], o: { deep: 2 } },
    ];
    const byName = Object.fromEntries(inferColumns(records).map((c) => [c.name, zodOf(c)]));
    expect(byName).toEqual({ a: 'z.number().int().optional()', tags: 'z.array(z.string())', v: 'z.array(z.number())', o: undefined });
  });
  it('a __proto__ column is declared as an own key, never as the prototype of the schema object', () => {
    const records = JSON.parse('[{"__proto__": "a", "n": 1}, {"__proto__": "b", "n": 2}, {"__proto__": "a", "n": 3}, {"__proto__": "b", "n": 4}]') as Record<string, unknown>[];
    expect(renderZodObject(inferColumns(records))).toBe("z.object({\n  ['__proto__']: z.enum(['a', 'b']),\n  n: z.number().int(),\n})");
  });
  it('a string column with many distinct values stays a string, not an enum', () => {
    const records = Array.from({ length: 30 }, (_, i) => ({ city: `c${i % 25}` }));
    expect(zodOf(inferColumns(records)[0]!)).toBe('z.string()');
  });
});

describe('synth init', () => {
  it('without --from: a project whose first materialize passes its validation', () => {
    const dir = emptyProject();
    const r = synth(dir, ['init']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('npx synth materialize');
    for (const f of ['package.json', 'src/assets/index.ts', 'prompts/customers_v1.yaml', 'tsconfig.json', '.gitignore']) expect(existsSync(path.join(dir, f)), f).toBe(true);
    expect(read(dir, '.gitignore')).toContain('.synth/');
    const run = synth(dir, ['materialize', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect((JSON.parse(run.stdout) as { assets: { asset: string; outcome: string }[] }).assets.map((a) => `${a.asset} ${a.outcome}`)).toEqual([
      'customers materialized',
      'customers_report materialized',
    ]);
  });

  it('into a new folder named on the line, printing `cd DIR` first', () => {
    const parent = emptyProject();
    const r = synth(parent, ['init', 'sub/project']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('cd sub/project');
    expect(JSON.parse(read(parent, 'sub/project/package.json'))).toMatchObject({
      name: 'project',
      private: true,
      type: 'module',
      dependencies: { synthgraph: expect.stringMatching(/^\^\d/) },
    });
    expect(r.stdout).toContain('npm install'); // synthgraph is not installed in that folder yet
  });

  it('adds to an existing package.json and .gitignore without changing what the user set', () => {
    const dir = emptyProject();
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'mine', version: '2.0.0', scripts: { status: 'echo mine' }, dependencies: { synthgraph: 'file:../synthgraph.tgz' } }),
    );
    writeFileSync(path.join(dir, '.gitignore'), 'dist\nnode_modules');
    const r = synth(dir, ['init', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { created: string[]; updated: string[] };
    expect(out.updated).toEqual(['package.json', '.gitignore']);
    const pkg = JSON.parse(read(dir, 'package.json')) as Record<string, Record<string, string>>;
    expect(pkg.name).toBe('mine');
    expect(pkg.scripts).toEqual({ status: 'echo mine', materialize: 'synth materialize', typecheck: 'tsc --noEmit' });
    expect(pkg.dependencies).toEqual({ synthgraph: 'file:../synthgraph.tgz' });
    expect(read(dir, '.gitignore')).toBe('dist\nnode_modules\n.synth/\n');
  });

  it('refuses to overwrite: exit 2 naming every file that exists, and writes nothing', () => {
    const dir = emptyProject();
    mkdirSync(path.join(dir, 'src/assets'), { recursive: true });
    mkdirSync(path.join(dir, 'prompts'));
    writeFileSync(path.join(dir, 'src/assets/index.ts'), '// mine\n');
    writeFileSync(path.join(dir, 'prompts/customers_v1.yaml'), 'mine: true\n');
    const r = synth(dir, ['init']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('src/assets/index.ts, prompts/customers_v1.yaml');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(read(dir, 'src/assets/index.ts')).toBe('// mine\n');
    expect(existsSync(path.join(dir, 'package.json'))).toBe(false);
    expect(existsSync(path.join(dir, 'tsconfig.json'))).toBe(false);
    const json = synth(dir, ['init', '--json']);
    expect(json.code).toBe(2);
    expect((JSON.parse(json.stdout) as { error: { what: string } }).error.what).toContain('would overwrite 2 files');
  });

  it('refuses a folder inside .synth/ (the store of a project): exit 2, nothing created there', () => {
    const dir = emptyProject();
    mkdirSync(path.join(dir, '.synth'));
    const r = synth(dir, ['init', '.synth/inner']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('inside a .synth/ folder');
    expect(existsSync(path.join(dir, '.synth/inner'))).toBe(false);
  });

  it('--from a JSON file outside the project copies it into data/ and fits a copy to it', () => {
    const dir = emptyProject();
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'synth-init-data-'));
    dirs.push(elsewhere);
    const records = Array.from({ length: 60 }, (_, i) => ({ kind: ['a', 'b', 'c'][i % 3], size: 10 + (i % 7) * 2.5, ok: i % 4 !== 0, note: i % 6 === 0 ? null : 'n' + (i % 2) }));
    writeFileSync(path.join(elsewhere, 'My Things.json'), JSON.stringify(records));
    const r = synth(dir, ['init', '--from', path.join(elsewhere, 'My Things.json')]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'data/My Things.json')).toBe(JSON.stringify(records));
    const defs = read(dir, 'src/assets/index.ts');
    expect(defs).toContain("file: 'data/My Things.json'");
    expect(defs).toContain("kind: z.enum(['a', 'b', 'c']),");
    expect(defs).toContain("note: z.enum(['n0', 'n1']).nullable(),");
    expect(read(dir, 'prompts/my_things_v1.yaml')).toContain('class: true');
    const run = synth(dir, ['materialize', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect((JSON.parse(run.stdout) as { assets: { asset: string }[] }).assets.map((a) => a.asset)).toEqual(['my_things', 'my_things_synth', 'my_things_fidelity']);
    // A second init with the same data would overwrite: refused.
    expect(synth(dir, ['init', '--from', path.join(elsewhere, 'My Things.json')]).code).toBe(2);
  });

  it('--from a file named like an import or a keyword gives definitions that load', () => {
    const dir = emptyProject();
    const rows = Array.from({ length: 30 }, (_, i) => `${i % 2 ? 'x' : 'y'},${i}`);
    writeFileSync(path.join(dir, 'checks.csv'), ['kind,n', ...rows].join('\n') + '\n');
    const r = synth(dir, ['init', '--from', 'checks.csv']);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'src/assets/index.ts')).toContain('export const checksData = source({');
    const run = synth(dir, ['materialize', '--json']);
    expect(run.code, run.stderr + run.stdout).toBe(0);
  });

  it('--from a file that does not exist or cannot be read is exit 2 with what to do', () => {
    const dir = emptyProject();
    const missing = synth(dir, ['init', '--from', 'nope.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No data file at');
    writeFileSync(path.join(dir, 'table.xlsx'), 'binary');
    const xlsx = synth(dir, ['init', '--from', 'table.xlsx']);
    expect(xlsx.code).toBe(2);
    expect(xlsx.stderr).toContain('unknown file type');
  });
});
