import type { Check, CheckContext, CheckOutcome } from '../engine/check.js';
import { canonicalJson } from '../engine/hashing.js';

/** Options every check takes. */
export interface CheckOptions {
  /** When true, a failure blocks every downstream asset and the run exits 1. Default: false. */
  blocking?: boolean;
  /** Minimum score to pass, in [0, 1]. Defaults per check (schema 1, rules 1, unique 1). */
  threshold?: number;
  /** Name of the check in reports. Default: the check's kind (e.g. `'rules'`). */
  name?: string;
}

function make(kind: string, options: CheckOptions, defaults: { threshold: number }, config: unknown, run: (ctx: CheckContext) => CheckOutcome | Promise<CheckOutcome>): Check {
  return Object.freeze({
    name: options.name ?? kind,
    blocking: options.blocking ?? false,
    threshold: options.threshold ?? defaults.threshold,
    config: { kind, ...((config as object) ?? {}) },
    run,
  });
}

/** Share of rows that pass the dataset's zod schema; details list the first failing rows. */
function schema(options: CheckOptions & { examples?: number } = {}): Check {
  const examples = options.examples ?? 5;
  return make('schema', options, { threshold: 1 }, { examples }, (ctx) => {
    if (!ctx.schema) return { score: 1, summary: 'no schema (not a generated dataset)', details: {} };
    const failures: { row: number; errors: string[] }[] = [];
    let bad = 0;
    ctx.rows.forEach((row, i) => {
      const r = ctx.schema!.safeParse(row);
      if (!r.success) {
        bad++;
        if (failures.length < examples) failures.push({ row: i, errors: r.error.issues.map((iss) => `${iss.path.join('.') || '(row)'}: ${iss.message}`) });
      }
    });
    const n = ctx.rows.length;
    const score = n === 0 ? 1 : (n - bad) / n;
    return { score, summary: `${n - bad}/${n} rows match the schema`, details: { invalid: bad, examples: failures }, metrics: { invalid: bad } };
  });
}

/** Violations per rule of the dataset's prompt file; score = share of rows that satisfy every rule. */
function rules(options: CheckOptions & { examples?: number } = {}): Check {
  const examples = options.examples ?? 3;
  return make('rules', options, { threshold: 1 }, { examples }, (ctx) => {
    const perRule = ctx.rules.map((r) => ({ rule: r.text, line: r.line ?? null, violations: 0, examples: [] as number[] }));
    let badRows = 0;
    ctx.rows.forEach((row, i) => {
      let bad = false;
      ctx.rules.forEach((rule, k) => {
        if (!rule.test(row)) {
          bad = true;
          perRule[k].violations++;
          if (perRule[k].examples.length < examples) perRule[k].examples.push(i);
        }
      });
      if (bad) badRows++;
    });
    const n = ctx.rows.length;
    const score = n === 0 ? 1 : (n - badRows) / n;
    const broken = perRule.filter((r) => r.violations > 0);
    return {
      score,
      summary: broken.length ? broken.map((r) => `${r.violations}× "${r.rule}"`).join('; ') : `all ${ctx.rules.length} rules hold on ${n} rows`,
      details: { rules: perRule, file: ctx.promptFile ?? null },
      metrics: { violating_rows: badRows },
    };
  });
}

/** Duplicate rows, null rates per column and (optionally) key uniqueness; score = share of distinct rows. */
function unique(options: CheckOptions & { key?: string[] } = {}): Check {
  const key = options.key ?? [];
  return make('unique', options, { threshold: 1 }, { key }, (ctx) => {
    const seen = new Set<string>();
    const keys = new Set<string>();
    let duplicates = 0;
    let duplicateKeys = 0;
    const nulls: Record<string, number> = {};
    for (const row of ctx.rows) {
      const text = canonicalJson(row);
      if (seen.has(text)) duplicates++;
      else seen.add(text);
      if (key.length) {
        const k = canonicalJson(key.map((f) => row[f]));
        if (keys.has(k)) duplicateKeys++;
        else keys.add(k);
      }
      for (const [col, v] of Object.entries(row)) {
        nulls[col] ??= 0;
        if (v === null || v === undefined || v === '') nulls[col]++;
      }
    }
    const n = ctx.rows.length;
    const nullRates = Object.fromEntries(Object.entries(nulls).map(([c, k]) => [c, n ? k / n : 0]));
    const score = n === 0 ? 1 : (n - duplicates - duplicateKeys) / n;
    return {
      score: Math.max(0, score),
      summary: `${duplicates} duplicate rows${key.length ? `, ${duplicateKeys} duplicate keys (${key.join(', ')})` : ''}`,
      details: { duplicates, duplicate_keys: duplicateKeys, null_rates: nullRates },
      metrics: { duplicates, duplicate_keys: duplicateKeys },
    };
  });
}

/** Built-in checks for `validation({ checks: [...] })`. */
export const checks = { schema, rules, unique };
