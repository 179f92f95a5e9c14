import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MaterializationError, RetryableError, UsageError, type SynthError } from '../../../src/engine/errors.js';
import { OpenAIGenerator } from '../../../src/generators/openai/index.js';
import { startFakeOpenAIServer, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import { batchOf, cacheEntries, roundOf, productsRequest, removeDir, SECRET_KEY, tempStateDir, validRows } from './openai-test-kit.js';

const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: SECRET_KEY } });

async function failure(promise: Promise<unknown>): Promise<SynthError> {
  try {
    await promise;
  } catch (err) {
    return err as SynthError;
  }
  throw new Error('expected the generation to fail');
}

function fullText(err: SynthError): string {
  return [err.message, err.what, err.why, err.fix, String((err.cause as Error | undefined)?.message ?? '')].join('\n');
}

describe('openai generator: retries, rejections and failures', () => {
  let server: FakeOpenAIServer;
  let stateDir: string;

  beforeEach(() => {
    stateDir = tempStateDir();
  });
  afterEach(async () => {
    await server?.close();
    removeDir(stateDir);
  });

  it('retries 429 (honouring retry-after) and 500, and counts the retries', async () => {
    server = await startFakeOpenAIServer({
      rowFactory: validRows,
      script: (r) => {
        if (batchOf(r) === 0 && r.occurrence === 1) return { status: 429, retryAfterMs: 30, code: 'rate_limit_exceeded' };
        if (batchOf(r) === 1 && r.occurrence <= 2) return { status: 500 };
        return undefined;
      },
    });
    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 30 }));
    expect(result.rows).toHaveLength(30);
    expect(server.chatRequests).toBe(3 + 1 + 2);
    expect(server.distinctBodies).toBe(3);
    expect(result.metadata.requests).toEqual({ total: 3, sent: 3, cached: 0, retries: 3 });
  });

  it("a 429's Retry-After also holds the requests already queued in the limiter", async () => {
    const arrivals: number[] = [];
    let pauseEnds = 0;
    server = await startFakeOpenAIServer({
      rowFactory: validRows,
      onRequest: () => arrivals.push(Date.now()),
      script: (r) => {
        if (r.index !== 1) return undefined;
        pauseEnds = Date.now() + 800;
        return { status: 429, retryAfterMs: 800, code: 'rate_limit_exceeded' };
      },
    });
    // One at a time: the four other requests wait in the limiter's queue while the first gets its 429.
    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 50, config: { concurrency: 1 } }));
    expect(result.rows).toHaveLength(50);
    expect(arrivals).toHaveLength(6);
    // Nothing was sent while the server asked to hold off (10 ms for the timer's granularity).
    for (const t of arrivals.slice(1)) expect(t).toBeGreaterThanOrEqual(pauseEnds - 10);
  });

  it('fails with a retryable error once retries run out on 5xx', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows, script: () => ({ status: 503, message: 'overloaded' }) });
    const err = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 10, config: { maxRetries: 2 } })));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.retryable).toBe(true);
    expect(err.what).toContain(server.url);
    expect(err.what).toContain("'products'");
    expect(server.chatRequests).toBe(3);
  });

  it('drops rows that break the schema or a rule and duplicates, regenerates them, and records the counts', async () => {
    const good = (seed: number, i: number) => ({ name: `p-${seed}-${i}`, category: 'Home', price: 10 + i });
    server = await startFakeOpenAIServer({
      rowFactory: ({ count, seed, request }) => {
        const rows: unknown[] = Array.from({ length: count }, (_, i) => good(seed, i));
        if (batchOf(request) === 0 && roundOf(request) === 0) {
          rows[1] = { name: 'bad price', category: 'Home', price: -5 }; // schema: price must be positive
          rows[2] = { name: 'cheap tv', category: 'Electronics', price: 20 }; // rule: Electronics > 50
          rows[3] = rows[0]; // exact duplicate
          rows[4] = { name: 'no category', price: 3 }; // schema: missing field
        }
        return rows;
      },
    });
    const request = productsRequest(server.url, stateDir, { rows: 10, config: { concurrency: 1 } });
    const result = await generator.generate(request);
    expect(result.rows).toHaveLength(10);
    expect(result.rows.some((r) => r.name === 'cheap tv' || r.name === 'bad price')).toBe(false);
    expect(result.metadata).toMatchObject({
      rounds: 2,
      requested: 17,
      received: 17,
      valid: 10,
      surplus: 3,
      rejected: { schema: 2, rule: 1, duplicate: 1, total: 4 },
      duplicates: 1,
      rule_violations: { 'if category == "Electronics", price > 50': 1 },
      requests: { sent: 2, cached: 0 },
    });
    // The regeneration request asked for the 4 missing rows divided by the yield seen (6 of 10): 7, in round 1.
    const last = JSON.stringify(server.requests[1].body?.messages);
    expect(last).toContain('Return exactly 7 rows');
    expect(last).toContain('regeneration round 1');

    server.reset();
    const again = await generator.generate(productsRequest(server.url, stateDir, { rows: 10, config: { concurrency: 1 } }));
    expect(server.chatRequests).toBe(0);
    expect(JSON.stringify(again.rows)).toBe(JSON.stringify(result.rows));
  });

  it('fails with a report when the retry budget runs out', async () => {
    server = await startFakeOpenAIServer({
      rowFactory: ({ count, seed }) => Array.from({ length: count }, (_, i) => ({ name: `tv-${seed}-${i}`, category: 'Electronics', price: 5 })),
    });
    const err = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 10, config: { maxRounds: 2 } })));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toMatch(/only 0 of 10 valid rows/);
    expect(err.why).toMatch(/30 rows rejected for rule/);
    expect(err.why).toContain('price > 50');
    expect(server.chatRequests).toBe(3);
  });

  it('says so when the server ignores the schema', async () => {
    server = await startFakeOpenAIServer({ script: () => ({ content: 'Sure! Here are some great products: a lamp, a book.' }) });
    const err = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 20 })));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toContain('ignores the response schema');
    expect(err.fix).toContain("structuredOutput: 'json_object'");
    expect(err.why).toContain('not JSON');
    expect(server.chatRequests).toBe(4);
  });

  it('falls back to json_object: schema in the prompt, rows parsed and checked by us', async () => {
    server = await startFakeOpenAIServer({
      script: (r) =>
        (r.body?.response_format as { type: string }).type === 'json_schema'
          ? { status: 400, message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model." }
          : undefined,
    });
    const schemaErr = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 10 })));
    expect(schemaErr).toBeInstanceOf(MaterializationError);
    expect(schemaErr.fix).toContain("structuredOutput: 'json_object'");

    server.reset();
    const result = await generator.generate(productsRequest(server.url, stateDir, { rows: 10, config: { structuredOutput: 'json_object' } }));
    expect(server.requests[0].body?.response_format).toEqual({ type: 'json_object' });
    expect(JSON.stringify(server.requests[0].body?.messages)).toContain('JSON schema of one row');
    // The default row factory read the schema from the prompt: enum values and positive prices.
    expect(result.rows).toHaveLength(10);
    expect(result.rows.every((r) => ['Electronics', 'Home', 'Books'].includes(r.category as string) && (r.price as number) > 0)).toBe(true);
    expect(result.metadata.structured_output).toBe('json_object');
  });

  it('requires a key for remote servers, from the environment only', async () => {
    const noKey = new OpenAIGenerator({ env: {} });
    const missing = await failure(noKey.generate(productsRequest('https://llm.example.invalid/v1', stateDir)));
    expect(missing).toBeInstanceOf(UsageError);
    expect(missing.why).toContain('OPENAI_API_KEY');
    expect(missing.what).toContain('https://llm.example.invalid/v1');

    const custom = await failure(noKey.generate(productsRequest('https://llm.example.invalid/v1', stateDir, { config: { apiKeyEnv: 'MY_LLM_KEY' } })));
    expect(custom.fix).toContain('export MY_LLM_KEY=');

    const literal = await failure(generator.generate(productsRequest('https://llm.example.invalid/v1', stateDir, { config: { apiKey: 'sk-literal-123' } })));
    expect(literal).toBeInstanceOf(UsageError);
    expect(literal.what).toContain('literal API key');
    expect(fullText(literal)).not.toContain('sk-literal-123');

    const typo = await failure(generator.generate(productsRequest('https://llm.example.invalid/v1', stateDir, { config: { temprature: 0.5 } })));
    expect(typo).toBeInstanceOf(UsageError);
    expect(typo.why).toContain('temprature');
  });

  it('lets a local server run without a key', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows });
    const noKey = new OpenAIGenerator({ env: {} });
    const result = await noKey.generate(productsRequest(server.url.replace('127.0.0.1', 'localhost'), stateDir, { rows: 10 }));
    expect(result.rows).toHaveLength(10);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-no-key');
  });

  it('reports a rejected key (401) without retrying and without repeating the key', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows, requireKey: 'sk-the-right-one' });
    const err = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 10 })));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.retryable).toBe(false);
    expect(err.what).toContain('rejected the API key');
    expect(err.what).toContain('401');
    expect(err.what).toContain(server.url);
    expect(err.why).toContain('Incorrect API key provided');
    expect(fullText(err)).not.toContain(SECRET_KEY);
    expect(server.chatRequests).toBe(1);
    expect(cacheEntries(stateDir)).toBe(0);
  });

  it('reports an unknown model (404) with the models the server has', async () => {
    server = await startFakeOpenAIServer({ rowFactory: validRows, models: ['llama3.1:8b', 'qwen2.5:7b'] });
    const err = await failure(generator.generate(productsRequest(server.url, stateDir, { rows: 10, config: { model: 'lama3.1:8b' } })));
    expect(err).toBeInstanceOf(MaterializationError);
    expect(err.what).toContain("Model 'lama3.1:8b' was not found");
    expect(err.fix).toContain('llama3.1:8b, qwen2.5:7b');
  });

  it('reports an unreachable server as retryable', async () => {
    const port = await closedPort();
    const err = await failure(generator.generate(productsRequest(`http://127.0.0.1:${port}/v1`, stateDir, { rows: 10, config: { maxRetries: 1 } })));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.what).toContain(`Cannot reach the LLM server http://127.0.0.1:${port}/v1`);
    expect(err.fix).toMatch(/Start the local server/);
  });
});

/** A port nothing listens on (bound then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
