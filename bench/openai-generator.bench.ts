import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GenerateRequest } from '../src/generators/generator.js';
import { OpenAIGenerator } from '../src/generators/openai/index.js';
import { parsePromptFile } from '../src/rules/index.js';
import { PROMPT_YAML, Product, validRows } from '../test/generators/openai/openai-test-kit.js';
import { startFakeOpenAIServer } from '../test/support/fake-openai-server.js';

export const title = 'OpenAI generator against a local fake server (real SDK, real HTTP)';

const prompt = parsePromptFile('prompts/products_v1.yaml', PROMPT_YAML);

const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: 'sk-bench' } });

function request(baseURL: string, stateDir: string, rows: number, concurrency: number): GenerateRequest {
  return {
    asset: 'products',
    schema: Product,
    prompt,
    rows,
    seed: 7,
    config: { provider: 'openai', model: 'fake-model-2024-07-18', baseURL, batchSize: 20, concurrency },
    stateDir,
    signal: new AbortController().signal,
    progress: () => {},
    warn: () => {},
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

export default async function (): Promise<Record<string, string | number>[]> {
  const out: Record<string, string | number>[] = [];
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'synth-openai-bench-'));
    dirs.push(d);
    return d;
  };
  try {
    // 1,000 rows, 20 rows/request, 8 in flight, 100 ms per answer: ideal = ceil(50/8) × 100 ms.
    const slow = await startFakeOpenAIServer({ rowFactory: validRows, latencyMs: 100 });
    try {
      // The first request of a process pays one-time costs (Node's fetch, the SDK, JIT): about
      // 100 ms on this machine. Measured separately, so the figure below is the scheduling.
      const [, warmupMs] = await timed(() => generator.generate(request(slow.url, dir(), 20, 8)));
      out.push({ case: 'first request of the process (warm-up, 1 request × 100 ms)', wall_ms: Math.round(warmupMs), ideal_ms: 100, ratio: Number((warmupMs / 100).toFixed(2)), target: '-', requests: 1, rows: 20 });
      slow.reset();
      const [result, ms] = await timed(() => generator.generate(request(slow.url, dir(), 1_000, 8)));
      const ideal = Math.ceil(50 / 8) * 100;
      out.push({
        case: '1,000 rows, 50 requests × 100 ms, concurrency 8',
        wall_ms: Math.round(ms),
        ideal_ms: ideal,
        ratio: Number((ms / ideal).toFixed(2)),
        target: '≤ 1.2× ideal',
        requests: slow.chatRequests,
        rows: result.rows.length,
      });
    } finally {
      await slow.close();
    }

    // 100,000 rows: fill the cache once (no latency), then time the cached re-run.
    const fast = await startFakeOpenAIServer({ rowFactory: validRows });
    try {
      const stateDir = dir();
      const [cold, coldMs] = await timed(() => generator.generate(request(fast.url, stateDir, 100_000, 16)));
      out.push({
        case: '100,000 rows cold (5,000 requests, 0 ms latency, concurrency 16)',
        wall_ms: Math.round(coldMs),
        ideal_ms: '-',
        ratio: '-',
        target: '-',
        requests: fast.chatRequests,
        rows: cold.rows.length,
      });
      fast.reset();
      const [warm, warmMs] = await timed(() => generator.generate(request(fast.url, stateDir, 100_000, 16)));
      out.push({
        case: '100,000 rows cached re-run',
        wall_ms: Math.round(warmMs),
        ideal_ms: '-',
        ratio: '-',
        target: '< 1000 ms, 0 requests',
        requests: fast.chatRequests,
        rows: warm.rows.length,
      });
    } finally {
      await fast.close();
    }
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return out;
}
