import { z } from 'zod';
import { artifactProxyPath } from './artifact-path.js';
import { buildLogBatchChunks, type KeyValuesInput, KeyValuesInputSchema, type LogBatchInput, toPairs } from './log-batch.js';
import {
  CreateExperimentResponse,
  EmptyResponse,
  type Experiment,
  type FileInfo,
  GetExperimentResponse,
  ListArtifactsResponse,
  type LoggedModel,
  LoggedModelResponse,
  LoggedModelStatus,
  type ModelVersion,
  ModelVersionResponse,
  type RegisteredModel,
  RegisteredModelResponse,
  type Run,
  type RunInfo,
  RunResponse,
  type RunStatus,
  SearchLoggedModelsResponse,
  SearchModelVersionsResponse,
  SearchRunsResponse,
  UpdateRunResponse,
} from './mlflow-entities.js';
import { MlflowError, MlflowErrorCode, isMlflowError } from './mlflow-error.js';
import { MLFLOW_LIMITS, charLength, sanitizeKey, truncateChars } from './mlflow-limits.js';
import { MlflowTransport, type MlflowTransportOptions, type TransportRequest } from './mlflow-transport.js';
import { quoteFilterValue, tagEquals } from './search-filter.js';

/** Options of {@link MlflowClient}: the HTTP options (URI, token, timeouts, retry). */
export type MlflowClientOptions = MlflowTransportOptions;

const API = '/api/2.0/mlflow';

/** Tag MLflow reads as a dataset input's context (`training`, `evaluation`, ...). */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

/** A dataset logged as a run input. */
export const DatasetInputSpecSchema = z.object({
  /** Dataset name, ≤ 500 chars. @example 'products' */
  name: z.string().min(1),
  /**
   * Content digest; MLflow keeps ≤ 36 chars, so a longer one (a sha256 hex) is cut to its first 36.
   * (name, digest) identifies the dataset within the experiment: change the digest when content changes.
   */
  digest: z.string().min(1),
  /** Kind of source. Default `local` (readable by MLflow's Python client). @example 'local' */
  sourceType: z.string().min(1).default('local'),
  /** Where the data lives: a JSON string, or an object that is serialised. @example { uri: '/abs/.synth/objects/ab/cd' } */
  source: z.union([z.string(), z.record(z.string(), z.unknown())]),
  /** Schema, a JSON string or object (MLflow's UI reads `{"mlflow_colspec": [...]}`). ≤ 1 MB. */
  schema: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** Profile, a JSON string or object, e.g. `{ num_rows: 500 }`. ≤ 16 MB. */
  profile: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** Role of the dataset for this run, stored as the `mlflow.data.context` input tag. @example 'training' */
  context: z.string().optional(),
  /** Further input tags (key ≤ 255 chars, value ≤ 500). */
  tags: z.record(z.string(), z.string()).optional(),
});
export type DatasetInputSpec = z.input<typeof DatasetInputSpecSchema>;

/** Options of {@link MlflowClient.createRun}. */
export interface CreateRunOptions {
  /** Experiment that owns the run. */
  experimentId: string;
  /** Display name (`mlflow.runName`). Default: MLflow picks one. */
  runName?: string;
  /** Epoch ms. Default: now. */
  startTime?: number;
  /** Tags set at creation; keys are sanitized like `logBatch` keys. */
  tags?: KeyValuesInput;
}

/** Options of {@link MlflowClient.getOrCreateRun}. */
export interface GetOrCreateRunOptions extends CreateRunOptions {
  /**
   * The tag that identifies this run, e.g. `{ key: 'synthgraph.materialization_id', value: id }`.
   * It is set on the created run, and searched for before creating one.
   */
  idempotencyTag: { key: string; value: string };
}

/** Options of {@link MlflowClient.searchRuns}. */
export interface SearchRunsOptions {
  /** Experiments to search. */
  experimentIds: string[];
  /** MLflow filter string. @example `tags.\`synthgraph.asset\` = 'products'` */
  filter?: string;
  /** Page size, ≤ 50,000. Default 1000 (MLflow's). */
  maxResults?: number;
  /** Sort clauses. @example ['attributes.start_time DESC'] */
  orderBy?: string[];
  /** Token of the next page, from a previous answer. */
  pageToken?: string;
  /** `ACTIVE_ONLY` (default), `DELETED_ONLY` or `ALL`. */
  runViewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
}

