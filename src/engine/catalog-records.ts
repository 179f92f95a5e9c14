import { z } from 'zod';

// The records of the catalog (materializations, runs, schedule states): what every file of the
// catalog holds, whatever its layout (see catalog.ts).

/** What the cache key of an asset is made of; kept with each materialization to explain staleness. */
export const KeyInputsSchema = z.object({
  kind: z.string(),
  name: z.string(),
  code: z.string(),
  prompt: z.object({ id: z.string(), hash: z.string() }).nullable(),
  seed: z.number().nullable(),
  generator: z.record(z.string(), z.unknown()).nullable(),
  rows: z.number().nullable(),
  /** Data hash of each direct upstream asset, by asset name. */
  upstream: z.record(z.string(), z.string()),
  /** Content hash of observed external data (source assets). */
  observed: z.string().nullable(),
});
export type KeyInputs = z.infer<typeof KeyInputsSchema>;

export const ErrorRecordSchema = z.object({
  what: z.string(),
  why: z.string().optional(),
  fix: z.string().optional(),
  retryable: z.boolean().optional(),
});
export type ErrorRecord = z.infer<typeof ErrorRecordSchema>;

/** The result of a check, as kept in the catalog (validation assets). */
export const CheckRecordSchema = z.object({
  name: z.string(),
  score: z.number(),
  passed: z.boolean(),
  threshold: z.number(),
  blocking: z.boolean(),
  summary: z.string(),
});
export type CheckRecord = z.infer<typeof CheckRecordSchema>;

export const MaterializationSchema = z.object({
  id: z.string(),
  run_id: z.string(),
  asset: z.string(),
  kind: z.string(),
  status: z.enum(['success', 'failed']),
  /** `materialized` (computed now), `cached` (reused an earlier result with the same key) or `failed`. */
  outcome: z.enum(['materialized', 'cached', 'failed']),
  cache_key: z.string().nullable(),
  key_inputs: KeyInputsSchema.nullable(),
  data_hash: z.string().nullable(),
  format: z.enum(['jsonl', 'json']).nullable(),
  /** Object holding the CSV export of a dataset. */
  csv_hash: z.string().nullable(),
  bytes: z.number().nullable(),
  /** Upstream materializations that fed this one, by asset name. */
  upstream: z.record(z.string(), z.object({ data_hash: z.string(), materialization_id: z.string() })),
  prompt_id: z.string().nullable(),
  prompt_hash: z.string().nullable(),
  seed: z.number().nullable(),
  generator: z.record(z.string(), z.unknown()).nullable(),
  rows: z.number().nullable(),
  started_at: z.string(),
  finished_at: z.string(),
  duration_ms: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  checks: z.array(CheckRecordSchema).optional(),
  /** Objects stored beside the value that it refers to (e.g. image files), kept as long as the record. */
  objects: z.array(z.string()).optional(),
  warnings: z.array(z.string()),
  error: ErrorRecordSchema.nullable(),
  /** For `cached` outcomes: the materialization whose stored result was reused. */
  reused_from: z.string().nullable(),
});
export type Materialization = z.infer<typeof MaterializationSchema>;

export const RunSchema = z.object({
  id: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  pid: z.number(),
  /** Host of the process (runs are recorded when they start: an unfinished run whose process is gone was interrupted). */
  host: z.string().optional(),
  /** `cli`, or `schedule:<name>` for daemon runs. */
  trigger: z.string(),
  /** The selected assets, as recorded: the first {@link RUN_SELECTION_KEPT} when there were more (`selection_size` says how many). */
  selection: z.array(z.string()),
  /** How many assets were selected, when `selection` holds only the first of them. */
  selection_size: z.number().optional(),
  ok: z.boolean().nullable(),
  counts: z.record(z.string(), z.number()),
});
export type Run = z.infer<typeof RunSchema>;

/** Daemon bookkeeping per schedule (node-cron keeps no state of its own). */
export const ScheduleStateSchema = z.object({
  last_fire: z.string().nullable(),
  last_run_id: z.string().nullable(),
  last_outcome: z.string().nullable(),
  last_seed: z.number().nullable(),
});
export type ScheduleState = z.infer<typeof ScheduleStateSchema>;
