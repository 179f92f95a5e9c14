import { readCatalogData } from '../support/catalog.js';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startWorker, stopWorkers, synthJsonAsync, type WorkerProcess } from './queue-kit.js';
import { synthAsync } from '../support/project.js';

// `slow` takes a few seconds (asynchronously, so its worker keeps renewing the job's lock) and
// tells the folder it runs in, so a test knows which worker holds it.
const defs = (slowMs: number, extra = '') => `import { asset } from 'synthgraph';
export const base = asset({ name: 'base', materialize: () => [{ x: 1 }, { x: 2 }, { x: 3 }] });
export const slow = asset({
  name: 'slow',
  deps: { base },
  materialize: async (_ctx, { base }) => {
    await new Promise((r) => setTimeout(r, ${slowMs}));
    return base.map((r) => ({ ...r, y: r.x * 2 }));
  },
});
export const last = asset({ name: 'last', deps: { slow }, materialize: (_ctx, { slow }) => ({ n: slow.length${extra} }) });
`;

interface RunJson {
  ok: boolean;
  run_id: string;
  assets: { asset: string; outcome: string; data_hash: string | null; error: string | null }[];
  queue_error?: { what: string; why: string; fix: string };
}

interface CatalogJson {
  materializations: { run_id: string; asset: string; status: string; outcome: string; data_hash: string | null }[];
  runs: { id: string; ok: boolean | null; finished_at: string | null }[];
}
const catalogOf = (dir: string) => readCatalogData(dir) as unknown as CatalogJson;

let redis: TestRedis;
const dirs: string[] = [];
const workers: WorkerProcess[] = [];
const project = (files: Record<string, string>) => {
  const dir = makeProject(files);
  dirs.push(dir);
  return dir;
};
// Each test has its own Redis database, so one test's workers never see another's jobs.
let db = 0;
let url = '';
beforeEach(() => {
  url = `${redis.url}/${++db}`;
});
afterEach(async () => {
  await stopWorkers(workers.splice(0));
});
const worker = async (dir: string, args: string[] = []) => {
  const w = await startWorker(dir, url, ['--stall-ms', '1000', ...args]);
  workers.push(w);
  return w;
};

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.destroy();
  for (const d of dirs) removeProject(d);
});

