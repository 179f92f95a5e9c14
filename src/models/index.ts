export {
  trainClassifier,
  loadClassifier,
  ClassifierAlgorithm,
  TrainClassifierOptionsSchema,
  ClassifierJsonSchema,
  type TrainClassifierOptions,
  type TrainedClassifier,
  type ClassifierJson,
} from './classifier.js';
export { evaluateClassifier, type EvaluateOptions, type ClassifierEvaluation } from './evaluate-classifier.js';
export { fitEncoder, encodeRows, EncodedFeatureSchema, type EncodedFeature, type FitEncoderOptions } from './feature-encoder.js';
export { LabelSchema, isLabel, type Label } from './label.js';
export { parseOptions } from './parse-options.js';
export { trainTree, predictTree, TreeJsonSchema, type TreeJson, type TreeParams } from './decision-tree.js';
export { createRng, shuffledIndexes, seededSample, type Rng } from './random.js';
export { splitRows, type SplitOptions } from './split-rows.js';
export { blend, isBlendReport, type BlendOptions, type BlendReport, type BlendPoint } from './blend.js';
export { modelWithRealEvaluation, REAL_EVALUATION_KEY, type RealEvaluationOptions } from './real-evaluation.js';
