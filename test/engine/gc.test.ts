import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
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
});
