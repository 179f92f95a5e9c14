import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';
import { chainDefs, runsLog } from './fixtures.js';
import { type RunJson, type StatusJson, outcomes, states } from '../support/cli-json.js';

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

function chainProject(): string {
  const dir = makeProject({ 'src/assets/index.ts': chainDefs, 'a.txt': 'x', 'a.version': '1' });
  dirs.push(dir);
  return dir;
}

const runs = (dir: string) => (existsSync(path.join(dir, 'runs.log')) ? runsLog(readFileSync(path.join(dir, 'runs.log'), 'utf8')) : []);

describe('materialize and staleness', () => {
  it('runs everything once, then reports everything fresh and runs nothing', () => {
    const dir = chainProject();
    const first = synthJson<RunJson>(dir, ['materialize']);
    expect(first.code).toBe(0);
    expect(outcomes(first.json)).toEqual({ a: 'materialized', b: 'materialized', c: 'materialized', d: 'materialized' });
    expect(first.json.assets.every((a) => /^[0-9a-f]{64}$/.test(a.cache_key) && /^[0-9a-f]{64}$/.test(a.data_hash!))).toBe(true);
    expect(runs(dir).sort()).toEqual(['a', 'b', 'c', 'd']);

    const second = synthJson<RunJson>(dir, ['materialize']);
    expect(second.code).toBe(0);
    expect(outcomes(second.json)).toEqual({ a: 'fresh', b: 'fresh', c: 'fresh', d: 'fresh' });
    expect(runs(dir)).toHaveLength(4);
    expect(states(synthJson<StatusJson[]>(dir, ['status']).json)).toEqual({ a: 'fresh', b: 'fresh', c: 'fresh', d: 'fresh' });
  });

  it('re-runs a changed asset and its downstream only, and reuses an older result when the change is reverted', () => {
    const dir = chainProject();
    synth(dir, ['materialize']);
    writeProjectFile(dir, 'a.version', '2');
    writeProjectFile(dir, 'a.txt', 'y');
    const status = states(synthJson<StatusJson[]>(dir, ['status']).json);
    expect(status).toEqual({ a: 'stale code', b: 'stale upstream:a', c: 'stale upstream:b', d: 'fresh' });

    const rerun = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(rerun.json)).toEqual({ a: 'materialized', b: 'materialized', c: 'materialized', d: 'fresh' });
    expect(runs(dir)).toEqual(expect.arrayContaining(['a', 'b', 'c']));
    expect(runs(dir)).toHaveLength(7);

    // Back to the first version: every key was materialized before, so nothing runs.
    writeProjectFile(dir, 'a.version', '1');
    writeProjectFile(dir, 'a.txt', 'x');
    const back = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(back.json)).toEqual({ a: 'cached', b: 'cached', c: 'cached', d: 'fresh' });
    expect(runs(dir)).toHaveLength(7);
  });

  it('stops at an upstream that re-ran with byte-identical output (early cut-off)', () => {
    const dir = chainProject();
    synth(dir, ['materialize']);
    writeProjectFile(dir, 'a.version', '2'); // new code, same output
    const r = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(r.json)).toEqual({ a: 'materialized', b: 'fresh', c: 'fresh', d: 'fresh' });
    expect(runs(dir).filter((n) => n === 'b')).toHaveLength(1);
  });

  it('materializes only the selection, with + for upstream and downstream', () => {
    const dir = chainProject();
    const r = synthJson<RunJson>(dir, ['materialize', 'b+']);
    // a is missing and not selected: b cannot run.
    expect(outcomes(r.json)).toEqual({ b: 'blocked', c: 'blocked' });
    expect(r.code).toBe(1);
    const r2 = synthJson<RunJson>(dir, ['materialize', '+b']);
    expect(outcomes(r2.json)).toEqual({ a: 'materialized', b: 'materialized' });
    expect(states(synthJson<StatusJson[]>(dir, ['status', 'c', 'd']).json)).toEqual({ c: 'missing', d: 'missing' });
  });

  it('--force re-runs fresh assets; --dry-run writes nothing', () => {
    const dir = chainProject();
    const plan = synthJson<{ dry_run: boolean; assets: { asset: string; action: string }[] }>(dir, ['materialize', '--dry-run']);
    expect(Object.fromEntries(plan.json.assets.map((a) => [a.asset, a.action]))).toEqual({ a: 'run', b: 'maybe', c: 'maybe', d: 'run' });
    expect(existsSync(path.join(dir, '.synth', 'catalog.json'))).toBe(false);
    expect(runs(dir)).toHaveLength(0);
    synth(dir, ['materialize']);
    const forced = synthJson<RunJson>(dir, ['materialize', 'd', '--force']);
    expect(outcomes(forced.json)).toEqual({ d: 'materialized' });
    expect(runs(dir).filter((n) => n === 'd')).toHaveLength(2);
  });

  it('a failure blocks its downstream and lets unrelated branches finish', () => {
    const dir = chainProject();
    writeProjectFile(dir, 'src/assets/index.ts', chainDefs.replace("log('b'); return", "log('b'); throw new Error('b broke'); return"));
    const r = synthJson<RunJson>(dir, ['materialize']);
    expect(r.code).toBe(1);
    expect(outcomes(r.json)).toEqual({ a: 'materialized', b: 'failed', c: 'blocked', d: 'materialized' });
    expect(r.json.assets.find((a) => a.asset === 'b')!.error).toContain('b broke');
    const status = synthJson<StatusJson[]>(dir, ['status']).json;
    expect(status.find((s) => s.asset === 'b')!.reasons).toContain('failed');
  });

  it('retries an asset that fails with a retryable error, with backoff, and records the success', () => {
    const dir = makeProject({
      'src/assets/index.ts': `
        import { existsSync, readFileSync, writeFileSync } from 'node:fs';
        import { asset, RetryableError } from 'synthgraph';
        export const flaky = asset({ name: 'flaky', retries: 3, materialize: () => {
          const n = existsSync('attempts') ? Number(readFileSync('attempts', 'utf8')) + 1 : 1;
          writeFileSync('attempts', String(n));
          if (n < 3) throw new RetryableError({ what: 'service busy (attempt ' + n + ')' });
          return { attempts: n };
        } });
        export const fragile = asset({ name: 'fragile', retries: 3, materialize: () => { throw new Error('not retryable'); } });`,
    });
    dirs.push(dir);
    const r = synthJson<RunJson>(dir, ['materialize']);
    expect(outcomes(r.json)).toEqual({ flaky: 'materialized', fragile: 'failed' });
    expect(readFileSync(path.join(dir, 'attempts'), 'utf8')).toBe('3');
    const text = synth(dir, ['materialize', 'fragile']);
    expect(text.stdout).not.toContain('retrying');
  });
});
