import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson } from '../support/project.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

const objectFiles = (dir: string) => readdirSync(path.join(dir, '.synth', 'objects')).flatMap((p) => readdirSync(path.join(dir, '.synth', 'objects', p)).map((f) => p + f));

describe('synth gc', () => {
  it('removes objects no record refers to and temporary files, and keeps every recorded version', () => {
    const dir = makeProject({
      'src/assets/index.ts':
        "import { asset } from 'synthgraph';\nimport { readFileSync } from 'node:fs';\nexport const a = asset({ name: 'a', codeVersion: readFileSync('v', 'utf8'), materialize: () => [{ v: readFileSync('v', 'utf8') }] });\n",
      v: '1',
    });
    dirs.push(dir);
    expect(synth(dir, ['materialize']).code).toBe(0);
    writeFileSync(path.join(dir, 'v'), '2');
    expect(synth(dir, ['materialize']).code).toBe(0);
    const kept = objectFiles(dir);
    expect(kept).toHaveLength(2); // two versions of a, both recorded
    // What a killed run leaves: an object it wrote but never recorded, and a half-written temporary file.
    mkdirSync(path.join(dir, '.synth', 'objects', 'ff'), { recursive: true });
    writeFileSync(path.join(dir, '.synth', 'objects', 'ff', 'f'.repeat(62)), 'orphan');
    writeFileSync(path.join(dir, '.synth', 'objects', 'ff', '.tmp-x-123-abcd'), 'half');

    const dry = synthJson<{ dry_run: boolean; orphans: number; temporary: number; bytes: number }>(dir, ['gc', '--dry-run']);
    expect(dry.json).toEqual({ dry_run: true, orphans: 1, temporary: 1, bytes: 10 });
    expect(objectFiles(dir)).toHaveLength(4);

    const real = synthJson<{ orphans: number; temporary: number }>(dir, ['gc']);
    expect(real.json).toMatchObject({ orphans: 1, temporary: 1 });
    expect(objectFiles(dir).sort()).toEqual([...kept].sort());
    // The older version is still reusable: going back to v1 is `cached`.
    writeFileSync(path.join(dir, 'v'), '1');
    const back = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize']);
    expect(back.json.assets[0].outcome).toBe('cached');
    expect(existsSync(path.join(dir, '.synth', 'objects', 'ff', 'f'.repeat(62)))).toBe(false);
  });

  it('forgets the objects it removes in the verified-object memo, and keeps the entries of those it keeps', () => {
    const dir = makeProject({ 'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', codeVersion: '1', materialize: () => [{ v: 1 }] });\n" });
    dirs.push(dir);
    expect(synth(dir, ['materialize']).code).toBe(0);
    const [kept] = synthJson<{ data_hash: string }[]>(dir, ['status']).json.map((s) => s.data_hash);
    const memoFile = path.join(dir, '.synth', 'cache', 'verified-objects');
    expect(readFileSync(memoFile, 'utf8')).toContain(`${kept} `);
    // An object verified once whose record is gone (as after materialization retention): gc removes it.
    const bytes = Buffer.from('[{"v":0}]\n');
    const orphan = createHash('sha256').update(bytes).digest('hex');
    const file = path.join(dir, '.synth', 'objects', orphan.slice(0, 2), orphan.slice(2));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, bytes);
    const st = statSync(file);
    appendFileSync(memoFile, `${orphan} ${st.ino}:${st.size}:${st.ctimeMs}\n`);

    expect(synthJson<{ orphans: number }>(dir, ['gc', '--dry-run']).json.orphans).toBe(1);
    expect(readFileSync(memoFile, 'utf8')).toContain(`${orphan} `); // a dry run changes nothing
    expect(synthJson<{ orphans: number }>(dir, ['gc']).json.orphans).toBe(1);
    expect(existsSync(file)).toBe(false);
    const memo = readFileSync(memoFile, 'utf8');
    expect(memo).not.toContain(orphan);
    expect(memo).toContain(`${kept} `);
    expect(synthJson<{ state: string }[]>(dir, ['status']).json.map((s) => s.state)).toEqual(['fresh']);
  });
});
