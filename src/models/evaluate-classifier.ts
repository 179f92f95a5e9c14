import { UsageError, type Row } from '../engine/index.js';
import type { TrainedClassifier } from './classifier.js';
import { isLabel, type Label } from './label.js';

export interface EvaluateOptions {
  /** Column with the true label. Default: the model's target. */
  target?: string;
  /**
   * The positive class for a binary F1, e.g. `'yes'` or `true`. When set, `f1` is that class's F1.
   * Default: none (no `f1` field).
   */
  positiveLabel?: Label;
}

export interface ClassifierEvaluation {
  /** Labelled rows evaluated. */
  n: number;
  accuracy: number;
  /** Unweighted mean of per-class F1 over the classes in the truth or the predictions (as scikit-learn). */
  macro_f1: number;
  /** F1 of `positiveLabel`, when given. */
  f1?: number;
  /** Classes of the confusion matrix, in order. */
  labels: Label[];
  /** confusion[i][j] = rows of true class labels[i] predicted as labels[j]. */
  confusion: number[][];
}

/**
 * Accuracy, macro F1 and (optionally) the positive class's F1 of a classifier on labelled rows.
 * Computed directly from the confusion matrix: F1 = 2·TP / (2·TP + FP + FN), 0 when the class
 * is neither true nor predicted anywhere.
 */
export function evaluateClassifier(model: TrainedClassifier, rows: readonly Row[], options: EvaluateOptions = {}): ClassifierEvaluation {
  const target = options.target ?? model.target;
  const labelled = rows.filter((r) => isLabel(r[target]));
  const truth = labelled.map((r) => r[target] as Label);
  const predicted = model.predict(labelled);
  const labels: Label[] = [];
  const index = new Map<Label, number>();
  for (const v of [...model.labels, ...truth, ...predicted]) {
    if (!index.has(v)) {
      index.set(v, labels.length);
      labels.push(v);
    }
  }
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < truth.length; i++) {
    const t = index.get(truth[i])!;
    const p = index.get(predicted[i])!;
    confusion[t][p]++;
    if (t === p) correct++;
  }
  const f1Of = (c: number): number => {
    const tp = confusion[c][c];
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < k; j++) {
      if (j === c) continue;
      fp += confusion[j][c];
      fn += confusion[c][j];
    }
    return tp + fp + fn === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  };
  // Macro F1 averages over the classes present in truth or predictions, not over unseen training classes.
  const present = new Set<number>([...truth, ...predicted].map((v) => index.get(v)!));
  let sum = 0;
  for (const c of present) sum += f1Of(c);
  const result: ClassifierEvaluation = {
    n: truth.length,
    accuracy: truth.length ? correct / truth.length : NaN,
    macro_f1: present.size ? sum / present.size : NaN,
    labels,
    confusion,
  };
  if (options.positiveLabel !== undefined) result.f1 = f1Of(positiveIndex(labels, options.positiveLabel, target));
  return result;
}

/** Index of the positive label, matching by value and then by its text ("1" matches 1, "true" matches true). */
function positiveIndex(labels: readonly Label[], positive: Label, target: string): number {
  let i = labels.indexOf(positive);
  if (i < 0) i = labels.findIndex((l) => String(l) === String(positive));
  if (i < 0) {
    throw new UsageError({
      what: `The positive label ${JSON.stringify(positive)} is not a class of "${target}".`,
      why: `The classes are ${labels.map((l) => JSON.stringify(l)).join(', ')}.`,
      fix: `Set positiveLabel to one of them.`,
    });
  }
  return i;
}
