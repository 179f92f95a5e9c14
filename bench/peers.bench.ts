/**
 * synthgraph side by side with DVC and Dagster on the same binary-tree graphs (stage i depends on
 * stage ⌊(i − 1) / 2⌋) of 100 and 1,000 stages, each tool's commands run interleaved (synth, the
 * peer, synth, the peer, …) in fresh processes: `synth status` (answered from its snapshot, and
 * `--reload`: computed from the definitions) vs `dvc status`, no-op
 * `synth materialize` vs no-op `dvc repro`, `synth graph` / `synth status` vs `dagster asset list`.
 * Every figure is min / median / max over RUNS processes, warm (after one unmeasured run of each
 * command: definitions bundled, OS file cache filled); the ratio is the peer's median over synth's.
 * Each command runs in a process group of its own: anything still alive in it after the command
 * exits is counted ("left behind") and then killed.
 *
 * DVC and Dagster come from .venv-peers (bench/setup-peers-venv.sh, run on first use).
 *
 * The peers' project (dvc.yaml with its outputs recorded in dvc.lock, Dagster's defs.py) is built
 * once per size and kept in .venv-peers/fixtures/<stages>/ for the next run: the stage outputs are
 * written directly (the bytes each stage's `echo` writes) and recorded by one `dvc commit`, instead
 * of a first `dvc repro` that spawns one shell per stage (1,000 at 1,000 stages). A fixture whose
 * files no longer match what this file generates is rebuilt.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeProject, REPO, SYNTH } from '../test/support/project.js';
import { RUNS, spread, spreadOf } from './fresh-process.js';

export const title = `Peers: synth vs DVC and Dagster on binary-tree graphs (min / median / max over ${RUNS} interleaved fresh processes, warm)`;

const VENV = path.join(REPO, '.venv-peers', 'bin');
/** Graph sizes (stages); `PEERS_SIZES=100` for a quicker run. */
const SIZES = (process.env.PEERS_SIZES ?? '100,1000').split(',').map(Number);

const parentOf = (i: number): number | null => (i === 0 ? null : Math.floor((i - 1) / 2));

function synthDefs(n: number): string {
  return `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < ${n}; i++) {
  const up = i === 0 ? undefined : 's' + Math.floor((i - 1) / 2);
  all['s' + i] = asset({ name: 's' + i, codeVersion: '1', deps: up ? { up: all[up] as never } : {}, materialize: () => ({ i }) });
}
export const assets = all;
`;
}

function dvcYaml(n: number): string {
  const lines = ['stages:'];
  for (let i = 0; i < n; i++) {
    const p = parentOf(i);
    lines.push(`  s${i}:`, `    cmd: echo ${i} > out/s${i}.txt`);
    if (p !== null) lines.push(`    deps:`, `      - out/s${p}.txt`);
    lines.push(`    outs:`, `      - out/s${i}.txt`);
  }
  return lines.join('\n') + '\n';
}

function dagsterDefs(n: number): string {
  return `from dagster import Definitions, asset


def make(i, parent):
    @asset(name=f"s{i}", deps=[f"s{parent}"] if parent is not None else [])
    def _asset():
        return i

    return _asset


defs = Definitions(assets=[make(i, (i - 1) // 2 if i > 0 else None) for i in range(${n})])
`;
}

interface Timed {
  seconds: number;
  leftBehind: number;
}

/** Runs a command in a process group of its own; counts and kills what it leaves running. */
function run(cmd: string, args: string[], cwd: string): Timed {
  const t = process.hrtime.bigint();
  // A shell that prints its pid, then execs the command: the pid is the group id (setsid).
  const r = spawnSync('setsid', ['sh', '-c', 'echo $$ >&2; exec "$@"', 'sh', cmd, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, DVC_NO_ANALYTICS: '1', DAGSTER_DISABLE_TELEMETRY: '1' },
  });
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  const pgid = Number(r.stderr.split('\n')[0]);
  const ps = spawnSync('ps', ['-o', 'pid=', '-g', String(pgid)], { encoding: 'utf8' });
  const left = ps.stdout.split('\n').filter((l) => l.trim()).length;
  if (left > 0) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return { seconds, leftBehind: left };
}

/**
 * The DVC + Dagster project of `n` stages, built on first use and reused (see the file's comment).
 */
