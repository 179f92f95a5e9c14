import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synthJson } from '../support/project.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { catalogContent, startWorker, stopWorkers, synthJsonAsync } from './queue-kit.js';

interface RunJson {
  ok: boolean;
  assets: { asset: string; outcome: string; data_hash: string | null; cache_key: string | null }[];
}

// The example pipelines computed by 2 and 3 `synth worker` processes through a real Redis give
// the bytes and the catalog records of a run in one process.
describe('synth materialize --queue on the example pipelines', () => {
  let redis: TestRedis;
  const dirs: string[] = [];
  let single: { run: RunJson; catalog: unknown[] };

  beforeAll(async () => {
    redis = await startRedis();
    const dir = makeProject({}, { examples: true });
    dirs.push(dir);
    const { code, json } = synthJson<RunJson>(dir, ['materialize']);
    expect(code).toBe(0);
    single = { run: json, catalog: catalogContent(dir) };
  }, 120_000);

  afterAll(async () => {
    await redis?.destroy();
    for (const d of dirs) removeProject(d);
  });

  for (const workers of [2, 3]) {
    it(`${workers} workers + coordinator: same data hashes and catalog content as one process`, async () => {
      const dir = makeProject({}, { examples: true });
      dirs.push(dir);
      const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(dir, redis.url)));
      try {
        const { code, json } = await synthJsonAsync<RunJson>(dir, ['materialize', '--queue', redis.url]);
        expect(code, JSON.stringify(json.assets?.filter((a) => a.outcome === 'failed'))).toBe(0);
        expect(json.ok).toBe(true);
        const hashes = (r: RunJson) => Object.fromEntries(r.assets.map((a) => [a.asset, [a.outcome, a.data_hash, a.cache_key]]));
        expect(hashes(json)).toEqual(hashes(single.run));
        expect(catalogContent(dir)).toEqual(single.catalog);
        // The work was really spread: every asset was computed by a worker, not by the coordinator.
        const finished = procs.flatMap((p) => p.events().filter((e) => e.event === 'job-finished'));
        expect(finished.map((e) => e.asset).sort()).toEqual(json.assets.map((a) => a.asset).sort());
        expect(procs.filter((p) => p.events().some((e) => e.event === 'job-finished')).length).toBeGreaterThan(1);
      } finally {
        await stopWorkers(procs);
      }
      // Graceful shutdown: each worker said it stopped and exited 0.
      for (const p of procs) {
        expect((await p.done).code).toBe(0);
        expect(p.events().at(-1)?.event).toBe('closed');
      }
    }, 180_000);
  }
});
