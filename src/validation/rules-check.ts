import { z } from 'zod';
import { type Check, type RuleLike, PromptFileError } from '../engine/index.js';
import { compileRule } from '../rules/index.js';
import { rulesCheck as countViolations } from './metrics/index.js';
import { commonCheckShape, makeCheck, promptPathForUsers } from './make-check.js';

export const RulesCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /** How many violating row indexes the report keeps per rule. Default 3. @example 10 */
  examples: z.number().int().min(0).default(3),
  /**
   * Extra rules, in the prompt files' rule language, checked in addition to the target's prompt
   * rules. Use them for constraints you want to verify but not generate by (the local generator
   * enforces prompt rules while generating), or to check a source or plain asset, which has no
   * prompt. Compiled when the definitions load: a malformed rule is exit 2 with what is wrong.
   * Default: none. @example ['price < 1000', 'if category == "Books", price < 80']
   */
  rules: z.array(z.string()).default([]),
  /** Whether the target's prompt-file rules are checked. Default true. @example false */
  promptRules: z.boolean().default(true),
});
/** Options of `checks.rules()`. */
export type RulesCheckOptions = z.input<typeof RulesCheckOptionsSchema>;

/** One rule's line in the report. */
export interface RuleReport {
  rule: string;
  /** `prompt`: from the target's prompt file; `check`: from the check's `rules` option. */
  origin: 'prompt' | 'check';
  /** 1-based line in the prompt file, for prompt rules. */
  line: number | null;
  violations: number;
  violation_rate: number;
  /** Indexes of the first violating rows. */
  examples: number[];
  error?: string;
}

/** What `checks.rules()` records in the report. */
export interface RulesCheckDetails {
  kind: 'rules';
  /** The target's prompt file as `prompts/<id>.yaml`, or null. */
  file: string | null;
  total: number;
  rows_with_violations: number;
  rules: RuleReport[];
}

/**
 * Violations per rule of the target's prompt file (plus any `rules` given here);
 * score = share of rows that satisfy every rule (threshold 1).
 * @example checks.rules({ blocking: true, rules: ['price < 1000'] })
 */
export function rulesCheck(options: RulesCheckOptions = {}): Check {
  // Compile extra rules now, so a typo fails when the definitions load, not mid-run.
  const extra: RuleLike[] = (options.rules ?? []).map((text, index) => {
    try {
      return compileRule(text, { index });
    } catch (err) {
      if (!(err instanceof PromptFileError)) throw err;
      throw new PromptFileError({ what: `checks.rules({ rules }): ${err.what}`, why: err.why, fix: err.fix, cause: err });
    }
  });
  return makeCheck('rules', RulesCheckOptionsSchema, options, 1, (ctx, o) => {
    const fromPrompt = o.promptRules ? ctx.rules : [];
    const all = [...fromPrompt, ...extra];
    const file = promptPathForUsers(ctx.promptFile) ?? null;
    const r = countViolations(ctx.rows, all, o.examples);
    const rules: RuleReport[] = r.rules.map((v, i) => ({
      rule: v.rule,
      origin: i < fromPrompt.length ? 'prompt' : 'check',
      line: i < fromPrompt.length ? (fromPrompt[i].line ?? null) : null,
      violations: v.violations,
      violation_rate: v.violation_rate,
      examples: v.examples,
      ...(v.error ? { error: v.error } : {}),
    }));
    const details: RulesCheckDetails = { kind: 'rules', file, total: r.total, rows_with_violations: r.rows_with_violations, rules };
    const broken = rules.filter((x) => x.violations > 0);
    const summary =
      all.length === 0
        ? 'no rules to check'
        : broken.length
          ? `${r.rows_with_violations}/${r.total} rows break a rule: ${broken.map((x) => `${x.violations}× "${x.rule}"`).join('; ')}`
          : `${all.length === 1 ? 'the rule holds' : `all ${all.length} rules hold`} on ${r.total} rows`;
    return { score: r.pass_rate, summary, details: { ...details }, metrics: { violating_rows: r.rows_with_violations } };
  });
}
