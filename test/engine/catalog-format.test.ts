import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCatalogData } from '../support/catalog.js';
import { makeProject, removeProject, REPO, synth, synthAsync, synthJson, TWO_ASSETS_DEFS } from '../support/project.js';

interface StatusJson {
  asset: string;
  state: string;
  data_hash: string | null;
}

const FIXTURE = path.join(REPO, 'test', 'fixtures', 'catalog-format-1');
const FIXTURE_2 = path.join(REPO, 'test', 'fixtures', 'catalog-format-2');

const defs = TWO_ASSETS_DEFS;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) removeProject(d);
});

function project(files: Record<string, string> = { 'src/assets/index.ts': defs }): string {
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
}

/** A project with `a` and `b` materialized. */
function materialized(): { dir: string; file: string; catalogDir: string } {
  const dir = project();
  expect(synth(dir, ['materialize']).code).toBe(0);
  return { dir, file: path.join(dir, '.synth', 'catalog.json'), catalogDir: path.join(dir, '.synth', 'catalog') };
}

const hashes = (dir: string) => Object.fromEntries(synthJson<StatusJson[]>(dir, ['status']).json.map((s) => [s.asset, [s.state, s.data_hash]]));

/** A project holding the format-2 fixture: its definitions, settings, catalog and objects. */
function format2Project(): string {
  const dir = project({
    'src/assets/index.ts': readFileSync(path.join(FIXTURE_2, 'definitions.ts.txt'), 'utf8'),
    'synth.config.json': readFileSync(path.join(FIXTURE_2, 'synth.config.json'), 'utf8'),
  });
  mkdirSync(path.join(dir, '.synth'));
  cpSync(path.join(FIXTURE_2, 'catalog.json'), path.join(dir, '.synth', 'catalog.json'));
  for (const sub of ['catalog', 'objects']) cpSync(path.join(FIXTURE_2, sub), path.join(dir, '.synth', sub), { recursive: true });
  return dir;
}

/** Every file under a folder with its size. */
function sizes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.set(path.join(e.parentPath, e.name), statSync(path.join(e.parentPath, e.name)).size);
  }
  return out;
}

