import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeProject, removeProject, synthAsync } from '../support/project.js';
import { startRedis, type TestRedis } from '../support/redis-server.js';
import { startWorker, stopWorkers, synthJsonAsync } from './queue-kit.js';

const KEY = 'sk-test-queue-5c2e';
const RPM = 60;
/** What the limiter lets through: a bucket of 10 seconds' worth, refilled at rpm/60 a second. */
const BURST = RPM / 6;

// 80 rows in batches of 5: 16 first-round requests, cut into 8 shards. One row in three requests
// breaks the rule (Electronics under 50), so the coordinator asks again for the rejected rows.
const defs = (url: string) => `
import { z } from 'zod';
import { dataset } from 'synthgraph';
export const products = dataset({
  name: 'products',
  schema: z.object({ name: z.string(), category: z.enum(['Electronics', 'Home', 'Books']), price: z.number().positive() }),
  prompt: 'ecommerce_v1',
  rows: 80,
  seed: 7,
  generator: { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', baseURL: '${url}', batchSize: 5, rpm: ${RPM}, concurrency: 8 },
});`;

interface RunJson {
  ok: boolean;
  assets: { asset: string; outcome: string; data_hash: string | null }[];
}

let redis: TestRedis;
let server: FakeOpenAIServer;
const arrivals: number[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  process.env.OPENAI_API_KEY = KEY;
  redis = await startRedis();
  server = await startFakeOpenAIServer({
    rowFactory: ({ count, seed }) =>
      Array.from({ length: count }, (_, i) => ({
        name: `item ${seed}-${i}`,
        category: (['Electronics', 'Books', 'Home'] as const)[i % 3],
        price: i === 0 && seed % 3 === 0 ? 10 : 60 + i,
      })),
    onRequest: () => arrivals.push(Date.now()),
  });
});
afterAll(async () => {
  await server?.close();
  await redis?.destroy();
  for (const d of dirs) removeProject(d);
});

/** Most requests the server saw within any window of `ms`. */
function mostWithin(times: number[], ms: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i] && t < times[i] + ms).length);
  return most;
}

function project(): string {
  const dir = makeProject({ 'src/assets/index.ts': defs(server.url) }, { examples: true });
  dirs.push(dir);
  return dir;
}

describe('a sharded LLM dataset over 3 workers', () => {
  it('gives the bytes of a single-process run, sends each request once, and holds the shared rate limit', async () => {
    const single = project();
    const one = await synthAsync(single, ['materialize', '--json']).done;
    expect(one.code, one.stderr).toBe(0);
    const singleRun = JSON.parse(one.stdout) as RunJson;
    const singleRequests = server.chatRequests;
    const singleBodies = server.requests.map((r) => r.hash).sort();
    expect(singleRequests).toBeGreaterThan(16); // the first round, then the rejected rows asked again

    server.reset();
    arrivals.length = 0;
    const dir = project();
    const workers = await Promise.all([1, 2, 3].map(() => startWorker(dir, redis.url)));
    let run;
    try {
      run = await synthJsonAsync<RunJson>(dir, ['materialize', '--queue', redis.url]);
    } finally {
      await stopWorkers(workers);
    }
    expect(run.code, run.stderr).toBe(0);
    // Same bytes as the single-process run.
    expect(run.json.assets[0].data_hash).toBe(singleRun.assets[0].data_hash);
    const store = (d: string, h: string) => readFileSync(path.join(d, '.synth', 'objects', h.slice(0, 2), h.slice(2)));
    expect(store(dir, run.json.assets[0].data_hash!).equals(store(single, singleRun.assets[0].data_hash!))).toBe(true);
    // No request paid twice: the same requests as one process, each sent once.
    expect(server.chatRequests).toBe(singleRequests);
    expect(server.requests.map((r) => r.hash).sort()).toEqual(singleBodies);
    // The shards ran on several workers.
    const shardWorkers = workers.filter((w) => w.events().some((e) => e.event === 'job-finished' && e.shard !== null));
    expect(shardWorkers.length).toBeGreaterThan(1);
    expect(workers.flatMap((w) => w.events().filter((e) => e.event === 'job-finished' && e.shard !== null))).toHaveLength(8);
    // The rpm budget held across the workers (counted at the server): within any second, at most
    // the bucket plus one refill (and one for the limiter's 250 ms heartbeat). Three unshared
    // buckets would let all 16 first-round requests through at once.
    expect(mostWithin(arrivals, 1000)).toBeLessThanOrEqual(BURST + 2);
    expect(mostWithin(arrivals, 60_000)).toBeLessThanOrEqual(BURST + RPM);
    // The record says how it was made.
    const shown = await synthJsonAsync<{ metadata: { queue_shards: Record<string, number> } }>(dir, ['show', 'products']);
    expect(shown.json.metadata.queue_shards).toMatchObject({ shards: 8, parts: 16, sent: 16 });
  }, 180_000);
});
