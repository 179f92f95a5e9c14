import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { asset } from '../kinds/function-asset.js';
import { hashJson, writeFileAtomic, type AnyAssetDef, type AssetDef, type Row } from '../engine/index.js';
import { TrainClassifierOptionsSchema, trainClassifier } from './classifier.js';
import { evaluateClassifier } from './evaluate-classifier.js';
import { parseOptions } from './parse-options.js';
import { shuffledIndexes } from './random.js';
import { splitRows } from './split-rows.js';

/** Version of the blend procedure: part of every per-ratio cache key and of the asset's code version. */
const BLEND_VERSION = '1';

const BlendSettingsSchema = z.strictObject({
  /** Synthetic rows per real training row, one run per ratio. Default `[0, 0.25, 0.5, 1, 2]`. @example [0, 1, 2] */
  ratios: z.array(z.number().min(0).max(100)).min(1).default([0, 0.25, 0.5, 1, 2]),
  /**
   * Weight of a synthetic row relative to a real one, realized by seeded replication (each
   * synthetic row appears `weightSynthetic` times in expectation; the forest's bootstrap then
   * sees it with that weight). Default 1. @example 0.5
   */
  weightSynthetic: z.number().positive().max(100).default(1),
  /** The classifier trained at every ratio (as `trainClassifier`); its `seed` is replaced by each run's seed. */
  model: TrainClassifierOptionsSchema,
  /** Share of the real rows held out for evaluation, split anew for each seed. Default 0.3. Ignored when `holdoutSet` is given. @example 0.25 */
  holdout: z.number().gt(0).lt(1).default(0.3),
  /** Seeds: each ratio is trained and scored once per seed; the spread is over seeds. Default `[1, 2, 3]`. @example [1, 2, 3, 4, 5] */
  seeds: z.array(z.number().int()).min(1).default([1, 2, 3]),
  /** Metric of the curve: 'macro_f1' (default) or 'accuracy'. */
  metric: z.enum(['macro_f1', 'accuracy']).default('macro_f1'),
});

/** Options of {@link blend}. */
export interface BlendOptions extends z.input<typeof BlendSettingsSchema> {
  /** Asset name. @example 'species_blend' */
  name: string;
  /** The real rows (training part, and hold-out unless `holdoutSet` is given). */
  real: AnyAssetDef;
  /** The synthetic rows mixed in. */
  synthetic: AnyAssetDef;
  /** A fixed real hold-out set (e.g. rows the generator never saw); default: `holdout` split from `real` per seed. */
  holdoutSet?: AnyAssetDef;
  /** Free-form labels. */
  tags?: Record<string, string>;
  /** One-line description. */
  description?: string;
}

/** One point of the curve. */
export interface BlendPoint {
  ratio: number;
  /** Training rows: real and synthetic (before weighting). */
  real_rows: number;
  synthetic_rows: number;
  /** The metric per seed, in the order of `seeds`. */
  scores: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
}

/** The value of a blend asset. */
export interface BlendReport {
  kind: 'blend';
  metric: 'macro_f1' | 'accuracy';
  seeds: number[];
  weight_synthetic: number;
  holdout_rows: number;
  curve: BlendPoint[];
  /** Ratio with the best mean. */
  best_ratio: number;
  /** Best mean minus the real-only mean (ratio 0, when run). */
  gain: number | null;
  /** `helps`: some ratio beats real-only by more than their spread; `hurts`: every ratio is worse by more than it; else `neutral`. */
  verdict: 'helps' | 'hurts' | 'neutral' | 'no baseline';
}

/** Whether a stored value is a blend's report (what `blend()` assets materialize). */
export function isBlendReport(value: unknown): value is BlendReport {
  const v = value as Partial<BlendReport> | null;
  return !!v && typeof v === 'object' && v.kind === 'blend' && Array.isArray(v.curve) && Array.isArray(v.seeds);
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: readonly number[]) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((s, x) => s + (x - mean(xs)) ** 2, 0) / (xs.length - 1)));

/** `rows` in a seeded order (the first k of it are a seeded sample). */
function shuffled<T>(rows: readonly T[], seed: number): T[] {
  return Array.from(shuffledIndexes(rows.length, seed), (i) => rows[i]);
}

/** Synthetic rows replicated to weight `w`: each row ⌊w⌋ times, plus once more for a seeded share w − ⌊w⌋ of them. */
function weighted(rows: readonly Row[], w: number, seed: number): Row[] {
  if (w === 1) return rows.slice();
  const whole = Math.floor(w);
  const out: Row[] = [];
  for (let k = 0; k < whole; k++) out.push(...rows);
  out.push(...shuffled(rows, seed ^ 0x5eed).slice(0, Math.round((w - whole) * rows.length)));
  return out;
}

