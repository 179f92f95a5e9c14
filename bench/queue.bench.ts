/**
 * Workers through BullMQ on a real Redis: what queueing costs against computing in the coordinator's
 * process, and CPU-bound assets on 1 against 2 workers. Every figure is a whole `synth materialize
 * --force` process (cold coordinator; workers started once per case, warm), RUNS of each.
 *
 * A queued run pays once (loading BullMQ, connecting to Redis) and then per asset; the two are
 * measured apart: a 1-asset graph gives the fixed cost, the difference between a 400- and a
 * 100-asset graph the cost per asset. CPU time (user + system) of the coordinator, the workers and
 * Redis is reported besides wall time: it holds on a loaded machine, where wall time does not.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { makeProject, removeProject, SYNTH, synthAsync } from '../test/support/project.js';
import { startRedis } from '../test/support/redis-server.js';
import { startWorker, stopWorkers, type WorkerProcess } from '../test/queue/queue-kit.js';
import { CPU_HOOK, cpuAtExitMs, processCpuMs, RUNS, spreadOf } from './fresh-process.js';

export const title = 'Queue: fixed and per-asset cost of a queued run, and CPU-bound assets on 1 vs 2 workers (BullMQ + Redis 7)';

/** `n` trivial assets: `fan` independent ones (all ready at once) or a `chain` (one at a time). */
function trivialDefs(n: number, shape: 'fan' | 'chain'): string {
  return `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < ${n}; i++) {
  const up = '${shape}' === 'chain' && i > 0 ? all['a' + (i - 1)] : undefined;
  all['a' + i] = asset({ name: 'a' + i, codeVersion: '1', deps: up ? { up: up as never } : {}, materialize: () => ({ i }) });
}
export const assets = all;
`;
}

/** `n` independent assets each burning about `ms` of CPU (deterministic arithmetic). */
function cpuDefs(n: number, iterations: number): string {
  return `
import { asset } from 'synthgraph';
const all: Record<string, unknown> = {};
for (let i = 0; i < ${n}; i++) {
  all['c' + i] = asset({ name: 'c' + i, codeVersion: '1', materialize: () => {
    let x = i;
    for (let k = 0; k < ${iterations}; k++) x = (x * 1103515245 + 12345) % 2147483648;
    return { i, x };
  } });
}
export const assets = all;
`;
}

interface Run {
  wallMs: number;
  /** The coordinator's CPU time (user + system). */
  cpuMs: number;
  /** When each asset started, ms after the process was spawned (from `--events`). */
  starts: number[];
}

/** One fresh `synth materialize --force --events` process; spawned without blocking, as the workers' output pipes must keep draining. */
async function materializeOnce(dir: string, args: string[]): Promise<Run> {
  const cpuFile = path.join(dir, '.bench-cpu');
  rmSync(cpuFile, { force: true });
  const t0 = performance.now();
  const p = synthAsync(dir, ['materialize', '--force', '--events', ...args], {
    NODE_OPTIONS: `--import ${CPU_HOOK}`,
    SYNTH_BENCH_CPU_FILE: cpuFile,
  });
  const starts: number[] = [];
  let pending = '';
  p.child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      if (pending.startsWith('{"event":"asset-started"')) starts.push(performance.now() - t0);
      pending = pending.slice(i + 1);
    }
  });
  const r = await p.done;
  const wallMs = performance.now() - t0;
  if (r.code !== 0) throw new Error(`synth materialize ${args.join(' ')} failed (exit ${r.code}): ${r.stderr}\n${r.stdout.slice(-2000)}`);
  return { wallMs, cpuMs: cpuAtExitMs(cpuFile), starts };
}

async function redisCpuMs(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  return (Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1])) * 1000;
}

/** Redis commands run since the last CONFIG RESETSTAT, by name (those of this bench's own client left out). */
async function redisCommands(client: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const m of (await client.info('commandstats')).matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) if (!['info', 'config'].includes(m[1])) calls.set(m[1], Number(m[2]));
  return calls;
}

