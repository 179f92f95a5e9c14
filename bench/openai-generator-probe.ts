/**
 * Run by openai-generator.bench.ts in fresh processes against the bench's fake server: one
 * generation (cold: the first of the process, paying for the SDK, fetch and the JIT), then the
 * same in a new state folder (warm). Prints times and the requests each sent.
 * Usage: openai-generator-probe.ts <baseURL> <rows> <concurrency> [stateDir to reuse]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAIGenerator } from '../src/generators/openai/index.js';
import { parsePromptFile } from '../src/rules/index.js';
import { PROMPT_YAML, Product } from '../test/generators/openai/openai-test-kit.js';

const [baseURL, rowsText, concurrencyText, reuse] = process.argv.slice(2);
const generator = new OpenAIGenerator({ env: { OPENAI_API_KEY: 'sk-bench' } });
const prompt = parsePromptFile('prompts/products_v1.yaml', PROMPT_YAML);

async function once(stateDir: string): Promise<{ ms: number; sent: number; rows: number }> {
  const start = performance.now();
  const result = await generator.generate({
    asset: 'products',
    schema: Product,
    prompt,
    rows: Number(rowsText),
    seed: 7,
    config: { provider: 'openai', model: 'fake-model-2024-07-18', baseURL, batchSize: 20, concurrency: Number(concurrencyText) },
    stateDir,
    signal: new AbortController().signal,
    progress: () => {},
    warn: () => {},
  });
  return { ms: performance.now() - start, sent: (result.metadata.requests as { sent: number }).sent, rows: result.rows.length };
}

const dirs: string[] = [];
const dir = () => {
  const d = mkdtempSync(join(tmpdir(), 'synth-openai-probe-'));
  dirs.push(d);
  return d;
};
try {
  if (reuse) {
    process.stdout.write(JSON.stringify({ cold: await once(reuse) }));
  } else {
    const cold = await once(dir());
    const warm = await once(dir());
    process.stdout.write(JSON.stringify({ cold, warm }));
  }
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
