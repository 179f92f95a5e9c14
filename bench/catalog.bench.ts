/**
 * The catalog's cost against the size of the graph and of the history: whole-process `synth status
 * --json` and no-op `synth materialize --json` on 1,000 / 10,000 / 30,000 trivial assets (min /
 * median / max over 5 fresh processes each), the bytes a no-op run writes, and the same commands
 * after 500,000 recorded runs (a daemon firing every minute for a year), simulated by appending
 * run records to the history segments exactly as runs write them. In process: reading the state
 * (what every command reads) and the whole history (what `history`, `lineage`, `gc` read).
 *
 * Cold / warm: every figure is a fresh process (nothing kept in memory: "cold" for the process),
 * with the definitions already compiled and the files in the page cache ("warm" for the disk).
 * `npm run bench -- catalog`; `SYNTH_BENCH_SIZES=1000,10000` to skip the 30,000-asset graph;
 * `SYNTH_BENCH_BIN=/path/to/other/bin/synth.mjs` to measure another build (the "before" figures:
 * a release with the one-file catalog gets its simulated runs added to that file).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { Catalog } from '../src/engine/catalog.js';
import { makeProject, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';
import { timeSynthRuns } from './fresh-process.js';

export const title = 'Catalog: status and no-op materialize against graph size and history (500,000 runs)';

const RUNS = 5;
const BIN = process.env.SYNTH_BENCH_BIN ?? SYNTH;
const SIMULATED_RUNS = 500_000;

function stats(xs: number[], unit: (x: number) => string): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${unit(s[0])} / ${unit(s[Math.floor(s.length / 2)])} / ${unit(s[s.length - 1])}`;
}

const ms = (x: number) => `${x.toFixed(1)} ms`;

/** Wall and CPU (user + system) of `RUNS` fresh processes, min / median / max each. */
function processTimes(dir: string, args: string[]): string {
  const t = timeSynthRuns(BIN, dir, args, RUNS);
  return `${t.wall} wall, ${t.cpu} CPU`;
}

function run(dir: string, args: string[]): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed: ${r.stderr}`);
}

function inProcess(fn: () => void, runs = 7): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    out.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return out;
}

function bytesUnder(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(path.join(e.parentPath, e.name)).size;
  return n;
}

/** Appends `count` finished daemon runs (start and finish records, as the executor writes them) to the runs history. */
export function simulateRuns(stateDir: string, count: number): number {
  const whole = path.join(stateDir, 'catalog.json');
  const data = JSON.parse(readFileSync(whole, 'utf8')) as { runs?: unknown[] };
  if (data.runs) {
    // The one-file catalog of earlier releases: the runs are in it.
    const started = Date.now() - count * 60_000;
    for (let i = 0; i < count; i++) data.runs.push(simulatedRun(i, new Date(started + i * 60_000).toISOString()));
    writeFileSync(whole, JSON.stringify(data));
    return statSync(whole).size;
  }
  const dir = path.join(stateDir, 'catalog', 'runs');
  mkdirSync(dir, { recursive: true });
  const existing = readdirSync(dir).sort();
  let segment = existing.length ? Number(existing.at(-1)!.slice(0, 8)) + 1 : 1;
  const started = Date.now() - count * 60_000;
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    appendFileSync(path.join(dir, `${String(segment).padStart(8, '0')}.jsonl`), chunk.join(''));
    size += chunk.reduce((a, l) => a + l.length, 0);
    chunk = [];
    if (size >= 8 * 1024 * 1024) {
      segment++;
      size = 0;
    }
  };
  for (let i = 0; i < count; i++) {
    const at = new Date(started + i * 60_000).toISOString();
    const run = simulatedRun(i, at);
    chunk.push(JSON.stringify({ ...run, finished_at: null, ok: null, counts: {} }) + '\n');
    chunk.push(JSON.stringify(run) + '\n');
    if (chunk.length >= 20_000) flush();
  }
  if (chunk.length) flush();
  return bytesUnder(dir);
}

/** A finished no-op daemon run, as the executor records it. */
function simulatedRun(i: number, at: string) {
  return {
    id: `run_sim${i.toString(36).padStart(9, '0')}`,
    started_at: at,
    finished_at: at,
    pid: 1000 + (i % 30000),
    host: hostname(),
    trigger: 'schedule:every-minute',
    selection: ['a0', 'a1', 'a2', 'a3', 'a4'],
    ok: true,
    counts: { materialized: 0, cached: 0, fresh: 5, failed: 0, blocked: 0, skipped: 0 },
  };
}

/**
 * `synth status --json` and a no-op `synth materialize --json`, each computed from the definitions
 * and answered from the status snapshot (README, "The status snapshot"), fresh processes.
 */
function statusAndNoop(dir: string, assets: number, history: string): Record<string, string | number>[] {
  const row = (measure: string, args: string[]) => ({ assets, history, measure: `${measure} (fresh process, min / median / max of ${RUNS})`, value: processTimes(dir, args) });
  const out = [
    row('synth status --json --reload, computed in full', ['status', '--json', '--reload']),
    row('synth status --json, answered from the status snapshot', ['status', '--json']),
  ];
  out.push(row('no-op synth materialize --json, answered from the status snapshot', ['materialize', '--json']));
  // Without a snapshot, a no-op run computes the status from the definitions (and makes none: it recorded nothing).
  rmSync(path.join(dir, '.synth', 'cache', 'status.json'), { force: true });
  out.push(row('no-op synth materialize --json, computed in full', ['materialize', '--json']));
  run(dir, ['status', '--json']);
  return out;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const sizes = (process.env.SYNTH_BENCH_SIZES ?? '1000,10000,30000').split(',').map(Number);
  const rows: Record<string, string | number>[] = [];
  for (const n of sizes) {
    const dir = makeProject({ 'src/assets/index.ts': trivialGraphDefs(n) });
    try {
      run(dir, ['materialize', '--json']);
      const stateDir = path.join(dir, '.synth');
      const split = existsSync(path.join(stateDir, 'catalog'));
      const catalogBytes = () => (split ? bytesUnder(path.join(stateDir, 'catalog')) : statSync(path.join(stateDir, 'catalog.json')).size);
      // One status first: it verifies every object once (then remembered by file identity).
      run(dir, ['status', '--json']);
      rows.push(...statusAndNoop(dir, n, 'one run'));
      const before = catalogBytes();
      processTimes(dir, ['materialize', '--json']);
      const written = (catalogBytes() - before) / RUNS;
      rows.push({
        assets: n,
        history: 'one run',
        measure: split ? 'catalog growth per no-op run (history appended; runs.json rewritten)' : 'catalog growth per no-op run (the whole file rewritten)',
        value: `${Math.round(written)} B`,
      });
      if (split) {
        const catalog = new Catalog(stateDir);
        rows.push({
          assets: n,
          history: 'one run',
          measure: 'in process: read the state (the index line of state.jsonl + log tail + runs.json), min / median / max of 7',
          value: stats(
            inProcess(() => catalog.loadSync()),
            ms,
          ),
        });
        rows.push({
          assets: n,
          history: 'one run',
          measure: 'in process: read the whole history (every segment), min / median / max of 7',
          value: stats(
            inProcess(() => {
              catalog.loadSync();
              catalog.readAll();
            }),
            ms,
          ),
        });
      }
      if (n === 10_000) {
        const bytes = simulateRuns(stateDir, SIMULATED_RUNS);
        const label = `+${SIMULATED_RUNS.toLocaleString('en')} runs (${(bytes / 1e6).toFixed(0)} MB of run history)`;
        rows.push(...statusAndNoop(dir, n, label));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