/**
 * One ratio over every seed: the real training rows plus `ratio × |real training|` synthetic
 * rows (a seeded sample, capped at the synthetic rows there are), the classifier trained with the
 * run's seed, scored on the real hold-out.
 */
function runRatio(real: readonly Row[], synthetic: readonly Row[], fixedHoldout: readonly Row[] | undefined, ratio: number, s: z.output<typeof BlendSettingsSchema>): BlendPoint {
  const scores: number[] = [];
  let realRows = 0;
  let syntheticRows = 0;
  for (const seed of s.seeds) {
    const { train, test } = fixedHoldout ? { train: real.slice(), test: fixedHoldout } : splitRows(real, { test: s.holdout, seed });
    const mixed = shuffled(synthetic, seed).slice(0, Math.round(ratio * train.length));
    const model = trainClassifier([...train, ...weighted(mixed, s.weightSynthetic, seed)], { ...s.model, seed });
    scores.push(evaluateClassifier(model, test)[s.metric]);
    realRows = train.length;
    syntheticRows = mixed.length;
  }
  return { ratio, real_rows: realRows, synthetic_rows: syntheticRows, scores, mean: mean(scores), std: std(scores), min: Math.min(...scores), max: Math.max(...scores) };
}

/**
 * Trains the same classifier on real + synthetic mixtures at each ratio (synthetic rows per real
 * training row), evaluates each on a real hold-out over several seeds, and reports the curve
 * (metric vs synthetic share, with its spread over seeds) and whether synthetic data helps or
 * hurts against real-only training (ratio 0). Each ratio's result is cached under
 * `.synth/blend-cache/` by the hash of exactly what it reads (ratio 0 reads no synthetic rows),
 * so a change of the synthetic data re-runs only the ratios that use it.
 * @example blend({ name: 'species_blend', real: penguinsTrain, synthetic: penguinsSynth, holdoutSet: penguinsTest, model: { target: 'Species' }, seeds: [1, 2, 3] })
 */
export function blend(options: BlendOptions): AssetDef<BlendReport> {
  const { name, real, synthetic, holdoutSet, tags, description, ...rest } = options;
  const settings = parseOptions(BlendSettingsSchema, rest, 'blend()');
  const deps: Record<string, AnyAssetDef> = { real, synthetic, ...(holdoutSet ? { holdout: holdoutSet } : {}) };
  return asset({
    name,
    description: description ?? `real + synthetic blends at ratios ${settings.ratios.join(', ')} (${settings.metric} on a real hold-out)`,
    tags,
    deps,
    // The settings decide the value: they are its code version (the function's source is the same for every blend).
    codeVersion: `blend:${BLEND_VERSION}:${hashJson(settings).slice(0, 16)}`,
    materialize: (ctx, inputs: Record<string, Row[]>) => {
      const dir = path.join(ctx.root, '.synth', 'blend-cache', name);
      const realHash = hashJson(inputs.real);
      const synthHash = hashJson(inputs.synthetic);
      const holdHash = inputs.holdout ? hashJson(inputs.holdout) : null;
      const curve = settings.ratios.map((ratio) => {
        // Only what this ratio reads: real-only training does not depend on the synthetic rows.
        const key = hashJson({ ...settings, ratios: null, v: BLEND_VERSION, ratio, real: realHash, synthetic: ratio === 0 ? null : synthHash, holdout_rows: holdHash });
        const file = path.join(dir, `${key}.json`);
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as BlendPoint;
        } catch {
          const point = runRatio(inputs.real, inputs.synthetic, inputs.holdout, ratio, settings);
          mkdirSync(dir, { recursive: true });
          writeFileAtomic(file, JSON.stringify(point));
          return point;
        }
      });
      return summarize(curve, settings, inputs.holdout ? inputs.holdout.length : Math.round(inputs.real.length * settings.holdout));
    },
  }) as AssetDef<BlendReport>;
}

function summarize(curve: BlendPoint[], s: z.output<typeof BlendSettingsSchema>, holdoutRows: number): BlendReport {
  const best = curve.reduce((a, b) => (b.mean > a.mean ? b : a));
  const base = curve.find((p) => p.ratio === 0);
  const others = curve.filter((p) => p.ratio !== 0);
  let verdict: BlendReport['verdict'] = 'no baseline';
  if (base && others.length) {
    const margin = (p: BlendPoint) => Math.max(base.std + p.std, 0.005);
    if (others.some((p) => p.mean - base.mean > margin(p))) verdict = 'helps';
    else if (others.every((p) => base.mean - p.mean > margin(p))) verdict = 'hurts';
    else verdict = 'neutral';
  }
  return {
    kind: 'blend',
    metric: s.metric,
    seeds: s.seeds,
    weight_synthetic: s.weightSynthetic,
    holdout_rows: holdoutRows,
    curve,
    best_ratio: best.ratio,
    gain: base ? best.mean - base.mean : null,
    verdict,
  };
}
