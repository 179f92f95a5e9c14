/**
 * Response shapes of the MLflow 3.x REST API (see mlflow/protos/service.proto), parsed leniently:
 * MLflow omits empty fields and may add new ones, so every collection defaults to empty and unknown
 * keys are dropped.
 */
import { z } from 'zod';

/** int64 fields arrive as JSON numbers, but proto3 JSON allows strings: accept both. */
const Int64 = z.union([z.number(), z.string()]).transform(Number);
/** Doubles may be the strings "NaN", "Infinity", "-Infinity". */
const Double = z.union([z.number(), z.string()]).transform(Number);

export const KeyValueSchema = z.object({ key: z.string(), value: z.string().default('') });
export type KeyValue = z.infer<typeof KeyValueSchema>;
const KeyValues = z.array(KeyValueSchema).default([]);

export const ExperimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().optional(),
  /** `active` or `deleted`. */
  lifecycle_stage: z.string().default('active'),
  creation_time: Int64.optional(),
  last_update_time: Int64.optional(),
  tags: KeyValues,
});
export type Experiment = z.infer<typeof ExperimentSchema>;

export const RunStatus = {
  RUNNING: 'RUNNING',
  SCHEDULED: 'SCHEDULED',
  FINISHED: 'FINISHED',
  FAILED: 'FAILED',
  KILLED: 'KILLED',
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

export const RunInfoSchema = z.object({
  run_id: z.string(),
  run_name: z.string().optional(),
  experiment_id: z.string(),
  user_id: z.string().optional(),
  status: z.string().optional(),
  start_time: Int64.optional(),
  end_time: Int64.optional(),
  artifact_uri: z.string().optional(),
  lifecycle_stage: z.string().optional(),
});
export type RunInfo = z.infer<typeof RunInfoSchema>;

export const MetricSchema = z.object({
  key: z.string(),
  value: Double,
  timestamp: Int64.optional(),
  step: Int64.default(0),
});
export type Metric = z.infer<typeof MetricSchema>;

export const DatasetSchema = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string().optional(),
  source: z.string().optional(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});
export type Dataset = z.infer<typeof DatasetSchema>;

export const DatasetInputSchema = z.object({ tags: KeyValues, dataset: DatasetSchema });
export type DatasetInput = z.infer<typeof DatasetInputSchema>;

export const ModelOutputSchema = z.object({ model_id: z.string(), step: Int64.default(0) });

export const RunSchema = z.object({
  info: RunInfoSchema,
  data: z.object({ metrics: z.array(MetricSchema).default([]), params: KeyValues, tags: KeyValues }).default({ metrics: [], params: [], tags: [] }),
  inputs: z
    .object({
      dataset_inputs: z.array(DatasetInputSchema).default([]),
      model_inputs: z.array(z.object({ model_id: z.string() })).default([]),
    })
    .default({ dataset_inputs: [], model_inputs: [] }),
  outputs: z.object({ model_outputs: z.array(ModelOutputSchema).default([]) }).default({ model_outputs: [] }),
});
export type Run = z.infer<typeof RunSchema>;

export const LoggedModelStatus = {
  PENDING: 'LOGGED_MODEL_PENDING',
  READY: 'LOGGED_MODEL_READY',
  UPLOAD_FAILED: 'LOGGED_MODEL_UPLOAD_FAILED',
} as const;
export type LoggedModelStatus = (typeof LoggedModelStatus)[keyof typeof LoggedModelStatus];

export const LoggedModelSchema = z.object({
  info: z.object({
    model_id: z.string(),
    experiment_id: z.string(),
    name: z.string().optional(),
    artifact_uri: z.string(),
    status: z.string().optional(),
    model_type: z.string().optional(),
    source_run_id: z.string().optional(),
    creation_timestamp_ms: Int64.optional(),
    last_updated_timestamp_ms: Int64.optional(),
    tags: KeyValues,
  }),
  data: z.object({ params: KeyValues, metrics: z.array(MetricSchema).default([]) }).default({ params: [], metrics: [] }),
});
export type LoggedModel = z.infer<typeof LoggedModelSchema>;

export const RegisteredModelSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  creation_timestamp: Int64.optional(),
  last_updated_timestamp: Int64.optional(),
  tags: KeyValues,
});
export type RegisteredModel = z.infer<typeof RegisteredModelSchema>;

export const ModelVersionSchema = z.object({
  name: z.string(),
  /** MLflow sends versions as strings ("1"). */
  version: z.union([z.string(), z.number()]).transform(String),
  source: z.string().optional(),
  run_id: z.string().optional(),
  model_id: z.string().optional(),
  status: z.string().optional(),
  current_stage: z.string().optional(),
  description: z.string().optional(),
  creation_timestamp: Int64.optional(),
  tags: KeyValues,
});
export type ModelVersion = z.infer<typeof ModelVersionSchema>;

export const FileInfoSchema = z.object({
  path: z.string(),
  is_dir: z.boolean().default(false),
  file_size: Int64.optional(),
});
export type FileInfo = z.infer<typeof FileInfoSchema>;

// Envelopes of each endpoint's response.
export const EmptyResponse = z.object({});
export const GetExperimentResponse = z.object({ experiment: ExperimentSchema });
export const CreateExperimentResponse = z.object({ experiment_id: z.string() });
export const RunResponse = z.object({ run: RunSchema });
export const UpdateRunResponse = z.object({ run_info: RunInfoSchema.optional() });
export const SearchRunsResponse = z.object({
  runs: z.array(RunSchema).default([]),
  next_page_token: z.string().optional(),
});
export const ListArtifactsResponse = z.object({
  root_uri: z.string().optional(),
  files: z.array(FileInfoSchema).default([]),
  next_page_token: z.string().optional(),
});
export const LoggedModelResponse = z.object({ model: LoggedModelSchema });
export const SearchLoggedModelsResponse = z.object({
  models: z.array(LoggedModelSchema).default([]),
  next_page_token: z.string().optional(),
});
export const RegisteredModelResponse = z.object({ registered_model: RegisteredModelSchema });
export const ModelVersionResponse = z.object({ model_version: ModelVersionSchema });
export const SearchModelVersionsResponse = z.object({
  model_versions: z.array(ModelVersionSchema).default([]),
  next_page_token: z.string().optional(),
});
