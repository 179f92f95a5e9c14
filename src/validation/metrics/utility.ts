import { z } from 'zod';
import { UsageError, type Row } from '../../engine/index.js';
import {
  ClassifierAlgorithm,
  evaluateClassifier,
  isLabel,
  LabelSchema,
  parseOptions,
  splitRows,
  trainClassifier,
  TrainClassifierOptionsSchema,
  type ClassifierEvaluation,
  type Label,
} from '../../models/index.js';
import { classifyColumns, keysOf } from './column-kinds.js';

export const UtilityOptionsSchema = z.object({
  /** Column to predict. Required. @example 'species' */
  target: z.string().min(1),
  /** Input columns. Default: columns present in both the real and the synthetic rows, except the target. */
  features: z.array(z.string()).optional(),
  /** Seed of the real train/hold-out split and of the models. Default 0. */
  seed: z.number().int().default(0),
  /** Share of the real rows held out for evaluation. Default 0.3. */
  holdout: z.number().gt(0).lt(1).default(0.3),
  /**
   * The positive class when the target has two classes; required then (F1 of "the first value
   * seen" would make the score depend on row order). @example 'churned'
   */
  positiveLabel: LabelSchema.optional(),
  /** Model trained on both sides. Default 'random-forest'. */
  algorithm: z.enum(ClassifierAlgorithm).default('random-forest'),
  /** Model options (trees, depth…), see trainClassifier. */
  options: TrainClassifierOptionsSchema.shape.options.optional(),
  /**
   * Models trained per side, with seeds `seed`, `seed + 1`, …: scores are their mean, with the
   * standard deviation beside it (one forest's score moves by a few points with its seed). The
   * hold-out stays the one of `seed`, the rows a generator fitted to the training split never saw.
   * Default 5. @example 10
   */
  repeats: z.number().int().positive().max(100).default(5),
});
export type UtilityOptions = z.input<typeof UtilityOptionsSchema>;

export interface UtilityScores {
  /** Mean over the repeats. */
  accuracy: number;
  /** Mean over the repeats. */
  macro_f1: number;
  /** Binary targets: F1 of the positive label (mean over the repeats). */
  f1?: number;
  /** Sample standard deviation of each score over the repeats (0 for a single one). */
  sd: { accuracy: number; macro_f1: number; f1?: number };
  /** Rows the model was trained on. */
  train_rows: number;
  /** F1 of each class on the hold-out, for the per-class chart (absent in reports stored before charts). */
  per_class?: Array<{ label: string; f1: number }>;
  /** The hold-out's confusion matrix of the first repeat: `matrix[i][j]` = rows of true class `labels[i]` predicted as `labels[j]`. */
  confusion?: { labels: string[]; matrix: number[][] };
}

export interface UtilityReport {
  task: 'binary' | 'multiclass';
  /** The headline metric the ratio is computed on. */
  metric: 'f1' | 'macro_f1';
  positive_label?: Label;
  /** Trained on synthetic, tested on the real hold-out. */
  tstr: UtilityScores;
  /** Trained on the real train split, tested on the same hold-out. */
  trtr: UtilityScores;
  holdout_rows: number;
  /** Model seeds the scores are averaged over. */
  model_seeds: number[];
  /** TSTR / TRTR of the headline metric (means); null when TRTR scores 0. */
  ratio: number | null;
  /** TSTR / TRTR of accuracy; null when TRTR scores 0. */
  accuracy_ratio: number | null;
  features: string[];
}

/**
 * Machine-learning utility of synthetic data: the same model is trained on the synthetic rows
 * (TSTR) and on a seeded training split of the real rows (TRTR), and both are evaluated on the
 * same real hold-out.
 */