const ms = (x: number, digits = 1) => `${x.toFixed(digits)} ms`;
/** A difference: its sign always shown (noise can make one negative on a loaded machine). */
const plus = (x: number, digits = 1) => `${x < 0 ? '−' : '+'}${Math.abs(x).toFixed(digits)} ms`;
const mmm = (xs: number[], f: (x: number) => string) => {
  const s = spreadOf(xs);
  return `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
};
const median = (xs: number[]) => spreadOf(xs).median;

/** A project with `defs`, its definitions bundled once (the first materialize). */
function project(defs: string, dirs: string[]): string {
  const dir = makeProject({ 'src/assets/index.ts': defs });
  dirs.push(dir);
  spawnSync(process.execPath, [SYNTH, 'materialize', '--json'], { cwd: dir });
  return dir;
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const push = (row: Record<string, string | number>) => {
    rows.push(row);
    console.log(JSON.stringify(row)); // kept if a later case fails
  };
  const redis = await startRedis();
  const client = new Redis(redis.port, '127.0.0.1');
  const dirs: string[] = [];
  let workers: WorkerProcess[] = [];
  const load = () => loadavg()[0].toFixed(1);
  try {
    // The round trip every Redis command pays, from an ioredis client on this machine.
    const rtts: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await client.ping();
      rtts.push((performance.now() - t) * 1000);
    }
    push({ case: 'Redis PING round trip (ioredis, localhost; 2000 in a row)', 'in process': '', queued: '', result: mmm(rtts, (x) => `${x.toFixed(0)} µs`), load: load() });

    // Fixed cost: a graph of one trivial asset.
    {
      const dir = project(trivialDefs(1, 'fan'), dirs);
      workers = await Promise.all([1, 2].map(() => startWorker(dir, redis.url, ['--concurrency', '8'])));
      const local: Run[] = [];
      const queued: Run[] = [];
      for (let i = 0; i < RUNS; i++) {
        local.push(await materializeOnce(dir, []));
        queued.push(await materializeOnce(dir, ['--queue', redis.url]));
      }
      await stopWorkers(workers.splice(0));
      push({
        case: 'fixed cost of a queued run (1 trivial asset): wall; coordinator CPU',
        'in process': `${mmm(
          local.map((r) => r.wallMs),
          (x) => ms(x, 0),
        )}; CPU ${ms(median(local.map((r) => r.cpuMs)), 0)}`,
        queued: `${mmm(
          queued.map((r) => r.wallMs),
          (x) => ms(x, 0),
        )}; CPU ${ms(median(queued.map((r) => r.cpuMs)), 0)}`,
        result: `${mmm(
          queued.map((q, i) => q.wallMs - local[i].wallMs),
          (x) => plus(x, 0),
        )} wall; ${mmm(
          queued.map((q, i) => q.cpuMs - local[i].cpuMs),
          (x) => plus(x, 0),
        )} CPU (paired runs)`,
        load: load(),
      });
    }

    // Per asset: 100 and 400 independent assets, 16 in flight, 2 workers of 8 jobs each.
    {
      const small = project(trivialDefs(100, 'fan'), dirs);
      const big = project(trivialDefs(400, 'fan'), dirs);
      const workersOf = (dir: string) => Promise.all([1, 2].map(() => startWorker(dir, redis.url, ['--concurrency', '8'])));
      const figures: Record<'small' | 'big', { local: Run[]; queued: Run[] }> = { small: { local: [], queued: [] }, big: { local: [], queued: [] } };
      let workerCpu = 0;
      let redisCpu = 0;
      let commands = new Map<string, number>();
      for (const [size, dir] of [
        ['small', small],
        ['big', big],
      ] as const) {
        workers = await workersOf(dir);
        for (let i = 0; i < RUNS; i++) {
          figures[size].local.push(await materializeOnce(dir, ['--concurrency', '16']));
          const w0 = workers.map((w) => processCpuMs(w.pid));
          const r0 = await redisCpuMs(client);
          await client.config('RESETSTAT');
          figures[size].queued.push(await materializeOnce(dir, ['--concurrency', '16', '--queue', redis.url]));
          if (size === 'big') {
            workerCpu += workers.reduce((sum, w, k) => sum + processCpuMs(w.pid) - w0[k], 0);
            redisCpu += (await redisCpuMs(client)) - r0;
            commands = await redisCommands(client);
          }
        }
        await stopWorkers(workers.splice(0));
      }
      const extra = (s: 'small' | 'big', k: 'wallMs' | 'cpuMs', i: number) => figures[s].queued[i][k] - figures[s].local[i][k];
      const perAsset = (k: 'wallMs' | 'cpuMs') => figures.big.queued.map((_, i) => (extra('big', k, i) - extra('small', k, i)) / 300);
      for (const [n, s] of [
        [100, 'small'],
        [400, 'big'],
      ] as const) {
        push({
          case: `${n} trivial independent assets (coordinator --concurrency 16, 2 workers × 8): wall`,
          'in process': mmm(
            figures[s].local.map((r) => r.wallMs / 1000),
            (x) => `${x.toFixed(2)} s`,
          ),
          queued: mmm(
            figures[s].queued.map((r) => r.wallMs / 1000),
            (x) => `${x.toFixed(2)} s`,
          ),
          result: `${mmm(
            figures[s].queued.map((_, i) => extra(s, 'wallMs', i) / n),
            (x) => plus(x),
          )} per asset, fixed cost included`,
          load: load(),
        });
      }
      const jobs = 400 * RUNS;
      const total = [...commands.values()].reduce((a, b) => a + b, 0);
      const sent = ['evalsha', 'eval', 'xread', 'bzpopmin', 'xrevrange', 'hgetall', 'client|setname', 'quit'].reduce((sum, c) => sum + (commands.get(c) ?? 0), 0);
      push({
        case: 'per queued asset, beyond the fixed cost (400 − 100 assets, paired runs): wall; CPU',
        'in process': '',
        queued: '',
        result:
          `wall ${mmm(perAsset('wallMs'), (x) => plus(x, 2))}; CPU: coordinator ${mmm(perAsset('cpuMs'), (x) => plus(x, 2))}, ` +
          `workers ${ms(workerCpu / jobs, 2)}, Redis ${ms(redisCpu / jobs, 2)} (per asset, medians over ${RUNS} runs of 400)`,
        target: '< 5 ms per asset',
        load: load(),
      });
      push({
        case: 'Redis commands per queued asset (INFO commandstats, one run of 400)',
        'in process': '',
        queued: '',
        result: `${(total / 400).toFixed(1)} commands, of which ${(sent / 400).toFixed(2)} sent by clients (EVALSHA of BullMQ's Lua scripts, blocking reads), the rest inside the scripts`,
        load: load(),
      });
    }

    // Latency: a chain of 20, one asset at a time; the gap between an asset's start and the next one's.
    {
      const dir = project(trivialDefs(20, 'chain'), dirs);
      workers = await Promise.all([1, 2].map(() => startWorker(dir, redis.url, ['--concurrency', '8'])));
      const hop = (r: Run) => median(r.starts.slice(1).map((t, i) => t - r.starts[i]));
      const local: number[] = [];
      const queued: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        local.push(hop(await materializeOnce(dir, ['--concurrency', '1'])));
        queued.push(hop(await materializeOnce(dir, ['--concurrency', '1', '--queue', redis.url])));
      }
      await stopWorkers(workers.splice(0));
      push({
        case: 'one hop of a 20-asset chain (median gap between starts)',
        'in process': mmm(local, (x) => ms(x)),
        queued: mmm(queued, (x) => ms(x)),
        result: `${mmm(
          queued.map((q, i) => q - local[i]),
          (x) => plus(x),
        )} per hop (paired runs)`,
        load: load(),
      });
    }

    const dir = project(cpuDefs(4, 20_000_000), dirs);
    const local: number[] = [];
    for (let i = 0; i < RUNS; i++) local.push((await materializeOnce(dir, ['--concurrency', '8'])).wallMs / 1000);
    const result: Record<number, number[]> = {};
    for (const count of [1, 2]) {
      // A CPU-bound asset blocks its worker's event loop, which renews the job's lock: the stall
      // interval must be longer than one asset on a loaded machine.
      workers = await Promise.all(Array.from({ length: count }, () => startWorker(dir, redis.url, ['--stall-ms', '120000'])));
      result[count] = [];
      for (let i = 0; i < RUNS; i++) result[count].push((await materializeOnce(dir, ['--concurrency', '8', '--queue', redis.url])).wallMs / 1000);
      await stopWorkers(workers.splice(0));
    }
    const s = (x: number) => `${x.toFixed(2)} s`;
    push({
      case: `4 CPU-bound assets (~${((median(local) - 0.5) / 4).toFixed(2)} s each in process), ${cpus().length} cores`,
      'in process': mmm(local, s),
      queued: `1 worker ${mmm(result[1], s)}; 2 workers ${mmm(result[2], s)}`,
      result: `speed-up 1→2 workers: ×${(median(result[1]) / median(result[2])).toFixed(2)} (medians)`,
      load: load(),
    });
  } finally {
    await stopWorkers(workers);
    client.disconnect();
    await redis.destroy();
    for (const d of dirs) removeProject(d);
  }
  return rows;
}
