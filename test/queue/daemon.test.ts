import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogData } from '../support/catalog.js';
import { makeProject, removeProject, synth, synthAsync, synthJson, writeProjectFile } from '../support/project.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { eventually, readLog } from '../scheduler/fixtures.js';
import { startWorker, stopWorkers, type WorkerProcess } from './queue-kit.js';

// While the file `slow` exists in the project, `a` says which run holds it (file held-RUN) and
// waits a few seconds (asynchronously), so that the test can stop Redis while a worker holds its job.
const defs = `import { existsSync, writeFileSync } from 'node:fs';
import { asset } from 'synthgraph';
export const a = asset({
  name: 'a',
  materialize: async (ctx) => {
    if (existsSync(ctx.root + '/slow')) {
      writeFileSync(ctx.root + '/held-' + ctx.runId, '');
      await new Promise((r) => setTimeout(r, 4000));
    }
    return [{ x: 1 }, { x: 2 }];
  },
});
`;

interface CatalogJson {
  materializations: { run_id: string; asset: string; status: string; data_hash: string | null }[];
  runs: { id: string; ok: boolean | null; finished_at: string | null; trigger: string }[];
  schedules: Record<string, { last_outcome: string | null }>;
}

let redis: TestRedis;
const dirs: string[] = [];
const workers: WorkerProcess[] = [];
const children: ReturnType<typeof synthAsync>[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.done));
  await stopWorkers(workers);
  await redis?.destroy();
  for (const d of dirs) removeProject(d);
});

/** The daemon's log so far; a line being written right now is left for the next look. */
function logSoFar(dir: string) {
  try {
    return readLog(dir);
  } catch {
    return [];
  }
}

describe('synth daemon --queue', () => {
  it('runs each tick through the queue: a worker computes, the daemon records; Redis away fails those ticks clearly, and ticks work again once it is back', async () => {
    const url = `${redis.url}/1`;
    const dir = makeProject({ 'src/assets/index.ts': defs, 'synth.config.json': JSON.stringify({ executor: { unreachableMs: 1000 } }) });
    dirs.push(dir);
    const w = await startWorker(dir, url);
    workers.push(w);
    const daemon = synthAsync(dir, ['daemon', '--cron', '*/1 * * * * *', '--select', 'a', '--force', '--queue', url]);
    children.push(daemon);

    // A tick's run is computed by the worker, and the daemon's catalog records what it returned.
    const first = await eventually(() => logSoFar(dir).find((e) => e.event === 'finished' && e.ok), 'a finished tick');
    const job = await w.waitFor((e) => e.event === 'job-finished' && e.job === `${first.run_id}|a`, `the worker's job of run ${first.run_id}`);
    const catalog = () => readCatalogData(dir) as unknown as CatalogJson;
    expect(catalog().materializations.find((m) => m.run_id === first.run_id)).toMatchObject({ asset: 'a', status: 'success', data_hash: job.data_hash });

    // Redis stops while the worker holds a tick's job: that run fails, saying why.
    writeProjectFile(dir, 'slow', '');
    const heldRun = await eventually(
      () =>
        readdirSync(dir)
          .find((f) => f.startsWith('held-'))
          ?.slice('held-'.length),
      'a job in hand',
    );
    await redis.stop();
    const lost = await eventually(() => logSoFar(dir).find((e) => e.event === 'finished' && e.run_id === heldRun), `the end of run ${heldRun}`);
    expect(lost).toMatchObject({ ok: false, assets: [{ asset: 'a', outcome: 'failed', error: expect.stringMatching(/went away/) }] });
    expect(lost.error?.what).toMatch(/The queue's Redis at redis:\/\/127\.0\.0\.1:\d+\/1 went away during the run/);
    // Ticks while it is away fail at once, with the usage error of an unreachable Redis.
    const refused = await eventually(() => logSoFar(dir).find((e) => e.event === 'failed'), 'a tick failing while Redis is away');
    expect(refused.error?.what).toMatch(/Cannot reach the queue's Redis at redis:\/\/127\.0\.0\.1:\d+\/1/);
    expect(refused.error?.fix).toMatch(/Start Redis/);

    // Redis is back (empty): the worker reconnects by itself and the next ticks run through it again.
    rmSync(path.join(dir, 'slow'));
    const back = logSoFar(dir).length;
    await redis.start();
    const again = await eventually(
      () =>
        logSoFar(dir)
          .slice(back)
          .find((e) => e.event === 'finished' && e.ok),
      'a finished tick after Redis came back',
    );
    await w.waitFor((e) => e.event === 'job-finished' && e.job === `${again.run_id}|a`, `the worker's job of run ${again.run_id}`);

    // The daemon stops (it never hangs on a queue) and its catalog is whole.
    daemon.child.kill('SIGTERM');
    const stopped = await Promise.race([daemon.done, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(stopped, 'the daemon did not stop within 30 s of SIGTERM').not.toBeNull();
    expect(stopped!.code).toBe(0);
    // Its human lines say why that run failed, and why those ticks could not run.
    expect(stopped!.stdout).toMatch(new RegExp(`run ${heldRun} finished with failures: 1 failed in [\\d.]+s: The queue's Redis at redis://\\S+ went away during the run`));
    expect(stopped!.stdout).toMatch(/tick failed \(fire [^)]+\): Cannot reach the queue's Redis/);
    expect(readLog(dir).at(-1)?.event).toBe('daemon-stopped');
    const data = catalog();
    expect(data.runs.every((r) => r.finished_at !== null && r.trigger === 'schedule:adhoc')).toBe(true);
    expect(data.runs.find((r) => r.id === heldRun)?.ok).toBe(false);
    expect(data.materializations.find((m) => m.run_id === again.run_id)).toMatchObject({ asset: 'a', status: 'success' });
    // Every record the daemon wrote is backed by an object a worker stored.
    expect(synthJson<{ ok: boolean }>(dir, ['verify']).json.ok).toBe(true);
    expect(existsSync(path.join(dir, 'slow'))).toBe(false);
  }, 180_000);

  it('a bad --queue URL is a usage error at start (exit 2), before any tick', () => {
    const dir = makeProject({ 'src/assets/index.ts': defs });
    dirs.push(dir);
    const r = synth(dir, ['daemon', '--cron', '*/1 * * * * *', '--select', 'a', '--queue', 'http://localhost:6379']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--queue/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(readLog(dir).filter((e) => e.event === 'tick')).toEqual([]);
  });
});