describe('the catalog format', () => {
  it('a real format-1 catalog (one file) is read as it is by read-only commands, and split by the next run with every record kept', () => {
    const dir = project({ 'src/assets/index.ts': readFileSync(path.join(FIXTURE, 'definitions.ts.txt'), 'utf8') });
    mkdirSync(path.join(dir, '.synth'));
    cpSync(path.join(FIXTURE, 'catalog.json'), path.join(dir, '.synth', 'catalog.json'));
    cpSync(path.join(FIXTURE, 'objects'), path.join(dir, '.synth', 'objects'), { recursive: true });
    const old = JSON.parse(readFileSync(path.join(FIXTURE, 'catalog.json'), 'utf8'));
    expect(old.version).toBe(1);

    const before = hashes(dir);
    expect(before).toEqual({ a: ['fresh', old.materializations[0].data_hash], b: ['fresh', old.materializations[1].data_hash] });
    const history = synth(dir, ['history', 'a']).stdout;
    const lineage = synthJson(dir, ['lineage', 'b']).json;
    expect(readFileSync(path.join(dir, '.synth', 'catalog.json'), 'utf8')).toBe(readFileSync(path.join(FIXTURE, 'catalog.json'), 'utf8'));

    const run = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.assets.map((a) => a.outcome)).toEqual(['fresh', 'fresh']);
    expect(JSON.parse(readFileSync(path.join(dir, '.synth', 'catalog.json'), 'utf8'))).toEqual({ version: 3, layout: 'catalog/' });
    const data = readCatalogData(dir);
    expect(data.materializations).toEqual(old.materializations);
    expect(data.runs.slice(0, old.runs.length)).toEqual(old.runs);
    expect(data.runs).toHaveLength(old.runs.length + 1);
    expect(hashes(dir)).toEqual(before);
    expect(synth(dir, ['history', 'a']).stdout).toBe(history);
    expect(synthJson(dir, ['lineage', 'b']).json).toEqual(lineage);
    expect(synth(dir, ['verify']).code).toBe(0);
  });

  it('a real format-2 catalog (state.json of whole records) is read as it is by read-only commands, and rewritten as state.jsonl by the next run with every record kept', () => {
    const dir = format2Project();
    const synthDir = path.join(dir, '.synth');
    const catalogDir = path.join(synthDir, 'catalog');
    const files = [sizes(catalogDir), readFileSync(path.join(synthDir, 'catalog.json'), 'utf8')];
    const status = synthJson<(StatusJson & { reasons: string[] })[]>(dir, ['status']).json;
    expect(status.map((s) => [s.asset, s.state, s.reasons])).toEqual([
      ['a', 'fresh', []],
      ['b', 'fresh', []],
      ['c', 'stale', ['code', 'failed']],
    ]);
    const before = readCatalogData(dir);
    const history = synth(dir, ['history', 'c']).stdout;
    const lineage = synthJson(dir, ['lineage', 'b']).json;
    const shown = synthJson(dir, ['show', 'c']).json;
    expect([sizes(catalogDir), readFileSync(path.join(synthDir, 'catalog.json'), 'utf8')]).toEqual(files); // read-only commands wrote nothing

    const run = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize', 'a', 'b']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.assets.map((a) => a.outcome)).toEqual(['fresh', 'fresh']);
    expect(JSON.parse(readFileSync(path.join(synthDir, 'catalog.json'), 'utf8'))).toEqual({ version: 3, layout: 'catalog/' });
    expect(readdirSync(catalogDir).sort()).toEqual(['materializations', 'runs', 'runs.json', 'state.jsonl']);
    const after = readCatalogData(dir);
    expect(after.materializations).toEqual(before.materializations);
    expect(after.runs.slice(0, before.runs.length)).toEqual(before.runs);
    expect(after.runs).toHaveLength(before.runs.length + 1);
    expect(synthJson(dir, ['status']).json).toEqual(status);
    expect(synth(dir, ['history', 'c']).stdout).toBe(history);
    expect(synthJson(dir, ['lineage', 'b']).json).toEqual(lineage);
    expect(synthJson(dir, ['show', 'c']).json).toEqual(shown);
    expect(synth(dir, ['verify']).code).toBe(0);
  });

  it('a run killed while upgrading a format-2 catalog leaves it readable: state.json stays in charge until the new marker is written', () => {
    const dir = format2Project();
    const catalogDir = path.join(dir, '.synth', 'catalog');
    const status = synthJson(dir, ['status']).json;
    // Killed after writing state.jsonl (here: one that no longer matches), before the marker.
    writeFileSync(path.join(catalogDir, 'state.jsonl'), '{"version":3,"position":{"segment":1,"offset":0},"assets":[]}\n');
    expect(synthJson(dir, ['status']).json).toEqual(status);
    expect(synth(dir, ['materialize', 'a', 'b']).code).toBe(0);
    expect(synthJson(dir, ['status']).json).toEqual(status);
    // Killed after the marker, before state.json was removed: the new state is in charge, and the old file goes at the next compaction.
    const dir2 = format2Project();
    expect(synth(dir2, ['materialize', 'a', 'b']).code).toBe(0);
    cpSync(path.join(FIXTURE_2, 'catalog', 'state.json'), path.join(dir2, '.synth', 'catalog', 'state.json'));
    expect(synthJson(dir2, ['status']).json).toEqual(status);
    expect(readCatalogData(dir2).materializations).toEqual(readCatalogData(dir).materializations.slice(0, readCatalogData(dir2).materializations.length));
  });

  it('a damaged state.jsonl is exit 2 naming the file and what is wrong: its index line at once, a record line when that record is read', () => {
    const dir = format2Project();
    expect(synth(dir, ['materialize', 'a', 'b']).code).toBe(0); // writes state.jsonl, with every record
    const stateFile = path.join(dir, '.synth', 'catalog', 'state.jsonl');
    const text = readFileSync(stateFile, 'utf8');
    const [index, ...records] = text.split('\n');
    const parsed = JSON.parse(index) as { records: { asset: string[]; at: number[]; bytes: unknown[] } };
    const ia = parsed.records.asset.indexOf('a');
    const a = { at: parsed.records.at[ia] };
    // A record line of the wrong shape: a no-op run does not read it; `show` does, and says where it is.
    const damagedRecords = [...records];
    const i = records.findIndex((r) => r.includes('"asset":"a"'));
    damagedRecords[i] = damagedRecords[i].replace('"warnings":[]', '"warnings":{}'); // same length: the other records stay where the index says
    writeFileSync(stateFile, [index, ...damagedRecords].join('\n'));
    const noop = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize', 'a', 'b']);
    expect(noop.code, noop.stderr).toBe(0);
    expect(noop.json.assets.map((x) => x.outcome)).toEqual(['fresh', 'fresh']);
    const shown = synth(dir, ['show', 'a']);
    expect(shown.code).toBe(2);
    expect(shown.stderr).toContain('state.jsonl is damaged');
    expect(shown.stderr).toContain(`the record at byte ${Buffer.byteLength(index) + 1 + a.at}: warnings`);
    expect(shown.stderr).not.toMatch(/\s+at .*:\d+:\d+/);
    // The index line: checked by every command.
    parsed.records.bytes[ia] = 'many';
    writeFileSync(stateFile, [JSON.stringify(parsed), ...records].join('\n'));
    const st = synth(dir, ['status']);
    expect(st.code).toBe(2);
    expect(st.stderr).toMatch(/state\.jsonl is damaged/);
    expect(st.stderr).toContain(`records.bytes[${ia}]`);
  });

  it('fields this release does not know are kept when a format-1 catalog is split', () => {
    const { dir, file } = materialized();
    const v1 = { ...readCatalogData(dir), version: 1 };
    (v1.materializations[0] as Record<string, unknown>).added_later = { note: 'kept' };
    writeFileSync(file, JSON.stringify(v1));
    expect(synth(dir, ['materialize', '--force']).code).toBe(0);
    const after = readCatalogData(dir);
    expect((after.materializations[0] as Record<string, unknown>).added_later).toEqual({ note: 'kept' });
    expect(after.materializations.length).toBe(v1.materializations.length + 2);
  });

  it('a catalog written by a newer synthgraph is exit 2 saying to upgrade, and is left untouched', () => {
    const { dir, file, catalogDir } = materialized();
    const newer = { version: 4, layout: 'catalog/' };
    writeFileSync(file, JSON.stringify(newer));
    const files = sizes(catalogDir);
    for (const args of [['status'], ['materialize']]) {
      const r = synth(dir, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/written by a newer synthgraph \(catalog format 4; this one reads formats up to 3\)/);
      expect(r.stderr).toMatch(/upgrade synthgraph/);
      expect(r.stderr).not.toMatch(/\s+at .*:\d+:\d+/); // no stack trace
    }
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(newer);
    expect(sizes(catalogDir)).toEqual(files);

    // The state file has its own version, checked the same way.
    writeFileSync(file, JSON.stringify({ version: 3, layout: 'catalog/' }));
    const stateFile = path.join(catalogDir, 'state.jsonl');
    const [index, ...records] = readFileSync(stateFile, 'utf8').split('\n');
    writeFileSync(stateFile, [JSON.stringify({ ...JSON.parse(index), version: 4 }), ...records].join('\n'));
    expect(synth(dir, ['status']).stderr).toMatch(/state\.jsonl was written by a newer synthgraph \(catalog format 4/);
  });

  it('a record of the wrong shape is exit 2 naming the file, the record and the field', () => {
    const { dir, file, catalogDir } = materialized();
    const segment = path.join(catalogDir, 'materializations', '00000001.jsonl');
    const lines = readFileSync(segment, 'utf8').split('\n');
    const second = JSON.parse(lines[1]);
    second.data_hash = 42;
    const at = Buffer.byteLength(lines[0]) + 1;
    writeFileSync(segment, [lines[0], JSON.stringify(second), ...lines.slice(2)].join('\n'));
    const r = synth(dir, ['history', 'b']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('00000001.jsonl is damaged');
    expect(r.stderr).toContain(`the record at byte ${at}: data_hash`);
    expect(r.stderr).toContain('move it away to start a new catalog');

    writeFileSync(file, JSON.stringify({ version: 'one', layout: 'catalog/' }));
    expect(synth(dir, ['status']).stderr).toContain('Its "version" is "one", not a catalog format number.');
    writeFileSync(file, '[]');
    expect(synth(dir, ['status']).code).toBe(2);
  });

  it('a no-op run appends its run records and rewrites only the small runs.json, however many assets', () => {
    const many = `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < 300; i++) all['a' + i] = asset({ name: 'a' + i, codeVersion: '1', deps: i ? { up: all['a' + (i - 1)] as never } : {}, materialize: () => ({ i }) });
export const assets = all;
`;
    const dir = project({ 'src/assets/index.ts': many });
    expect(synth(dir, ['materialize']).code).toBe(0);
    const catalogDir = path.join(dir, '.synth', 'catalog');
    const state = statSync(path.join(catalogDir, 'state.jsonl'), { bigint: true });
    const before = sizes(catalogDir);
    const run = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize']);
    expect(run.json.assets.every((a) => a.outcome === 'fresh')).toBe(true);
    const after = sizes(catalogDir);
    const grown = [...after].filter(([f, n]) => before.get(f) !== n).map(([f]) => path.relative(catalogDir, f));
    expect(grown.sort()).toEqual(['runs/00000001.jsonl']);
    const written = after.get(path.join(catalogDir, 'runs', '00000001.jsonl'))! - before.get(path.join(catalogDir, 'runs', '00000001.jsonl'))!;
    // Two records of one run (started, finished): the selection of 300 names is kept to its first 100.
    expect(written).toBeLessThan(4096);
    const again = statSync(path.join(catalogDir, 'state.jsonl'), { bigint: true });
    expect([again.ino, again.mtimeNs]).toEqual([state.ino, state.mtimeNs]);
    const last = readCatalogData(dir).runs.at(-1)!;
    expect(last.selection).toHaveLength(100);
    expect(last.selection_size).toBe(300);
  });

  it('a history line cut short by a killed writer is skipped, and the next run appends after it', () => {
    const { dir, catalogDir } = materialized();
    const segment = path.join(catalogDir, 'materializations', '00000001.jsonl');
    expect(synth(dir, ['materialize', '--force', 'b']).code).toBe(0);
    const full = statSync(segment).size;
    truncateSync(segment, full - 40); // the last record (b, forced) half written
    const st = synthJson<StatusJson[]>(dir, ['status']);
    expect(st.code).toBe(0);
    expect(st.json.map((s) => s.state)).toEqual(['fresh', 'fresh']);
    expect(readCatalogData(dir).materializations).toHaveLength(2);
    expect(synth(dir, ['materialize', '--force', 'b']).code).toBe(0);
    const data = readCatalogData(dir);
    expect(data.materializations.map((m) => m.asset)).toEqual(['a', 'b', 'b']);
    expect(synth(dir, ['verify']).code).toBe(0);
  });

  it('runs killed with SIGKILL while appending and compacting leave a catalog every command reads, and the next run completes', async () => {
    const many = `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < 800; i++) all['a' + i] = asset({ name: 'a' + i, codeVersion: '1', deps: i % 50 ? { up: all['a' + (i - 1)] as never } : {}, materialize: async () => { await new Promise((r) => setTimeout(r, 1)); return { i }; } });
export const assets = all;
`;
    // Small segments: kills land during segment roll-overs and state compactions too.
    const dir = project({ 'src/assets/index.ts': many, 'synth.config.json': JSON.stringify({ catalog: { segmentBytes: 65536 } }) });
    synth(dir, ['status']);
    // Killed once this many assets were announced (each announcement follows a batch append), plus a few ms.
    for (const [i, finished] of [1, 150, 350, 600].entries()) {
      const run = synthAsync(dir, ['materialize', '--force']);
      let exited = false;
      void run.done.then(() => (exited = true));
      while (!exited && (run.output().stdout.match(/✓/g)?.length ?? 0) < finished) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, i * 7));
      run.child.kill('SIGKILL');
      await run.done;
      const st = synthJson<StatusJson[]>(dir, ['status']);
      expect(st.code, st.stderr).toBe(0);
      const data = readCatalogData(dir);
      expect(new Set(data.materializations.map((m) => m.id)).size).toBe(data.materializations.length);
      // What status reads (state + tail) agrees with the history.
      const latest = new Map(data.materializations.filter((m) => m.status === 'success').map((m) => [m.asset, m.data_hash]));
      for (const s of st.json) expect(s.data_hash).toBe(latest.get(s.asset) ?? null);
    }
    expect(readdirSync(path.join(dir, '.synth', 'catalog', 'materializations')).length).toBeGreaterThan(1);
    const final = synthJson<{ ok: boolean }>(dir, ['materialize']);
    expect(final.code, final.stderr).toBe(0);
    expect(final.json.ok).toBe(true);
    // A kill during a state or runs.json write leaves at most its temporary file, which gc removes.
    expect(synthJson<{ temporary: number }>(dir, ['gc']).code).toBe(0);
    expect(synth(dir, ['verify']).code).toBe(0);
    expect(Object.values(hashes(dir)).every(([state]) => state === 'fresh')).toBe(true);
  }, 600_000);

  it('retention removes history segments older than the settings, keeping every current value', () => {
    const dir = project({ 'src/assets/index.ts': defs, 'synth.config.json': JSON.stringify({ catalog: { segmentBytes: 1024, runsDays: 1, materializationsDays: 1 } }) });
    for (let i = 0; i < 6; i++) expect(synth(dir, ['materialize', '--force']).code).toBe(0);
    const catalogDir = path.join(dir, '.synth', 'catalog');
    const segs = (kind: string) => readdirSync(path.join(catalogDir, kind)).sort();
    expect(segs('materializations').length).toBeGreaterThan(2);
    expect(segs('runs').length).toBeGreaterThan(2);
    const before = hashes(dir);
    const old = Date.now() / 1000 - 3 * 86_400;
    for (const kind of ['materializations', 'runs']) for (const f of segs(kind)) utimesSync(path.join(catalogDir, kind, f), old, old);
    expect(synth(dir, ['materialize', '--force']).code).toBe(0);
    expect(segs('runs').length).toBeLessThanOrEqual(2);
    expect(segs('materializations').length).toBeLessThanOrEqual(2);
    const data = readCatalogData(dir);
    expect(data.materializations.length).toBeLessThan(14);
    expect(data.runs.length).toBeLessThan(7);
    const after = hashes(dir);
    expect(Object.values(after).every(([state]) => state === 'fresh')).toBe(true);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    // Objects only removed records referred to are garbage now; every current value stays.
    expect(synth(dir, ['gc']).code).toBe(0);
    expect(synth(dir, ['verify']).code).toBe(0);
    expect(synth(dir, ['export', 'b', '--format', 'json']).code).toBe(0);
  });
});
