/**
 * Run by local-generator.bench.ts in fresh processes: one case, twice (cold: the first call of
 * the process, paying for faker's locale data and the JIT; warm: the second). Prints ms and counts.
 *   local-generator-probe.ts <case>   (ecommerce-10k | ecommerce-100k | penguins-10k | penguins-100k | penguins-hints-10k)
 */
import { generate, Penguin, penguinsReference, Product, repoPrompt } from '../test/generators/local/support.js';

const CASES = {
  'ecommerce-10k': () => ({ prompt: repoPrompt('ecommerce_v1'), schema: Product, rows: 10_000 }),
  'ecommerce-100k': () => ({ prompt: repoPrompt('ecommerce_v1'), schema: Product, rows: 100_000 }),
  'penguins-10k': () => ({ prompt: repoPrompt('penguins_v1'), schema: Penguin, rows: 10_000, reference: penguinsReference() }),
  'penguins-100k': () => ({ prompt: repoPrompt('penguins_v1'), schema: Penguin, rows: 100_000, reference: penguinsReference() }),
  'penguins-hints-10k': () => ({ prompt: repoPrompt('penguins_v1'), schema: Penguin, rows: 10_000 }),
} as const;

const c = CASES[process.argv[2] as keyof typeof CASES]();
const once = async () => {
  const start = process.hrtime.bigint();
  const out = await generate(c.prompt, c);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, rows: out.rows.length, resampled: out.metadata.resampled as number };
};
const cold = await once();
const warm = await once();
process.stdout.write(JSON.stringify({ cold, warm }));
