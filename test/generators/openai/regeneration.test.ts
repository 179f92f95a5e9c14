import { afterEach, describe, expect, it } from 'vitest';
import { OpenAIGenerator } from '../../../src/generators/openai/index.js';
import { requestedCount, startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { batchOf, productsRequest, roundOf, ruleBreaking, SECRET_KEY, tempStateDirs, underDelivering } from './openai-test-kit.js';

const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: SECRET_KEY } });

/** Answers in a shuffled order: each request waits 0–19 ms, at random (not from the seed). */
const shuffled = () => ({ delayMs: Math.floor(Math.random() * 20) });

describe('openai generator: pipelined regeneration', () => {
  let server: FakeOpenAIServer;
  const { dir, removeAll } = tempStateDirs();
  afterEach(async () => {
    await server?.close();
    removeAll();
  });

  it('a rule-breaking server reaches the exact row count, the same bytes whatever the arrival order, and a cached re-run sends nothing', async () => {
    server = await startFakeOpenAIServer({ rowFactory: ruleBreaking, script: shuffled });
    const config = { batchSize: 20, concurrency: 8 };
    const first = await generator.generate(productsRequest(server.url, dir(), { rows: 200, config }));
    const sent = server.chatRequests;
    expect(first.rows).toHaveLength(200);
    expect(first.metadata.rejected).toMatchObject({ rule: expect.any(Number) });
    expect((first.metadata.rejected as { rule: number }).rule).toBeGreaterThan(20);
    // Budget: rows asked stay within 1.3× what a 4-in-5 yield needs, every request counted once.
    expect(first.metadata.requested as number).toBeLessThanOrEqual(Math.ceil((1.3 * 200) / 0.8));
    expect((first.metadata.requests as { total: number }).total).toBe(sent);

    server.reset();
    const stateDir = dir();
    const second = await generator.generate(productsRequest(server.url, stateDir, { rows: 200, config }));
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(server.chatRequests).toBe(sent);

    server.reset();
    const cached = await generator.generate(productsRequest(server.url, stateDir, { rows: 200, config }));
    expect(server.chatRequests).toBe(0);
    expect(JSON.stringify(cached.rows)).toBe(JSON.stringify(first.rows));
    expect(cached.metadata.requests).toMatchObject({ sent: 0, cached: sent });
  });

  it('an under-delivering server reaches the row count: requests are sized to what it really returns', async () => {
    server = await startFakeOpenAIServer({ rowFactory: underDelivering(4), script: shuffled });
    const result = await generator.generate(productsRequest(server.url, dir(), { rows: 500, config: { batchSize: 20, concurrency: 8 } }));
    expect(result.rows).toHaveLength(500);
    // 25 batches: one request of 20 (answered with 4) each, then 4 requests of 4: 125, the least 500 rows can take.
    expect(server.chatRequests).toBe(125);
    const regenerations = server.requests.filter((r) => roundOf(r) > 0);
    expect(regenerations.length).toBe(100);
    expect(regenerations.every((r) => requestedCount(r.body!) === 4)).toBe(true);
  });

  it('a server both short and rule-breaking still reaches the exact count, deterministically', async () => {
    server = await startFakeOpenAIServer({ rowFactory: underDelivering(6, ruleBreaking), script: shuffled });
    const config = { batchSize: 20, concurrency: 8 };
    const a = await generator.generate(productsRequest(server.url, dir(), { rows: 300, config }));
    const requests = server.chatRequests;
    expect(a.rows).toHaveLength(300);
    // Budget: about 300 / (6 × 0.8) = 63 requests are needed; the first request of each of the 15 batches over-asks.
    expect(requests).toBeLessThanOrEqual(Math.ceil(300 / (6 * 0.8)) + 15 + 10);
    server.reset();
    const b = await generator.generate(productsRequest(server.url, dir(), { rows: 300, config }));
    expect(JSON.stringify(b.rows)).toBe(JSON.stringify(a.rows));
    expect(server.chatRequests).toBe(requests);
  });

  it("sends a batch's replacement as soon as its rejections are known, while another batch is still unanswered", async () => {
    let replacementArrived: () => void = () => {};
    const replacement = new Promise<void>((resolve) => (replacementArrived = resolve));
    server = await startFakeOpenAIServer({
      rowFactory: ruleBreaking,
      onRequest: (r) => {
        if (batchOf(r) === 0 && roundOf(r) === 1) replacementArrived();
      },
      // Batch 1 is answered only once batch 0's replacement has arrived: waiting for a whole round would never end.
      script: (r) => (batchOf(r) === 1 && roundOf(r) === 0 ? { until: replacement } : undefined),
    });
    const result = await generator.generate(productsRequest(server.url, dir(), { rows: 40, config: { batchSize: 20, concurrency: 4 } }));
    expect(result.rows).toHaveLength(40);
    const order = server.requests.map((r) => `${batchOf(r)}.${roundOf(r)}`);
    expect(order.slice(0, 3).sort()).toEqual(['0.0', '0.1', '1.0']);
  });
});
