import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaterializationError } from '../../../src/engine/errors.js';
import { OpenAIGenerator } from '../../../src/generators/openai/index.js';
import { violatedRules } from '../../../src/rules/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { batchOf, cacheEntries, Product, productsRequest, removeDir, SECRET_KEY, tempStateDir, validRows } from './openai-test-kit.js';

const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: SECRET_KEY } });

describe('openai generator: generation, cache and resume', () => {
  let server: FakeOpenAIServer;
  let stateDir: string;
  const dirs: string[] = [];

  beforeEach(() => {
    stateDir = tempStateDir();
    dirs.push(stateDir);
  });
  afterEach(async () => {
    await server?.close();
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('returns exactly the requested valid rows in batch order, and a re-run sends nothing and gives the same bytes', async () => {
    // Later batches answer first: the order must still follow the batch number.
    server = await startFakeOpenAIServer({ rowFactory: validRows, requireKey: SECRET_KEY, script: (r) => ({ delayMs: (5 - batchOf(r)) * 15 }) });
    const request = productsRequest(server.url, stateDir, { rows: 45, config: { concurrency: 5 } });
    const first = await generator.generate(request);

    expect(first.rows).toHaveLength(45);
    for (const row of first.rows) {
      expect(Product.safeParse(row).success).toBe(true);
      expect(violatedRules(request.prompt.rules, row)).toEqual([]);
    }
    expect(new Set(first.rows.map((r) => JSON.stringify(r))).size).toBe(45);
    expect(server.chatRequests).toBe(5);
    // Batch 0's rows come first even though batch 0 answered last.
    const seeds = first.metadata.request_seeds as number[];
    expect(seeds).toHaveLength(5);
    expect(new Set(seeds).size).toBe(5);
    expect(first.rows[0]).toEqual({ name: `product-${seeds[0]}-0`, category: 'Electronics', price: 60 });
    expect(first.rows[40]).toMatchObject({ name: `product-${seeds[4]}-0` });
    // Each request carried its own seed and the configured temperature.
    expect(server.requests.map((r) => r.body?.seed).sort()).toEqual([...seeds].sort());
    expect(server.requests.every((r) => r.body?.temperature === 0.7)).toBe(true);

    const meta = first.metadata;
    expect(meta).toMatchObject({
      provider: 'openai',
      model: 'fake-model-2024-07-18',
      response_models: { 'fake-model-2024-07-18': 5 },
      system_fingerprints: { fp_fake: 5 },
      temperature: 0.7,
      seed: 42,
      requested: 45,
      valid: 45,
      rejected: { schema: 0, rule: 0, duplicate: 0, total: 0 },
      requests: { total: 5, sent: 5, cached: 0, retries: 0 },
      base_url: server.url,
    });
    expect((meta.tokens as { prompt: number }).prompt).toBeGreaterThan(0);
    expect((meta.tokens as { completion: number }).completion).toBeGreaterThan(0);
    expect(request.captured.progress.at(-1)?.slice(0, 2)).toEqual([45, 45]);
    expect(cacheEntries(stateDir)).toBe(5);

    const again = productsRequest(server.url, stateDir, { rows: 45, config: { concurrency: 5 } });
    const second = await generator.generate(again);
    expect(server.chatRequests).toBe(5);
    expect(JSON.stringify(second.rows)).toBe(JSON.stringify(first.rows));
    expect(second.metadata.requests).toEqual({ total: 5, sent: 0, cached: 5, retries: 0 });
    expect(second.metadata.tokens).toEqual(first.metadata.tokens);
  });

  it('with llmCache: false calls the server again and still writes the cache', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows });
    await generator.generate(productsRequest(server.url, stateDir, { rows: 20 }));
    expect(server.chatRequests).toBe(2);
    const fresh = await generator.generate(productsRequest(server.url, stateDir, { rows: 20, config: { llmCache: false } }));
    expect(server.chatRequests).toBe(4);
    expect(fresh.metadata.requests).toMatchObject({ sent: 2, cached: 0 });
    expect(cacheEntries(stateDir)).toBe(2);
  });

  it('never writes the API key to the state folder or the metadata, but sends it as a bearer token', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows, requireKey: SECRET_KEY });
    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 20 }));
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(cacheEntries(stateDir)).toBe(2);
    // grep exits 1 when nothing matches.
    const grep = () => execFileSync('grep', ['-r', '-l', SECRET_KEY, stateDir], { stdio: 'pipe' });
    expect(grep).toThrow(expect.objectContaining({ status: 1 }));
    expect(execFileSync('grep', ['-r', '-l', 'fp_fake', stateDir]).toString()).toContain('.json');
    expect(JSON.stringify(result.metadata)).not.toContain(SECRET_KEY);
  });

  it('resumes an interrupted run: only the requests without a cached response are sent again', async () => {
    const total = 6;
    const k = 3;
    const controller = new AbortController();
    server = await startFakeOpenAIServer({
      rowFactory: validRows,
      latencyMs: 40,
      // The (k+1)-th request is in flight when the run is interrupted: k responses are complete.
      onRequest: (r) => {
        if (r.index === k + 1) controller.abort(new Error('user pressed ctrl-c'));
      },
    });
    const interrupted = generator.generate(productsRequest(server.url, stateDir, { rows: total * 10, config: { concurrency: 1 }, signal: controller.signal }));
    await expect(interrupted).rejects.toThrow(MaterializationError);
    await expect(interrupted).rejects.toThrow(/interrupted/);
    expect(cacheEntries(stateDir)).toBe(k);

    server.reset();
    const resumed = await generator.generate(productsRequest(server.url, stateDir, { rows: total * 10, config: { concurrency: 1 } }));
    expect(server.chatRequests).toBe(total - k);
    expect(resumed.metadata.requests).toMatchObject({ sent: total - k, cached: k });

    // Same bytes as an uninterrupted run in another state folder.
    const other = tempStateDir();
    dirs.push(other);
    const straight = await generator.generate(productsRequest(server.url, other, { rows: total * 10, config: { concurrency: 3 } }));
    expect(JSON.stringify(resumed.rows)).toBe(JSON.stringify(straight.rows));
  });

  it('runs under requests-per-minute and tokens-per-minute budgets', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows });
    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 40, config: { rpm: 6000, tpm: 60_000, concurrency: 2 } }));
    expect(result.rows).toHaveLength(40);
    expect(server.chatRequests).toBe(4);
  });

  it('warns about an undated model alias', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows });
    const request = productsRequest(server.url, stateDir, { rows: 10, config: { model: 'gpt-4o' } });
    await generator.generate(request);
    expect(request.captured.warnings.join('\n')).toMatch(/gpt-4o.*drift/);
    const pinned = productsRequest(server.url, stateDir, { rows: 10, config: { model: 'gpt-4o-2024-08-06' } });
    await generator.generate(pinned);
    expect(pinned.captured.warnings).toEqual([]);
  });
});
