import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../support/fake-openai-server.js';
import { makeProject, removeProject, synthAsync } from '../support/project.js';

const KEY = 'sk-test-DO-NOT-STORE-4b1d';

function defs(url: string, extra = ''): string {
  return `
import { z } from 'zod';
import { dataset } from 'synthgraph';
export const products = dataset({
  name: 'products',
  schema: z.object({
    name: z.string().describe('product name'),
    category: z.enum(['Electronics', 'Home', 'Books', 'Toys', 'Sports']),
    price: z.number().positive(),
  }),
  prompt: 'ecommerce_v1',
  rows: 60,
  seed: 42,
  generator: { provider: 'openai', model: 'gpt-4o-mini-2024-07-18', temperature: 0.7, baseURL: '${url}', batchSize: 20${extra} },
});`;
}

/** Runs the CLI without blocking this process, so the fake server in it can answer. */
async function run(dir: string, args: string[]) {
  const r = await synthAsync(dir, args, { OPENAI_API_KEY: KEY }).done;
  return { ...r, json: args.includes('--json') ? JSON.parse(r.stdout) : undefined };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

let server: FakeOpenAIServer;
let dir: string;
beforeAll(async () => {
  server = await startFakeOpenAIServer({
    // Prices within the contract rule: Electronics above 50.
    rowFactory: ({ count, seed }) => Array.from({ length: count }, (_, i) => ({ name: `item ${seed}-${i}`, category: ['Electronics', 'Books'][i % 2], price: 60 + i })),
  });
  dir = makeProject({}, { examples: true });
  // Replace the example pipelines with one LLM dataset pointed at the fake server.
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path.join(dir, 'src/assets/index.ts'), defs(server.url));
});
afterAll(async () => {
  await server.close();
  removeProject(dir);
});

describe('an LLM dataset through the CLI (real openai SDK, local OpenAI-compatible server)', () => {
  it('estimates the spend in --dry-run, then generates exactly the rows asked for', async () => {
    const plan = await run(dir, ['materialize', '--dry-run', '--json']);
    expect(plan.json.assets[0]).toMatchObject({ asset: 'products', action: 'run' });
    expect(plan.json.assets[0].estimate.requests).toBe(3);
    expect(server.chatRequests).toBe(0);

    const first = await run(dir, ['materialize', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.json.assets[0]).toMatchObject({ asset: 'products', outcome: 'materialized', rows: 60 });
    expect(server.chatRequests).toBe(3);

    const shown = await run(dir, ['show', 'products', '--json']);
    expect(shown.json.metadata).toMatchObject({ valid: 60 });
    expect(JSON.stringify(shown.json)).toContain('fp_fake');
  });

  it('sends nothing when re-materialized, and again with --no-llm-cache --force', async () => {
    const again = await run(dir, ['materialize', '--json']);
    expect(again.json.assets[0].outcome).toBe('fresh');
    const forced = await run(dir, ['materialize', '--force', '--json']);
    expect(forced.json.assets[0].outcome).toBe('materialized');
    expect(server.chatRequests).toBe(3); // every response came from the per-request cache
    const fresh = await run(dir, ['materialize', '--force', '--no-llm-cache', '--json']);
    expect(fresh.json.assets[0].outcome).toBe('materialized');
    expect(server.chatRequests).toBe(6);
    // The operational flag is not part of the cache key: the dataset is still fresh.
    const status = await run(dir, ['status', '--json']);
    expect(status.json[0].state).toBe('fresh');
  });

  it('never writes the API key under .synth/', () => {
    expect(server.requests.some((r) => JSON.stringify(r.headers).includes(KEY))).toBe(true);
    for (const file of filesUnder(path.join(dir, '.synth'))) expect(readFileSync(file, 'utf8').includes(KEY), file).toBe(false);
  });

  it('never writes credentials written into the server URL', async () => {
    const other = makeProject({}, { examples: true });
    try {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(other, 'src/assets/index.ts'), defs(server.url.replace('http://', 'http://alice:url-secret-77@')));
      const r = await run(other, ['materialize', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const files = filesUnder(path.join(other, '.synth'));
      expect(files.some((f) => f.endsWith('catalog.json'))).toBe(true);
      // The compiled definitions are a copy of the user's own source file, which holds the URL as written.
      for (const file of files.filter((f) => !f.includes(`${path.sep}cache${path.sep}defs${path.sep}`))) {
        expect(readFileSync(file, 'utf8').includes('url-secret-77'), file).toBe(false);
      }
    } finally {
      removeProject(other);
    }
  });

  it('an unreachable server fails the dataset with a clear message', async () => {
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, 'src/assets/index.ts'), defs('http://127.0.0.1:9/v1', ', maxRetries: 0'));
    const r = await run(dir, ['materialize', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.assets[0].outcome).toBe('failed');
    expect(r.json.assets[0].error).toMatch(/127\.0\.0\.1:9/);
  });
});
