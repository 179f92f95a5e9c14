import { z } from 'zod';
import { UsageError, didYouMeanText, type Row } from '../engine/index.js';
import { EncodedFeatureSchema, encodeRows, fitEncoder, type EncodedFeature } from './feature-encoder.js';
import { isLabel, LabelSchema, type Label } from './label.js';
import { parseOptions } from './parse-options.js';
import { predictTree, trainTree, TreeJsonSchema, type TreeJson } from './decision-tree.js';
import { binColumn } from './feature-bins.js';
import { createRng } from './random.js';

/** Learning algorithms available to trainClassifier. */
export const ClassifierAlgorithm = { randomForest: 'random-forest', cart: 'cart' } as const;
export type ClassifierAlgorithm = (typeof ClassifierAlgorithm)[keyof typeof ClassifierAlgorithm];

export const TrainClassifierOptionsSchema = z.strictObject({
  /** Column holding the class label. Required. @example 'species' */
  target: z.string().min(1),
  /** Input columns. Default: every scalar column except the target. @example ['island', 'bill_length_mm'] */
  features: z.array(z.string()).optional(),
  /** Learning algorithm. Default 'random-forest'. */
  algorithm: z.enum(ClassifierAlgorithm).default('random-forest'),
  /** Seed of the forest's bootstrap samples and input subsets; the same seed and rows give the same model. Default 42. */
  seed: z.number().int().default(42),
  /** Most frequent categories one-hot encoded per column; rarer ones encode as all zeros. Default 50. */
  maxCategories: z.number().int().positive().default(50),
  options: z
    .strictObject({
      /** Trees in the forest (ignored by 'cart'). Default 30. */
      nEstimators: z.number().int().positive().default(30),
      /**
       * Inputs tried at each split: a share in (0, 1) or a count ≥ 1. Default: √(inputs) for
       * 'random-forest', all inputs for 'cart'. @example 0.5
       */
      maxFeatures: z.number().positive().optional(),
      /** Deepest tree level. Default 12 (bounds training time on noisy data). */
      maxDepth: z.number().int().positive().default(12),
      /** Fewest samples a node needs to be split. Default 3. */
      minNumSamples: z.number().int().positive().default(3),
    })
    .default({ nEstimators: 30, maxDepth: 12, minNumSamples: 3 }),
});
export type TrainClassifierOptions = z.input<typeof TrainClassifierOptionsSchema>;

/** Everything needed to rebuild a trained classifier; plain JSON. */
export const ClassifierJsonSchema = z.object({
  format: z.literal('synthgraph.classifier'),
  version: z.literal(1),
  algorithm: z.enum(ClassifierAlgorithm),
  target: z.string(),
  seed: z.number().int(),
  labels: z.array(LabelSchema),
  encoding: z.array(EncodedFeatureSchema),
  /** The trees (one for 'cart'); the forest predicts the majority vote, ties to the earliest label. */
  trees: z.array(TreeJsonSchema).min(1),
});
export type ClassifierJson = z.infer<typeof ClassifierJsonSchema>;

/** A trained classifier. */
export interface TrainedClassifier {
  readonly algorithm: ClassifierAlgorithm;
  readonly target: string;
  /** Classes seen in training, in their internal order. */
  readonly labels: readonly Label[];
  /** Input columns actually used. */
  readonly features: readonly string[];
  /** Predicted label of each row. */
  predict(rows: readonly Row[]): Label[];
  /** Accuracy on labelled rows (rows without a label are left out); NaN when none. */
  score(rows: readonly Row[]): number;
  /** Full serialization; `loadClassifier(JSON.parse(JSON.stringify(m.toJSON())))` predicts the same. */
  toJSON(): ClassifierJson;
}

/**
 * A target or feature that no row has is a misspelt name (`label` for `Label`): say so, with the
 * closest column, instead of training on fewer inputs or failing on "no label".
 * (`model({ columns })` finds the same mistake before anything runs.)
 */
function requireColumns(rows: readonly Row[], target: string, features: readonly string[] = []): void {
  if (rows.length === 0) return;
  const seen = new Set<string>();
  for (const row of rows.slice(0, 1000)) for (const k of Object.keys(row)) seen.add(k);
  for (const [option, column] of [['target', target], ...features.map((f) => ['features', f])]) {
    if (seen.has(column)) continue;
    throw new UsageError({
      what: `trainClassifier: ${option} "${column}" is not a column of the training rows.`,
      why: `Their columns are: ${[...seen].join(', ')}.`,
      fix: `${didYouMeanText(column, seen).trim()} Fix ${option} in the trainer's options.`.trim(),
    });
  }
}

/**
 * Trains a classifier on rows: numeric inputs as they are (missing → training mean), other
 * scalar inputs one-hot over the training vocabulary. Rows without a label are left out.
 * @example trainClassifier(penguins, { target: 'Species', seed: 7 })
 */
