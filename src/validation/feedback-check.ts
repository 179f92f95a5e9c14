import { z } from 'zod';
import { MaterializationError, type Check } from '../engine/index.js';
import { feedbackOfRows, feedbackPatterns, patternCoverage, type PatternCoverage } from '../feedback/index.js';
import { commonCheckShape, makeCheck } from './make-check.js';

export const FeedbackCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /** Dep key of the feedback source (declared with `feedback()`) in the validation's deps. @example 'errors' */
  feedback: z.string().min(1),
  /** Fewest records a pattern needs to count as known. Default 1. @example 2 */
  minCount: z.number().int().min(1).default(1),
});
/** Options of `checks.feedback()`: `feedback` (dep key, required), `minCount` (default 1). */
export type FeedbackCheckOptions = z.input<typeof FeedbackCheckOptionsSchema>;

/** What `checks.feedback()` records in the report. */
export interface FeedbackCheckDetails {
  kind: 'feedback';
  patterns: Array<Omit<PatternCoverage, 'pattern'> & PatternCoverage['pattern']>;
  covered: number;
  total: number;
}

/**
 * How many known failure patterns (feedback records grouped by error type, column and context)
 * the target data covers: it has rows in the pattern's context and none repeats a reported
 * wrong value. Score = covered / patterns (threshold 1: every pattern covered).
 * @example checks.feedback({ feedback: 'errors', minCount: 2 })
 */
export function feedbackCheck(options: FeedbackCheckOptions): Check {
  return makeCheck('feedback', FeedbackCheckOptionsSchema, options, 1, (ctx, o) => {
    const rows = ctx.inputs[o.feedback];
    if (!Array.isArray(rows)) {
      throw new MaterializationError({
        what: `checks.feedback() of "${ctx.asset}" names the input "${o.feedback}", which is ${rows === undefined ? 'not one of its deps' : 'not rows'}.`,
        why: 'The check reads the feedback records from a dependency of the validation.',
        fix: `Add the feedback source to deps, e.g. deps: { products, ${o.feedback}: myFeedback }.`,
        asset: ctx.asset,
      });
    }
    const patterns = feedbackPatterns(feedbackOfRows(rows, `feedback "${o.feedback}" record`)).filter((p) => p.count >= o.minCount);
    const coverage = patterns.map((p) => patternCoverage(ctx.rows, p));
    const covered = coverage.filter((c) => c.covered).length;
    const details: FeedbackCheckDetails = { kind: 'feedback', patterns: coverage.map(({ pattern, ...c }) => ({ ...pattern, ...c })), covered, total: patterns.length };
    const open = coverage.filter((c) => !c.covered);
    return {
      score: patterns.length ? covered / patterns.length : 1,
      summary: `${covered}/${patterns.length} known failure patterns covered${
        open.length
          ? `; not covered: ${open
              .slice(0, 3)
              .map((c) => describe(c))
              .join('; ')}${open.length > 3 ? '; ...' : ''}`
          : ''
      }`,
      details: { ...details },
      metrics: { covered, patterns: patterns.length },
    };
  });
}

function describe(c: PatternCoverage): string {
  const when = Object.entries(c.pattern.when)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  const what = `${c.pattern.error}${c.pattern.column ? ` on ${c.pattern.column}` : ''}${when ? ` when ${when}` : ''}`;
  return c.rows === 0 ? `${what} (no such rows)` : `${what} (${c.repeating} of ${c.rows} rows repeat it)`;
}
