import type { Row } from '../engine/index.js';
import { duplicateRate, formatInconsistencyRate, missingRate, outlierRate, rateOf, type NoiseSettings } from '../noise/index.js';
import { round } from './column-values.js';
import type { TuneChange } from './tune-change.js';

/** Smallest gap between live and current rates worth a noise setting (half a percent). */
const MIN_GAP = 0.005;

/**
 * Noise settings that make generated data show the imperfections live data shows: for each
 * column, the missing, inconsistent-format and outlier rates live data has beyond what the
 * current data's clean part has, and the live share of duplicated rows. Existing settings are
 * kept unless live data asks for another rate.
 */
export function noiseFromLive(
  live: readonly Row[],
  current: readonly Row[],
  fields: readonly string[],
  before: NoiseSettings | undefined,
  liveName: string,
): { noise: NoiseSettings | undefined; changes: TuneChange[] } {
  const noise: NoiseSettings = structuredClone(before ?? {});
  const changes: TuneChange[] = [];
  const set = (kind: 'missing' | 'formats' | 'outliers', column: string, liveRate: number, currentRate: number, extra: Record<string, unknown> = {}) => {
    const old = noise[kind]?.[column];
    const oldRate = old === undefined ? 0 : rateOf(old);
    // The current data's rate includes the noise already declared: its clean part is the rest.
    const rate = round(Math.min(1, Math.max(0, liveRate - (currentRate - oldRate))), 3);
    if (Math.abs(rate - oldRate) < MIN_GAP) return;
    const value = Object.keys(extra).length ? { rate, ...extra } : rate;
    (noise[kind] ??= Object.create(null) as never)[column] = value as never;
    changes.push({
      kind: 'noise',
      path: `noise.${kind}.${column}`,
      column,
      before: old,
      after: value,
      why: `${liveName} has ${kind === 'missing' ? 'missing values' : kind === 'formats' ? 'values in another format' : 'outliers'} in ${(liveRate * 100).toFixed(1)}% of rows; the current data has ${(currentRate * 100).toFixed(1)}%.`,
    });
  };
  for (const column of fields) {
    if (!live.some((r) => column in r)) continue;
    set('missing', column, missingRate(live, column), missingRate(current, column));
    const formats = formatInconsistencyRate(live, column);
    if (formats >= MIN_GAP) {
      const unit = live
        .map((r) => r[column])
        .find((v): v is string => typeof v === 'string' && /^-?\d+(\.\d+)? \S+$/.test(v))
        ?.split(' ')[1];
      set('formats', column, formats, formatInconsistencyRate(current, column), unit ? { unit } : {});
    }
    const outliers = outlierRate(live, column);
    if (outliers >= MIN_GAP) set('outliers', column, outliers, outlierRate(current, column));
  }
  const dup = duplicateRate(live);
  const oldDup = noise.duplicates ?? 0;
  const rate = round(Math.max(0, dup - (duplicateRate(current) - oldDup)), 3);
  if (Math.abs(rate - oldDup) >= MIN_GAP) {
    changes.push({ kind: 'noise', path: 'noise.duplicates', before: before?.duplicates, after: rate, why: `${liveName} repeats ${(dup * 100).toFixed(1)}% of its rows exactly.` });
    noise.duplicates = rate;
  }
  return { noise: Object.keys(noise).length ? noise : undefined, changes };
}
