/**
 * synthgraph's public API: declare assets and schedules, and (for tools) load and run a project.
 *
 *   import { dataset, source, validation, model, asset, schedule, checks } from 'synthgraph';
 */
import type { LoadProjectOptions, Project } from './engine/index.js';
import { loadProject as loadEngineProject } from './engine/index.js';
import './builtin-kinds.js';
import './rules/prompt-loader.js';
import './generators/default-provider.js';
/** zod, as synthgraph uses it: declare row schemas with this `z` so they are the same zod instance. */
export { z } from 'zod';
export { type AssetDef, type AssetContext, type CommonOptions, type FileRef } from './engine/index.js';
export { dataset, type DatasetOptions } from './generators/dataset-asset.js';
export { source, type SourceOptions } from './kinds/source-asset.js';
export { asset, type FunctionAssetOptions } from './kinds/function-asset.js';
export { validation, type ValidationOptions, type ValidationReport, type CheckResult } from './validation/validation-asset.js';
export { model, type ModelOptions, type ModelColumns } from './models/model-asset.js';
export { images, type ImagesOptions } from './images/images-asset.js';
export { imageFeatureRows, HUE_FEATURES } from './images/image-features.js';
export type { ImageManifestRow } from './images/image-manifest.js';
export type { ImageGeneratorConfigInput } from './images/image-generator-config.js';
export type { ImagesCheckOptions } from './images/images-check.js';
export { schedule, type ScheduleOptions, type ScheduleDef } from './engine/index.js';
import { checks as tableChecks } from './validation/index.js';
import { imagesCheck } from './images/images-check.js';

/**
 * Built-in checks for `validation({ checks: [...] })`: those of tables (`src/validation/checks.ts`:
 * schema, rules, unique, completeness, fidelity, drift, utility, privacy, noise, feedback) and
 * `images({ size?, format?, minVariance?, maxHashDistance?, against?, categories?, maxRefusalRate? })`:
 * images of an images asset (decodable, size, not blank, near-duplicates, per-category counts,
 * refusals). Gathered here so that the validation room need not know the images room, which
 * builds its check on validation's.
 */
export const checks = { ...tableChecks, images: imagesCheck } as const;
export {
  type CheckOptions,
  type SchemaCheckOptions,
  type RulesCheckOptions,
  type UniqueCheckOptions,
  type CompletenessCheckOptions,
  type FidelityCheckOptions,
  type DriftCheckOptions,
  type UtilityCheckOptions,
  type PrivacyCheckOptions,
  type NoiseCheckOptions,
  type FeedbackCheckOptions,
  renderValidationReport,
  ReportFormat,
} from './validation/index.js';
export type { Check, CheckContext, CheckOutcome, CheckDefinitionContext, DefinitionProblem } from './engine/index.js';
export type { Row } from './engine/index.js';
export type { GeneratorConfig, Generator, GenerateRequest, GenerateResult } from './generators/generator.js';
/** The engine's plug-in seams: a generator package exports `generators: GeneratorPlugin[]`, a kind package `kinds: AssetKind[]` (see docs/plugins.md). */
export {
  registerGenerator,
  registerPromptLoader,
  type GeneratorPlugin,
  type GeneratorDefinitionCheck,
  type GeneratorDefinitionRequest,
  type PromptLoader,
  type PromptResource,
} from './engine/index.js';
export {
  registerAssetKind,
  defineAsset,
  COMMON_OPTION_KEYS,
  rowsOf,
  type AssetKind,
  type AssetSpec,
  type KindSettings,
  type KindResolveContext,
  type KindResolution,
  type KindComputeRequest,
  type ComputedValue,
  type MaterializeSettings,
  type DefinitionView,
  type ResolvedAsset,
} from './engine/index.js';
export { SynthError, UsageError, DefinitionError, PromptFileError, RetryableError, MaterializationError } from './engine/index.js';
export type { Project, LoadProjectOptions } from './engine/index.js';

/**
 * Loads and checks a project (see the engine's `loadProject`), with the built-in generators
 * registered first. They register here rather than on import so that definitions importing
 * `synthgraph` never load a generator.
 */
export async function loadProject(options: LoadProjectOptions = {}): Promise<Project> {
  await import('./generators/registry.js');
  return loadEngineProject(options);
}
export { resolveSelection } from './engine/index.js';
export { computeStatus, type AssetStatus } from './engine/index.js';
export { planRun, type PlannedAsset } from './engine/index.js';
export { materialize, type MaterializeOptions, type MaterializeResult } from './engine/index.js';
export type { EngineEvent, AssetOutcome } from './engine/index.js';
export { Catalog, type Materialization } from './engine/index.js';
export { trainClassifier, evaluateClassifier, loadClassifier, type TrainedClassifier, type TrainClassifierOptions, type ClassifierEvaluation } from './models/index.js';
export { splitRows, type SplitOptions } from './models/split-rows.js';
export { blend, modelWithRealEvaluation, type BlendOptions, type BlendReport, type BlendPoint, type RealEvaluationOptions } from './models/index.js';
export { feedback, type FeedbackOptions, type FeedbackRecord } from './feedback/index.js';
