import { z } from 'zod';
import { MlflowError, MlflowErrorCode } from './mlflow-error.js';
import { MLFLOW_LIMITS, sanitizeKey, truncateChars } from './mlflow-limits.js';

const ParamValue = z.union([z.string(), z.number(), z.boolean()]);
const KeyValueInput = z.object({ key: z.string().min(1), value: ParamValue });

/** Params or tags, as a record or as a list of `{ key, value }` (numbers and booleans are stringified). */
export const KeyValuesInputSchema = z.union([z.record(z.string(), ParamValue), z.array(KeyValueInput)]);
export type KeyValuesInput = z.input<typeof KeyValuesInputSchema>;

/** One metric point. */
export const MetricInputSchema = z.object({
  /** Metric name; sanitized like params (see `sanitizeKey`). @example 'accuracy' */
  key: z.string().min(1),
  /** Value; NaN and ±Infinity are sent as MLflow's "NaN"/"Infinity"/"-Infinity". */
  // z.number() refuses NaN and ±Infinity, which are legitimate metric values.
  value: z.custom<number>((v) => typeof v === 'number', { message: 'metric value must be a number' }),
  /**
   * Epoch ms. Default: the time of the `logBatch` call, fixed before any retry so a resent batch
   * repeats identical points (MLflow's SQL store drops exact duplicates).
   */
  timestamp: z.number().int().optional(),
  /** Step of a series. Default 0. */
  step: z.number().int().default(0),
  /**
   * MLflow 3 logged model the point also belongs to: it then shows on the model's page too.
   * Default: none (a run metric only). @example 'm-9372282249ee4b38a476c9b94e5ca1ab'
   */
  modelId: z.string().min(1).optional(),
});
export type MetricInput = z.input<typeof MetricInputSchema>;

/** What `MlflowClient.logBatch` accepts. */
export const LogBatchInputSchema = z.object({
  /** Params: immutable in MLflow; logging a key again with another value fails. Values are cut to 6,000 chars. */
  params: KeyValuesInputSchema.optional(),
  /** Metric points: they append (a series per key). */
  metrics: z.array(MetricInputSchema).optional(),
  /** Tags: overwrite earlier values. Values are cut to 8,000 chars. */
  tags: KeyValuesInputSchema.optional(),
});
export type LogBatchInput = z.input<typeof LogBatchInputSchema>;

/** One log-batch request body (without `run_id`), as MLflow's JSON expects it. */
export interface LogBatchChunk {
  params: { key: string; value: string }[];
  tags: { key: string; value: string }[];
  metrics: { key: string; value: number | string; timestamp: number; step: number; model_id?: string }[];
}

/** Room left in a request body for `run_id` and the JSON envelope. */
const ENVELOPE_BYTES = 2_000;

/**
 * Validates, sanitizes and splits a batch into requests that MLflow accepts: each has ≤ 100 params,
 * ≤ 100 tags, ≤ 1,000 metrics, ≤ 1,000 items and a body under 1 MB.
 */
export function buildLogBatchChunks(input: LogBatchInput, now: number = Date.now()): LogBatchChunk[] {
  const parsed = LogBatchInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new MlflowError({
      errorCode: MlflowErrorCode.INVALID_INPUT,
      endpoint: 'POST /api/2.0/mlflow/runs/log-batch',
      message: z.prettifyError(parsed.error),
      what: 'The batch passed to logBatch is malformed; nothing was sent.',
      fix: 'Pass { params?: Record<string, string|number|boolean>, metrics?: { key, value: number, step? }[], tags?: Record<string, string> }.',
    });
  }
  const params = normaliseParams(parsed.data.params);
  const tags = normaliseTags(parsed.data.tags);
  const metrics = (parsed.data.metrics ?? []).map((m) => ({
    key: sanitizeKey(m.key),
    value: encodeDouble(m.value),
    timestamp: m.timestamp ?? now,
    step: m.step,
    ...(m.modelId ? { model_id: m.modelId } : {}),
  }));
  return split(params, tags, metrics);
}

/** Params or tags as `{ key, value }` pairs with string values, in input order. */
export function toPairs(input: KeyValuesInput | undefined): { key: string; value: string }[] {
  if (input === undefined) return [];
  const pairs = Array.isArray(input) ? input : Object.entries(input).map(([key, value]) => ({ key, value }));
  return pairs.map(({ key, value }) => ({ key, value: String(value) }));
}

function normaliseParams(input: KeyValuesInput | undefined): { key: string; value: string }[] {
  const byKey = new Map<string, { original: string; value: string }>();
  for (const { key, value } of toPairs(input)) {
    const safeKey = sanitizeKey(key);
    const safeValue = truncateChars(value, MLFLOW_LIMITS.paramValueLength);
    const seen = byKey.get(safeKey);
    if (seen && seen.value !== safeValue) {
      throw new MlflowError({
        errorCode: MlflowErrorCode.INVALID_INPUT,
        endpoint: 'POST /api/2.0/mlflow/runs/log-batch',
        message: `params ${JSON.stringify(seen.original)} and ${JSON.stringify(key)} both map to the MLflow key ${JSON.stringify(safeKey)} with different values`,
        what: `Two params of one batch would be logged under the same key ${JSON.stringify(safeKey)}.`,
        why: 'MLflow params are immutable, and keys are sanitized (characters outside [/\\w.\\- :] become _).',
        fix: 'Give the params names that differ after sanitization, or log one value.',
      });
    }
    byKey.set(safeKey, { original: key, value: safeValue });
  }
  return [...byKey].map(([key, { value }]) => ({ key, value }));
}

function normaliseTags(input: KeyValuesInput | undefined): { key: string; value: string }[] {
  // Tags overwrite on the server too, so the last value of a key wins here as well.
  const byKey = new Map<string, string>();
  for (const { key, value } of toPairs(input)) {
    byKey.set(sanitizeKey(key), truncateChars(value, MLFLOW_LIMITS.tagValueLength));
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** MLflow's JSON parser takes these strings for non-finite doubles; JSON itself has no NaN. */
export function encodeDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

type Kind = 'params' | 'tags' | 'metrics';
const PER_KIND: Record<Kind, number> = {
  params: MLFLOW_LIMITS.paramsPerBatch,
  tags: MLFLOW_LIMITS.tagsPerBatch,
  metrics: MLFLOW_LIMITS.metricsPerBatch,
};

function split(params: LogBatchChunk['params'], tags: LogBatchChunk['tags'], metrics: LogBatchChunk['metrics']): LogBatchChunk[] {
  const chunks: LogBatchChunk[] = [];
  let current: LogBatchChunk = { params: [], tags: [], metrics: [] };
  let items = 0;
  let bytes = ENVELOPE_BYTES;
  const add = <K extends Kind>(kind: K, item: LogBatchChunk[K][number]): void => {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    const full = current[kind].length >= PER_KIND[kind] || items >= MLFLOW_LIMITS.itemsPerBatch || bytes + size > MLFLOW_LIMITS.batchBodyBytes;
    if (full && items > 0) {
      chunks.push(current);
      current = { params: [], tags: [], metrics: [] };
      items = 0;
      bytes = ENVELOPE_BYTES;
    }
    (current[kind] as LogBatchChunk[K][number][]).push(item);
    items++;
    bytes += size;
  };
  for (const p of params) add('params', p);
  for (const t of tags) add('tags', t);
  for (const m of metrics) add('metrics', m);
  if (items > 0) chunks.push(current);
  return chunks;
}
