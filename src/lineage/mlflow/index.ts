export {
  MlflowClient,
  DATASET_CONTEXT_TAG,
  DatasetInputSpecSchema,
  type DatasetInputSpec,
  type MlflowClientOptions,
  type CreateRunOptions,
  type GetOrCreateRunOptions,
  type SearchRunsOptions,
  type UpdateRunOptions,
  type SearchLoggedModelsOptions,
  type SearchModelVersionsOptions,
  type CreateLoggedModelOptions,
  type CreateModelVersionOptions,
  type Page,
} from './mlflow-client.js';
export { MlflowError, MlflowErrorCode, isMlflowError, type MlflowErrorInit } from './mlflow-error.js';
export { MlflowTransportOptionsSchema, type MlflowTransportOptions } from './mlflow-transport.js';
export { RetryOptionsSchema, type RetryOptions } from './retry-policy.js';
export {
  buildLogBatchChunks,
  LogBatchInputSchema,
  MetricInputSchema,
  KeyValuesInputSchema,
  type LogBatchInput,
  type LogBatchChunk,
  type MetricInput,
  type KeyValuesInput,
} from './log-batch.js';
export { MLFLOW_LIMITS, sanitizeKey, truncateChars } from './mlflow-limits.js';
export { artifactProxyPath } from './artifact-path.js';
export { tagEquals, quoteFilterKey, quoteFilterValue } from './search-filter.js';
export {
  RunStatus,
  LoggedModelStatus,
  type Experiment,
  type Run,
  type RunInfo,
  type Metric,
  type Dataset,
  type DatasetInput,
  type KeyValue,
  type LoggedModel,
  type RegisteredModel,
  type ModelVersion,
  type FileInfo,
} from './mlflow-entities.js';
