import type { ColumnHistogram, ColumnSummary, PsiBin, PsiColumn, PsiLevel } from './metrics/index.js';

/** Bins kept per column in a stored report; a column with more categories keeps the largest gaps. */
export const MAX_REPORT_BINS = 30;

/** One column's PSI as stored in a report (bins and category shares trimmed to stay readable). */
export interface PsiEntry {
  column: string;
  kind: 'numeric' | 'categorical';
  psi: number | null;
  level: PsiLevel | null;
  /** Numeric columns: two-sample KS statistic and p-value of the same two sides. */
  ks_statistic?: number;
  ks_pvalue?: number;
  bins: PsiBin[];
  /** Bins left out of `bins` (smallest share gaps first). */
  bins_omitted: number;
  reference: ColumnSummary;
  current: ColumnSummary;
  /** Numeric columns: equal-width histograms of both sides, for the charts (absent in reports stored before charts). */
  histogram?: ColumnHistogram;
}

/** Shapes a PSI column for a report, with the KS test and the histogram of numeric columns when known. */
export function psiEntry(c: PsiColumn, ks?: { statistic: number; pvalue: number }, histogram?: ColumnHistogram): PsiEntry {
  let bins = c.bins;
  if (bins.length > MAX_REPORT_BINS) {
    const gap = (b: PsiBin) => Math.abs(b.reference_share - b.current_share);
    const keep = new Set([...bins].sort((a, b) => gap(b) - gap(a)).slice(0, MAX_REPORT_BINS));
    bins = bins.filter((b) => keep.has(b));
  }
  return {
    column: c.column,
    kind: c.kind,
    psi: c.psi,
    level: c.level,
    ...(ks ? { ks_statistic: ks.statistic, ks_pvalue: ks.pvalue } : {}),
    bins,
    bins_omitted: c.bins.length - bins.length,
    reference: trimShares(c.reference),
    current: trimShares(c.current),
    ...(histogram ? { histogram } : {}),
  };
}

function trimShares(s: ColumnSummary): ColumnSummary {
  if (s.kind !== 'categorical' || Object.keys(s.shares).length <= MAX_REPORT_BINS) return s;
  const top = Object.entries(s.shares)
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_REPORT_BINS);
  return { ...s, shares: Object.fromEntries(top) };
}
