import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthAsync } from '../support/project.js';
import { readCatalogData } from '../support/catalog.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

/**
 * `a` is quick; `slow` (downstream of `a`) blocks the event loop synchronously for SLOW_MS
 * (Atomics.wait: blocked, without burning CPU), after touching `slow.started`.
 * `other` is unrelated, for a second run.
 */
const slowDefs = (ms: number) => `
import { writeFileSync } from 'node:fs';
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', codeVersion: '1', materialize: () => Array.from({ length: 50 }, (_, i) => ({ i })) });
export const slow = asset({ name: 'slow', deps: { a }, codeVersion: '1', materialize: (_c, { a }) => {
  writeFileSync('slow.started', String(process.pid));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms});
  return a.map((r) => ({ ...r, slow: true }));
} });
export const other = asset({ name: 'other', codeVersion: String(Date.now()), materialize: () => [{ x: 1 }] });
`;

interface Catalog {
  runs: { id: string; started_at: string; finished_at: string | null; pid: number }[];
  materializations: { run_id: string; asset: string; data_hash: string | null; csv_hash: string | null }[];
}
const readCatalog = (dir: string) => readCatalogData(dir) as Catalog;

async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((r) => setTimeout(r, 50));
}

describe('locks follow liveness, not event-loop timing', () => {
  it('a run blocking its event loop for 15 s keeps its lock: gc deletes nothing of it and a second run does not overlap it', async () => {
    const dir = makeProject({ 'src/assets/index.ts': slowDefs(15_000) });
    dirs.push(dir);
    expect(synth(dir, ['status']).code).toBe(0);
    const first = synthAsync(dir, ['materialize', 'a', 'slow']);
    await until(() => existsSync(path.join(dir, 'slow.started')));
    // Past the 10 s after which the previous lock was taken for stale.
    await new Promise((r) => setTimeout(r, 11_000));
    // The heartbeat thread (started before the asset's code ran) keeps the lock file's mtime fresh while the loop is blocked.
    expect(Date.now() - statSync(path.join(dir, '.synth', 'locks', 'run.lock')).mtimeMs).toBeLessThan(9_000); // not refreshed, it would be 11 s old
    const gc = synthAsync(dir, ['gc', '--json']);
    const second = synthAsync(dir, ['materialize', 'other', '--json']);
    const [r1, rgc, r2] = await Promise.all([first.done, gc.done, second.done]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    expect(rgc.code, rgc.stderr).toBe(0);
    expect(JSON.parse(rgc.stdout).orphans).toBe(0);
    expect(r2.stderr).toContain('waiting for the project lock');

    const catalog = readCatalog(dir);
    const runs = catalog.runs.map((r) => ({ ...r, start: Date.parse(r.started_at), end: Date.parse(r.finished_at!) })).sort((x, y) => x.start - y.start);
    expect(runs).toHaveLength(2);
    expect(runs[1].start).toBeGreaterThanOrEqual(runs[0].end);
    // Every object the catalog refers to is there and whole.
    for (const m of catalog.materializations) {
      for (const h of [m.data_hash, m.csv_hash]) {
        if (!h) continue;
        const bytes = readFileSync(path.join(dir, '.synth', 'objects', h.slice(0, 2), h.slice(2)));
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(h);
      }
    }
    expect(catalog.materializations.map((m) => m.asset).sort()).toEqual(['a', 'other', 'slow']);
  });

  it('a run whose lock is taken away stops before recording anything more, and says so', async () => {
    const dir = makeProject({ 'src/assets/index.ts': slowDefs(3_000) });
    dirs.push(dir);
    expect(synth(dir, ['status']).code).toBe(0);
    const run = synthAsync(dir, ['materialize', 'slow', 'a']);
    await until(() => existsSync(path.join(dir, 'slow.started')));
    rmSync(path.join(dir, '.synth', 'locks', 'run.lock'));
    const r = await run.done;
    expect([r.code, r.stderr]).toEqual([1, expect.stringContaining('lock was taken away')]);
    expect(r.stderr).not.toMatch(/✓ slow/);
    expect(readCatalog(dir).materializations.filter((m) => m.asset === 'slow')).toHaveLength(0);
  });

  it('a lock without an owner (left by an older version or a killed process) is reported, then taken', () => {
    const dir = makeProject({ 'src/assets/index.ts': slowDefs(0) });
    dirs.push(dir);
    mkdirSync(path.join(dir, '.synth', 'locks', 'run.lock'), { recursive: true });
    const r = synth(dir, ['materialize', 'a']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/a lock left by a killed process; taking it in \d+ s/);
  });

  /** A project whose run lock was left by a run SIGKILLed in the middle of an asset. */
  async function deadHolder(): Promise<string> {
    const dir = makeProject({ 'src/assets/index.ts': slowDefs(60_000) });
    dirs.push(dir);
    const run = synthAsync(dir, ['materialize', 'slow', 'a']);
    await until(() => existsSync(path.join(dir, 'slow.started')));
    run.child.kill('SIGKILL');
    await run.done;
    return dir;
  }

  it('a lock whose holder was SIGKILLed is taken at once', async () => {
    const dir = await deadHolder();
    expect(existsSync(path.join(dir, '.synth', 'locks', 'run.lock'))).toBe(true);
    const r = synth(dir, ['materialize', 'a']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('waiting');
  });

  it("four runs racing to take a dead holder's lock: one at a time, none overlapping", async () => {
    const dir = await deadHolder();
    const racers = await Promise.all(Array.from({ length: 4 }, () => synthAsync(dir, ['materialize', 'a', '--force']).done));
    for (const r of racers) expect(r.code, r.stderr).toBe(0);
    const runs = readCatalog(dir)
      .runs.filter((r) => r.finished_at !== null)
      .map((r) => [Date.parse(r.started_at), Date.parse(r.finished_at!)] as const)
      .sort((x, y) => x[0] - y[0]);
    expect(runs).toHaveLength(4);
    for (let i = 1; i < runs.length; i++) expect(runs[i][0]).toBeGreaterThanOrEqual(runs[i - 1][1]);
  });
});
