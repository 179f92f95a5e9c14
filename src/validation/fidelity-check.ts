import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { num } from './format.js';
import {
  classifyColumns,
  columnHistogram,
  isDateColumn,
  compareColumns,
  driftSuggestions,
  sdmetricsQuality,
  psiOfColumns,
  PsiOptionsSchema,
  qualityReport,
  QualityOptionsSchema,
  type ColumnShapeScore,
  type PairTrendScore,
  type SdmetricsPair,
  type SkippedColumn,
} from './metrics/index.js';
import { commonCheckShape, makeCheck, promptPathForUsers, requireReference } from './make-check.js';
import { declaredNoise, noiseRates, type NoiseCheckDetails } from './noise-check.js';
import { psiEntry, type PsiEntry } from './psi-entries.js';

export const FidelityCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  // columns, overrides, correlation, minRealCorrelation, contingencyBins, pairs, maxRows, seed, ksMethod:
  // the quality report's own options (documented there), so both read the same.
  ...QualityOptionsSchema.shape,
  /** Quantile bins of the real data for each numeric column's PSI. Default 10. @example 20 */
  psiBins: PsiOptionsSchema.shape.bins,
});
/**
 * Options of `checks.fidelity()`: `columns` (default: every column of the real rows),
 * `seed` (of any subsample, default 0), `correlation` ('pearson' | 'spearman', default 'pearson'),
 * `minRealCorrelation` (default 0: every numeric pair counts), `contingencyBins` (10), `pairs`
 * (true), `maxRows` (2,000,000), `overrides` (forced column kinds), `psiBins` (10).
 * @example checks.fidelity({ threshold: 0.85, columns: ['price', 'category'], seed: 0 })
 */
export type FidelityCheckOptions = z.input<typeof FidelityCheckOptionsSchema>;

/** What `checks.fidelity()` records in the report. */
export interface FidelityCheckDetails {
  kind: 'fidelity';
  /**
   * The project's shared-edge quality (the check's score): mean of the column-shape and
   * pair-trend scores, numeric columns binned on the real data's edges for mixed pairs, complete
   * rows only, every pair counted (unless `minRealCorrelation`).
   */
  quality: number;
  /**
   * SDMetrics 0.32's QualityReport score with its defaults, reproduced exactly (per-side bins,
   * missing as a category, only pairs with real |ρ| > 0.5 or Cramér's V > 0.3): the number to
   * compare with SDV's reports. See {@link sdmetricsQuality}.
   */
  sdmetrics_quality: { score: number; column_shapes: number; column_pair_trends: number | null; pairs_counted: number; pairs: SdmetricsPair[] };
  /** Columns left out (identifiers, names, free text), and why. */
  skipped_columns: SkippedColumn[];
  column_shapes: { score: number; columns: ColumnShapeScore[] };
  column_pair_trends: { score: number | null; pairs: PairTrendScore[] };
  /** PSI of each column of the synthetic rows against the real rows (binned on the real rows). */
  psi: { max_psi: number; drifted: string[]; columns: PsiEntry[] };
  /** How to move drifted columns towards the real data, naming the prompt file. */
  suggestions: string[];
  rows: { real: number; synthetic: number; subsampled: boolean; seed: number };
  /** When the target's prompt declares `noise:`: each declared rate beside the measured one (within 0.02). */
  noise?: NoiseCheckDetails['rates'];
}

/**
 * How close the synthetic target is to the validation's `reference` (real) rows, in the manner of
 * SDMetrics' quality report (and, in `sdmetrics_quality`, exactly as SDMetrics 0.32 scores it);
 * identifier and free-text columns are left out and listed in `skipped_columns`: KSComplement (numeric) / TVComplement (categorical) per column, correlation
 * similarity per numeric pair and contingency similarity per other pair; score = overall quality
 * (mean of the two). Also records each column's PSI (synthetic vs real). Default threshold 0.8.
 * @example checks.fidelity({ threshold: 0.85, seed: 0 })
 */
export function fidelityCheck(options: FidelityCheckOptions = {}): Check {
  return makeCheck(
    'fidelity',
    FidelityCheckOptionsSchema,
    options,
    0.8,
    (ctx, o) => {
      const real = requireReference(ctx, 'fidelity');
      const { psiBins, ...qualityOptions } = o;
      // Both metrics read the same columns: extract (and sort) them once.
      const { kinds, skipped } = classifyColumns(real.length ? real : ctx.rows, { columns: o.columns, overrides: o.overrides });
      const cols = compareColumns(real, ctx.rows, kinds);
      const q = qualityReport(real, ctx.rows, { ...qualityOptions, columns: Object.keys(kinds) }, cols);
      const sdm = sdmetricsQuality(cols);
      const psi = psiOfColumns(cols, psiBins);
      const ks = new Map(q.column_shapes.columns.filter((c) => c.ks_statistic !== undefined).map((c) => [c.column, { statistic: c.ks_statistic!, pvalue: c.ks_pvalue! }]));
      const score = Number.isFinite(q.score) ? q.score : 0;
      const histograms = new Map(cols.map((c) => [c.name, columnHistogram(c, isDateColumn(real.length ? real : ctx.rows, c.name))]));
      const details: FidelityCheckDetails = {
        kind: 'fidelity',
        quality: score,
        sdmetrics_quality: {
          score: Number.isFinite(sdm.score) ? sdm.score : 0,
          column_shapes: sdm.column_shapes,
          column_pair_trends: Number.isFinite(sdm.column_pair_trends) ? sdm.column_pair_trends : null,
          pairs_counted: sdm.pairs.filter((p) => p.counted).length,
          pairs: sdm.pairs,
        },
        skipped_columns: skipped,
        column_shapes: q.column_shapes,
        column_pair_trends: q.column_pair_trends,
        psi: { max_psi: psi.max_psi, drifted: psi.drifted, columns: psi.columns.map((c) => psiEntry(c, ks.get(c.column), histograms.get(c.column))) },
        suggestions: driftSuggestions(psi, { promptFile: promptPathForUsers(ctx.promptFile), liveSide: 'reference', label: 'real' }),
        rows: q.rows,
      };
      // Declared imperfections beside what the rows show, only when there are some (reports of clean data keep their bytes).
      const noise = declaredNoise(ctx);
      if (noise) details.noise = noiseRates(ctx.rows, noise, 0.02);
      const metrics: Record<string, number> = { quality: score, column_shapes: q.column_shapes.score, max_psi: psi.max_psi };
      if (Number.isFinite(sdm.score)) metrics.sdmetrics_quality = sdm.score;
      if (q.column_pair_trends.score !== null) metrics.pair_trends = q.column_pair_trends.score;
      for (const c of q.column_shapes.columns) metrics[`shape.${c.column}`] = c.score;
      for (const c of psi.columns) if (c.psi !== null) metrics[`psi.${c.column}`] = c.psi;
      const summary = Number.isFinite(q.score)
        ? `quality ${num(score)} (column shapes ${num(q.column_shapes.score)}, pair trends ${num(q.column_pair_trends.score)}); SDMetrics quality ${num(sdm.score)}; max PSI ${num(psi.max_psi)} (${psi.level})${skipped.length ? `; skipped ${skipped.map((c) => c.column).join(', ')} (identifier/text)` : ''}`
        : 'no column to compare (no shared scalar column between the synthetic and the real rows)';
      return { score, summary, details: { ...details }, metrics };
    },
    (o) => ({ reference: { columns: o.columns }, needsReference: true }),
  );
}
