import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outcomes, type RunJson, type StatusJson, states } from '../support/cli-json.js';
import { readCatalogData } from '../support/catalog.js';
import { makeProject, readProjectFile, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

// `synth status` answers from `.synth/cache/status.json` while nothing it depends on changed, and
// computes in full otherwise. Whether the definitions were evaluated is seen through the
// definitions themselves: they append a line to loads.log each time they run.

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

const DEFS = `
import { appendFileSync } from 'node:fs';
import { asset, source } from 'synthgraph';
appendFileSync('loads.log', 'loaded\\n');
const factor = Number(process.env.SNAP_FACTOR ?? 2);
export const raw = source({ name: 'raw', file: 'data/raw.csv' });
export const scaled = asset({ name: 'scaled', deps: { raw }, codeVersion: String(factor), materialize: (_ctx, { raw }) => raw.map((r) => ({ v: Number(r.v) * factor })) });
export const total = asset({ name: 'total', deps: { scaled }, codeVersion: '1', materialize: (_ctx, { scaled }) => [{ sum: scaled.reduce((s, r) => s + r.v, 0) }] });
`;

function project(defs = DEFS): string {
  const dir = makeProject({ 'src/assets/index.ts': defs, 'data/raw.csv': 'v\n1\n2\n3\n' });
  dirs.push(dir);
  return dir;
}

const loads = (dir: string): number => {
  try {
    return readFileSync(path.join(dir, 'loads.log'), 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
};

/** `synth status --json` as `{ asset: "state reasons" }`, and whether it loaded the definitions to answer. */
function status(dir: string, args: string[] = [], env: Record<string, string> = {}): { states: Record<string, string>; loaded: boolean } {
  const before = loads(dir);
  const r = synthJson<StatusJson[]>(dir, ['status', ...args], env);
  expect(r.code, r.stderr).toBe(0);
  return { states: states(r.json), loaded: loads(dir) > before };
}

const MISSING = { raw: 'missing', scaled: 'missing upstream:raw', total: 'missing upstream:scaled' };

describe('synth status reuses its last computation while nothing it depends on changed', () => {
  it('reuses it, with the same answer, in JSON and as a table, for all assets or named ones', () => {
    const dir = project();
    const first = status(dir);
    expect(first).toEqual({ loaded: true, states: MISSING });
    expect(status(dir)).toEqual({ ...first, loaded: false });
    expect(status(dir, ['total', 'raw'])).toEqual({ loaded: false, states: { raw: MISSING.raw, total: MISSING.total } });
    // A selection that needs the graph is computed in full.
    expect(status(dir, ['+total']).loaded).toBe(true);

    expect(synth(dir, ['materialize']).code).toBe(0);
    const table = (args: string[]): string => {
      const r = synth(dir, ['status', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.replace(/\d+s ago/g, 'AGO');
    };
    const full = table(['--reload']);
    const n = loads(dir);
    expect(full).toMatch(/total\s+asset\s+fresh/);
    expect(table([])).toBe(full);
    expect(loads(dir)).toBe(n);
  });

  it('computes in full after a definition change, an environment variable the definitions read, a run that left no snapshot, or --reload', () => {
    const dir = project();
    expect(synth(dir, ['materialize']).code).toBe(0);
    // The run made the snapshot of the status after it, while it had the definitions loaded.
    expect(status(dir)).toEqual({ loaded: false, states: { raw: 'fresh', scaled: 'fresh', total: 'fresh' } });

    // An environment variable the definitions read: its value is part of the fingerprint.
    expect(status(dir, [], { SNAP_FACTOR: '3' })).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'stale code', total: 'stale upstream:scaled' } });
    expect(status(dir, [], { SNAP_FACTOR: '3' }).loaded).toBe(false);
    // One it does not read changes nothing.
    expect(status(dir, [], { SNAP_FACTOR: '3', UNRELATED: 'x' }).loaded).toBe(false);
    expect(status(dir, [], { SNAP_FACTOR: '2' })).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'fresh', total: 'fresh' } });

    // A definition changed; then a run records something: a snapshot from before it is not reused.
    writeProjectFile(dir, 'src/assets/index.ts', DEFS.replace("codeVersion: '1'", "codeVersion: '2'"));
    expect(status(dir)).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'fresh', total: 'stale code' } });
    const snapshot = path.join(dir, '.synth', 'cache', 'status.json');
    const before = readFileSync(snapshot);
    expect(synth(dir, ['materialize', 'total']).code).toBe(0);
    writeFileSync(snapshot, before); // as if the run had left none (another process's, an older synthgraph)
    expect(status(dir)).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'fresh', total: 'fresh' } });
    expect(status(dir, ['--reload']).loaded).toBe(true);
    expect(status(dir).loaded).toBe(false);
  });

  it('re-checks what changes outside the definitions and the catalog: observed files and stored objects', () => {
    const dir = project();
    expect(synth(dir, ['materialize']).code).toBe(0);
    status(dir);
    expect(status(dir).loaded).toBe(false);

    writeProjectFile(dir, 'data/raw.csv', 'v\n1\n2\n4\n');
    expect(status(dir)).toEqual({ loaded: true, states: { raw: 'stale data', scaled: 'stale upstream:raw', total: 'stale upstream:scaled' } });
    writeProjectFile(dir, 'data/raw.csv', 'v\n1\n2\n3\n');
    expect(status(dir).states.raw).toBe('fresh');

    const hash = synthJson<StatusJson[]>(dir, ['status', 'scaled']).json[0].data_hash!;
    rmSync(path.join(dir, '.synth', 'objects', hash.slice(0, 2), hash.slice(2)));
    expect(status(dir)).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'stale object-missing', total: 'stale upstream:scaled' } });
    expect(status(dir).loaded).toBe(false); // still missing: the snapshot says so, and agrees with the store
    expect(synth(dir, ['materialize']).code).toBe(0);
    expect(status(dir)).toEqual({ loaded: false, states: { raw: 'fresh', scaled: 'fresh', total: 'fresh' } });
  });

  it('computes in full when a file the definitions read themselves changed', () => {
    const dir = project(
      DEFS.replace("import { appendFileSync } from 'node:fs';", "import { appendFileSync, readFileSync } from 'node:fs';").replace(
        'Number(process.env.SNAP_FACTOR ?? 2)',
        "JSON.parse(readFileSync('settings.json', 'utf8')).factor",
      ),
    );
    writeProjectFile(dir, 'settings.json', '{"factor": 2}');
    expect(synth(dir, ['materialize']).code).toBe(0);
    status(dir);
    expect(status(dir)).toEqual({ loaded: false, states: { raw: 'fresh', scaled: 'fresh', total: 'fresh' } });
    writeProjectFile(dir, 'settings.json', '{"factor": 5}');
    expect(status(dir)).toEqual({ loaded: true, states: { raw: 'fresh', scaled: 'stale code', total: 'stale upstream:scaled' } });
    expect(status(dir).loaded).toBe(false);
  });

  it('keeps no snapshot for definitions that read the clock, a random source, another program or the network while loading', () => {
    for (const code of [
      "execFileSync('git', ['--version'], { encoding: 'utf8' })",
      "String(typeof (await fetch('http://127.0.0.1:9').catch(() => null)))",
      'String(Date.now())',
      'String(new Date().getDay())',
      'String(Math.random())',
      'crypto.randomUUID()',
      'String(process.hrtime.bigint())',
      'String(process.uptime())',
    ]) {
      const defs = DEFS.replace("codeVersion: '1'", `codeVersion: ${code}`).replace(
        "import { appendFileSync } from 'node:fs';",
        "import { appendFileSync } from 'node:fs';\nimport { execFileSync } from 'node:child_process';",
      );
      const dir = project(defs);
      expect(synth(dir, ['materialize']).code, code).toBe(0);
      for (let i = 0; i < 2; i++) expect(status(dir).loaded, code).toBe(true);
      expect(existsSync(path.join(dir, '.synth', 'cache', 'status.json')), code).toBe(false);
    }
  });

  it('stops trusting definitions that say something else on each load by means no recording sees (here: the CPU time used so far)', () => {
    const dir = project(DEFS.replace("codeVersion: '1'", 'codeVersion: String(process.cpuUsage().user)'));
    expect(synth(dir, ['materialize']).code).toBe(0);
    // The snapshot the run made is reused, by status and by a no-op run: nothing tells the definitions apart yet.
    expect(status(dir).loaded).toBe(false);
    expect(synth(dir, ['materialize']).code).toBe(0);
    expect(status(dir).loaded).toBe(false);
    // The next load (here --reload; also any run with something to do) gives another description under the same fingerprint.
    expect(status(dir, ['--reload']).loaded).toBe(true);
    for (let i = 0; i < 2; i++) expect(status(dir).loaded).toBe(true);
    expect(JSON.parse(readProjectFile(dir, '.synth/cache/status.json').split('\n')[0]).volatile).toBe(true);
  });

  it('a damaged or foreign snapshot is ignored and replaced, never shown', () => {
    const dir = project();
    status(dir);
    const file = path.join(dir, '.synth', 'cache', 'status.json');
    const [head] = readFileSync(file, 'utf8').split('\n');
    const forged = [`${head}\n[{"asset":"forged"}]`, `${head.replace(/"format":\d+/, '"format":99')}\n[]`, `${head}\n[`, '{"format":2,', '[]'];
    for (const text of forged) {
      writeFileSync(file, text);
      expect(status(dir)).toEqual({ loaded: true, states: MISSING });
    }
    expect(status(dir).loaded).toBe(false);
  });

  it('is not kept for definitions that import a package linked from outside node_modules (its sources change unseen)', () => {
    const dir = project(
      DEFS.replace("import { asset, source } from 'synthgraph';", "import { asset, source } from 'synthgraph';\nimport { two } from 'linked-helper';").replace('?? 2', '?? two'),
    );
    const pkg = path.join(dir, 'linked-helper');
    writeProjectFile(dir, 'linked-helper/package.json', JSON.stringify({ name: 'linked-helper', type: 'module', main: 'index.js' }));
    writeProjectFile(dir, 'linked-helper/index.js', 'export const two = 2;\n');
    // A workspace or `npm link`: node_modules holds a link to a folder outside it.
    writeProjectFile(dir, 'node_modules/.keep', '');
    rmSync(path.join(dir, 'node_modules', 'linked-helper'), { force: true });
    symlinkSync(pkg, path.join(dir, 'node_modules', 'linked-helper'));
    expect(status(dir).loaded).toBe(true);
    expect(status(dir).loaded).toBe(true);
  });
});

