import { z } from 'zod';
import type { Row } from '../../engine/index.js';
import { parseOptions, seededSample } from '../../models/index.js';
import { binCodes, equalWidthEdges } from './binning.js';
import { ColumnKind, inferColumnKinds } from './column-kinds.js';
import { compareColumns, type ComparedColumn } from './column-table.js';
import { contingencySimilarity, type CodedColumn } from './contingency-similarity.js';
import { association } from './cramers-v.js';
import { correlationSimilarity, CorrelationMethod } from './correlation-similarity.js';
import { ksTest } from './ks-complement.js';
import { KsMethod } from './kolmogorov.js';
import { meanOfFinite } from './mean.js';
import { tvComplement } from './tv-complement.js';

export const QualityOptionsSchema = z.object({
  /** Columns to compare. Default: every key of the real rows (see inferColumnKinds). @example ['price', 'category'] */
  columns: z.array(z.string()).optional(),
  /** Forced column kinds. Default: inferred. @example { rating: 'categorical' } */
  overrides: z.record(z.string(), z.enum(ColumnKind)).optional(),
  /** Correlation used for numeric pairs. Default 'pearson'. */
  correlation: z.enum(CorrelationMethod).default('pearson'),
  /**
   * Numeric pairs whose real |ρ| is below this are skipped (reported with `skipped`).
   * Default 0: every pair counts. (SDMetrics 0.32's QualityReport counts only pairs with real
   * |ρ| > 0.5 or Cramér's V > 0.3; `sdmetricsQuality` reproduces that score exactly.)
   * @example 0.5
   */
  minRealCorrelation: z.number().min(0).max(1).default(0),
  /** Bins used to cut a numeric column for a mixed numeric/categorical pair. Default 10. */
  contingencyBins: z.number().int().min(2).default(10),
  /** Whether to score column pairs at all (quadratic in the column count). Default true. */
  pairs: z.boolean().default(true),
  /** Above this many rows a side is subsampled, always with `seed`. Default 2,000,000. */
  maxRows: z.number().int().positive().default(2_000_000),
  /** Seed of the subsample. Default 0. */
  seed: z.number().int().default(0),
  /** KS p-value method. Default 'auto' (exact up to 10,000 values per side). */
  ksMethod: z.enum(KsMethod).default('auto'),
});
export type QualityOptions = z.input<typeof QualityOptionsSchema>;

export interface ColumnShapeScore {
  column: string;
  kind: ColumnKind;
  metric: 'KSComplement' | 'TVComplement';
  /** In [0, 1]; 0 when the column has values on one side only. */
  score: number;
  /** Numeric columns: the KS statistic D and its two-sided p-value. */
  ks_statistic?: number;
  ks_pvalue?: number;
  ks_method?: 'exact' | 'asymp';
  note?: string;
}

export interface PairTrendScore {
  columns: [string, string];
  metric: 'CorrelationSimilarity' | 'ContingencySimilarity';
  /** In [0, 1]; null when not applicable (constant column, no complete rows, skipped weak pair). */
  score: number | null;
  real_correlation?: number | null;
  synthetic_correlation?: number | null;
  /** ContingencySimilarity pairs: Cramér's V of each side (complete rows, numeric columns binned as for the score), for the association charts. */
  real_association?: number | null;
  synthetic_association?: number | null;
  skipped?: string;
}

export interface QualityReport {
  /** Mean of the two property scores (the pair score is left out when there is no scorable pair). */
  score: number;
  column_shapes: { score: number; columns: ColumnShapeScore[] };
  column_pair_trends: { score: number | null; pairs: PairTrendScore[] };
  rows: { real: number; synthetic: number; subsampled: boolean; seed: number };
}

/**
 * The project's shared-edge quality report of synthetic rows against real rows, in the manner of
 * SDMetrics (see `sdmetricsQuality` for SDMetrics' own score): column shapes
 * (KSComplement for numeric, TVComplement for categorical columns) and column pair trends
 * (CorrelationSimilarity for numeric pairs, ContingencySimilarity otherwise, numeric columns
 * cut into equal-width bins over the real range). Overall score = mean of the two.
 * @param compared the columns of these same rows, when the caller already extracted them for
 *   another metric (`compareColumns(real, synthetic, inferColumnKinds(...))` with the same
 *   `columns` and `overrides`); used only when no side is subsampled. Default: extracted here.
 */
