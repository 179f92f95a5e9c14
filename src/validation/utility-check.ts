import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { num } from './format.js';
import { utilityReport, UtilityOptionsSchema, type UtilityReport } from './metrics/index.js';
import { commonCheckShape, makeCheck, requireReference } from './make-check.js';

/** What a utility check scores. */
export const UtilityScore = { ratio: 'ratio', tstr: 'tstr' } as const;
export type UtilityScore = (typeof UtilityScore)[keyof typeof UtilityScore];

export const UtilityCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  // target, features, seed, holdout, positiveLabel, algorithm, options: the utility report's own
  // options (documented there), so both read the same.
  ...UtilityOptionsSchema.shape,
  /**
   * The check's score: `'ratio'` = TSTR / TRTR of the headline metric (macro F1 for a multiclass
   * target, the positive label's F1 for a binary one), capped at 1; `'tstr'` = the TSTR headline
   * metric itself. Default 'ratio'. @example 'tstr'
   */
  score: z.enum(UtilityScore).default('ratio'),
});
/**
 * Options of `checks.utility()`: `target` (required), `positiveLabel` (required for a binary
 * target), `holdout` (share of real rows held out, default 0.3), `seed` (of the split and the
 * models, default 0), `repeats` (models per side, seeds `seed`, `seed + 1`…, reported as
 * mean ± sd, default 5), `features` (default: columns shared by both sides), `algorithm`
 * ('random-forest' | 'cart', default 'random-forest'), `options` (trees, depth…), `score`.
 * @example checks.utility({ target: 'Species', holdout: 0.3, seed: 7 })
 */
export type UtilityCheckOptions = z.input<typeof UtilityCheckOptionsSchema>;

/** What `checks.utility()` records in the report. */
export interface UtilityCheckDetails extends UtilityReport {
  kind: 'utility';
  score_mode: UtilityScore;
}

/**
 * Machine-learning utility: the same classifier trained on the synthetic target (TSTR) and on a
 * seeded training split of the `reference` real rows (TRTR), both evaluated on the same real
 * hold-out. The hold-out is exactly `splitRows(reference, { test: holdout, seed }).test` when
 * every real row is labelled, so a generator fitted to `splitRows(...).train` never sees it.
 * Default threshold 0.8 (TSTR reaches 80% of TRTR).
 * @example checks.utility({ target: 'Species', holdout: 0.3, seed: 7 })
 */
export function utilityCheck(options: UtilityCheckOptions): Check {
  return makeCheck(
    'utility',
    UtilityCheckOptionsSchema,
    options,
    0.8,
    (ctx, o) => {
      const real = requireReference(ctx, 'utility');
      const { score: mode, ...utilityOptions } = o;
      const u = utilityReport(ctx.rows, real, utilityOptions);
      const tstr = u.tstr[u.metric] ?? 0;
      const trtr = u.trtr[u.metric] ?? 0;
      const score = mode === 'tstr' ? tstr : Math.min(1, u.ratio ?? 0);
      const details: UtilityCheckDetails = { kind: 'utility', score_mode: mode, ...u };
      const metrics: Record<string, number> = {
        tstr_accuracy: u.tstr.accuracy,
        tstr_macro_f1: u.tstr.macro_f1,
        trtr_accuracy: u.trtr.accuracy,
        trtr_macro_f1: u.trtr.macro_f1,
        tstr_macro_f1_sd: u.tstr.sd.macro_f1,
        trtr_macro_f1_sd: u.trtr.sd.macro_f1,
        holdout_rows: u.holdout_rows,
      };
      if (u.ratio !== null) metrics.ratio = u.ratio;
      if (u.tstr.f1 !== undefined) metrics.tstr_f1 = u.tstr.f1;
      if (u.trtr.f1 !== undefined) metrics.trtr_f1 = u.trtr.f1;
      const label = u.metric === 'f1' ? `F1 of ${JSON.stringify(u.positive_label)}` : 'macro F1';
      const pm = (s: typeof u.tstr) => (u.model_seeds.length > 1 ? ` ± ${num(s.sd[u.metric] ?? 0)}` : '');
      return {
        score,
        summary: `TSTR ${label} ${num(tstr)}${pm(u.tstr)} vs TRTR ${num(trtr)}${pm(u.trtr)} (ratio ${num(u.ratio)}) on ${u.holdout_rows} real hold-out rows${u.model_seeds.length > 1 ? `, mean ± sd over ${u.model_seeds.length} model seeds` : ''}`,
        details: { ...details },
        metrics,
      };
    },
    (o) => ({ target: { target: o.target, features: o.features }, reference: { target: o.target, features: o.features }, needsReference: true }),
  );
}
