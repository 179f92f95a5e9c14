import { canonicalJson, type Row } from '../engine/index.js';
import type { FeedbackRecord } from './feedback-record.js';

type Scalar = string | number | boolean | null;

/** Records with the same error type, column and context: one known failure pattern. */
export interface FeedbackPattern {
  error: string;
  column?: string;
  /** The context every record of the pattern shares (`fields`). */
  when: Record<string, Scalar>;
  /** How many records show it. */
  count: number;
  /** Wrong values seen. */
  wrong: Scalar[];
  /** Correct values given. */
  correct: Scalar[];
}

/** Groups records into patterns, most frequent first (ties by error, column, context: stable). */
export function feedbackPatterns(records: readonly FeedbackRecord[]): FeedbackPattern[] {
  const groups = new Map<string, FeedbackPattern>();
  for (const r of records) {
    const when = r.fields ?? {};
    const key = canonicalJson([r.error, r.column ?? null, when]);
    let p = groups.get(key);
    if (!p) groups.set(key, (p = { error: r.error, ...(r.column ? { column: r.column } : {}), when, count: 0, wrong: [], correct: [] }));
    p.count++;
    if (r.value !== undefined && !p.wrong.includes(r.value)) p.wrong.push(r.value);
    if (r.correct !== undefined && !p.correct.includes(r.correct)) p.correct.push(r.correct);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || canonicalJson([a.error, a.column, a.when]).localeCompare(canonicalJson([b.error, b.column, b.when])));
}

/** True when a row matches a pattern's context. */
export function matchesContext(row: Row, when: Record<string, Scalar>): boolean {
  for (const [k, v] of Object.entries(when)) if (row[k] !== v) return false;
  return true;
}

/** How a pattern shows in data: rows in its context, and how many of them repeat a wrong value. */
export interface PatternCoverage {
  pattern: FeedbackPattern;
  /** Rows matching the context. */
  rows: number;
  /** Of those, rows whose column holds one of the wrong values. */
  repeating: number;
  /** The data has the case and does not repeat the error. */
  covered: boolean;
}

/**
 * Whether data covers a pattern: it has rows in the pattern's context (so a model sees the case)
 * and none of them carries a wrong value the feedback reported for the column.
 */
export function patternCoverage(rows: readonly Row[], pattern: FeedbackPattern): PatternCoverage {
  let inContext = 0;
  let repeating = 0;
  for (const row of rows) {
    if (!matchesContext(row, pattern.when)) continue;
    inContext++;
    if (pattern.column && pattern.wrong.includes(row[pattern.column] as Scalar)) repeating++;
  }
  return { pattern, rows: inContext, repeating, covered: inContext > 0 && repeating === 0 };
}