/** A page of results. */
export interface Page<T> {
  items: T[];
  /** Present when more results exist. */
  nextPageToken?: string;
}

/** Fields of {@link MlflowClient.updateRun}; omitted ones are left as they are. */
export interface UpdateRunOptions {
  /** New status. @example 'FINISHED' */
  status?: RunStatus;
  /** Epoch ms at which the run ended. @example Date.now() */
  endTime?: number;
  /** New display name. */
  runName?: string;
}

/** Options of {@link MlflowClient.searchLoggedModels}. */
export interface SearchLoggedModelsOptions {
  /** Experiments to search. */
  experimentIds: string[];
  /** MLflow filter string. @example "name = 'category_model'" */
  filter?: string;
  /** Page size. Default: MLflow's. */
  maxResults?: number;
  /** Token of the next page, from a previous answer. */
  pageToken?: string;
}

/** Options of {@link MlflowClient.searchModelVersions}. */
export interface SearchModelVersionsOptions {
  /** MLflow filter string. @example "name = 'category_model' and run_id = 'abc'" */
  filter?: string;
  /** Page size, ≤ 200,000. Default: MLflow's. */
  maxResults?: number;
  /** Sort clauses; only the first is sent. @example ['version_number DESC'] */
  orderBy?: string[];
  /** Token of the next page, from a previous answer. */
  pageToken?: string;
}

/** Options of {@link MlflowClient.createLoggedModel}. */
export interface CreateLoggedModelOptions {
  /** Experiment that owns the model. */
  experimentId: string;
  /** Model name. @example 'category_model' */
  name: string;
  /** Free-form type. @example 'classifier' */
  modelType?: string;
  /** Run that produced the model. */
  sourceRunId?: string;
  /** Model params (immutable). */
  params?: KeyValuesInput;
  /** Model tags. */
  tags?: KeyValuesInput;
}

/** Options of {@link MlflowClient.createModelVersion}. */
export interface CreateModelVersionOptions {
  /** Registered model name. */
  name: string;
  /** Concrete artifact URI of the model, such as a logged model's `artifact_uri`. */
  source: string;
  /** Run the version comes from; also what {@link MlflowClient.getOrCreateModelVersion} searches by. */
  runId?: string;
  /** Logged model behind the version (MLflow 3). */
  modelId?: string;
  /** Free text shown in the registry. */
  description?: string;
  /** Version tags. */
  tags?: KeyValuesInput;
}

/**
 * Typed client of the MLflow 3.x tracking REST API.
 *
 * Retries: idempotent calls (gets, searches, updates, tags, log-batch, log-inputs, uploads, finalize)
 * are retried on connection errors, 429, 502, 503 and 504. Creates (`createRun`, `createLoggedModel`,
 * `logOutputs`, `createModelVersion`) are retried only when the server cannot have applied them
 * (connection refused, 429, 503); after an ambiguous failure they throw an error with
 * `maybeApplied: true`. Make them idempotent by looking before creating:
 * `getOrCreateRun` (an idempotency tag, searched with `findRunByTag`), `getOrCreateExperiment`,
 * `getOrCreateRegisteredModel`, `getOrCreateModelVersion` (one version per (name, run)), and for logged
 * models, search by a tag (`searchLoggedModels({ filter: "tags.`k` = 'v'" })`) before creating.
 *
 * @example
 * const mlflow = new MlflowClient({ trackingUri: 'http://127.0.0.1:5000' });
 * const exp = await mlflow.getOrCreateExperiment('synthgraph');
 * const { run } = await mlflow.getOrCreateRun({ experimentId: exp.experiment_id, idempotencyTag: { key: 'synthgraph.materialization_id', value: id } });
 * await mlflow.logBatch(run.info.run_id, { params: { rows: 500 }, metrics: [{ key: 'accuracy', value: 0.93 }] });
 * await mlflow.close();
 */