describe('queue faults', () => {
  it('a worker SIGKILLed mid-job: another takes the job after the stall interval; one materialization is recorded', async () => {
    const dir = project({ 'src/assets/index.ts': defs(3000) });
    const first = await worker(dir);
    const run = synthAsync(dir, ['materialize', '--queue', url, '--json']);
    await first.waitFor((e) => e.event === 'job-started' && e.asset === 'slow', 'start of slow');
    first.kill('SIGKILL');
    await first.done;
    const second = await worker(dir);
    const r = await run.done;
    const json = JSON.parse(r.stdout) as RunJson;
    expect(r.code).toBe(0);
    expect(json.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['base', 'materialized'],
      ['slow', 'materialized'],
      ['last', 'materialized'],
    ]);
    // The second worker computed it (after the first one's lock expired), once.
    expect(second.events().filter((e) => e.event === 'job-finished' && e.asset === 'slow')).toHaveLength(1);
    const records = catalogOf(dir).materializations.filter((m) => m.run_id === json.run_id);
    expect(records.map((m) => m.asset).sort()).toEqual(['base', 'last', 'slow']);
    expect(records.every((m) => m.status === 'success')).toBe(true);
    expect(synthJson<{ ok: boolean }>(dir, ['verify']).json.ok).toBe(true);
  }, 120_000);

  it('Redis stopped mid-run: the coordinator fails the run clearly, the catalog stays sound, a re-run completes', async () => {
    const dir = project({ 'src/assets/index.ts': defs(4000), 'synth.config.json': JSON.stringify({ executor: { unreachableMs: 1000 } }) });
    const w = await worker(dir);
    // SYNTH_DEBUG_HANDLES: the CLI says so if it had to force its exit past a handle left open.
    const run = synthAsync(dir, ['materialize', '--queue', url, '--json'], { SYNTH_DEBUG_HANDLES: '1' });
    await w.waitFor((e) => e.event === 'job-started' && e.asset === 'slow', 'start of slow');
    await redis.stop();
    // A coordinator that never ends is this test's failure alone: it is killed and Redis comes back
    // for the next tests (a vitest timeout would leave both as they are).
    const hung = Symbol('hung');
    const ended = await Promise.race([run.done, new Promise<typeof hung>((resolve) => setTimeout(() => resolve(hung), 60_000))]);
    if (ended === hung) run.child.kill('SIGKILL');
    await redis.start();
    expect(ended, 'the coordinator did not end within 60 s of Redis going away').not.toBe(hung);
    const r = ended as Awaited<typeof run.done>;
    expect(r.code).toBe(1);
    expect(r.stderr, 'every Redis connection is closed when the run ends').not.toMatch(/handles still open/);
    const json = JSON.parse(r.stdout) as RunJson;
    expect(json.ok).toBe(false);
    expect(json.queue_error?.what).toMatch(/Redis at redis:\/\/127\.0\.0\.1:\d+\/\d+ went away during the run/);
    const slow = json.assets.find((a) => a.asset === 'slow')!;
    expect(slow.outcome).toBe('failed');
    expect(slow.error).toMatch(/went away/);
    expect(json.assets.find((a) => a.asset === 'last')!.outcome).toBe('blocked');
    // The catalog is whole and says what happened: base made, slow failed, the run finished not ok.
    const catalog = catalogOf(dir);
    expect(catalog.runs.find((x) => x.id === json.run_id)).toMatchObject({ ok: false });
    expect(catalog.runs.find((x) => x.id === json.run_id)!.finished_at).not.toBeNull();
    expect(synthJson<{ ok: boolean }>(dir, ['verify']).json.ok).toBe(true);
    // Redis is back (empty); the worker reconnected by itself. The re-run reuses base and completes.
    const again = await synthJsonAsync<RunJson>(dir, ['materialize', '--queue', url]);
    expect(again.code).toBe(0);
    expect(again.json.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['base', 'fresh'],
      ['slow', 'materialized'],
      ['last', 'materialized'],
    ]);
  }, 120_000);

  it('a worker with other definitions refuses the job, saying why', async () => {
    const dir = project({ 'src/assets/index.ts': defs(10) });
    const other = project({ 'src/assets/index.ts': defs(10, ', changed: true') });
    const w = await worker(other);
    const r = await synthJsonAsync<RunJson>(dir, ['materialize', '--queue', url]);
    expect(r.code).toBe(1);
    const base = r.json.assets.find((a) => a.asset === 'base')!;
    expect(base.outcome).toBe('failed');
    expect(base.error).toMatch(/refused "base": its definitions differ from the coordinator's/);
    expect(base.error).toMatch(/Different definitions/);
    expect(w.events().find((e) => e.event === 'job-failed')).toMatchObject({ asset: 'base', will_retry: false });
    // Nothing was stored for it.
    expect(catalogOf(dir).materializations.filter((m) => m.status === 'success')).toEqual([]);
  }, 60_000);

  it("BullMQ retries a retryable failure with backoff (the definition's retries); another error fails at once", async () => {
    const flaky = `import { existsSync, writeFileSync } from 'node:fs';
import { asset } from 'synthgraph';
export const flaky = asset({
  name: 'flaky',
  materialize: (ctx) => {
    const marker = ctx.root + '/attempted';
    if (!existsSync(marker)) {
      writeFileSync(marker, '1');
      throw Object.assign(new Error('connection reset by the flaky service'), { retryable: true });
    }
    return [{ ok: true }];
  },
});
export const broken = asset({ name: 'broken', materialize: () => { throw new Error('a bug in the asset'); } });
`;
    const dir = project({ 'src/assets/index.ts': flaky });
    const w = await worker(dir);
    const r = await synthJsonAsync<RunJson>(dir, ['materialize', '--queue', url]);
    expect(r.code).toBe(1);
    expect(r.json.assets.map((a) => [a.asset, a.outcome])).toEqual([
      ['broken', 'failed'],
      ['flaky', 'materialized'],
    ]);
    expect(r.json.assets[0].error).toMatch(/a bug in the asset/);
    const of = (asset: string) =>
      w
        .events()
        .filter((e) => e.asset === asset)
        .map((e) => [e.event, e.attempt ?? e.will_retry ?? null]);
    expect(of('flaky')).toEqual([
      ['job-started', 1],
      ['job-failed', true],
      ['job-started', 2],
      ['job-finished', null],
    ]);
    expect(of('broken')).toEqual([
      ['job-started', 1],
      ['job-failed', false],
    ]);
    expect(
      catalogOf(dir)
        .materializations.filter((m) => m.asset === 'flaky')
        .map((m) => m.status),
    ).toEqual(['success']);
  }, 60_000);

  it('a bad or unreachable --queue URL is a usage error (exit 2)', async () => {
    const dir = project({ 'src/assets/index.ts': defs(10) });
    for (const url of ['http://127.0.0.1:6379', 'not a url', 'redis://127.0.0.1:6379/db']) {
      const m = synthJson<{ error: { what: string; exit_code: number } }>(dir, ['materialize', '--queue', url]);
      expect(m.code).toBe(2);
      expect(m.json.error.what).toMatch(/is not a Redis URL/);
      const wk = synth(dir, ['worker', '--queue', url]);
      expect(wk.code).toBe(2);
      expect(wk.stderr).toMatch(/is not a Redis URL/);
    }
    // A free port: nothing listens there.
    const closed = `redis://127.0.0.1:${redis.port + 1}`;
    const m = synthJson<{ error: { what: string } }>(dir, ['materialize', '--queue', closed]);
    expect(m.code).toBe(2);
    expect(m.json.error.what).toMatch(/Cannot reach the queue's Redis/);
    // executor.queue in synth.config.json is checked the same way.
    writeProjectFile(dir, 'synth.config.json', JSON.stringify({ executor: { queue: 'redis//nope' } }));
    const c = synthJson<{ error: { what: string } }>(dir, ['materialize']);
    expect(c.code).toBe(2);
    expect(c.json.error.what).toMatch(/executor\.queue in synth\.config\.json "redis\/\/nope" is not a Redis URL/);
    // Nothing ran.
    expect(existsSync(path.join(dir, '.synth', 'catalog.json'))).toBe(false);
  }, 60_000);
});
