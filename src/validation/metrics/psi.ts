import { z } from 'zod';
import type { Row } from '../../engine/index.js';
import { parseOptions } from '../../models/index.js';
import { binCountsSorted, quantileEdges } from './binning.js';
import { toShares } from './column-data.js';
import { ColumnKind, inferColumnKinds } from './column-kinds.js';
import { compareColumns, type ComparedColumn } from './column-table.js';

/** Reading of a PSI value: < 0.1 stable, 0.1–0.25 moderate, ≥ 0.25 major. */
export const PsiLevel = { stable: 'stable', moderate: 'moderate', major: 'major' } as const;
export type PsiLevel = (typeof PsiLevel)[keyof typeof PsiLevel];

export function psiLevel(psi: number): PsiLevel {
  return psi >= 0.25 ? PsiLevel.major : psi >= 0.1 ? PsiLevel.moderate : PsiLevel.stable;
}

/** Default floor for an empty bin's share, so that ln(ref/cur) stays finite. */
export const PSI_FLOOR = 1e-4;

/**
 * PSI = Σ_i (ref_i − cur_i) · ln(ref_i / cur_i) over bins, each share floored at `floor`
 * (floored shares are not renormalised, as Evidently does). 0 for identical shares.
 */
export function psiFromShares(reference: Float64Array, current: Float64Array, floor = PSI_FLOOR): number {
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i], floor);
    const c = Math.max(current[i] ?? 0, floor);
    sum += (r - c) * Math.log(r / c);
  }
  return sum;
}

export const PsiOptionsSchema = z.object({
  /** Columns to compare. Default: every key of the reference rows. @example ['price'] */
  columns: z.array(z.string()).optional(),
  /** Forced column kinds. Default: inferred (see inferColumnKinds). */
  overrides: z.record(z.string(), z.enum(ColumnKind)).optional(),
  /** Number of quantile bins of the reference for numeric columns. Default 10. */
  bins: z.number().int().min(2).default(10),
  /** Floor of an empty bin's share. Default 1e-4. */
  floor: z.number().positive().max(0.1).default(PSI_FLOOR),
});
export type PsiOptions = z.input<typeof PsiOptionsSchema>;

/** What a side of a column looks like, for reports and drift suggestions. */
export type ColumnSummary =
  | { kind: 'numeric'; count: number; missing: number; mean: number | null; median: number | null; min: number | null; max: number | null }
  | { kind: 'categorical'; count: number; missing: number; /** share of each category among present values */ shares: Record<string, number> };

export interface PsiBin {
  /** "< 3.5", "[3.5, 7)", "≥ 12" for numeric bins; the category otherwise. */
  label: string;
  reference_share: number;
  current_share: number;
}

export interface PsiColumn {
  column: string;
  kind: ColumnKind;
  /** null when a side has no value in this column. */
  psi: number | null;
  level: PsiLevel | null;
  bins: PsiBin[];
  reference: ColumnSummary;
  current: ColumnSummary;
}

export interface PsiReport {
  columns: PsiColumn[];
  /** Largest PSI over the columns (0 when none is computable). */
  max_psi: number;
  /** Level of max_psi. */
  level: PsiLevel;
  /** Columns at `moderate` or worse. */
  drifted: string[];
}

/**
 * Population stability index of every column of `current` against `reference`.
 * Numeric columns use the reference's quantile bins (ties merged, so a column with few distinct
 * values gets fewer bins); categorical columns one bin per category seen on either side.
 */
export function psiReport(reference: readonly Row[], current: readonly Row[], options: PsiOptions = {}): PsiReport {
  const o = parseOptions(PsiOptionsSchema, options, 'the PSI check');
  const kinds = inferColumnKinds(reference.length ? reference : current, { columns: o.columns, overrides: o.overrides });
  return psiOfColumns(compareColumns(reference, current, kinds), o.bins, o.floor);
}

/**
 * `psiReport` on columns already extracted by `compareColumns`, for callers that also run other
 * metrics (KS, the quality report) on the same columns: each column is read and sorted once.
 */
export function psiOfColumns(compared: readonly ComparedColumn[], bins = 10, floor = PSI_FLOOR): PsiReport {
  const columns = compared.map((c) => psiColumn(c, bins, floor));
  let max = 0;
  for (const c of columns) if (c.psi !== null && c.psi > max) max = c.psi;
  return {
    columns,
    max_psi: max,
    level: psiLevel(max),
    drifted: columns.filter((c) => c.level !== null && c.level !== 'stable').map((c) => c.column),
  };
}

function psiColumn(c: ComparedColumn, bins: number, floor: number): PsiColumn {
  let labels: string[];
  let ref: Float64Array;
  let cur: Float64Array;
  if (c.kind === 'numeric') {
    const edges = quantileEdges(c.referenceSorted, bins);
    ref = toShares(binCountsSorted(c.referenceSorted, edges));
    cur = toShares(binCountsSorted(c.currentSorted, edges));
    labels = binLabels(edges);
  } else {
    ref = toShares(c.referenceCounts);
    cur = toShares(c.currentCounts);
    labels = c.dictionary.labels;
  }
  const empty = !ref.some((x) => x > 0) || !cur.some((x) => x > 0);
  const psi = empty ? null : psiFromShares(ref, cur, floor);
  return {
    column: c.name,
    kind: c.kind,
    psi,
    level: psi === null ? null : psiLevel(psi),
    bins: labels.map((label, i) => ({ label, reference_share: ref[i], current_share: cur[i] })),
    reference: summarize(c, 'reference'),
    current: summarize(c, 'current'),
  };
}

function binLabels(edges: Float64Array): string[] {
  if (edges.length === 0) return ['all'];
  const f = (x: number) => String(Number(x.toPrecision(6)));
  const out = [`< ${f(edges[0])}`];
  for (let i = 1; i < edges.length; i++) out.push(`[${f(edges[i - 1])}, ${f(edges[i])})`);
  out.push(`≥ ${f(edges[edges.length - 1])}`);
  return out;
}

/** Summary of one side of a compared column. */
export function summarize(c: ComparedColumn, side: 'reference' | 'current'): ColumnSummary {
  if (c.kind === 'numeric') {
    const sorted = side === 'reference' ? c.referenceSorted : c.currentSorted;
    const total = (side === 'reference' ? c.reference : c.current).length;
    const n = sorted.length;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += sorted[i];
    const median = n === 0 ? null : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return { kind: 'numeric', count: n, missing: total - n, mean: n ? sum / n : null, median, min: n ? sorted[0] : null, max: n ? sorted[n - 1] : null };
  }
  const counts = side === 'reference' ? c.referenceCounts : c.currentCounts;
  const total = (side === 'reference' ? c.reference : c.current).length;
  const shares = toShares(counts);
  let present = 0;
  for (let i = 0; i < counts.length; i++) present += counts[i];
  const out: Record<string, number> = {};
  c.dictionary.labels.forEach((label, i) => {
    if (counts[i] > 0) out[label] = shares[i];
  });
  return { kind: 'categorical', count: present, missing: total - present, shares: out };
}
