import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { num, pct } from './format.js';
import { privacyReport, PrivacyOptionsSchema, type PrivacyReport } from './metrics/privacy.js';
import { commonCheckShape, makeCheck, requireReference } from './make-check.js';

export const PrivacyCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  // holdout, seed, maxCopyRate, maxIdentifierReuse, maxRows: the privacy report's own options.
  ...PrivacyOptionsSchema.shape,
});
/**
 * Options of `checks.privacy()`: `holdout` (0.3) and `seed` (0) of the real split the generator
 * was fitted to, `maxCopyRate` (default: the real data's own duplicate rate + 0.01),
 * `maxIdentifierReuse` (0), `maxRows` (2000), plus `threshold` on the DCR score (default 0.8).
 * @example checks.privacy({ holdout: 0.3, seed: 7, blocking: true })
 */
export type PrivacyCheckOptions = z.input<typeof PrivacyCheckOptionsSchema>;

/** What `checks.privacy()` records in the report. */
export interface PrivacyCheckDetails extends PrivacyReport {
  kind: 'privacy';
  /** What failed, if anything. */
  problems: string[];
}

/**
 * Whether the synthetic target leaks the validation's `reference` (real) rows: exact copies of
 * real rows, real values of identifier/name/text columns reused, and the distance to the closest
 * real record against a real hold-out (SDMetrics' DCROverfittingProtection: the check's score).
 * Fails when the score is below the threshold (default 0.8), when more rows are copies than
 * `maxCopyRate`, or when identifier values are reused beyond `maxIdentifierReuse`.
 * @example checks.privacy({ holdout: 0.3, seed: 7, blocking: true })
 */
export function privacyCheck(options: PrivacyCheckOptions = {}): Check {
  return makeCheck('privacy', PrivacyCheckOptionsSchema, options, 0.8, (ctx, o) => {
    const real = requireReference(ctx, 'privacy');
    const p = privacyReport(ctx.rows, real, o);
    const problems: string[] = [];
    if (p.copies.rate > p.copies.max_rate) problems.push(`${p.copies.rows} synthetic rows (${pct(p.copies.rate)}) are exact copies of real rows (allowed ${pct(p.copies.max_rate)})`);
    for (const id of p.identifiers) {
      if (id.share > o.maxIdentifierReuse)
        problems.push(`${id.column}: ${id.reused} real values reused (${pct(id.share)}, e.g. ${id.examples.map((e) => JSON.stringify(e)).join(', ')})`);
    }
    const threshold = options.threshold ?? 0.8;
    if (p.dcr.score < threshold)
      problems.push(`${pct(p.dcr.closer_to_training)} of synthetic rows are closer to the training rows than to the hold-out (DCR score ${num(p.dcr.score)} < ${threshold})`);
    const metrics: Record<string, number> = {
      dcr_score: p.dcr.score,
      closer_to_training: p.dcr.closer_to_training,
      copy_rate: p.copies.rate,
      ...Object.fromEntries(p.identifiers.map((i) => [`reuse.${i.column}`, i.share])),
    };
    const details: PrivacyCheckDetails = { kind: 'privacy', problems, ...p };
    return {
      score: p.dcr.score,
      passed: problems.length === 0,
      summary: problems.length
        ? problems.join('; ')
        : `no real row copied (${pct(p.copies.rate)}, real baseline ${pct(p.copies.baseline_rate)}), ${p.identifiers.length ? 'no real identifier reused, ' : ''}${pct(p.dcr.closer_to_training)} of rows closer to training than hold-out (DCR score ${num(p.dcr.score)})`,
      details: { ...details },
      metrics,
    };
  });
}
