import type { z } from 'zod';
import type { Row } from '../src/engine/rows.js';
import type { PromptFile } from '../src/rules/index.js';
import { generate, Penguin, penguinsReference, Product, repoPrompt } from '../test/generators/local/support.js';

export const title = 'Local generator (embedded, seeded): ecommerce rows/s and penguins fitting (target: 100k ecommerce rows < 2 s)';

async function time(prompt: PromptFile, schema: z.ZodObject, rows: number, reference?: Row[]): Promise<{ ms: number; rows: number; resampled: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const out = await generate(prompt, { schema, rows, reference });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const bytes = out.rows.reduce((s, r) => s + JSON.stringify(r).length + 1, 0);
  return { ms, rows: out.rows.length, resampled: out.metadata.resampled as number, bytes };
}

export default async function (): Promise<Record<string, string | number>[]> {
  const ecommerce = repoPrompt('ecommerce_v1');
  const penguins = repoPrompt('penguins_v1');
  const reference = penguinsReference();
  const out: Record<string, string | number>[] = [];
  const row = (label: string, r: Awaited<ReturnType<typeof time>>) =>
    out.push({ case: label, ms: Math.round(r.ms), 'rows/s': Math.round(r.rows / (r.ms / 1000)), resampled: r.resampled, 'JSONL MB': (r.bytes / 1e6).toFixed(1) });

  // Cold: the first call in the process pays for faker's locale data and the JIT.
  row('ecommerce 10k rows (cold, first call)', await time(ecommerce, Product, 10_000));
  row('ecommerce 10k rows (warm)', await time(ecommerce, Product, 10_000));
  row('ecommerce 100k rows', await time(ecommerce, Product, 100_000));
  row('penguins: fit 344 reference rows + 10k rows', await time(penguins, Penguin, 10_000, reference));
  row('penguins: fit 344 reference rows + 100k rows', await time(penguins, Penguin, 100_000, reference));
  row('penguins: no reference (hints only), 10k rows', await time(penguins, Penguin, 10_000));
  return out;
}
