import type { Row } from '../../engine/index.js';

/**
 * The structural shape of a compiled rule (src/rules produces these); declared here so the
 * metrics do not depend on the rules engine.
 */
export interface RuleLike {
  /** The rule as written, e.g. `if category == "Electronics", price > 50`. */
  readonly text: string;
  /** True when the row satisfies the rule. */
  test(row: Row): boolean;
}

export interface RuleViolations {
  rule: string;
  violations: number;
  /** violations / rows (0 for no rows). */
  violation_rate: number;
  /** Indexes of the first violating rows. */
  examples: number[];
  /** Set when `test` threw on some row (a thrown test counts as a violation). */
  error?: string;
}

export interface RulesCheck {
  total: number;
  /** Rows violating at least one rule. */
  rows_with_violations: number;
  /** Share of rows satisfying every rule; 1 for an empty input. */
  pass_rate: number;
  rules: RuleViolations[];
}

/**
 * Counts the violations of each rule over the rows.
 * @param maxExamples how many violating row indexes to keep per rule. Default 5.
 */
export function rulesCheck(rows: readonly Row[], rules: readonly RuleLike[], maxExamples = 5): RulesCheck {
  const bad = new Uint8Array(rows.length);
  const out: RuleViolations[] = rules.map((rule) => {
    let violations = 0;
    let error: string | undefined;
    const examples: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      let ok: boolean;
      try {
        ok = rule.test(rows[i]);
      } catch (err) {
        ok = false;
        error ??= `row ${i}: ${err instanceof Error ? err.message : String(err)}`;
      }
      if (ok) continue;
      violations++;
      bad[i] = 1;
      if (examples.length < maxExamples) examples.push(i);
    }
    return { rule: rule.text, violations, violation_rate: rows.length ? violations / rows.length : 0, examples, ...(error ? { error } : {}) };
  });
  let withViolations = 0;
  for (let i = 0; i < bad.length; i++) withViolations += bad[i];
  return { total: rows.length, rows_with_violations: withViolations, pass_rate: rows.length ? 1 - withViolations / rows.length : 1, rules: out };
}
