/**
 * Workers through BullMQ on a real Redis: the cost of queueing a trivial asset against computing it
 * in the coordinator's process, and CPU-bound assets on 1 against 2 workers. Every figure is a whole
 * `synth materialize --force` process (cold coordinator; workers started once, warm), 5 runs each.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';
import { makeProject, removeProject, SYNTH, synthAsync } from '../test/support/project.js';
import { startRedis } from '../test/support/redis-server.js';
import { startWorker, stopWorkers, type WorkerProcess } from '../test/queue/queue-kit.js';

export const title = 'Queue: overhead per queued asset, and CPU-bound assets on 1 vs 2 workers (BullMQ + Redis 7)';

const RUNS = 5;

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

/** Wall time of `RUNS` fresh `synth materialize --force` processes, sorted. Spawned without blocking: the workers' output pipes must keep draining. */
async function seconds(dir: string, args: string[]): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    const r = await synthAsync(dir, ['materialize', '--force', '--json', ...args]).done;
    if (r.code !== 0) {
      const failed = (JSON.parse(r.stdout) as { assets: { asset: string; outcome: string; error: string | null }[] }).assets.filter((a) => a.outcome !== 'materialized');
      throw new Error(`synth materialize ${args.join(' ')} failed: ${r.stderr}\n${JSON.stringify(failed.slice(0, 3))}`);
    }
    times.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  return times.sort((a, b) => a - b);
}

const mmm = (xs: number[], f = (x: number) => `${x.toFixed(2)} s`) => `${f(xs[0])} / ${f(xs[Math.floor(xs.length / 2)])} / ${f(xs[xs.length - 1])}`;

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const redis = await startRedis();
  const dirs: string[] = [];
  let workers: WorkerProcess[] = [];
  try {
    for (const [shape, n, concurrency] of [
      ['fan', 100, 16],
      ['chain', 20, 1],
    ] as const) {
      const dir = makeProject({ 'src/assets/index.ts': trivialDefs(n, shape) });
      dirs.push(dir);
      spawnSync(process.execPath, [SYNTH, 'materialize', '--json'], { cwd: dir }); // bundles the definitions once
      const local = await seconds(dir, ['--concurrency', String(concurrency)]);
      workers = await Promise.all([1, 2].map(() => startWorker(dir, redis.url, ['--concurrency', '8'])));
      const queued = await seconds(dir, ['--concurrency', String(concurrency), '--queue', redis.url]);
      await stopWorkers(workers);
      workers = [];
      const per = queued.map((q, i) => ((q - local[i]) * 1000) / n);
      rows.push({
        case: `${n} trivial assets, ${shape === 'fan' ? 'independent (coordinator --concurrency 16)' : 'one chain (one at a time)'}`,
        'in process (min/median/max)': mmm(local),
        'queue, 2 workers (min/median/max)': mmm(queued),
        'overhead per asset (min/median/max of paired runs)': mmm(
          [...per].sort((a, b) => a - b),
          (x) => `${x.toFixed(1)} ms`,
        ),
        target: shape === 'fan' ? '< 5 ms/asset' : '',
      });
      console.log(JSON.stringify(rows.at(-1))); // kept if a later case fails
    }

    const dir = makeProject({ 'src/assets/index.ts': cpuDefs(4, 20_000_000) });
    dirs.push(dir);
    spawnSync(process.execPath, [SYNTH, 'materialize', '--json'], { cwd: dir });
    const local = await seconds(dir, ['--concurrency', '8']);
    const result: Record<number, number[]> = {};
    for (const count of [1, 2]) {
      // A CPU-bound asset blocks its worker's event loop, which renews the job's lock: the stall
      // interval must be longer than one asset on a loaded machine.
      workers = await Promise.all(Array.from({ length: count }, () => startWorker(dir, redis.url, ['--stall-ms', '120000'])));
      result[count] = await seconds(dir, ['--concurrency', '8', '--queue', redis.url]);
      await stopWorkers(workers);
      workers = [];
    }
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)];
    rows.push({
      case: `4 CPU-bound assets (~${((median(local) - 0.5) / 4).toFixed(2)} s each in process), ${cpus().length} cores`,
      'in process (min/median/max)': mmm(local),
      'queue, 2 workers (min/median/max)': `1 worker ${mmm(result[1])}; 2 workers ${mmm(result[2])}`,
      'overhead per asset (min/median/max of paired runs)': `speed-up 1→2 workers: ×${(median(result[1]) / median(result[2])).toFixed(2)} (medians)`,
      target: '',
    });
  } finally {
    await stopWorkers(workers);
    await redis.destroy();
    for (const d of dirs) removeProject(d);
  }
  return rows;
}
