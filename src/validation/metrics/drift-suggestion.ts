import { pct } from '../format.js';
import type { ColumnSummary, PsiColumn, PsiReport } from './psi.js';

export interface DriftSuggestionOptions {
  /**
   * Prompt file to point at. Default 'the prompt file'.
   * @example 'prompts/ecommerce_v1.yaml'
   */
  promptFile?: string;
  /**
   * Which PSI side holds the live (real) data; the other side is the synthetic data.
   * Default 'reference' (PSI of synthetic against live).
   */
  liveSide?: 'reference' | 'current';
  /**
   * What the suggestions call the non-synthetic side: 'live' (drift of live batches) or 'real'
   * (fidelity against the real data). Default 'live'.
   */
  label?: 'live' | 'real';
}

/**
 * One line telling the user how to move the synthetic data towards the live data for a
 * drifted column (`moderate` or `major` PSI); null for a stable or uncomputable column.
 * @example "price: live mean 72.1 vs synthetic 40.3 — raise price in prompts/x.yaml columns.price.mean or add a rule"
 */
export function driftSuggestion(column: PsiColumn, options: DriftSuggestionOptions = {}): string | null {
  if (column.level === null || column.level === 'stable') return null;
  const file = options.promptFile ?? 'the prompt file';
  const [live, syn] = options.liveSide === 'current' ? [column.current, column.reference] : [column.reference, column.current];
  const name = column.column;
  const label = options.label ?? 'live';
  if (live.kind === 'numeric' && syn.kind === 'numeric') return numericSuggestion(name, live, syn, file, label);
  if (live.kind === 'categorical' && syn.kind === 'categorical') return categoricalSuggestion(name, live.shares, syn.shares, file, label);
  return null;
}

/** Suggestions for every drifted column of a PSI report, worst first. */
export function driftSuggestions(report: PsiReport, options: DriftSuggestionOptions = {}): string[] {
  return [...report.columns]
    .sort((a, b) => (b.psi ?? 0) - (a.psi ?? 0))
    .map((c) => driftSuggestion(c, options))
    .filter((s): s is string => s !== null);
}

type NumericSummary = Extract<ColumnSummary, { kind: 'numeric' }>;

function numericSuggestion(name: string, live: NumericSummary, syn: NumericSummary, file: string, label: string): string | null {
  if (live.mean === null || syn.mean === null) return null;
  const liveSpread = (live.max ?? 0) - (live.min ?? 0);
  const synSpread = (syn.max ?? 0) - (syn.min ?? 0);
  // A shift of the centre is the usual cause; when the centres agree the spread must differ.
  const shifted = Math.abs(live.mean - syn.mean) > 0.05 * Math.max(Math.abs(live.mean), liveSpread, 1e-9);
  if (shifted || liveSpread === synSpread) {
    const verb = live.mean > syn.mean ? 'raise' : 'lower';
    return `${name}: ${label} mean ${fmt(live.mean)} vs synthetic ${fmt(syn.mean)} — ${verb} ${name} in ${file} columns.${name}.mean or add a rule`;
  }
  const verb = liveSpread > synSpread ? 'widen' : 'narrow';
  return `${name}: ${label} range ${fmt(live.min!)}–${fmt(live.max!)} vs synthetic ${fmt(syn.min!)}–${fmt(syn.max!)} — ${verb} the range of ${name} in ${file} columns.${name} or add a rule`;
}

function categoricalSuggestion(name: string, live: Record<string, number>, syn: Record<string, number>, file: string, label: string): string | null {
  let worst: string | null = null;
  let gap = 0;
  let relative = 0;
  for (const k of new Set([...Object.keys(live), ...Object.keys(syn)])) {
    const l = live[k] ?? 0;
    const s = syn[k] ?? 0;
    const d = Math.abs(l - s);
    const r = d / Math.max(l, s);
    // With two categories both gaps are equal; the one that changed most relatively (usually
    // the minority) is the one worth naming.
    if (d > gap + 1e-9 || (d > gap - 1e-9 && r > relative)) [worst, gap, relative] = [k, d, r];
  }
  if (worst === null) return null;
  const l = live[worst] ?? 0;
  const s = syn[worst] ?? 0;
  const head = `${name}: ${label} share of "${worst}" ${pct(l)} vs synthetic ${pct(s)}`;
  if (l === 0) return `${head} — remove "${worst}" from ${file} columns.${name} or add a rule excluding it`;
  if (s === 0) return `${head} — add "${worst}" to ${file} columns.${name}`;
  return `${head} — ${l > s ? 'raise' : 'lower'} the weight of "${worst}" in ${file} columns.${name} or add a rule`;
}

function fmt(x: number): string {
  return String(Number(x.toFixed(Math.abs(x) >= 1 ? 1 : 3)));
}