export class MlflowClient {
  private readonly http: MlflowTransport;

  constructor(options: MlflowClientOptions = {}) {
    this.http = new MlflowTransport(options);
  }

  /** The server's URI without credentials. */
  get trackingUri(): string {
    return this.http.displayUri;
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.http.requestCount;
  }

  /** Closes the keep-alive connections. */
  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Aborts requests in flight (they fail with a CONNECTION_ERROR whose `maybeApplied` is set for
   * creates) and closes the connections: for callers with a hard deadline.
   */
  destroy(): Promise<void> {
    return this.http.destroy();
  }

  // ---------------------------------------------------------------- experiments

  /** The experiment with this name (possibly deleted: check `lifecycle_stage`), or undefined. */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    return this.orUndefined(
      this.call({ method: 'GET', path: `${API}/experiments/get-by-name`, query: { experiment_name: name }, idempotent: true, schema: GetExperimentResponse }),
      (r) => r.experiment,
    );
  }

  /** Creates an experiment and returns its id; fails with RESOURCE_ALREADY_EXISTS if the name is taken. */
  async createExperiment(name: string, options: { tags?: KeyValuesInput } = {}): Promise<string> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/experiments/create`,
      json: { name, tags: this.keyValues(options.tags, MLFLOW_LIMITS.tagValueLength) },
      // A resent create can only fail with RESOURCE_ALREADY_EXISTS, which callers handle.
      idempotent: true,
      schema: CreateExperimentResponse,
    });
    return res.experiment_id;
  }

  /**
   * The active experiment with this name, created if missing. Safe when several processes race:
   * the loser of the create gets RESOURCE_ALREADY_EXISTS and reads the winner's experiment.
   * Throws EXPERIMENT_DELETED when a deleted experiment holds the name.
   */
  async getOrCreateExperiment(name: string, options: { tags?: KeyValuesInput } = {}): Promise<Experiment> {
    let experiment = await this.getExperimentByName(name);
    if (!experiment) {
      try {
        await this.createExperiment(name, options);
      } catch (err) {
        if (!isMlflowError(err, MlflowErrorCode.RESOURCE_ALREADY_EXISTS)) throw err;
      }
      experiment = await this.getExperimentByName(name);
    }
    if (!experiment) {
      throw new MlflowError({
        errorCode: MlflowErrorCode.RESOURCE_DOES_NOT_EXIST,
        endpoint: `GET ${API}/experiments/get-by-name`,
        message: `experiment ${JSON.stringify(name)} was created but cannot be read back`,
      });
    }
    if (experiment.lifecycle_stage === 'deleted') {
      throw new MlflowError({
        errorCode: MlflowErrorCode.EXPERIMENT_DELETED,
        endpoint: `GET ${API}/experiments/get-by-name`,
        message: `experiment ${JSON.stringify(name)} (id ${experiment.experiment_id}) is deleted`,
        what: `The MLflow experiment ${JSON.stringify(name)} is deleted, and MLflow keeps its name reserved.`,
        fix: `Restore it (mlflow experiments restore --experiment-id ${experiment.experiment_id}), purge it with 'mlflow gc', or use another experiment name.`,
      });
    }
    return experiment;
  }

  // ---------------------------------------------------------------- runs

  /** Creates a run (status RUNNING). Not idempotent: prefer {@link getOrCreateRun}. */
  async createRun(options: CreateRunOptions): Promise<Run> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/runs/create`,
      json: {
        experiment_id: options.experimentId,
        run_name: options.runName,
        start_time: options.startTime ?? Date.now(),
        tags: this.keyValues(options.tags, MLFLOW_LIMITS.tagValueLength),
      },
      idempotent: false,
      schema: RunResponse,
    });
    return res.run;
  }

  /**
   * The run carrying `idempotencyTag`, created (with that tag) if none does. After an ambiguous
   * failure of the create it looks again before giving up. Two processes creating at the same instant
   * can still make two runs; {@link findRunByTag} then returns the oldest to both, consistently.
   */
  async getOrCreateRun(options: GetOrCreateRunOptions): Promise<{ run: Run; created: boolean }> {
    const { key, value } = options.idempotencyTag;
    const existing = await this.findRunByTag(options.experimentId, key, value);
    if (existing) return { run: existing, created: false };
    const tags = [...this.keyValues(options.tags, MLFLOW_LIMITS.tagValueLength), { key, value }];
    try {
      return { run: await this.createRun({ ...options, tags }), created: true };
    } catch (err) {
      if (isMlflowError(err) && err.maybeApplied) {
        const again = await this.findRunByTag(options.experimentId, key, value);
        if (again) return { run: again, created: true };
      }
      throw err;
    }
  }

  /** Sets a run's status, end time or name. */
  async updateRun(runId: string, update: UpdateRunOptions): Promise<RunInfo | undefined> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/runs/update`,
      json: { run_id: runId, status: update.status, end_time: update.endTime, run_name: update.runName },
      idempotent: true,
      schema: UpdateRunResponse,
    });
    return res.run_info;
  }

  /** A run with its params, metrics (latest values), tags, inputs and outputs; RESOURCE_DOES_NOT_EXIST if unknown. */
  async getRun(runId: string): Promise<Run> {
    const res = await this.call({ method: 'GET', path: `${API}/runs/get`, query: { run_id: runId }, idempotent: true, schema: RunResponse });
    return res.run;
  }

  /** One page of runs. */
  async searchRuns(options: SearchRunsOptions): Promise<Page<Run>> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/runs/search`,
      json: {
        experiment_ids: options.experimentIds,
        filter: options.filter,
        max_results: options.maxResults,
        order_by: options.orderBy,
        page_token: options.pageToken,
        run_view_type: options.runViewType,
      },
      idempotent: true,
      schema: SearchRunsResponse,
    });
    return { items: res.runs, nextPageToken: res.next_page_token };
  }

  /** Every run matching, page after page. */
  async *iterateRuns(options: Omit<SearchRunsOptions, 'pageToken'>): AsyncGenerator<Run> {
    let pageToken: string | undefined;
    do {
      const page = await this.searchRuns({ ...options, pageToken });
      yield* page.items;
      pageToken = page.nextPageToken;
    } while (pageToken);
  }

  /** The oldest active run of the experiment whose tag `key` equals `value` (key sanitized like tags), or undefined. */
  async findRunByTag(experimentId: string, key: string, value: string): Promise<Run | undefined> {
    const page = await this.searchRuns({
      experimentIds: [experimentId],
      filter: tagEquals(sanitizeKey(key), value),
      orderBy: ['attributes.start_time ASC'],
      maxResults: 1,
    });
    return page.items[0];
  }

  /** Sets (overwrites) one run tag. */
  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: `${API}/runs/set-tag`,
      json: { run_id: runId, key: sanitizeKey(key), value: truncateChars(value, MLFLOW_LIMITS.tagValueLength) },
      idempotent: true,
      schema: EmptyResponse,
    });
  }

  /**
   * Logs params, metrics and tags, split into as many requests as MLflow's limits need (sent in
   * order). Keys are sanitized and values cut, see `buildLogBatchChunks`. Logging a param again with
   * another value throws PARAM_VALUE_CHANGED. Resending is safe: metric points carry fixed timestamps.
   * @returns the number of requests made (retries excluded).
   */
  async logBatch(runId: string, batch: LogBatchInput): Promise<{ requests: number }> {
    const chunks = buildLogBatchChunks(batch);
    for (const chunk of chunks) {
      try {
        await this.call({ method: 'POST', path: `${API}/runs/log-batch`, json: { run_id: runId, ...chunk }, idempotent: true, schema: EmptyResponse });
      } catch (err) {
        if (isMlflowError(err, MlflowErrorCode.INVALID_PARAMETER_VALUE) && /Changing param values is not allowed/i.test(err.mlflowMessage)) {
          throw new MlflowError({
            status: err.status,
            errorCode: MlflowErrorCode.PARAM_VALUE_CHANGED,
            endpoint: err.endpoint,
            message: err.mlflowMessage,
            what: `A param of MLflow run ${runId} was logged again with a different value.`,
            why: `MLflow params are immutable once logged. Server said: ${err.mlflowMessage}`,
            fix: 'Log the changed value in a new run, or as a tag (tags can be overwritten).',
            cause: err,
          });
        }
        throw err;
      }
    }
    return { requests: chunks.length };
  }

  /** Logs datasets as run inputs. Safe to repeat: MLflow reuses a dataset with the same (name, digest). */
  async logInputs(runId: string, datasets: DatasetInputSpec[]): Promise<void> {
    const endpoint = `POST ${API}/runs/log-inputs`;
    const body = datasets.map((spec) => {
      const d = this.parseInput(DatasetInputSpecSchema, spec, endpoint);
      const tags = Object.entries({ ...d.tags, ...(d.context !== undefined ? { [DATASET_CONTEXT_TAG]: d.context } : {}) });
      for (const [k, v] of tags) {
        this.checkLength(`input tag key ${JSON.stringify(k)}`, k, MLFLOW_LIMITS.inputTagKeyLength, endpoint);
        this.checkLength(`input tag ${JSON.stringify(k)}`, v, MLFLOW_LIMITS.inputTagValueLength, endpoint);
      }
      const dataset = {
        name: d.name,
        digest: d.digest.slice(0, MLFLOW_LIMITS.datasetDigestLength),
        source_type: d.sourceType,
        source: asJson(d.source),
        schema: d.schema === undefined ? undefined : asJson(d.schema),
        profile: d.profile === undefined ? undefined : asJson(d.profile),
      };
      this.checkLength('dataset name', dataset.name, MLFLOW_LIMITS.datasetNameLength, endpoint);
      this.checkLength('dataset source', dataset.source, MLFLOW_LIMITS.datasetSourceLength, endpoint);
      if (dataset.schema) this.checkLength('dataset schema', dataset.schema, MLFLOW_LIMITS.datasetSchemaLength, endpoint);
      if (dataset.profile) this.checkLength('dataset profile', dataset.profile, MLFLOW_LIMITS.datasetProfileLength, endpoint);
      return { tags: tags.map(([key, value]) => ({ key, value })), dataset };
    });
    await this.call({ method: 'POST', path: `${API}/runs/log-inputs`, json: { run_id: runId, datasets: body }, idempotent: true, schema: EmptyResponse });
  }

  /**
   * Links logged models to a run as outputs. Not idempotent (each call inserts rows): check
   * `getRun(id).outputs.model_outputs` first when in doubt.
   */
  async logOutputs(runId: string, models: { modelId: string; step?: number }[]): Promise<void> {
    await this.call({
      method: 'POST',
      path: `${API}/runs/outputs`,
      json: { run_id: runId, models: models.map((m) => ({ model_id: m.modelId, step: m.step ?? 0 })) },
      idempotent: false,
      schema: EmptyResponse,
    });
  }

  // ---------------------------------------------------------------- artifacts

  /**
   * Uploads one artifact through the server's proxy, under a run's or logged model's `artifact_uri`.
   * Idempotent (a second upload overwrites).
   * @example await mlflow.uploadArtifact(run.info.artifact_uri!, 'data/rows.jsonl', bytes, 'application/x-ndjson')
   */
  async uploadArtifact(artifactUri: string, relPath: string, bytes: Uint8Array | string, contentType?: string): Promise<void> {
    await this.call({
      method: 'PUT',
      path: artifactProxyPath(artifactUri, relPath),
      bytes: typeof bytes === 'string' ? Buffer.from(bytes) : bytes,
      contentType,
      idempotent: true,
      schema: z.unknown(),
    });
  }

  /** Artifacts directly under `path` (the run's root by default), all pages. */
  async listArtifacts(runId: string, path?: string): Promise<{ rootUri?: string; files: FileInfo[] }> {
    const files: FileInfo[] = [];
    let rootUri: string | undefined;
    let pageToken: string | undefined;
    do {
      const res = await this.call({
        method: 'GET',
        path: `${API}/artifacts/list`,
        query: { run_id: runId, path, page_token: pageToken },
        idempotent: true,
        schema: ListArtifactsResponse,
      });
      rootUri = res.root_uri;
      files.push(...res.files);
      pageToken = res.next_page_token;
    } while (pageToken);
    return { rootUri, files };
  }

  // ---------------------------------------------------------------- logged models

  /** Creates a logged model (status PENDING). Not idempotent: search by a tag first when retrying. */
  async createLoggedModel(options: CreateLoggedModelOptions): Promise<LoggedModel> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/logged-models`,
      json: {
        experiment_id: options.experimentId,
        name: options.name,
        model_type: options.modelType,
        source_run_id: options.sourceRunId,
        params: this.keyValues(options.params, MLFLOW_LIMITS.paramValueLength),
        tags: this.keyValues(options.tags, MLFLOW_LIMITS.tagValueLength),
      },
      idempotent: false,
      schema: LoggedModelResponse,
    });
    return res.model;
  }

  /** Marks a logged model READY (after its artifacts are uploaded) or UPLOAD_FAILED. */
  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus = LoggedModelStatus.READY): Promise<LoggedModel> {
    const res = await this.call({
      method: 'PATCH',
      path: `${API}/logged-models/${encodeURIComponent(modelId)}`,
      json: { model_id: modelId, status },
      idempotent: true,
      schema: LoggedModelResponse,
    });
    return res.model;
  }

  /** A logged model; RESOURCE_DOES_NOT_EXIST if unknown. */
  async getLoggedModel(modelId: string): Promise<LoggedModel> {
    const res = await this.call({
      method: 'GET',
      path: `${API}/logged-models/${encodeURIComponent(modelId)}`,
      idempotent: true,
      schema: LoggedModelResponse,
    });
    return res.model;
  }

  /** One page of logged models. @example searchLoggedModels({ experimentIds: ['1'], filter: "name = 'm'" }) */
  async searchLoggedModels(options: SearchLoggedModelsOptions): Promise<Page<LoggedModel>> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/logged-models/search`,
      json: { experiment_ids: options.experimentIds, filter: options.filter, max_results: options.maxResults, page_token: options.pageToken },
      idempotent: true,
      schema: SearchLoggedModelsResponse,
    });
    return { items: res.models, nextPageToken: res.next_page_token };
  }

  // ---------------------------------------------------------------- model registry

  /** A registered model, or undefined. */
  async getRegisteredModel(name: string): Promise<RegisteredModel | undefined> {
    return this.orUndefined(
      this.call({ method: 'GET', path: `${API}/registered-models/get`, query: { name }, idempotent: true, schema: RegisteredModelResponse }),
      (r) => r.registered_model,
    );
  }

  /** The registered model with this name, created if missing (races resolved by RESOURCE_ALREADY_EXISTS). */
  async getOrCreateRegisteredModel(name: string, options: { description?: string; tags?: KeyValuesInput } = {}): Promise<RegisteredModel> {
    const existing = await this.getRegisteredModel(name);
    if (existing) return existing;
    try {
      const res = await this.call({
        method: 'POST',
        path: `${API}/registered-models/create`,
        json: {
          name,
          description: options.description && truncateChars(options.description, MLFLOW_LIMITS.registryDescriptionLength),
          tags: this.keyValues(options.tags, MLFLOW_LIMITS.registryTagValueLength),
        },
        idempotent: true,
        schema: RegisteredModelResponse,
      });
      return res.registered_model;
    } catch (err) {
      if (!isMlflowError(err, MlflowErrorCode.RESOURCE_ALREADY_EXISTS)) throw err;
      const winner = await this.getRegisteredModel(name);
      if (winner) return winner;
      throw err;
    }
  }

  /** Sets (overwrites) one tag of a registered model (or prompt). */
  async setRegisteredModelTag(name: string, key: string, value: string): Promise<void> {
    await this.call({
      method: 'POST',
      path: `${API}/registered-models/set-tag`,
      json: { name, key: sanitizeKey(key), value: truncateChars(value, MLFLOW_LIMITS.registryTagValueLength) },
      idempotent: true,
      schema: EmptyResponse,
    });
  }

  /** Deletes a registered model (or prompt) with all its versions. */
  async deleteRegisteredModel(name: string): Promise<void> {
    await this.call({ method: 'DELETE', path: `${API}/registered-models/delete`, json: { name }, idempotent: true, schema: EmptyResponse });
  }

  /** Creates a model version. Not idempotent: prefer {@link getOrCreateModelVersion}. */
  async createModelVersion(options: CreateModelVersionOptions): Promise<ModelVersion> {
    const res = await this.call({
      method: 'POST',
      path: `${API}/model-versions/create`,
      json: {
        name: options.name,
        source: options.source,
        run_id: options.runId,
        model_id: options.modelId,
        description: options.description && truncateChars(options.description, MLFLOW_LIMITS.registryDescriptionLength),
        tags: this.keyValues(options.tags, MLFLOW_LIMITS.registryTagValueLength),
      },
      idempotent: false,
      schema: ModelVersionResponse,
    });
    return res.model_version;
  }

  /** The version of `name` made from `runId`, created if none is (one version per run and model name). */
  async getOrCreateModelVersion(options: CreateModelVersionOptions & { runId: string }): Promise<{ version: ModelVersion; created: boolean }> {
    const find = async (): Promise<ModelVersion | undefined> =>
      (
        await this.searchModelVersions({
          filter: `name = ${quoteFilterValue(options.name)} and run_id = ${quoteFilterValue(options.runId)}`,
          orderBy: ['version_number ASC'],
          maxResults: 1,
        })
      ).items[0];
    const existing = await find();
    if (existing) return { version: existing, created: false };
    try {
      return { version: await this.createModelVersion(options), created: true };
    } catch (err) {
      if (isMlflowError(err) && err.maybeApplied) {
        const again = await find();
        if (again) return { version: again, created: true };
      }
      throw err;
    }
  }

  /** One page of model versions. @example searchModelVersions({ filter: "name = 'category_model'" }) */
  async searchModelVersions(options: SearchModelVersionsOptions): Promise<Page<ModelVersion>> {
    const res = await this.call({
      method: 'GET',
      path: `${API}/model-versions/search`,
      query: {
        filter: options.filter,
        max_results: options.maxResults,
        page_token: options.pageToken,
        // MLflow reads repeated query params for order_by; one clause covers our needs.
        order_by: options.orderBy?.[0],
      },
      idempotent: true,
      schema: SearchModelVersionsResponse,
    });
    return { items: res.model_versions, nextPageToken: res.next_page_token };
  }

  // ---------------------------------------------------------------- helpers

  private call<T extends z.ZodType>(req: TransportRequest<T>): Promise<z.output<T>> {
    return this.http.request(req);
  }

  private async orUndefined<R, T>(pending: Promise<R>, pick: (r: R) => T): Promise<T | undefined> {
    try {
      return pick(await pending);
    } catch (err) {
      if (isMlflowError(err, MlflowErrorCode.RESOURCE_DOES_NOT_EXIST) && err.status === 404) return undefined;
      throw err;
    }
  }

  private keyValues(input: KeyValuesInput | undefined, maxValue: number): { key: string; value: string }[] {
    if (input === undefined) return [];
    const parsed = this.parseInput(KeyValuesInputSchema, input, 'tags');
    return toPairs(parsed).map(({ key, value }) => ({ key: sanitizeKey(key), value: truncateChars(value, maxValue) }));
  }

  private parseInput<S extends z.ZodType>(schema: S, value: unknown, endpoint: string): z.output<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint,
      message: z.prettifyError(parsed.error),
      what: `Invalid input for ${endpoint}; nothing was sent.`,
    });
  }

  private checkLength(what: string, value: string, max: number, endpoint: string): void {
    const length = charLength(value);
    if (length <= max) return;
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint,
      message: `${what} is ${length} characters long; MLflow accepts at most ${max}`,
      what: `The ${what} is too long for MLflow (${length} > ${max} characters); nothing was sent.`,
      fix: `Shorten the ${what}.`,
    });
  }
}

function asJson(value: string | Record<string, unknown>): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
