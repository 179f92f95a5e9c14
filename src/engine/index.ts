/** The engine's surface for the other rooms (CLI, generators, validation, lineage, scheduler, UI): import from here. */
export * from './definitions.js';
export * from './schedule-definition.js';
export * from './errors.js';
export type { Check, CheckContext, CheckDefinitionContext, CheckOutcome, RuleLike } from './check.js';
export type { Row, RowSchema } from './rows.js';
export { readCatalogText } from './catalog.js';
export {
  Catalog,
  CatalogIndex,
  CheckRecordSchema,
  MaterializationSchema,
  type CheckRecord,
  type Materialization,
  type Run,
  type KeyInputs,
  type CatalogData,
  type ScheduleState,
} from './catalog.js';
export { ObjectStore } from './store.js';
export { loadProject, resolveProject, projectPaths, type Project, type ResolvedAsset, type ProjectPaths, type LoadProjectOptions } from './project.js';
export { resolveSelection } from './selection.js';
export { computeStatus, failedBlockingChecks, type AssetStatus, AssetState } from './status.js';
export { diffKeyInputs, cacheKeyOf, keyInputsFor, codeVersionOf, effectiveSettings, type Overrides } from './cache-key.js';
export { planRun, type PlannedAsset, PlannedAction } from './plan.js';
export { materialize, newId, recordFreshRun, type MaterializeOptions, type MaterializeResult } from './executor.js';
export { type AssetOutcome, type EngineEvent, type EventListener, Outcome } from './events.js';
export { canonicalJson, sha256, hashJson, shortHash } from './hashing.js';
export { seededRandom, RandomAlgorithm, Sfc32, Mulberry32, cumulate, type SeededRandom } from './seeded-random.js';
export { upperBound } from './upper-bound.js';
export { withRetry, retryDelayMs, parseRetryAfterMs, RetryAfterUse, type RetryPolicy, type Backoff, type RetryRun } from './retry.js';
export { encodeCsv, encodeJsonl, decodeJsonl, decodeValue, isRowArray } from './codec.js';
export { acquireLock, withLock, readLockOwner, liveLockHolder, LockTimeoutError, LockLostError, type Lock, type LockOwner } from './lock.js';
export { isProcessAlive, mayBeRunning } from './process-liveness.js';
export { writeFileAtomic, writeFileAtomicAsync, appendLineDurably, fsyncDir, type AtomicWriteOptions } from './atomic-write.js';
export { checkOutputPath, writeOutputFile, writeUserFile, OutputPathError, type OutputTarget, type OutputPathOptions } from './output-path.js';
export { WriteError, writeError, isWriteError } from './write-error.js';
export { collectGarbage, type GarbageReport } from './garbage.js';
export { verifyStore, StoreProblemKind, type StoreProblem, type VerifyReport } from './verify-store.js';
export { loadProjectConfig, type MlflowConfig } from './project-config.js';
export { didYouMean, didYouMeanText, describeOptionIssues, type OptionIssue } from './option-issues.js';
export { problemFromError, type DefinitionProblem } from './definition-problem.js';
export { packageRoot, packageVersion } from './package-info.js';
export { readSourceRows } from './source-files.js';
export { ISO_DATE_LIKE, MONTH_NAME_DATE, parseIsoDate, parseDateText, formatMonthNameDate } from './iso-date.js';
export { looksLikeIdentifier, MAX_SMALL_CATEGORIES } from './column-cardinality.js';
export type { GeneratorConfig, GenerateRequest, GenerateResult, Generator, GeneratorDefinitionRequest, GeneratorDefinitionCheck, GeneratorPlugin } from './generator-plugin.js';
export {
  registerGenerator,
  registerGeneratorWrapper,
  setDefaultGenerator,
  providerNames,
  generatorDefinitionProblem,
  publicGeneratorConfig,
  keyedGeneratorConfig,
  withRunOptions,
  loadGenerator,
  overrideGenerator,
} from './generator-registry.js';
export { registerPromptLoader, promptLoader, type PromptLoader, type PromptResource } from './prompt-loader.js';
export type { AssetKind, KindSettings, KindResolveContext, KindResolution, DefinitionView, KindComputeRequest, ComputedValue, MaterializeSettings } from './asset-kind.js';
export { registerAssetKind, assetKindNames, findAssetKind, assetKind } from './asset-kind-registry.js';
export { rowsOf } from './materialize-asset.js';
export { COMMON_OPTION_KEYS } from './dsl-option-keys.js';
export { functionSourceHash, schemaHash } from './code-hash.js';
export { resolveSourceFiles, readSourceColumns, sourceRefProblem, observeSourceFiles } from './source-files.js';
export type { OnBadLine } from './source-reader.js';
export { isZodObject } from './rows.js';
export { defaultGeneratorConfig } from './generator-registry.js';
export type { FileHashMemo } from './file-hash-memo.js';
export { computeSiteJob, storeComputed, type ComputeSite, type SiteJob, type StoredAsset } from './compute-site.js';
export { bundledSourceFiles } from './module-loader.js';
export { lazyPackage } from './lazy-package.js';
