import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson } from '../support/project.js';

interface StatusJson {
  asset: string;
  state: string;
  data_hash: string | null;
}

const defs = `
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', codeVersion: '1', materialize: () => [{ v: 1 }, { v: 2 }] });
export const b = asset({ name: 'b', deps: { a }, codeVersion: '1', materialize: (_ctx, { a }) => a.map((r) => ({ w: r.v * 2 })) });
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

/** A project with `a` and `b` materialized; returns its folder and catalog path. */
function materialized(): { dir: string; file: string } {
  const dir = makeProject({ 'src/assets/index.ts': defs });
  dirs.push(dir);
  expect(synth(dir, ['materialize']).code).toBe(0);
  return { dir, file: path.join(dir, '.synth', 'catalog.json') };
}

const hashes = (dir: string) => Object.fromEntries(synthJson<StatusJson[]>(dir, ['status']).json.map((s) => [s.asset, [s.state, s.data_hash]]));

describe('the catalog format', () => {
  it('a catalog of the previous release (no version field) is read, migrated, and written with the version by the next command that records', () => {
    const { dir, file } = materialized();
    const current = JSON.parse(readFileSync(file, 'utf8'));
    expect(current.version).toBe(1);
    const before = hashes(dir);
    // The previous release wrote the same records without a version field.
    const { version: _v, ...previous } = current;
    writeFileSync(file, JSON.stringify(previous));

    // Read-only commands read it as it is (both assets still fresh, same hashes) and do not rewrite it.
    expect(hashes(dir)).toEqual(before);
    expect(Object.values(before).every(([state, hash]) => state === 'fresh' && /^[0-9a-f]{64}$/.test(hash!))).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBeUndefined();

    const again = synth(dir, ['materialize']);
    expect(again.code, again.stderr).toBe(0);
    const migrated = JSON.parse(readFileSync(file, 'utf8'));
    expect(migrated.version).toBe(1);
    expect(migrated.materializations.slice(0, current.materializations.length)).toEqual(current.materializations);
    expect(hashes(dir)).toEqual(before);
  });

  it('a catalog written by a newer synthgraph is exit 2 saying to upgrade, and is left untouched', () => {
    const { dir, file } = materialized();
    const newer = { ...JSON.parse(readFileSync(file, 'utf8')), version: 2 };
    writeFileSync(file, JSON.stringify(newer));
    for (const args of [['status'], ['materialize']]) {
      const r = synth(dir, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/written by a newer synthgraph \(catalog format 2; this one reads formats up to 1\)/);
      expect(r.stderr).toMatch(/upgrade synthgraph/);
      expect(r.stderr).not.toMatch(/\s+at .*:\d+:\d+/); // no stack trace
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(newer);
  });

  it('a record of the wrong shape is exit 2 naming the record and field', () => {
    const { dir, file } = materialized();
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.materializations[1].data_hash = 42;
    writeFileSync(file, JSON.stringify(data));
    const r = synth(dir, ['status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('catalog.json is damaged');
    expect(r.stderr).toContain('materializations[1].data_hash');
    expect(r.stderr).toContain('move it away to start a new catalog');

    writeFileSync(file, JSON.stringify({ version: 'one', materializations: [] }));
    expect(synth(dir, ['status']).stderr).toContain('Its "version" is "one", not a catalog format number.');
    writeFileSync(file, '[]');
    expect(synth(dir, ['status']).code).toBe(2);
  });

  it('fields this release does not know are kept when the catalog is rewritten', () => {
    const { dir, file } = materialized();
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.materializations[0].added_later = { note: 'kept' };
    writeFileSync(file, JSON.stringify(data));
    expect(synth(dir, ['materialize', '--force']).code).toBe(0);
    const after = JSON.parse(readFileSync(file, 'utf8'));
    expect(after.materializations[0].added_later).toEqual({ note: 'kept' });
    expect(after.materializations.length).toBeGreaterThan(data.materializations.length);
  });
});
