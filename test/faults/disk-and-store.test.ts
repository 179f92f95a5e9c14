import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson } from '../support/project.js';
import { chainDefs } from '../engine/fixtures.js';
import { readCatalogData } from '../support/catalog.js';

interface RunJson {
  ok: boolean;
  assets: { asset: string; outcome: string; reasons: string[] }[];
}

/** `a` is small; `filler` fills the disk from inside the run (as another process would), then returns rows that cannot be stored. */
const fillerDefs = (fill: boolean) => `
import { openSync, writeSync, closeSync } from 'node:fs';
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', codeVersion: '1', materialize: () => [{ v: 1 }] });
export const filler = asset({ name: 'filler', deps: { a }, codeVersion: '1', retries: 0, materialize: () => {
  if (${fill}) fillDisk();
  return Array.from({ length: 2000 }, (_, i) => ({ i, text: 'x'.repeat(50) }));
} });
function fillDisk() {
  const fd = openSync('fill.bin', 'a');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try { for (;;) writeSync(fd, chunk); } catch { /* ENOSPC: the disk is full now */ } finally { closeSync(fd); }
}
`;

describe('a full disk', () => {
  let mount: string | undefined;
  let skipWhy = '';
  beforeAll(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synth-enospc-'));
    // A small tmpfs of our own: needs root (unmounted in afterAll).
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', dir]);
    if (r.status === 0) mount = dir;
    else {
      skipWhy = `cannot mount a tmpfs (${String(r.stderr).trim() || 'not root'})`;
      rmSync(dir, { recursive: true, force: true });
    }
  });
  afterAll(() => {
    if (!mount) return;
    spawnSync('umount', [mount]);
    rmSync(mount, { recursive: true, force: true });
  });

  it('stops the run with a clear exit 1, records nothing unfinished, leaves no temporary file; after freeing space the run completes', (ctx) => {
    if (!mount) return ctx.skip(skipWhy);
    const dir = makeProject({ 'src/assets/index.ts': fillerDefs(true) });
    try {
      // The project's state lives on the small disk.
      const project = path.join(mount, 'p');
      spawnSync('cp', ['-a', dir, project]);
      expect(synth(project, ['materialize', 'a']).code).toBe(0);
      const before = readCatalogData(project);

      const r = synth(project, ['materialize', 'filler']);
      expect(r.code).toBe(1);
      expect(r.stderr + r.stdout).toMatch(/Disk full while writing .*\.synth/);
      expect(r.stderr).toContain('Free space on that disk, then run the command again.');
      expect(r.stderr).not.toMatch(/\(?(file|node):.*:\d+:\d+\)?/); // no stack trace
      expect(r.stderr).not.toContain('unexpected internal error');
      expect(r.stdout).not.toContain('✓ filler');
      for (const d of ['.synth', '.synth/catalog']) expect(readdirSync(path.join(project, d)).filter((f) => f.startsWith('.tmp-') || f.endsWith('.tmp'))).toEqual([]);
      const after = readCatalogData(project);
      expect(after.materializations.filter((m: { asset: string; status: string }) => m.asset === 'filler' && m.status === 'success')).toHaveLength(0);
      expect(before.materializations.length).toBeLessThanOrEqual(after.materializations.length);
      const tmpObjects = readdirSync(path.join(project, '.synth', 'objects')).flatMap((p) =>
        readdirSync(path.join(project, '.synth', 'objects', p)).filter((f) => f.startsWith('.tmp-')),
      );
      expect(tmpObjects).toEqual([]);

      rmSync(path.join(project, 'fill.bin'));
      writeFileSync(path.join(project, 'src/assets/index.ts'), fillerDefs(false));
      const again = synthJson<RunJson>(project, ['materialize', 'filler']);
      expect(again.code, again.stderr).toBe(0);
      expect(synth(project, ['verify']).code).toBe(0);
    } finally {
      removeProject(dir);
      rmSync(path.join(mount, 'p'), { recursive: true, force: true });
    }
  });
});

describe('store integrity', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ 'src/assets/index.ts': chainDefs, 'a.txt': 'x', 'a.version': '1' });
    expect(synth(dir, ['materialize']).code).toBe(0);
  });
  afterAll(() => removeProject(dir));

  const objectOf = (asset: string): string => {
    const m = synthJson<{ data_hash: string }>(dir, ['show', asset]).json;
    return path.join(dir, '.synth', 'objects', m.data_hash.slice(0, 2), m.data_hash.slice(2));
  };

  it('a corrupted object (same size) is detected by status, listed by verify, and rebuilt by materialize', () => {
    const file = objectOf('b');
    const good = readFileSync(file);
    const bad = Buffer.from(good);
    bad[bad.length - 2] ^= 1;
    writeFileSync(file, bad);
    expect(statSync(file).size).toBe(good.length);

    const st = synthJson<{ asset: string; state: string; reasons: string[] }[]>(dir, ['status', 'b']);
    expect(st.json[0]).toMatchObject({ asset: 'b', state: 'stale', reasons: ['object-corrupt'] });
    expect(synth(dir, ['status']).stdout).toContain('stored object corrupt: rebuilt by the next materialize');

    const v = synthJson<{ ok: boolean; problems: { kind: string; current: string[]; fix: string }[] }>(dir, ['verify']);
    expect(v.code).toBe(1);
    expect(v.json.problems).toEqual([{ kind: 'corrupt', file, hash: expect.any(String), current: ['b'], history: [], fix: expect.stringContaining('synth materialize b') }]);

    const run = synthJson<RunJson>(dir, ['materialize']);
    expect(run.code).toBe(0);
    const b = run.json.assets.find((x) => x.asset === 'b')!;
    expect(b).toMatchObject({ outcome: 'materialized', reasons: ['object-corrupt'] });
    // Same bytes again: c downstream is not recomputed (early cut-off), and the object is whole.
    expect(run.json.assets.find((x) => x.asset === 'c')!.outcome).toBe('fresh');
    expect(readFileSync(file).equals(good)).toBe(true);
    expect(synth(dir, ['verify']).code).toBe(0);
  });

  it('a deleted object is reported missing and rebuilt; gc removes temporary files verify reports', () => {
    const file = objectOf('a');
    rmSync(file);
    expect(synthJson<{ reasons: string[] }[]>(dir, ['status', 'a']).json[0].reasons).toEqual(['object-missing']);
    writeFileSync(path.join(dir, '.synth', '.tmp-catalog.json-999999-0a1b2c3d'), '{"half');
    const v = synthJson<{ problems: { kind: string }[] }>(dir, ['verify']);
    expect(v.json.problems.map((p) => p.kind).sort()).toEqual(['missing', 'temporary']);
    expect(synthJson<{ temporary: number }>(dir, ['gc']).json.temporary).toBe(1);
    expect(synthJson<RunJson>(dir, ['materialize']).json.ok).toBe(true);
    expect(synth(dir, ['verify']).code).toBe(0);
  });
});
