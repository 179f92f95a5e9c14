import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaterializationError } from '../../../src/engine/errors.js';
import { OpenAIGenerator, priceOf } from '../../../src/generators/openai/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { cacheEntries, productsRequest, SECRET_KEY, tempStateDirs, validRows } from './openai-test-kit.js';

const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: SECRET_KEY } });
/** $1 per 1k tokens: large enough to make a handful of requests cost real money. */
const prices = { 'fake-model-2024-07-18': { input: 1000, output: 1000 } };

describe('openai generator: cost, budget and estimates', () => {
  let server: FakeOpenAIServer;
  const { dir, removeAll } = tempStateDirs();

  beforeEach(async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows });
  });
  afterEach(async () => {
    await server.close();
    removeAll();
  });

  it('prices built-in models and accepts overrides', () => {
    expect(priceOf('gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(priceOf('gpt-4o-2024-05-13')).toEqual({ input: 5, output: 15 });
    expect(priceOf('llama3.1:8b')).toBeNull();
    expect(priceOf('llama3.1:8b', { 'llama3.1:8b': { input: 0, output: 0.1 } })).toEqual({ input: 0, output: 0.1 });
  });

  it('estimates what a run would send, and nothing once every response is cached', async () => {
    const stateDir = dir();
    const config = { prices };
    const before = await generator.estimate(productsRequest(server.url, stateDir, { rows: 50, config }));
    expect(before.requests).toBe(5);
    expect(before.cached_requests).toBe(0);
    expect(before.prompt_tokens).toBeGreaterThan(0);
    expect(before.completion_tokens).toBeGreaterThan(0);
    expect(before.cost_usd).toBeCloseTo((before.prompt_tokens + before.completion_tokens) / 1000, 5);
    expect(server.chatRequests).toBe(0);

    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 50, config }));
    const tokens = result.metadata.tokens as { prompt: number; completion: number };
    expect(result.metadata.cost_usd).toBeCloseTo((tokens.prompt + tokens.completion) / 1000, 5);
    expect(result.metadata.price_usd_per_1m).toEqual(prices['fake-model-2024-07-18']);

    const after = await generator.estimate(productsRequest(server.url, stateDir, { rows: 50, config }));
    expect(after).toEqual({ requests: 0, prompt_tokens: 0, completion_tokens: 0, cost_usd: 0, cached_requests: 5 });

    // Twice the rows: the first 5 requests are cached, only the 5 new ones count.
    const more = await generator.estimate(productsRequest(server.url, stateDir, { rows: 100, config }));
    expect(more.requests).toBe(5);
    expect(more.cached_requests).toBe(5);
  });

  it('stops at maxCost, keeps what it received, and resumes when the budget is raised', async () => {
    // One full run elsewhere tells what a request really costs on this server.
    const probe = await generator.generate(productsRequest(server.url, dir(), { rows: 50, config: { prices } }));
    const perRequest = (probe.metadata.cost_usd as number) / 5;
    server.reset();

    const stateDir = dir();
    const maxCost = perRequest * 2.5;
    const run = generator.generate(productsRequest(server.url, stateDir, { rows: 50, config: { prices, maxCost, concurrency: 1 } }));
    const err = (await run.then(
      () => null,
      (e: unknown) => e,
    )) as MaterializationError;
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toContain(`cost limit of $${maxCost}`);
    expect(err.why).toMatch(/\$\d+\.\d{4} spent on \d+ responses/);
    expect(err.why).toContain('It stopped on spend: with $'); // one request at a time: nothing is ever reserved at the check
    expect(err.fix).toContain('Raise maxCost');
    const sent = server.chatRequests;
    expect(sent).toBeGreaterThanOrEqual(1);
    expect(sent).toBeLessThan(5);
    expect(cacheEntries(stateDir)).toBe(sent);

    server.reset();
    const resumed = await generator.generate(productsRequest(server.url, stateDir, { rows: 50, config: { prices, maxCost: 1e9, concurrency: 1 } }));
    expect(resumed.rows).toHaveLength(50);
    expect(server.chatRequests).toBe(5 - sent);
    expect(resumed.metadata.requests).toMatchObject({ sent: 5 - sent, cached: sent });
  });

  it('says when it stopped on the reservations of requests in flight rather than on spend', async () => {
    const probe = await generator.generate(productsRequest(server.url, dir(), { rows: 50, config: { prices } }));
    const perRequest = (probe.metadata.cost_usd as number) / 5;
    server.reset();
    // Five requests at once, a budget for about two: the third is refused while two are in flight.
    const err = (await generator.generate(productsRequest(server.url, dir(), { rows: 50, config: { prices, maxCost: perRequest * 2.5, concurrency: 5 } })).then(
      () => null,
      (e: unknown) => e,
    )) as MaterializationError;
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.why).toMatch(/It stopped on a reservation: when \$\d+\.\d{4} was spent and \$\d+\.\d{4} reserved by [1-9]\d* request\(s\) in flight/);
  });
});
