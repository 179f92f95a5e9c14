/**
 * Run by rules.bench.ts in fresh processes: each case of rule evaluation twice, the first pass
 * cold (closures not yet optimised), the second warm. Prints `{ [case]: { cold_ms, warm_ms, count } }`.
 */
import { fileURLToPath } from 'node:url';
import { compileRule, loadPromptFile, violatedRules, type CompiledRule } from '../src/rules/index.js';

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

const prompt = loadPromptFile(prompts, 'ecommerce_v1');
const rules: CompiledRule[] = [
  prompt.rules[0],
  compileRule('price >= $0.5 and price < 200', { index: 1 }),
  compileRule('category in ["Electronics", "Books", "Home", "Toys"] or (len(name) > 3 and not category == "Garden")', { index: 2 }),
];
const rows = makeRows(ROWS);

const cases: Record<string, () => number> = {
  '1M rows x 3 rules (rule.test)': () => {
    let failing = 0;
    for (const row of rows) for (const rule of rules) if (!rule.test(row)) failing++;
    return failing;
  },
  '1M rows x 3 rules (violatedRules)': () => {
    let failing = 0;
    for (const row of rows) failing += violatedRules(rules, row).length;
    return failing;
  },
  '1M rows x contract rule': () => {
    let failing = 0;
    for (const row of rows) if (!rules[0].test(row)) failing++;
    return failing;
  },
  'compileRule x 10k': () => {
    for (let i = 0; i < 10_000; i++) compileRule(`if category == "Electronics", price > ${i}`);
    return 10_000;
  },
  'loadPromptFile x 1k': () => {
    for (let i = 0; i < 1000; i++) loadPromptFile(prompts, 'ecommerce_v1');
    return 1000;
  },
};

function time(fn: () => number): { ms: number; count: number } {
  const start = process.hrtime.bigint();
  const count = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, count };
}

const out: Record<string, { cold_ms: number; warm_ms: number; count: number }> = {};
for (const [name, fn] of Object.entries(cases)) {
  const cold = time(fn);
  const warm = time(fn);
  out[name] = { cold_ms: cold.ms, warm_ms: warm.ms, count: cold.count };
}
process.stdout.write(JSON.stringify(out));
