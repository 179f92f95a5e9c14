import { fileURLToPath } from 'node:url';
import { compileRule, loadPromptFile, violatedRules, type CompiledRule } from '../src/rules/index.js';

export const title = 'Rule evaluation throughput (compiled closures, 1M rows)';

const ROWS = 1_000_000;
const CATEGORIES = ['Electronics', 'Books', 'Home', 'Toys', 'Garden'];
const prompts = fileURLToPath(new URL('../prompts', import.meta.url));

function makeRows(n: number): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648; // deterministic LCG: same rows every run
    const row: Record<string, unknown> = { name: `item-${i}`, category: CATEGORIES[x % 5], price: (x % 20000) / 100, features: ['a', 'b'] };
    if (x % 97 === 0) delete row.price; // some missing fields, as generated data has
    rows[i] = row;
  }
  return rows;
}

function timeIt(fn: () => number): { ms: number; result: number } {
  const start = process.hrtime.bigint();
  const result = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

export default async function (): Promise<Record<string, string | number>[]> {
  const prompt = loadPromptFile(prompts, 'ecommerce_v1');
  const rules: CompiledRule[] = [
    prompt.rules[0],
    compileRule('price >= $0.5 and price < 200', { index: 1 }),
    compileRule('category in ["Electronics", "Books", "Home", "Toys"] or (len(name) > 3 and not category == "Garden")', { index: 2 }),
  ];
  const rows = makeRows(ROWS);
  const out: Record<string, string | number>[] = [];

  // Warm-up so the JIT has optimised the closures before timing.
  for (let i = 0; i < 100_000; i++) violatedRules(rules, rows[i]);

  const all = timeIt(() => {
    let failing = 0;
    for (const row of rows) for (const rule of rules) if (!rule.test(row)) failing++;
    return failing;
  });
  out.push({
    case: '1M rows x 3 rules (rule.test)',
    ms: Math.round(all.ms),
    'rows/s': Math.round(ROWS / (all.ms / 1000)),
    'rule checks/s': Math.round((ROWS * 3) / (all.ms / 1000)),
    failures: all.result,
  });

  const violated = timeIt(() => {
    let failing = 0;
    for (const row of rows) failing += violatedRules(rules, row).length;
    return failing;
  });
  out.push({
    case: '1M rows x 3 rules (violatedRules)',
    ms: Math.round(violated.ms),
    'rows/s': Math.round(ROWS / (violated.ms / 1000)),
    'rule checks/s': Math.round((ROWS * 3) / (violated.ms / 1000)),
    failures: violated.result,
  });

  const contract = timeIt(() => {
    let failing = 0;
    for (const row of rows) if (!rules[0].test(row)) failing++;
    return failing;
  });
  out.push({
    case: '1M rows x contract rule',
    ms: Math.round(contract.ms),
    'rows/s': Math.round(ROWS / (contract.ms / 1000)),
    'rule checks/s': Math.round(ROWS / (contract.ms / 1000)),
    failures: contract.result,
  });

  const compile = timeIt(() => {
    for (let i = 0; i < 10_000; i++) compileRule(`if category == "Electronics", price > ${i}`);
    return 10_000;
  });
  out.push({ case: 'compileRule x 10k', ms: Math.round(compile.ms), 'rows/s': '-', 'rule checks/s': '-', failures: '-' });

  const load = timeIt(() => {
    for (let i = 0; i < 1000; i++) loadPromptFile(prompts, 'ecommerce_v1');
    return 1000;
  });
  out.push({ case: 'loadPromptFile x 1k', ms: Math.round(load.ms), 'rows/s': '-', 'rule checks/s': '-', failures: '-' });
  return out;
}