export function trainClassifier(rows: readonly Row[], options: TrainClassifierOptions): TrainedClassifier {
  const o = parseOptions(TrainClassifierOptionsSchema, options, 'trainClassifier');
  requireColumns(rows, o.target, o.features);
  const labelled = rows.filter((r) => isLabel(r[o.target]));
  if (labelled.length === 0) {
    throw new UsageError({
      what: `Cannot train a classifier on "${o.target}": no row has a label.`,
      why: `None of the ${rows.length} rows has a string, number or boolean in "${o.target}".`,
      fix: 'Check the target column name and that the training data is not empty.',
    });
  }
  const labels: Label[] = [];
  const labelIndex = new Map<Label, number>();
  const y = labelled.map((r) => {
    const v = r[o.target] as Label;
    let k = labelIndex.get(v);
    if (k === undefined) {
      k = labels.length;
      labelIndex.set(v, k);
      labels.push(v);
    }
    return k;
  });
  const encoding = fitEncoder(labelled, { target: o.target, features: o.features, maxCategories: o.maxCategories });
  if (encoding.length === 0) {
    throw new UsageError({
      what: `Cannot train a classifier on "${o.target}": no usable input column.`,
      why: 'Every candidate feature is missing, nested (array/object) or is the target itself.',
      fix: 'Pass `features` naming scalar columns of the training rows.',
    });
  }
  const x = encodeRows(encoding, labelled);
  const columns = toColumns(x, x[0]?.length ?? 0).map(binColumn);
  const yk = Int32Array.from(y);
  const nInputs = columns.length;
  const seed = o.seed | 0;
  const rng = createRng(seed);
  const forest = o.algorithm === 'random-forest';
  const mf = o.options.maxFeatures;
  const maxFeatures =
    mf === undefined ? (forest ? Math.max(1, Math.round(Math.sqrt(nInputs))) : nInputs) : mf < 1 ? Math.max(1, Math.round(mf * nInputs)) : Math.min(nInputs, Math.floor(mf));
  const params = { classes: labels.length, maxDepth: o.options.maxDepth, minNumSamples: o.options.minNumSamples, maxFeatures, rng };
  const n = yk.length;
  const trees: TreeJson[] = [];
  if (!forest) trees.push(trainTree(columns, yk, new Int32Array(n).fill(1), params));
  else {
    const weight = new Int32Array(n);
    for (let t = 0; t < o.options.nEstimators; t++) {
      // Bootstrap sample: n rows drawn with replacement, held as how often each row was drawn.
      weight.fill(0);
      for (let i = 0; i < n; i++) weight[Math.floor(rng() * n)]++;
      trees.push(trainTree(columns, yk, weight, params));
    }
  }
  return makeClassifier({ format: 'synthgraph.classifier', version: 1, algorithm: o.algorithm, target: o.target, seed, labels, encoding, trees });
}

function toColumns(x: number[][], width: number): Float64Array[] {
  const cols = Array.from({ length: width }, () => new Float64Array(x.length));
  for (let i = 0; i < x.length; i++) for (let f = 0; f < width; f++) cols[f][i] = x[i][f];
  return cols;
}

/** Rebuilds a classifier saved with `toJSON()`. Throws a UsageError for anything else. */
export function loadClassifier(json: unknown): TrainedClassifier {
  const parsed = ClassifierJsonSchema.safeParse(json);
  if (!parsed.success) {
    throw new UsageError({
      what: 'Cannot load the classifier: the saved model is not a synthgraph classifier.',
      why: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      fix: 'Re-train the model asset (synth materialize <model> --force).',
    });
  }
  const { trees, labels } = parsed.data;
  const nInputs = parsed.data.encoding.reduce((w, f) => w + (f.kind === 'numeric' ? 1 : f.vocabulary.length), 0);
  for (const t of trees) {
    const size = t.feature.length;
    const ok =
      [t.threshold, t.left, t.right, t.value].every((a) => a.length === size) &&
      t.feature.every((f, i) => f < nInputs && (f < 0 || (t.left[i] > i && t.left[i] < size && t.right[i] > i && t.right[i] < size))) &&
      t.value.every((v) => v >= 0 && v < labels.length);
    if (!ok) {
      throw new UsageError({
        what: 'Cannot load the classifier: its model data is corrupt.',
        why: 'A tree refers to an input, node or class that does not exist.',
        fix: 'Re-train the model asset (synth materialize <model> --force).',
      });
    }
  }
  return makeClassifier(parsed.data);
}

function makeClassifier(json: ClassifierJson): TrainedClassifier {
  const encoding: EncodedFeature[] = json.encoding;
  const votes = new Float64Array(json.labels.length);
  const predict = (rows: readonly Row[]): Label[] =>
    encodeRows(encoding, rows).map((x) => {
      votes.fill(0);
      for (const t of json.trees) votes[predictTree(t, x)]++;
      let best = 0;
      for (let c = 1; c < votes.length; c++) if (votes[c] > votes[best]) best = c;
      return json.labels[best];
    });
  return {
    algorithm: json.algorithm,
    target: json.target,
    labels: json.labels,
    features: encoding.map((f) => f.column),
    predict,
    score(rows) {
      const labelled = rows.filter((r) => isLabel(r[json.target]));
      if (labelled.length === 0) return NaN;
      const p = predict(labelled);
      let ok = 0;
      labelled.forEach((r, i) => {
        if (r[json.target] === p[i]) ok++;
      });
      return ok / labelled.length;
    },
    toJSON: () => json,
  };
}
