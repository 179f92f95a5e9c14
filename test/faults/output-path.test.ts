import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth } from '../support/project.js';
import { chainDefs } from '../engine/fixtures.js';

/** Export and report targets a careless user (or a script) could name: none may be replaced but a regular file, and only with --force. */
describe('user-given output paths (--out)', () => {
  let dir: string;
  const catalog = () => readFileSync(path.join(dir, '.synth', 'catalog.json'), 'utf8');

  beforeAll(() => {
    dir = makeProject({ 'src/assets/index.ts': chainDefs, 'a.txt': 'x', 'a.version': '1' });
    expect(synth(dir, ['materialize']).code).toBe(0);
  });
  afterAll(() => removeProject(dir));

  it('refuses a FIFO and leaves it a FIFO', () => {
    const fifo = path.join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = synth(dir, ['export', 'c', '--out', fifo]);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is a FIFO')]);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('refuses a symlink to a device node (a private copy of the null device, never the real one)', (ctx) => {
    const node = path.join(dir, 'null-device');
    // A device node of our own (major 1, minor 3) in the temp folder: if the guard failed, only this copy would be replaced.
    if (spawnSync('mknod', [node, 'c', '1', '3']).status !== 0) ctx.skip('mknod needs root');
    symlinkSync(node, path.join(dir, 'to-device'));
    for (const out of ['to-device', node]) {
      const r = synth(dir, ['export', 'c', '--out', out, '--force']);
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is a device')]);
    }
    expect(lstatSync(node).isCharacterDevice()).toBe(true);
  });

  it('refuses anything inside .synth/ (directly, through a symlink, or another project store), and keeps the catalog', () => {
    const before = catalog();
    const object = path.join(dir, '.synth', 'objects');
    symlinkSync(path.join(dir, '.synth'), path.join(dir, 'state-link'));
    mkdirSync(path.join(dir, 'other', '.synth'), { recursive: true });
    for (const out of ['.synth/catalog.json', `${object}/zz/new`, 'state-link/catalog.json', 'other/.synth/catalog.json']) {
      const r = synth(dir, ['export', 'c', '--out', out, '--force']);
      expect([out, r.code, r.stderr]).toEqual([out, 2, expect.stringContaining('inside a .synth/ folder')]);
    }
    expect(catalog()).toBe(before);
    expect(existsSync(path.join(dir, 'other', '.synth', 'catalog.json'))).toBe(false);
    expect(synth(dir, ['status']).code).toBe(0);
  });

  it('refuses a directory, or a path through a file, with exit 2, not an internal error', () => {
    mkdirSync(path.join(dir, 'exports'), { recursive: true });
    const r = synth(dir, ['export', 'c', '--out', 'exports']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('is a directory')]);
    expect(r.stderr).not.toContain('unexpected internal error');
    writeFileSync(path.join(dir, 'plain'), 'x');
    const through = synth(dir, ['export', 'c', '--out', 'plain/c.csv']);
    expect([through.code, through.stderr]).toEqual([2, expect.stringContaining('cannot be created')]);
  });

  it('keeps an existing file unless --force, and then replaces it whole', () => {
    const file = path.join(dir, 'c.csv');
    writeFileSync(file, 'precious\n');
    const r = synth(dir, ['export', 'c', '--out', 'c.csv']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('--force')]);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    expect(synth(dir, ['export', 'c', '--out', 'c.csv', '--force']).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('x\nxx\nend\n');
  });

  it('--out - writes to standard output and creates no file named "-"', () => {
    const r = synth(dir, ['export', 'c', '--out', '-']);
    expect([r.code, r.stdout]).toEqual([0, 'x\nxx\nend\n']);
    expect(existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('synth report --out follows the same rule', () => {
    // Checked before anything else about the report: the path is what is refused.
    const r = synth(dir, ['report', 'c', '--out', '.synth/catalog.json']);
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('inside a .synth/ folder')]);
  });
});