export function utilityReport(synthetic: readonly Row[], real: readonly Row[], options: UtilityOptions): UtilityReport {
  const o = parseOptions(UtilityOptionsSchema, options, 'the TSTR utility check');
  const realLabelled = real.filter((r) => isLabel(r[o.target]));
  const classes = new Set(realLabelled.map((r) => r[o.target]));
  if (classes.size < 2 || realLabelled.length < 4) {
    throw new UsageError({
      what: `Cannot measure utility on "${o.target}": the real data needs at least two classes and four labelled rows.`,
      why: `Found ${classes.size} class(es) over ${realLabelled.length} labelled real row(s).`,
      fix: 'Check the target column, or provide more real rows.',
    });
  }
  const binary = classes.size === 2;
  if (binary && o.positiveLabel === undefined) {
    throw new UsageError({
      what: `The target "${o.target}" is binary but no positive label was given.`,
      why: 'F1 of a binary target depends on which class is "positive"; guessing it would make the score arbitrary.',
      fix: `Set positiveLabel to one of ${[...classes].map((c) => JSON.stringify(c)).join(' or ')}.`,
    });
  }

  // splitRows' own rounding, kept within [1, n − 1] so both sides have rows; (k / n)·n rounds back to k.
  const n = realLabelled.length;
  const nHold = Math.min(n - 1, Math.max(1, Math.round(n * o.holdout)));
  const { test: holdout, train } = splitRows(realLabelled, { test: nHold / n, seed: o.seed });

  const features = o.features ?? sharedColumns(realLabelled, synthetic, o.target);
  const modelSeeds = Array.from({ length: o.repeats }, (_, k) => o.seed + k);
  const evalOpts = { target: o.target, ...(binary ? { positiveLabel: o.positiveLabel } : {}) };
  const evaluate = (rows: readonly Row[]) =>
    modelSeeds.map((seed) =>
      evaluateClassifier(trainClassifier(rows, { target: o.target, features, algorithm: o.algorithm, seed, ...(o.options ? { options: o.options } : {}) }), holdout, evalOpts),
    );
  const tstr = scores(evaluate(synthetic), synthetic.filter((r) => isLabel(r[o.target])).length);
  const trtr = scores(evaluate(train), train.length);
  const metric = binary ? 'f1' : 'macro_f1';
  const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !(b > 0) ? null : a / b);
  return {
    task: binary ? 'binary' : 'multiclass',
    metric,
    ...(binary ? { positive_label: o.positiveLabel } : {}),
    tstr,
    trtr,
    holdout_rows: holdout.length,
    model_seeds: modelSeeds,
    ratio: ratio(tstr[metric], trtr[metric]),
    accuracy_ratio: ratio(tstr.accuracy, trtr.accuracy),
    features,
  };
}

function perClassF1(e: ClassifierEvaluation): Array<{ label: string; f1: number }> {
  const labels = e.labels.map(String);
  // F1 = 2·TP / (2·TP + FP + FN) from the confusion matrix, as evaluateClassifier scores it.
  return labels.map((label, c) => {
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < labels.length; j++) {
      if (j === c) continue;
      fp += e.confusion[j][c];
      fn += e.confusion[c][j];
    }
    const tp = e.confusion[c][c];
    return { label, f1: tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn) };
  });
}

function scores(runs: ClassifierEvaluation[], trainRows: number): UtilityScores {
  const accuracy = runs.map((e) => e.accuracy);
  const macroF1 = runs.map((e) => e.macro_f1);
  const f1 = runs[0].f1 !== undefined ? runs.map((e) => e.f1 as number) : undefined;
  // Per-class F1 is the mean over the repeats like the other scores; the confusion matrix is the
  // first repeat's, so that its counts still add up to the hold-out's rows.
  const perRun = runs.map(perClassF1);
  const first = runs[0];
  return {
    accuracy: mean(accuracy),
    macro_f1: mean(macroF1),
    ...(f1 ? { f1: mean(f1) } : {}),
    sd: { accuracy: sd(accuracy), macro_f1: sd(macroF1), ...(f1 ? { f1: sd(f1) } : {}) },
    train_rows: trainRows,
    per_class: perRun[0].map(({ label }, c) => ({ label, f1: mean(perRun.map((r) => r[c].f1)) })),
    confusion: { labels: first.labels.map(String), matrix: first.confusion.map((r) => [...r]) },
  };
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Sample standard deviation (n − 1); 0 for one value. */
function sd(xs: number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Columns on both sides, minus the target and identifier/free-text columns (a classifier learns nothing general from them). */
function sharedColumns(real: readonly Row[], synthetic: readonly Row[], target: string): string[] {
  const syn = new Set(keysOf(synthetic, 10_000));
  const identifiers = new Set(classifyColumns(real).skipped.map((c) => c.column));
  return keysOf(real, 10_000).filter((k) => k !== target && syn.has(k) && !identifiers.has(k));
}