describe('a no-op synth materialize answered from the status snapshot', () => {
  /** `synth materialize --json [args]`: its document, and whether it loaded the definitions. */
  function materialize(dir: string, args: string[] = []): { run: RunJson; loaded: boolean } {
    const before = loads(dir);
    const r = synthJson<RunJson>(dir, ['materialize', ...args]);
    expect(r.code, r.stderr).toBe(0);
    return { run: r.json, loaded: loads(dir) > before };
  }
  const withoutRunId = (run: RunJson) => ({ ...run, run_id: 'RUN' });

  it('records and reports the run as the full path does, without loading the definitions', () => {
    const dir = project();
    expect(materialize(dir).loaded).toBe(true);
    // No snapshot: the no-op is computed from the definitions.
    rmSync(path.join(dir, '.synth', 'cache', 'status.json'));
    const full = materialize(dir);
    expect(full.loaded).toBe(true);
    expect(outcomes(full.run)).toEqual({ raw: 'fresh', scaled: 'fresh', total: 'fresh' });
    status(dir);
    const fast = materialize(dir);
    expect(fast.loaded).toBe(false);
    expect(withoutRunId(fast.run)).toEqual(withoutRunId(full.run));
    expect(fast.run.run_id).not.toBe(full.run.run_id);
    // Recorded like any run: finished, ok, its counts.
    const recorded = readCatalogData(dir).runs.find((r) => r.id === fast.run.run_id);
    expect(recorded).toMatchObject({ ok: true, counts: { fresh: 3, materialized: 0 }, selection: ['raw', 'scaled', 'total'] });
    expect(recorded?.finished_at).not.toBeNull();
    // Named assets too; the human view and --events say the same as the full path.
    expect(materialize(dir, ['total']).run.assets.map((a) => a.asset)).toEqual(['total']);
    const human = synth(dir, ['materialize']);
    expect(human.stdout).toMatch(/ok: 3 fresh \(run run_\w+\)/);
    const lines = synth(dir, ['materialize', '--events'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string });
    expect(lines.map((l) => l.event)).toEqual(['run-started', 'asset-finished', 'asset-finished', 'asset-finished', 'run-finished', 'result']);
  });

  it('goes the usual way when something has to run, or a flag or setting asks for more than recording', () => {
    const dir = project();
    expect(materialize(dir).loaded).toBe(true);
    expect(materialize(dir).loaded).toBe(false);
    for (const args of [['--force'], ['--seed', '3'], ['--dry-run'], ['+total']]) expect(synth(dir, ['materialize', ...args, '--json']).code, args.join(' ')).toBe(0);
    // Each of those loaded the definitions (4 loads: the dry run, the forced, the seeded and the graph selection).
    writeProjectFile(dir, 'data/raw.csv', 'v\n1\n2\n5\n');
    const changed = materialize(dir);
    expect(changed.loaded).toBe(true);
    expect(outcomes(changed.run)).toEqual({ raw: 'materialized', scaled: 'materialized', total: 'materialized' });
    expect(materialize(dir).loaded).toBe(false);
    // MLflow lineage on: a run delivers pending events, so it goes the usual way (here to a closed port).
    writeProjectFile(dir, 'synth.config.json', JSON.stringify({ mlflow: { trackingUri: 'http://127.0.0.1:9', deliveryTimeoutMs: 2000 } }));
    expect(materialize(dir).loaded).toBe(true);
  });

  it('is never taken for definitions that read the clock', () => {
    const dir = project(DEFS.replace("codeVersion: '1'", 'codeVersion: String(Math.floor(Date.now() / 86_400_000))'));
    expect(materialize(dir).loaded).toBe(true);
    expect(materialize(dir).loaded).toBe(true);
  });
});
