import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { num } from './format.js';
import { columnHistogram, compareColumns, driftSuggestions, isDateColumn, inferColumnKinds, ksTest, psiOfColumns, PsiOptionsSchema, type PsiLevel } from './metrics/index.js';
import { commonCheckShape, makeCheck, promptPathForUsers, requireReference } from './make-check.js';
import { psiEntry, type PsiEntry } from './psi-entries.js';

/** Which side of a drift check holds the live data. */
export const LiveSide = { target: 'target', reference: 'reference' } as const;
export type LiveSide = (typeof LiveSide)[keyof typeof LiveSide];

export const DriftCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /** Columns to compare. Default: every column of the reference rows. @example ['Body Mass (g)', 'Species'] */
  columns: PsiOptionsSchema.shape.columns,
  /** Forced column kinds (e.g. an integer code compared as categories). Default: inferred. @example { rating: 'categorical' } */
  overrides: PsiOptionsSchema.shape.overrides,
  /** Quantile bins of the reference for numeric columns. Default 10. @example 20 */
  bins: PsiOptionsSchema.shape.bins,
  /**
   * Also flag a numeric column as drifted when its two-sample KS p-value is below this.
   * Default: unset (only PSI flags; with thousands of rows KS flags differences too small to matter).
   * @example 0.01
   */
  ksAlpha: z.number().gt(0).lt(1).optional(),
  /**
   * Which side is the live data: `'target'` (default: the validation's target is the live source
   * and `reference` is the synthetic dataset or the real data it was fitted to) or `'reference'`.
   * Suggestions say how to move the other side towards the live one.
   */
  live: z.enum(LiveSide).default('target'),
  /**
   * Prompt id whose file the suggestions name. Default: the target's prompt (when the target is
   * a generated dataset), else "the prompt file". @example 'penguins_v1'
   */
  prompt: z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/, 'a prompt id is a plain file name without folder or .yaml')
    .optional(),
});
/** Options of `checks.drift()`. */
export type DriftCheckOptions = z.input<typeof DriftCheckOptionsSchema>;

/** What `checks.drift()` records in the report. */
export interface DriftCheckDetails {
  kind: 'drift';
  live: LiveSide;
  rows: { reference: number; target: number };
  /** Columns with PSI ≥ 0.1 (moderate) or ≥ 0.25 (major), or a KS p-value below `ksAlpha`. */
  drifted: string[];
  /** Columns with a PSI (both sides have values). */
  compared: number;
  max_psi: number;
  level: PsiLevel;
  ks_alpha: number | null;
  /**
   * `psi_noise`: the PSI two samples of these sizes show with no drift at all, about
   * (bins − 1)·(1/n_reference + 1/n_target) (PSI is a symmetrised χ²/n). A PSI near it is sampling
   * noise: small batches need fewer `bins` or more rows.
   */
  columns: Array<PsiEntry & { drifted: boolean; psi_noise: number | null }>;
  /** What to change in the prompt file, worst column first. */
  suggestions: string[];
  prompt_file: string | null;
}

/**
 * Drift of the target rows against the `reference` rows, per column: PSI over the reference's
 * quantile bins (numeric) or categories, read as < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 major,
 * and the two-sample KS test for numeric columns. Score = 1 − share of compared columns that
 * drifted (threshold 1: any drifted column fails). The report suggests, per drifted column, what
 * to adjust in the prompt file. With no target rows yet (an empty live folder), it scores 1.
 * @example checks.drift({ prompt: 'penguins_v1' })
 */
export function driftCheck(options: DriftCheckOptions = {}): Check {
  return makeCheck(
    'drift',
    DriftCheckOptionsSchema,
    options,
    1,
    (ctx, o) => {
      const reference = requireReference(ctx, 'drift');
      const current = ctx.rows;
      // The prompt to adjust is the generated side's: the reference's when the target is live data.
      const generated = o.live === 'target' ? (ctx.referencePromptFile ?? ctx.promptFile) : ctx.promptFile;
      const promptFile = o.prompt ? `prompts/${o.prompt}.yaml` : (promptPathForUsers(generated) ?? null);
      // PSI and KS read the same columns: extract (and sort) them once.
      const cols = compareColumns(reference, current, inferColumnKinds(reference.length ? reference : current, { columns: o.columns, overrides: o.overrides }));
      const psi = psiOfColumns(cols, o.bins);
      const ks = new Map<string, { statistic: number; pvalue: number }>();
      for (const c of cols) {
        if (c.kind === 'numeric' && c.referenceSorted.length && c.currentSorted.length) ks.set(c.name, ksTest(c.referenceSorted, c.currentSorted));
      }
      const histograms = new Map(cols.map((c) => [c.name, columnHistogram(c, isDateColumn(reference.length ? reference : current, c.name))]));
      const columns = psi.columns.map((c) => {
        const k = ks.get(c.column);
        const byPsi = c.level === 'moderate' || c.level === 'major';
        const byKs = o.ksAlpha !== undefined && k !== undefined && k.pvalue < o.ksAlpha;
        return { ...psiEntry(c, k, histograms.get(c.column)), drifted: byPsi || byKs, psi_noise: psiNoise(c.bins.length, c.reference.count, c.current.count) };
      });
      const compared = columns.filter((c) => c.psi !== null).length;
      const drifted = columns.filter((c) => c.drifted).map((c) => c.column);
      const details: DriftCheckDetails = {
        kind: 'drift',
        live: o.live,
        rows: { reference: reference.length, target: current.length },
        drifted,
        compared,
        max_psi: psi.max_psi,
        level: psi.level,
        ks_alpha: o.ksAlpha ?? null,
        columns,
        suggestions: driftSuggestions(psi, { promptFile: promptFile ?? undefined, liveSide: o.live === 'target' ? 'current' : 'reference' }),
        prompt_file: promptFile,
      };
      const metrics: Record<string, number> = { drifted_columns: drifted.length, max_psi: psi.max_psi };
      for (const c of columns) if (c.psi !== null) metrics[`psi.${c.column}`] = c.psi;
      const worst = columns
        .filter((c) => c.drifted)
        .sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0))
        .map((c) => `${c.column} PSI ${num(c.psi, 2)} ${c.level ?? ''}`.trim());
      const summary =
        current.length === 0
          ? 'no target rows yet: nothing to compare'
          : reference.length === 0
            ? 'no reference rows: nothing to compare'
            : drifted.length
              ? `${drifted.length}/${compared} columns drifted: ${worst.join(', ')}`
              : `no column drifted over ${compared} columns (max PSI ${num(psi.max_psi)})`;
      return { score: compared ? 1 - drifted.length / compared : 1, summary, details: { ...details }, metrics };
    },
    (o) => ({ target: { columns: o.columns }, reference: { columns: o.columns }, needsReference: true }),
  );
}

/** Expected PSI between two samples of one distribution (see DriftCheckDetails.columns). */
function psiNoise(bins: number, nReference: number, nCurrent: number): number | null {
  return nReference > 0 && nCurrent > 0 ? (bins - 1) * (1 / nReference + 1 / nCurrent) : null;
}
