import { shortHash } from '../engine/index.js';
import type { MetricInput } from './mlflow/index.js';
import type { LineageEvent } from './lineage-event.js';
import { SecretScrubber } from './secret-scrubber.js';

/** Tag keys synthgraph sets on runs (MLflow's own `mlflow.*` keys aside). */
export const LineageTag = {
  asset: 'synthgraph.asset',
  kind: 'synthgraph.kind',
  materializationId: 'synthgraph.materialization_id',
  runId: 'synthgraph.run_id',
  cacheKey: 'synthgraph.cache_key',
  dataHash: 'synthgraph.data_hash',
  outcome: 'synthgraph.outcome',
  reusedFrom: 'synthgraph.reused_from',
  reusedRun: 'synthgraph.reused_run_id',
  upstreamPrefix: 'synthgraph.upstream.',
  resolvedModel: 'synthgraph.resolved_model',
  systemFingerprint: 'synthgraph.system_fingerprint',
  gitCommit: 'synthgraph.git_commit',
  error: 'synthgraph.error',
  warnings: 'synthgraph.warnings',
  /** What lineage could not log for this run (e.g. its prompt version, on a server without a prompt registry). */
  lineageWarning: 'synthgraph.lineage_warning',
  datasetTruncated: 'synthgraph.dataset_truncated',
  missingArtifacts: 'synthgraph.missing_artifacts',
  /** Images runs: how many prompts the service rewrote, and the first (the distinct ones are an artifact). */
  revisedPrompts: 'synthgraph.revised_prompts',
} as const;

/** Metadata fields that describe settings, not measurements: they are params (or nothing), not metrics. */
const NOT_METRICS = new Set(['seed', 'temperature', 'top_p', 'batch_size', 'price_usd_per_1m', 'request_seeds', 'version', 'generator_version', 'fit']);

/** MLflow run name: `<asset>@<short data hash>` (`<asset>@failed` when there is no data). */
export function runNameOf(event: LineageEvent): string {
  const m = event.materialization;
  return `${m.asset}@${m.data_hash ? shortHash(m.data_hash) : 'failed'}`;
}

/**
 * The run's params. Every value comes from the event alone (never from the clock or the current
 * definitions), so re-delivering an event logs exactly the same values: MLflow params are immutable.
 */
export function paramsOf(event: LineageEvent): Record<string, string> {
  const m = event.materialization;
  const k = m.key_inputs;
  const params: Record<string, string | number | null | undefined> = {
    asset: m.asset,
    kind: m.kind,
    cache_key: m.cache_key,
    code_version: k?.code,
    prompt_id: m.prompt_id,
    prompt_hash: m.prompt_hash,
    seed: m.seed,
    rows: k?.rows ?? m.rows,
  };
  const generator = k?.generator ?? m.generator;
  if (generator) {
    for (const [key, value] of Object.entries(generator)) {
      if (SecretScrubber.isSecretField(key) || value === undefined || value === null) continue;
      const name = key === 'provider' || key === 'model' || key === 'temperature' ? key : `generator.${key}`;
      params[name] = typeof value === 'object' ? JSON.stringify(value) : (value as string | number);
    }
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== null && value !== undefined && value !== '') out[key] = String(value);
  return out;
}

/**
 * The run's metrics: row count, duration, bytes, every number in the metadata (row counts, tokens,
 * cost, validation scores, model metrics; nested objects flattened with `.`), and `<check>.passed`.
 * Timestamps are the materialization's end, fixed so that a re-sent batch repeats identical points.
 */
export function metricsOf(event: LineageEvent): MetricInput[] {
  const m = event.materialization;
  const timestamp = Date.parse(m.finished_at);
  const values = new Map<string, number>();
  const walk = (value: unknown, prefix: string, depth: number): void => {
    if (typeof value === 'number') values.set(prefix, value);
    else if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
      for (const [k, v] of Object.entries(value)) if (depth > 0 || !NOT_METRICS.has(k)) walk(v, prefix ? `${prefix}.${k}` : k, depth + 1);
    }
  };
  walk(m.metadata, '', 0);
  for (const c of m.checks ?? []) {
    if (!values.has(`${c.name}.score`)) values.set(`${c.name}.score`, c.score);
    values.set(`${c.name}.passed`, c.passed ? 1 : 0);
  }
  if (m.rows !== null) values.set('rows', m.rows);
  if (m.bytes !== null) values.set('bytes', m.bytes);
  values.set('duration_ms', m.duration_ms);
  return [...values].map(([key, value]) => ({ key, value, timestamp, step: 0 }));
}

/** The run's tags, except upstream run ids (known only at delivery) and artifact notes. */
export function tagsOf(event: LineageEvent): Record<string, string> {
  const m = event.materialization;
  const tags: Record<string, string | null | undefined> = {
    [LineageTag.asset]: m.asset,
    [LineageTag.kind]: m.kind,
    [LineageTag.materializationId]: m.id,
    [LineageTag.runId]: m.run_id,
    [LineageTag.cacheKey]: m.cache_key,
    [LineageTag.dataHash]: m.data_hash,
    [LineageTag.outcome]: m.outcome,
    [LineageTag.reusedFrom]: m.reused_from,
    // Datasets count responses per model (`response_models`); images list the models that served them (`models_served`).
    [LineageTag.resolvedModel]: joinKeys(m.metadata.response_models) ?? joinKeys(m.metadata.models_served),
    [LineageTag.systemFingerprint]: joinKeys(m.metadata.system_fingerprints),
    [LineageTag.gitCommit]: event.git_commit,
    'mlflow.source.name': event.source_name,
    'mlflow.source.type': 'LOCAL',
    'mlflow.source.git.commit': event.git_commit,
    'mlflow.note.content': event.description,
    [LineageTag.error]: m.error ? [m.error.what, m.error.why].filter(Boolean).join(' ') : null,
    [LineageTag.warnings]: m.warnings.length ? m.warnings.join('\n') : null,
  };
  for (const [asset, link] of Object.entries(m.upstream)) tags[`${LineageTag.upstreamPrefix}${asset}.materialization_id`] = link.materialization_id;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) if (value) out[key] = value;
  return out;
}

/** `{ "gpt-4o-mini-2024-07-18": 12 }` or `["gpt-4o-mini-2024-07-18"]` → `gpt-4o-mini-2024-07-18` (several are comma-joined). */
function joinKeys(value: unknown): string | null {
  if (!value || typeof value !== 'object') return null;
  const keys = (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : Object.keys(value)).sort();
  return keys.length ? keys.join(',') : null;
}
