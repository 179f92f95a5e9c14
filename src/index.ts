/**
 * synthgraph's public API: declare assets and schedules, and (for tools) load and run a project.
 *
 *   import { dataset, source, validation, model, asset, schedule, checks } from 'synthgraph';
 */
export { dataset, source, validation, model, asset, type AssetDef, type AssetContext, type DatasetOptions, type SourceOptions, type ValidationOptions, type ModelOptions, type FunctionAssetOptions, type CommonOptions, type FileRef, type ValidationReport, type CheckResult } from './engine/definitions.js';
export { schedule, type ScheduleOptions, type ScheduleDef } from './engine/schedule-definition.js';
export {
  checks,
  type CheckOptions,
  type SchemaCheckOptions,
  type RulesCheckOptions,
  type UniqueCheckOptions,
  type CompletenessCheckOptions,
  type FidelityCheckOptions,
  type DriftCheckOptions,
  type UtilityCheckOptions,
  renderValidationReport,
  ReportFormat,
} from './validation/index.js';
export type { Check, CheckContext, CheckOutcome } from './engine/check.js';
export type { Row } from './engine/rows.js';
export type { GeneratorConfig, Generator, GenerateRequest, GenerateResult } from './generators/generator.js';
export { SynthError, UsageError, DefinitionError, PromptFileError, RetryableError, MaterializationError } from './engine/errors.js';
export { loadProject, type Project, type LoadProjectOptions } from './engine/project.js';
export { resolveSelection } from './engine/selection.js';
export { computeStatus, type AssetStatus } from './engine/status.js';
export { planRun, type PlannedAsset } from './engine/plan.js';
export { materialize, type MaterializeOptions, type MaterializeResult } from './engine/executor.js';
export type { EngineEvent, AssetOutcome } from './engine/events.js';
export { Catalog, type Materialization } from './engine/catalog.js';
export { trainClassifier, evaluateClassifier, loadClassifier, type TrainedClassifier, type TrainClassifierOptions, type ClassifierEvaluation } from './models/index.js';
export { splitRows, type SplitOptions } from './models/split-rows.js';
