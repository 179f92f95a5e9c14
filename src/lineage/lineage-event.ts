import path from 'node:path';
import { z } from 'zod';
import { findAssetKind, type Materialization, MaterializationSchema, type Project } from '../engine/index.js';
import { datasetSchemaOf } from './dataset-schema.js';
import type { SecretScrubber } from './secret-scrubber.js';

/** Role of a dataset for a run, stored as MLflow's `mlflow.data.context` input tag. */
export const DatasetContext = {
  /** Data a model was trained on. */
  training: 'training',
  /** Data a validation checked, or a model was tested on. */
  evaluation: 'evaluation',
  /** Real data a generated dataset was fitted to, or a validation compared against. */
  reference: 'reference',
  /** The dataset a run produced (logged on its own run). */
  output: 'output',
  /** Any other upstream table. */
  input: 'input',
} as const;
export type DatasetContext = (typeof DatasetContext)[keyof typeof DatasetContext];

/** A table (rows) that is an input or output of a run, as logged with `runs/log-inputs`. */
export const DatasetRefSchema = z.object({
  asset: z.string(),
  kind: z.string(),
  materialization_id: z.string(),
  data_hash: z.string(),
  csv_hash: z.string().nullable(),
  rows: z.number().nullable(),
  context: z.string(),
  /** Schema as MLflow stores it (`mlflow_colspec` + `json_schema`), when the asset has a zod schema. */
  schema: z.record(z.string(), z.unknown()).nullable(),
});
export type DatasetRef = z.infer<typeof DatasetRefSchema>;

/**
 * One outbox entry: everything needed to log a materialization to MLflow, captured when it finished,
 * so delivery (maybe days later, maybe by another process) logs what happened then, not what the
 * definitions say now. Secrets are scrubbed before it is written.
 */
export const LineageEventSchema = z.object({
  v: z.literal(1),
  /** Outbox id: sortable by enqueue order. */
  id: z.string(),
  enqueued_at: z.string(),
  materialization: MaterializationSchema,
  /** Definitions file relative to the project root (MLflow's `mlflow.source.name`). */
  source_name: z.string(),
  git_commit: z.string().nullable(),
  description: z.string().nullable(),
  /** Prompt file relative to the project root (its content is in the store under `prompt_hash`). */
  prompt_file: z.string().nullable(),
  /** The table this materialization produced, if it produced rows. */
  output: DatasetRefSchema.nullable(),
  /** Upstream tables with their role for this run. */
  inputs: z.array(DatasetRefSchema),
});
export type LineageEvent = z.infer<typeof LineageEventSchema>;

/** Dep keys that name held-out data: a model's dep under such a key is evaluation data, not training data. */
const EVALUATION_DEP = /(test|eval|real|holdout|valid)/i;

/** What the event builder needs beyond the record. */
export interface LineageEventContext {
  id: string;
  gitCommit: string | null;
  scrubber: SecretScrubber;
  /** The materialization of an upstream asset, by id (from this run, or the catalog). */
  upstreamRecord(id: string): Materialization | undefined;
}

/** Builds the outbox entry of a finished materialization. */
export function buildLineageEvent(project: Project, record: Materialization, ctx: LineageEventContext): LineageEvent {
  const asset = project.assets.get(record.asset);
  const rowSchemaOf = (name: string) => {
    const upstream = project.assets.get(name);
    const schema = upstream && findAssetKind(upstream.kind)?.rowSchema?.(upstream);
    return schema ? datasetSchemaOf(schema) : null;
  };
  const output: DatasetRef | null =
    record.format === 'jsonl' && record.data_hash
      ? {
          asset: record.asset,
          kind: record.kind,
          materialization_id: record.id,
          data_hash: record.data_hash,
          csv_hash: record.csv_hash,
          rows: record.rows,
          context: DatasetContext.output,
          schema: rowSchemaOf(record.asset),
        }
      : null;
  const inputs: DatasetRef[] = [];
  for (const [depKey, depName] of Object.entries(asset?.deps ?? {})) {
    const link = record.upstream[depName];
    if (!link || inputs.some((i) => i.asset === depName)) continue;
    const up = ctx.upstreamRecord(link.materialization_id);
    // Only tables are MLflow datasets; reports and models are linked by run tags instead.
    if (up && up.format !== 'jsonl') continue;
    inputs.push({
      asset: depName,
      kind: project.assets.get(depName)?.kind ?? up?.kind ?? 'asset',
      materialization_id: link.materialization_id,
      data_hash: link.data_hash,
      csv_hash: up?.csv_hash ?? null,
      rows: up?.rows ?? null,
      context: contextOf(record.kind, depKey, asset?.def.spec),
      schema: rowSchemaOf(depName),
    });
  }
  const event: LineageEvent = {
    v: 1,
    id: ctx.id,
    enqueued_at: new Date().toISOString(),
    materialization: record,
    source_name: projectRelative(project.root, project.defsFile),
    git_commit: ctx.gitCommit,
    description: asset?.def.description ?? null,
    prompt_file: asset?.prompt ? projectRelative(project.root, asset.prompt.file) : null,
    output,
    inputs,
  };
  return ctx.scrubber.value(event);
}

/** A path relative to the project root with `/` separators, so events read the same on every OS. */
function projectRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

/**
 * The role of an upstream table for a run. Models: training data, except deps named like held-out
 * data (`test`, `eval`, `real`, `holdout`, `valid`), which are evaluation data (synthgraph's
 * train-on-synthetic, test-on-real convention). Validations: the target is evaluated, the reference
 * compared against. Datasets: the data they are fitted to is a reference.
 */
function contextOf(kind: string, depKey: string, spec: { kind: string; target?: string; reference?: string } | undefined): DatasetContext {
  if (kind === 'model') return EVALUATION_DEP.test(depKey) ? DatasetContext.evaluation : DatasetContext.training;
  if (kind === 'validation') return depKey === spec?.target ? DatasetContext.evaluation : depKey === spec?.reference ? DatasetContext.reference : DatasetContext.input;
  if (kind === 'dataset' && depKey === spec?.reference) return DatasetContext.reference;
  return DatasetContext.input;
}
