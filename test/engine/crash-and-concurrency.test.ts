import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthAsync, synthJson } from '../support/project.js';
import { chainDefs } from './fixtures.js';
import { readCatalogData } from '../support/catalog.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

interface RunJson {
  run_id: string;
  ok: boolean;
  assets: { asset: string; outcome: string }[];
}

/** Every object file's name must be the sha256 of its bytes (temporary files are ignored). */
function verifyObjects(dir: string): number {
  const root = path.join(dir, '.synth', 'objects');
  let n = 0;
  if (!existsSync(root)) return 0;
  for (const prefix of readdirSync(root)) {
    for (const f of readdirSync(path.join(root, prefix))) {
      if (f.startsWith('.tmp-')) continue;
      const hash = createHash('sha256')
        .update(readFileSync(path.join(root, prefix, f)))
        .digest('hex');
      expect(hash).toBe(prefix + f);
      n++;
    }
  }
  return n;
}

const bigDefs = `
import { asset } from 'synthgraph';
// Big enough that writing it takes a while, so a kill lands in the middle of writing.
export const big = asset({ name: 'big', codeVersion: '1', materialize: () =>
  Array.from({ length: 400_000 }, (_, i) => ({ i, text: 'row ' + i + ' '.repeat(40), v: (i * 7919) % 1000 })) });
export const small = asset({ name: 'small', deps: { big }, codeVersion: '1', materialize: (_c, { big }) => big.length });
`;

describe('concurrent runs and crashes', () => {
  it('three runs started at once all finish and the catalog keeps every materialization', async () => {
    const dir = makeProject({ 'src/assets/index.ts': chainDefs, 'a.txt': 'x', 'a.version': '1' });
    dirs.push(dir);
    synth(dir, ['status']); // compile the definitions once, outside the race
    const runs = [
      ['a', '--force'],
      ['d', '--force'],
      ['+c', '--force'],
    ].map((sel) => synthAsync(dir, ['materialize', ...sel, '--json']));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const parsed = results.map((r) => JSON.parse(r.stdout) as RunJson);
    const made = parsed.flatMap((p) => p.assets.filter((a) => a.outcome === 'materialized' || a.outcome === 'cached'));
    expect(made.length).toBeGreaterThanOrEqual(5);
    const catalog = readCatalogData(dir);
    expect(catalog.runs.map((r: { id: string }) => r.id).sort()).toEqual(parsed.map((p) => p.run_id).sort());
    expect(catalog.materializations).toHaveLength(made.length);
    for (const p of parsed) {
      const mine = catalog.materializations.filter((m: { run_id: string }) => m.run_id === p.run_id);
      expect(mine.length).toBe(p.assets.filter((a) => a.outcome === 'materialized' || a.outcome === 'cached').length);
    }
  });

  it('a run killed with SIGKILL while writing leaves a consistent store, and the next run rebuilds what is missing', async () => {
    const dir = makeProject({ 'src/assets/index.ts': bigDefs });
    dirs.push(dir);
    synth(dir, ['status']);
    for (const delay of [300, 700, 1100, 1500]) {
      const run = synthAsync(dir, ['materialize', '--force']);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      await run.done;
      // The catalog still parses and status works; every stored object is whole.
      const st = synthJson<{ asset: string; state: string }[]>(dir, ['status']);
      expect(st.code).toBe(0);
      verifyObjects(dir);
    }
    const final = synthJson<RunJson>(dir, ['materialize']);
    expect(final.code).toBe(0);
    expect(final.json.ok).toBe(true);
    const exported = synth(dir, ['export', 'big', '--format', 'jsonl']).stdout.split('\n').filter(Boolean);
    expect(exported).toHaveLength(400_000);
    expect(verifyObjects(dir)).toBeGreaterThanOrEqual(2);
    expect(statSync(path.join(dir, '.synth', 'catalog.json')).size).toBeGreaterThan(0);
  });
});
