import { z } from 'zod';
import { canonicalJson, parseDateText, type Row } from '../../engine/index.js';
import { parseOptions, seededSample, splitRows } from '../../models/index.js';
import { classifyColumns, isMissing } from './column-kinds.js';

export const PrivacyOptionsSchema = z.object({
  /**
   * Share of the real rows held out from the generator's fit, as in `splitRows(real, { test: holdout, seed })`:
   * the baseline of what "new but realistic" rows look like. Default 0.3. @example 0.3
   */
  holdout: z.number().gt(0).lt(1).default(0.3),
  /** Seed of that split (use the one the generator's training split used). Default 0. @example 7 */
  seed: z.number().int().default(0),
  /**
   * Largest share of synthetic rows allowed to be exact copies of real rows. Default: the real data's
   * own rate (hold-out rows equal to a training row) plus 0.01. @example 0
   */
  maxCopyRate: z.number().min(0).max(1).optional(),
  /** Largest share of synthetic identifier/name/text values allowed to be real ones. Default 0. */
  maxIdentifierReuse: z.number().min(0).max(1).default(0),
  /** Rows per side used for distances (seeded subsample above it). Default 2000. */
  maxRows: z.number().int().positive().default(2000),
});
export type PrivacyOptions = z.input<typeof PrivacyOptionsSchema>;

export interface IdentifierReuse {
  column: string;
  /** Synthetic non-missing values that are values of the column in the real training part (what the generator saw). */
  reused: number;
  share: number;
  examples: string[];
  /** Synthetic values that are only in the real hold-out: made up, and real by coincidence (a common name). */
  holdout_matches: number;
}

export interface PrivacyReport {
  /** Synthetic rows equal (on every shared column) to a real row. */
  copies: { rows: number; rate: number; baseline_rate: number; max_rate: number };
  identifiers: IdentifierReuse[];
  /**
   * Distance to the closest record (mean per-column distance: |a − b| / range for numbers,
   * 0/1 for categories and missing values), synthetic rows against the real training rows and
   * against as many real hold-out rows: `closer_to_training` should be near 0.5.
   * `score` = min(1, 2 · (1 − closer_to_training)) (SDMetrics' DCROverfittingProtection).
   */
  dcr: { score: number; closer_to_training: number; median_synthetic: number; median_holdout: number; rows: number };
  columns: string[];
}

/**
 * Privacy of synthetic rows against the real rows they were fitted to: exact copies of real rows
 * (against the real data's own duplicate rate), real values of identifier/name/text columns
 * reused, and the distance to the closest real record compared with a real hold-out.
 */
export function privacyReport(synthetic: readonly Row[], real: readonly Row[], options: PrivacyOptions = {}): PrivacyReport {
  const o = parseOptions(PrivacyOptionsSchema, options, 'the privacy report');
  const { kinds, skipped } = classifyColumns(real);
  const columns = Object.keys(kinds).filter((c) => synthetic.some((r) => c in r));
  const all = [...columns, ...skipped.map((s) => s.column)];
  const { train, test } = splitRows(real, { test: o.holdout, seed: o.seed });

  const keyOf = (r: Row) => canonicalJson(all.map((c) => (isMissing(r[c]) ? null : r[c])));
  const realKeys = new Set(real.map(keyOf));
  const trainKeys = new Set(train.map(keyOf));
  const copies = synthetic.filter((r) => realKeys.has(keyOf(r))).length;
  const baseline = test.length ? test.filter((r) => trainKeys.has(keyOf(r))).length / test.length : 0;
  const maxRate = o.maxCopyRate ?? Math.min(1, baseline + 0.01);

  const valuesOf = (rows: readonly Row[], column: string) =>
    new Set(
      rows
        .map((r) => r[column])
        .filter((v) => !isMissing(v))
        .map(String),
    );
  const identifiers = skipped.map(({ column }) => {
    const seen = valuesOf(train, column);
    const heldOut = valuesOf(test, column);
    const present = synthetic
      .map((r) => r[column])
      .filter((v) => !isMissing(v))
      .map(String);
    const reused = present.filter((v) => seen.has(v));
    const holdoutMatches = present.filter((v) => !seen.has(v) && heldOut.has(v)).length;
    return { column, reused: reused.length, share: present.length ? reused.length / present.length : 0, examples: [...new Set(reused)].slice(0, 3), holdout_matches: holdoutMatches };
  });

  // Equal-sized training and hold-out sets, so that "closer to training" is a fair coin for new
  // rows. (SDMetrics compares with the whole training set, which favours it when it is larger
  // than the hold-out; exact copies are counted on all real rows above.)
  const holdout = seededSample(test, o.maxRows, o.seed + 1);
  const trainSample = seededSample(train, holdout.length, o.seed + 2);
  const syn = seededSample(synthetic, o.maxRows, o.seed + 3);
  const distance = distanceOn(columns, kinds, train);
  const closest = (row: Row, pool: readonly Row[]) => {
    let best = Infinity;
    for (const p of pool) {
      const d = distance(row, p);
      if (d < best) best = d;
      if (best === 0) break;
    }
    return best;
  };
  let closer = 0;
  const dSyn: number[] = [];
  for (const r of syn) {
    const dt = closest(r, trainSample);
    if (dt < closest(r, holdout)) closer++;
    dSyn.push(dt);
  }
  const dHold = holdout.map((r) => closest(r, trainSample));
  const closerShare = syn.length ? closer / syn.length : 0;
  return {
    copies: { rows: copies, rate: synthetic.length ? copies / synthetic.length : 0, baseline_rate: baseline, max_rate: maxRate },
    identifiers,
    dcr: { score: Math.min(1, 2 * (1 - closerShare)), closer_to_training: closerShare, median_synthetic: median(dSyn), median_holdout: median(dHold), rows: syn.length },
    columns: all,
  };
}

/** Mean per-column distance; numeric ranges from `basis`. */
function distanceOn(columns: readonly string[], kinds: Record<string, string>, basis: readonly Row[]): (a: Row, b: Row) => number {
  const ranges = columns.map((c) => {
    if (kinds[c] !== 'numeric') return NaN;
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of basis) {
      const v = asNumber(r[c]);
      if (Number.isNaN(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi > lo ? hi - lo : 0;
  });
  return (a, b) => {
    let sum = 0;
    for (let j = 0; j < columns.length; j++) {
      const c = columns[j];
      const x = a[c];
      const y = b[c];
      if (isMissing(x) || isMissing(y)) sum += isMissing(x) && isMissing(y) ? 0 : 1;
      else if (Number.isNaN(ranges[j])) sum += x === y ? 0 : 1;
      else {
        const d = Math.abs(asNumber(x) - asNumber(y));
        sum += ranges[j] > 0 ? Math.min(1, d / ranges[j]) : d === 0 ? 0 : 1;
      }
    }
    return columns.length ? sum / columns.length : 0;
  };
}

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseDateText(v) ?? NaN;
  return NaN;
}

function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
