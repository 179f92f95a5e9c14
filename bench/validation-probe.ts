/**
 * Run by validation.bench.ts in fresh processes: 1,000,000 rows × 8 columns checked against a
 * 100,000-row reference, both read from the object store (JSONL, as a validation asset reads its
 * inputs), rules written in the rule language and compiled as prompt files are. The whole pass
 * runs twice: cold (first in the process) and warm. Prints seconds per step and peak RSS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import { decodeJsonl, encodeJsonl } from '../src/engine/codec.js';
import type { Row } from '../src/engine/rows.js';
import { ObjectStore } from '../src/engine/store.js';
import { createRng } from '../src/models/index.js';
import { compileRule } from '../src/rules/rule.js';
import { psiReport, qualityReport, rulesCheck, schemaPassRate } from '../src/validation/metrics/index.js';

const CATS = {
  c1: ['red', 'green', 'blue'],
  c2: ['S', 'M', 'L', 'XL', 'XXL'],
  c3: Array.from({ length: 10 }, (_, i) => `region-${i}`),
  c4: Array.from({ length: 50 }, (_, i) => `sku-${i}`),
} as const;

function makeRows(n: number, seed: number, shift: number): Row[] {
  const rng = createRng(seed);
  const pick = (xs: readonly string[]) => xs[Math.floor(rng() * rng() * xs.length)];
  const rows = new Array<Row>(n);
  for (let i = 0; i < n; i++) {
    const n1 = rng() * 100 + shift;
    rows[i] = {
      n1,
      n2: n1 * 0.5 + rng() * 20,
      n3: Math.round(rng() * 1000) / 10,
      n4: -Math.log(1 - rng()) * 40,
      c1: pick(CATS.c1),
      c2: pick(CATS.c2),
      c3: pick(CATS.c3),
      c4: pick(CATS.c4),
    };
  }
  return rows;
}

const Schema = z.object({
  n1: z.number(),
  n2: z.number(),
  n3: z.number().min(0).max(100),
  n4: z.number().nonnegative(),
  c1: z.enum(CATS.c1),
  c2: z.enum(CATS.c2),
  c3: z.string(),
  c4: z.string().startsWith('sku-'),
});

const rules = ['if c1 == "red", n1 > 5', 'n2 < 60'].map((text) => compileRule(text));

const dir = mkdtempSync(path.join(tmpdir(), 'synth-validation-bench-'));
try {
  const store = new ObjectStore(dir);
  // Setup, not timed: the rows as a materialized dataset leaves them in the store.
  const currentHash = store.put(encodeJsonl(makeRows(1_000_000, 1, 3)));
  const referenceHash = store.put(encodeJsonl(makeRows(100_000, 2, 0)));
  const pass = () => {
    const steps: Record<string, number> = {};
    const step = <T>(name: string, fn: () => T): T => {
      const t0 = performance.now();
      const result = fn();
      steps[name] = (performance.now() - t0) / 1000;
      return result;
    };
    const t0 = performance.now();
    const [current, reference] = step('load 1,000,000 + 100,000 rows from the store (read + JSONL decode)', () => [
      decodeJsonl(store.getText(currentHash)),
      decodeJsonl(store.getText(referenceHash)),
    ]);
    step('schema pass rate (zod safeParse per row)', () => schemaPassRate(current, Schema));
    step('rules check (2 rules in the rule language)', () => rulesCheck(current, rules));
    step('fidelity: KS/TV + 28 pair trends (quality report)', () => qualityReport(reference, current));
    step('PSI, 8 columns', () => psiReport(reference, current));
    steps['total (load + the four checks)'] = (performance.now() - t0) / 1000;
    return steps;
  };
  const cold = pass();
  const warm = pass();
  process.stdout.write(JSON.stringify({ cold, warm, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
