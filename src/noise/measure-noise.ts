import { canonicalJson, type Row } from '../engine/index.js';
import { declaredRates, type NoiseKind, type NoiseSettings } from './noise-settings.js';
import { formatFamily } from './value-formats.js';

/** One declared rate beside the rate seen in the data. */
export interface NoiseMeasurement {
  kind: NoiseKind;
  /** The column (`*` for duplicated rows). */
  column: string;
  declared: number;
  /** Share of rows seen with this imperfection; null when the data alone cannot tell (typos, label noise need the clean values). */
  measured: number | null;
}

const isMissing = (v: unknown): boolean => v === null || v === undefined || v === '';

/** Share of rows whose value is missing (null, absent or empty text). */
export function missingRate(rows: readonly Row[], column: string): number {
  if (!rows.length) return 0;
  let n = 0;
  for (const r of rows) if (isMissing(r[column])) n++;
  return n / rows.length;
}

/** Share of rows that repeat an earlier row exactly. */
export function duplicateRate(rows: readonly Row[]): number {
  if (!rows.length) return 0;
  const seen = new Set<string>();
  let n = 0;
  for (const r of rows) {
    const key = canonicalJson(r);
    if (seen.has(key)) n++;
    else seen.add(key);
  }
  return n / rows.length;
}

/** Share of rows whose value is written in another format than the column's most common one. */
export function formatInconsistencyRate(rows: readonly Row[], column: string): number {
  if (!rows.length) return 0;
  const families = new Map<string, number>();
  let present = 0;
  for (const r of rows) {
    if (isMissing(r[column])) continue;
    present++;
    const f = formatFamily(r[column]);
    families.set(f, (families.get(f) ?? 0) + 1);
  }
  const dominant = Math.max(0, ...families.values());
  return (present - dominant) / rows.length;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (at - lo);
}

/** Share of rows whose number lies beyond Tukey's far-out fences (3 × IQR past the quartiles). */
export function outlierRate(rows: readonly Row[], column: string): number {
  const xs = rows
    .map((r) => r[column])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    .sort((a, b) => a - b);
  if (xs.length < 4) return 0;
  const q1 = quantile(xs, 0.25);
  const q3 = quantile(xs, 0.75);
  const iqr = q3 - q1;
  let n = 0;
  for (const x of xs) if (x < q1 - 3 * iqr || x > q3 + 3 * iqr) n++;
  return n / rows.length;
}

/**
 * Every rate a noise block declares beside the rate measured in `rows`: missing values,
 * duplicated rows, inconsistent formats and outliers are measured; typos and label noise need
 * the clean values, so their `measured` is null (the materialization records how many were applied).
 */
export function measureNoise(rows: readonly Row[], settings: NoiseSettings): NoiseMeasurement[] {
  const out: NoiseMeasurement[] = [];
  for (const [kind, columns] of Object.entries(declaredRates(settings)) as [NoiseKind, Record<string, number>][]) {
    for (const [column, declared] of Object.entries(columns)) {
      const measured =
        kind === 'missing'
          ? missingRate(rows, column)
          : kind === 'duplicates'
            ? duplicateRate(rows)
            : kind === 'formats'
              ? formatInconsistencyRate(rows, column)
              : kind === 'outliers'
                ? outlierRate(rows, column)
                : null;
      out.push({ kind, column, declared, measured });
    }
  }
  return out;
}
