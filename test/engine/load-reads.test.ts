import { execFileSync } from 'node:child_process';
import fs, { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordVolatileReads } from '../../src/engine/volatile-reads.js';
import { recordEnvReads } from '../../src/engine/env-reads.js';
import { recordFileReads } from '../../src/engine/file-reads.js';

// What loading definitions looked at (see the status snapshot): real process.env, real files.

const dir = mkdtempSync(path.join(tmpdir(), 'synth-load-reads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('recording what loading definitions reads', () => {
  it('names the environment variables read, notes enumeration, and puts the real environment back after overlapping recordings', async () => {
    const env = process.env;
    process.env.SYNTH_TEST_A = '1';
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const outer = recordEnvReads(async () => {
      void process.env.SYNTH_TEST_A;
      await gate;
      return 'outer';
    });
    const inner = await recordEnvReads(async () => {
      void ('SYNTH_TEST_B' in process.env);
      return Object.keys(process.env).length;
    });
    release();
    const done = await outer;
    // Enumerating reads every variable (Object.keys asks each one's descriptor): `all` says so.
    expect(inner.reads.all).toBe(true);
    expect(inner.reads.names).toContain('SYNTH_TEST_B');
    expect(done.reads.all).toBe(true);
    expect(done.reads.names).toEqual(expect.arrayContaining(['SYNTH_TEST_A', 'SYNTH_TEST_B']));
    expect(process.env).toBe(env);
    const plain = await recordEnvReads(async () => process.env.SYNTH_TEST_C ?? process.env.SYNTH_TEST_A);
    expect(plain).toEqual({ value: '1', reads: { names: ['SYNTH_TEST_A', 'SYNTH_TEST_C'], all: false } });
    process.env.SYNTH_TEST_WRITTEN = 'x'; // writes still reach the real environment
    expect(env.SYNTH_TEST_WRITTEN).toBe('x');
    delete process.env.SYNTH_TEST_A;
    delete process.env.SYNTH_TEST_WRITTEN;
  });

  it('names the files read, listed or checked, through the module object and named imports, and unpatches node:fs', async () => {
    const original = fs.readFileSync;
    const settings = path.join(dir, 'settings.json');
    const ignored = path.join(dir, 'state');
    writeFileSync(settings, '{}');
    const { value, files } = await recordFileReads(async () => {
      readFileSync(settings, 'utf8');
      fs.existsSync(path.join(dir, 'absent.txt'));
      fs.readdirSync(dir);
      fs.existsSync(path.join(ignored, 'x'));
      fs.existsSync(path.join(dir, 'node_modules', 'pkg', 'package.json'));
      await fs.promises.stat(new URL(`file://${settings}`));
      return 42;
    }, [ignored]);
    expect(value).toBe(42);
    expect(files).toEqual([dir, path.join(dir, 'absent.txt'), settings].sort());
    expect(fs.readFileSync).toBe(original);
  });

  it('notes reads of the clock, random sources, other programs and the network, not dates built from a value, and puts every global back', async () => {
    const [RealDate, now, random, hrtime] = [Date, Date.now, Math.random, process.hrtime];
    const quiet = await recordVolatileReads(async () => [new Date(0).toISOString(), Date.UTC(2026, 0, 1), JSON.stringify({ a: 1 })]);
    expect(quiet).toEqual({ value: ['1970-01-01T00:00:00.000Z', 1767225600000, '{"a":1}'], read: false });
    for (const read of [
      () => Date.now(),
      () => new Date(),
      () => Math.random(),
      () => performance.now(),
      () => process.hrtime.bigint(),
      () => crypto.randomUUID(),
      () => execFileSync('true'),
      () => fetch('http://127.0.0.1:9').catch(() => 0),
    ]) {
      expect((await recordVolatileReads(async () => read())).read, String(read)).toBe(true);
    }
    expect([Date, Date.now, Math.random, process.hrtime]).toEqual([RealDate, now, random, hrtime]);
    expect(typeof process.hrtime.bigint()).toBe('bigint');
    expect(new Date(5) instanceof Date).toBe(true);
  });
});
