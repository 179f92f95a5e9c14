import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson, TWO_ASSETS_DEFS } from '../support/project.js';

const defs = TWO_ASSETS_DEFS;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

interface StatusJson {
  asset: string;
  state: string;
  reasons: string[];
  data_hash: string;
}

describe('objects verified before are trusted by file identity, never past a write', () => {
  it('status remembers the objects it hashed, and still catches one damaged in place afterwards', () => {
    const dir = makeProject({ 'src/assets/index.ts': defs });
    dirs.push(dir);
    expect(synth(dir, ['materialize']).code).toBe(0);
    const first = synthJson<StatusJson[]>(dir, ['status']).json;
    const memo = readFileSync(path.join(dir, '.synth', 'cache', 'verified-objects'), 'utf8');
    for (const s of first) expect(memo).toContain(`${s.data_hash} `);

    // Same size, different bytes, written in place: the file's ctime changes, so the memo no longer vouches for it.
    const hash = first.find((s) => s.asset === 'b')!.data_hash;
    const file = path.join(dir, '.synth', 'objects', hash.slice(0, 2), hash.slice(2));
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[0] = bad[0] === 0x5b ? 0x7b : 0x5b;
    writeFileSync(file, bad);
    const st = synthJson<StatusJson[]>(dir, ['status']).json;
    expect(st.find((s) => s.asset === 'b')).toMatchObject({ state: 'stale', reasons: ['object-corrupt'] });
    expect(st.find((s) => s.asset === 'a')).toMatchObject({ state: 'fresh' });

    const run = synthJson<{ assets: { asset: string; outcome: string }[] }>(dir, ['materialize']);
    expect(run.json.assets.map((x) => [x.asset, x.outcome])).toEqual([
      ['a', 'fresh'],
      ['b', 'materialized'],
    ]);
    expect(readFileSync(file).equals(good)).toBe(true);
    expect(synthJson<StatusJson[]>(dir, ['status']).json.every((s) => s.state === 'fresh')).toBe(true);
  });
});
