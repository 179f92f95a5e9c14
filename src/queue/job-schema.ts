import { z } from 'zod';

const StorageFormatSchema = z.enum(['jsonl', 'json']);

/** An asset to compute, as the executor hands it to a compute site (see `SiteJob` in the engine). */
export const SiteJobSchema = z.strictObject({
  runId: z.string().min(1).max(100),
  asset: z.string().min(1).max(200),
  cacheKey: z.string().min(1).max(200),
  upstream: z.record(z.string(), z.strictObject({ data_hash: z.string().regex(/^[0-9a-f]{64}$/), format: StorageFormatSchema })),
  seed: z.number().int().nullable(),
  generator: z.record(z.string(), z.unknown()).nullable(),
  retries: z.number().int().min(0).max(100),
});

/** The part of a dataset a shard job computes: parts `[from, to)` of `count` (see `Generator.parts`). */
export const ShardSchema = z.strictObject({ index: z.number().int().min(0), count: z.number().int().min(1), from: z.number().int().min(0), to: z.number().int().min(1) });
export type Shard = z.infer<typeof ShardSchema>;

/** What a queued job carries (BullMQ job data). `v` changes when the shape does. */
export const JobDataSchema = z.strictObject({
  v: z.literal(1),
  /** Definitions fingerprint of the coordinator: a worker with another one refuses the job. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  /** Its parts, for the refusal message. */
  fingerprintParts: z.record(z.string(), z.string()),
  job: SiteJobSchema,
  /** Absent: compute the whole asset; present: prepare these parts of a dataset only. */
  shard: ShardSchema.optional(),
});
export type JobData = z.infer<typeof JobDataSchema>;

const CheckRecordSchema = z.looseObject({ name: z.string(), score: z.number(), passed: z.boolean(), threshold: z.number(), blocking: z.boolean(), summary: z.string() });

/** What a worker returns for a whole asset: the objects it stored and the record's fields. */
export const AssetResultSchema = z.strictObject({
  stored: z.strictObject({
    dataHash: z.string().regex(/^[0-9a-f]{64}$/),
    format: StorageFormatSchema,
    csvHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
    bytes: z.number().int().min(0),
    rows: z.number().int().min(0).nullable(),
    metadata: z.record(z.string(), z.unknown()),
    checks: z.array(CheckRecordSchema).optional(),
    /** Other objects the value refers to (an images asset's pictures), stored by the worker. */
    objects: z.array(z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  }),
  warnings: z.array(z.string()),
  worker: z.string(),
});
export type AssetResult = z.infer<typeof AssetResultSchema>;

/** What a worker returns for a shard: the generator's counts (requests sent, cached...). */
export const ShardResultSchema = z.strictObject({ counts: z.record(z.string(), z.number()), warnings: z.array(z.string()), worker: z.string() });
export type ShardResult = z.infer<typeof ShardResultSchema>;

/** Progress a worker reports (BullMQ job progress). */
export const ProgressSchema = z.strictObject({ done: z.number(), total: z.number(), detail: z.record(z.string(), z.number()).optional() });
