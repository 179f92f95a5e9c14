import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { GenerateRequest } from '../../../src/generators/generator.js';
import { parsePromptFile } from '../../../src/rules/index.js';
import type { RecordedRequest, RowFactory } from '../../support/fake-openai-server.js';

/** A key distinctive enough to grep for: it must never reach the disk. */
export const SECRET_KEY = 'sk-test-SECRET-7f3a9c1e5b2d4680';

export const Product = z.object({
  name: z.string().describe('product name'),
  category: z.enum(['Electronics', 'Home', 'Books']),
  price: z.number().positive().describe('price in USD'),
});
export type Product = z.infer<typeof Product>;

export const PROMPT_YAML = `prompt_id: products_v1
domain: ecommerce
template: >
  Generate {{rows}} product records with fields: name, category, price
rules:
  - if category == "Electronics", price > 50
`;

/** Valid, distinct rows: name from seed and position, Electronics always above 50. */
export const validRows: RowFactory = ({ count, seed }) =>
  Array.from({ length: count }, (_, i) => ({
    name: `product-${seed}-${i}`,
    category: (['Electronics', 'Home', 'Books'] as const)[i % 3],
    price: 60 + i,
  }));

/** Valid rows except about one in five, which breaks the rule (an Electronics product under 50), fixed by seed and position. */
export const ruleBreaking: RowFactory = (input) => validRows(input).map((row, i) => (mix(input.seed, i) % 5 === 0 ? { ...(row as object), category: 'Electronics', price: 20 } : row));

/** Returns at most `cap` rows whatever it is asked, as servers running small models do. */
export const underDelivering =
  (cap: number, factory: RowFactory = validRows): RowFactory =>
  (input) =>
    factory({ ...input, count: Math.min(input.count, cap) });

function mix(seed: number, i: number): number {
  return Math.imul(seed ^ Math.imul(i + 1, 0x9e3779b1), 0x85ebca6b) >>> 0;
}

/** Batch number written in the prompt ("This is batch N"). */
export function batchOf(request: RecordedRequest): number {
  const messages = (request.body?.messages ?? []) as Array<{ content: string }>;
  for (const m of messages) {
    const match = /This is batch (\d+)/.exec(m.content);
    if (match) return Number(match[1]);
  }
  return -1;
}

/** Regeneration round written in the prompt ("regeneration round N"); 0 for a batch's first request. */
export function roundOf(request: RecordedRequest): number {
  const messages = (request.body?.messages ?? []) as Array<{ content: string }>;
  for (const m of messages) {
    const match = /regeneration round (\d+)/.exec(m.content);
    if (match) return Number(match[1]);
  }
  return 0;
}

export interface Captured {
  progress: Array<[number, number, Record<string, number> | undefined]>;
  warnings: string[];
}

export function tempStateDir(): string {
  return mkdtempSync(join(tmpdir(), 'synth-openai-'));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Temporary state folders made by a test block: `dir()` makes one, `removeAll()` (in afterEach) removes every one made. */
export function tempStateDirs(): { dir: () => string; removeAll: () => void } {
  const dirs: string[] = [];
  return {
    dir: () => {
      const d = tempStateDir();
      dirs.push(d);
      return d;
    },
    removeAll: () => {
      for (const d of dirs.splice(0)) removeDir(d);
    },
  };
}

/** Number of cache entries under a state folder. */
export function cacheEntries(stateDir: string): number {
  const root = join(stateDir, 'llm-cache');
  let n = 0;
  try {
    for (const sub of readdirSync(root)) n += readdirSync(join(root, sub)).filter((f) => f.endsWith('.json')).length;
  } catch {
    return 0;
  }
  return n;
}

/** A generate request for the products dataset against `baseURL`. */
export function productsRequest(
  baseURL: string,
  stateDir: string,
  options: { rows?: number; config?: Record<string, unknown>; signal?: AbortSignal; seed?: number } = {},
): GenerateRequest & { captured: Captured } {
  const captured: Captured = { progress: [], warnings: [] };
  return {
    asset: 'products',
    schema: Product,
    prompt: parsePromptFile('prompts/products_v1.yaml', PROMPT_YAML),
    rows: options.rows ?? 30,
    seed: options.seed ?? 42,
    config: { provider: 'openai', model: 'fake-model-2024-07-18', temperature: 0.7, baseURL, batchSize: 10, ...options.config },
    stateDir,
    signal: options.signal ?? new AbortController().signal,
    progress: (done, total, detail) => captured.progress.push([done, total, detail]),
    warn: (message) => captured.warnings.push(message),
    captured,
  };
}