export function qualityReport(real: readonly Row[], synthetic: readonly Row[], options: QualityOptions = {}, compared?: readonly ComparedColumn[]): QualityReport {
  const o = parseOptions(QualityOptionsSchema, options, 'the quality report');
  const subsampled = real.length > o.maxRows || synthetic.length > o.maxRows;
  let cols = compared;
  if (!cols || subsampled) {
    const r = seededSample(real, o.maxRows, o.seed);
    const s = seededSample(synthetic, o.maxRows, o.seed + 1);
    cols = compareColumns(r, s, inferColumnKinds(r.length ? r : s, { columns: o.columns, overrides: o.overrides }));
  }

  const shapes = cols.map((c) => columnShape(c, o.ksMethod));
  const pairs = o.pairs ? pairTrends(cols, o) : [];
  const shapeScore = meanOfFinite(shapes.map((c) => c.score));
  const pairScore = meanOfFinite(pairs.map((p) => p.score ?? NaN));
  return {
    score: meanOfFinite([shapeScore, pairScore]),
    column_shapes: { score: shapeScore, columns: shapes },
    column_pair_trends: { score: Number.isNaN(pairScore) ? null : pairScore, pairs },
    rows: { real: real.length, synthetic: synthetic.length, subsampled, seed: o.seed },
  };
}

function columnShape(c: ComparedColumn, ksMethod: KsMethod): ColumnShapeScore {
  if (c.kind === 'numeric') {
    const base = { column: c.name, kind: c.kind, metric: 'KSComplement' as const };
    if (c.referenceSorted.length === 0 || c.currentSorted.length === 0) return { ...base, score: 0, note: oneSided(c.referenceSorted.length === 0) };
    const t = ksTest(c.referenceSorted, c.currentSorted, ksMethod);
    return { ...base, score: 1 - t.statistic, ks_statistic: t.statistic, ks_pvalue: t.pvalue, ks_method: t.method };
  }
  const base = { column: c.name, kind: c.kind, metric: 'TVComplement' as const };
  const score = tvComplement(c.referenceCounts, c.currentCounts);
  if (Number.isNaN(score)) return { ...base, score: 0, note: oneSided(c.referenceCounts.every((x) => x === 0)) };
  return { ...base, score };
}

function oneSided(realEmpty: boolean): string {
  return realEmpty ? 'no values in the real data' : 'no values in the synthetic data';
}

function pairTrends(cols: readonly ComparedColumn[], o: z.output<typeof QualityOptionsSchema>): PairTrendScore[] {
  const coded = new Map<string, { real: CodedColumn; syn: CodedColumn }>();
  const codedOf = (c: ComparedColumn) => {
    let v = coded.get(c.name);
    if (!v) {
      if (c.kind === 'categorical') {
        const size = c.dictionary.size;
        v = { real: { codes: c.reference, size }, syn: { codes: c.current, size } };
      } else {
        const edges = equalWidthEdges(c.referenceSorted, o.contingencyBins);
        const size = edges.length + 1;
        v = { real: { codes: binCodes(c.reference, edges), size }, syn: { codes: binCodes(c.current, edges), size } };
      }
      coded.set(c.name, v);
    }
    return v;
  };
  const out: PairTrendScore[] = [];
  for (let i = 0; i < cols.length; i++) {
    for (let j = i + 1; j < cols.length; j++) {
      const a = cols[i];
      const b = cols[j];
      const columns: [string, string] = [a.name, b.name];
      if (a.kind === 'numeric' && b.kind === 'numeric') {
        const sim = correlationSimilarity([a.reference, b.reference], [a.current, b.current], o.correlation);
        const entry: PairTrendScore = {
          columns,
          metric: 'CorrelationSimilarity',
          score: Number.isFinite(sim.score) ? sim.score : null,
          real_correlation: Number.isFinite(sim.real) ? sim.real : null,
          synthetic_correlation: Number.isFinite(sim.synthetic) ? sim.synthetic : null,
        };
        if (entry.score === null) entry.skipped = 'correlation undefined (constant column or fewer than 2 complete rows)';
        else if (Math.abs(sim.real) < o.minRealCorrelation) {
          entry.score = null;
          entry.skipped = `real |correlation| below ${o.minRealCorrelation}`;
        }
        out.push(entry);
      } else {
        const ca = codedOf(a);
        const cb = codedOf(b);
        const score = contingencySimilarity([ca.real, cb.real], [ca.syn, cb.syn]);
        const finite = (x: number) => (Number.isFinite(x) ? x : null);
        out.push({
          columns,
          metric: 'ContingencySimilarity',
          score: finite(score),
          real_association: finite(association(ca.real, cb.real)),
          synthetic_association: finite(association(ca.syn, cb.syn)),
          ...(Number.isFinite(score) ? {} : { skipped: 'no rows with both values on one side' }),
        });
      }
    }
  }
  return out;
}
