import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson } from '../support/project.js';
import { startUi } from '../cli/ui-helpers.js';
import { readCatalogData } from '../support/catalog.js';

/** Names that are properties of every plain object: as asset names, dep keys, tag keys, groups and a schedule. */
const defs = `
import { asset, schedule } from 'synthgraph';
export const proto = asset({ name: '__proto__', codeVersion: '1', materialize: () => [{ v: 1 }, { v: 2 }] });
export const ctor = asset({ name: 'constructor', deps: { ['__proto__']: proto }, codeVersion: '1',
  materialize: (_c, i: Record<string, { v: number }[]>) => [{ n: i['__proto__'].length }] });
export const str = asset({ name: 'toString', deps: { constructor: ctor, ['__proto__']: proto }, group: 'constructor', tags: { ['__proto__']: 'x', hasOwnProperty: 'y' }, codeVersion: '1',
  materialize: (_c, i: Record<string, unknown[]>) => ({ deps: Object.keys(i).sort() }) });
export const own = asset({ name: 'hasOwnProperty', deps: { toString: str, valueOf: ctor }, codeVersion: '1', materialize: (_c, i: { toString: { deps: string[] } }) => i.toString.deps.length });
export const nightly = schedule({ name: 'constructor', cron: '0 3 * * *', select: '+hasOwnProperty' });
`;

const NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

describe('asset, dep, tag, group and schedule names that are Object.prototype properties', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject({ 'src/assets/index.ts': defs });
  });
  afterAll(() => removeProject(dir));

  it('status and graph list every asset with its real dependencies', () => {
    const st = synthJson<{ asset: string; state: string; group: string }[]>(dir, ['status']);
    expect(st.code).toBe(0);
    expect(st.json.map((s) => s.asset).sort()).toEqual([...NAMES].sort());
    expect(st.json.find((s) => s.asset === 'toString')!.group).toBe('constructor');
    const graph = synthJson<{ edges: { from: string; to: string }[] }>(dir, ['graph']);
    expect(graph.json.edges.map((e) => `${e.from}>${e.to}`).sort()).toEqual(
      ['__proto__>constructor', '__proto__>toString', 'constructor>toString', 'constructor>hasOwnProperty', 'toString>hasOwnProperty'].sort(),
    );
  });

  it('materialize runs each asset once in order, with its inputs under those keys, and records them all', () => {
    const run = synthJson<{ ok: boolean; assets: { asset: string; outcome: string }[] }>(dir, ['materialize']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.json.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['__proto__', 'materialized'],
      ['constructor', 'materialized'],
      ['toString', 'materialized'],
      ['hasOwnProperty', 'materialized'],
    ]);
    const catalog = readCatalogData(dir);
    expect(catalog.materializations.map((m: { asset: string }) => m.asset).sort()).toEqual([...NAMES].sort());
    expect(synth(dir, ['export', 'toString', '--format', 'json']).stdout).toContain('"__proto__"');
    expect(synth(dir, ['export', 'constructor', '--format', 'jsonl']).stdout.trim()).toBe('{"n":2}');
    const again = synthJson<{ assets: { outcome: string }[] }>(dir, ['materialize']);
    expect(again.json.assets.map((a) => a.outcome)).toEqual(['fresh', 'fresh', 'fresh', 'fresh']);
  });

  it('selections by name, tag and group pick exactly those assets', () => {
    const plan = (sel: string[]) => synthJson<{ assets: { asset: string }[] }>(dir, ['materialize', '--dry-run', ...sel]).json.assets.map((a) => a.asset);
    expect(plan(['+toString'])).toEqual(['__proto__', 'constructor', 'toString']);
    expect(plan(['tag:__proto__=x'])).toEqual(['toString']);
    expect(plan(['tag:hasOwnProperty'])).toEqual(['toString']);
    expect(synth(dir, ['materialize', '--dry-run', 'tag:constructor']).code).toBe(2); // no asset has that tag
    expect(plan(['group:constructor'])).toEqual(['toString']);
  });

  it('show, history, lineage, schedules and gc work on them', () => {
    for (const name of NAMES) {
      expect(synthJson<{ asset: string }>(dir, ['show', name]).json.asset).toBe(name);
      expect(synth(dir, ['history', name]).code).toBe(0);
      expect(synth(dir, ['lineage', name]).code).toBe(0);
    }
    const schedules = synth(dir, ['schedules']);
    expect([schedules.code, schedules.stdout]).toEqual([0, expect.stringContaining('constructor')]);
    expect(synthJson<{ orphans: number }>(dir, ['gc']).json.orphans).toBe(0);
    expect(synth(dir, ['verify']).code).toBe(0);
  });

  it('the UI serves them, and answers a malformed URL with 400', async () => {
    const { url, ui } = await startUi(dir);
    try {
      const graph = (await (await fetch(`${url}api/graph`)).json()) as { nodes: { asset: string }[] };
      expect(graph.nodes.map((n) => n.asset).sort()).toEqual([...NAMES].sort());
      for (const name of NAMES) {
        const res = await fetch(`${url}api/asset/${encodeURIComponent(name)}`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as { name?: string; asset?: string }).asset ?? '').toBe(name);
      }
      expect((await fetch(`${url}api/asset/%E0%A4%A`)).status).toBe(400);
    } finally {
      ui.child.kill('SIGTERM');
      await ui.done;
    }
  });

  it('names outside the allow-list are refused with exit 2', () => {
    const bad = makeProject({ 'src/assets/index.ts': "import { asset } from 'synthgraph';\nexport const a = asset({ name: 'a', group: 'has space', materialize: () => 1 });\n" });
    try {
      const r = synth(bad, ['status']);
      expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('invalid group name "has space"')]);
    } finally {
      removeProject(bad);
    }
  });
});