function peerFixture(n: number, dvc: string): string {
  const dir = path.join(REPO, '.venv-peers', 'fixtures', String(n));
  const files = { 'dvc.yaml': dvcYaml(n), 'defs.py': dagsterDefs(n) };
  const marker = path.join(dir, 'fixture.sha256');
  const want = createHash('sha256').update(JSON.stringify(files)).digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === want && existsSync(path.join(dir, 'dvc.lock'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  // What `echo ${i} > out/s${i}.txt` writes, recorded by DVC as if each stage had run.
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, 'out', `s${i}.txt`), `${i}\n`);
  run(dvc, ['init', '--no-scm', '-q'], dir);
  const env = { ...process.env, DVC_NO_ANALYTICS: '1' };
  const committed = spawnSync(dvc, ['commit', '-f', '-q'], { cwd: dir, encoding: 'utf8', env }).status === 0;
  const status = committed ? spawnSync(dvc, ['status'], { cwd: dir, encoding: 'utf8', env }).stdout : '';
  // Should a DVC release not accept the commit as a run, the slow way keeps the comparison right.
  if (!/up to date/i.test(status)) run(dvc, ['repro', '-q'], dir);
  writeFileSync(marker, want);
  return dir;
}

function ensureVenv(): void {
  if (existsSync(path.join(VENV, 'dvc')) && existsSync(path.join(VENV, 'dagster'))) return;
  const r = spawnSync('bash', [path.join(REPO, 'bench', 'setup-peers-venv.sh')], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('bench/setup-peers-venv.sh failed');
}

export default async function (): Promise<Record<string, string | number>[]> {
  ensureVenv();
  const node = process.execPath;
  const dvc = path.join(VENV, 'dvc');
  const dagster = path.join(VENV, 'dagster');
  const out: Record<string, string | number>[] = [];
  for (const n of SIZES) {
    const synthDir = makeProject({ 'src/assets/index.ts': synthDefs(n) });
    const peerDir = peerFixture(n, dvc);
    try {
      run(node, [SYNTH, 'materialize', '--json'], synthDir);
      const commands = {
        // Answered from the status snapshot (the no-op runs in between record runs, not materializations).
        'synth status --json': () => run(node, [SYNTH, 'status', '--json'], synthDir),
        // Computed from the definitions, as dvc status reads dvc.yaml each time.
        'synth status --json --reload': () => run(node, [SYNTH, 'status', '--json', '--reload'], synthDir),
        'synth materialize --json (no-op, answered from the status snapshot)': () => run(node, [SYNTH, 'materialize', '--json'], synthDir),
        'synth graph --format json': () => run(node, [SYNTH, 'graph', '--format', 'json'], synthDir),
        'dvc status': () => run(dvc, ['status'], peerDir),
        'dvc repro (no-op)': () => run(dvc, ['repro'], peerDir),
        'dagster asset list': () => run(dagster, ['asset', 'list', '-f', 'defs.py'], peerDir),
      };
      const times = new Map<string, Timed[]>();
      for (const [name, fn] of Object.entries(commands)) {
        fn(); // unmeasured: bundles, caches, pyc files
        times.set(name, []);
      }
      for (let r = 0; r < RUNS; r++) for (const [name, fn] of Object.entries(commands)) times.get(name)!.push(fn());
      const seconds = (name: string) => times.get(name)!.map((t) => t.seconds);
      const left = (name: string) => Math.max(...times.get(name)!.map((t) => t.leftBehind));
      const pair = (ours: string, peer: string) =>
        out.push({
          stages: n,
          synth: ours,
          'synth s': spread(seconds(ours)),
          peer,
          'peer s': spread(seconds(peer)),
          'peer / synth (medians)': `${(spreadOf(seconds(peer)).median / spreadOf(seconds(ours)).median).toFixed(1)}×`,
          'left behind (synth, peer)': `${left(ours)}, ${left(peer)}`,
        });
      pair('synth status --json', 'dvc status');
      pair('synth status --json --reload', 'dvc status');
      pair('synth materialize --json (no-op, answered from the status snapshot)', 'dvc repro (no-op)');
      pair('synth graph --format json', 'dagster asset list');
      pair('synth status --json', 'dagster asset list');
    } finally {
      rmSync(synthDir, { recursive: true, force: true });
    }
  }
  return out;
}
