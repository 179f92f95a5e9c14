import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Check, CheckContext } from '../engine/index.js';
import { measureNoise, type NoiseMeasurement, type NoiseSettings } from '../noise/index.js';
import { parsePromptFile } from '../rules/index.js';
import { pct } from './format.js';
import { commonCheckShape, makeCheck, promptPathForUsers } from './make-check.js';

export const NoiseCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /**
   * Largest allowed difference between a measured and a declared rate (absolute share of rows).
   * Noise is applied exactly, so a bigger gap means the clean data already had such values, or
   * the data was changed after generation. Default 0.02. @example 0.05
   */
  tolerance: z.number().min(0).max(1).default(0.02),
});
/** Options of `checks.noise()`: `tolerance` (default 0.02). */
export type NoiseCheckOptions = z.input<typeof NoiseCheckOptionsSchema>;

/** What `checks.noise()` (and the noise part of `checks.fidelity()`) records. */
export interface NoiseCheckDetails {
  kind: 'noise';
  /** The target's prompt file, as users write it. */
  file?: string;
  /** Each declared rate beside the measured one (`measured` null: typos and label noise need the clean values). */
  rates: Array<NoiseMeasurement & { ok: boolean | null }>;
  tolerance: number;
}

/** The noise block of the target dataset's prompt file (read where the engine says it is), or undefined. */
export function declaredNoise(ctx: Pick<CheckContext, 'promptFile'>): NoiseSettings | undefined {
  if (!ctx.promptFile) return undefined;
  let text: string;
  try {
    text = readFileSync(ctx.promptFile, 'utf8');
  } catch {
    // The prompt file is gone since the target was made: nothing declared to compare with.
    return undefined;
  }
  return parsePromptFile(ctx.promptFile, text).noise;
}

/** Declared vs measured rates, each marked within tolerance (null when not measurable). */
export function noiseRates(rows: CheckContext['rows'], noise: NoiseSettings, tolerance: number): NoiseCheckDetails['rates'] {
  return measureNoise(rows, noise).map((m) => ({ ...m, ok: m.measured === null ? null : Math.abs(m.measured - m.declared) <= tolerance + 1e-12 }));
}

/**
 * The imperfections the target's prompt declares (`noise:`) against what its rows show: missing
 * values, duplicated rows, inconsistent formats and outliers measured, each within `tolerance`
 * of its declared rate. Score = share of measured rates within tolerance (threshold 1). A prompt
 * without noise passes with nothing to compare.
 * @example checks.noise({ tolerance: 0.01 })
 */
export function noiseCheck(options: NoiseCheckOptions = {}): Check {
  return makeCheck('noise', NoiseCheckOptionsSchema, options, 1, (ctx, o) => {
    const noise = declaredNoise(ctx);
    const rates = noise ? noiseRates(ctx.rows, noise, o.tolerance) : [];
    const measured = rates.filter((r) => r.ok !== null);
    const off = measured.filter((r) => !r.ok);
    const details: NoiseCheckDetails = { kind: 'noise', file: promptPathForUsers(ctx.promptFile), rates, tolerance: o.tolerance };
    const metrics: Record<string, number> = {};
    for (const r of measured) metrics[`${r.kind}.${r.column}`] = r.measured!;
    return {
      score: measured.length ? 1 - off.length / measured.length : 1,
      summary: !noise
        ? 'the prompt declares no noise'
        : off.length
          ? `${off.length}/${measured.length} noise rates off by more than ${pct(o.tolerance)}: ${off.map((r) => `${r.kind} ${r.column} ${pct(r.measured!)} (declared ${pct(r.declared)})`).join(', ')}`
          : `${measured.length} measured noise rates within ${pct(o.tolerance)} of their declared rates${rates.length > measured.length ? `; ${rates.length - measured.length} (typos, labels) recorded at generation` : ''}`,
      details: { ...details },
      metrics,
    };
  });
}
