import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256, type ObjectStore } from '../engine/index.js';
import type { LineageEvent, DatasetRef } from './lineage-event.js';
import type { LineageSettings } from './lineage-settings.js';
import { type DatasetInputSpec, type LoggedModel, type MlflowClient, MLFLOW_LIMITS, RunStatus, sanitizeKey, tagEquals, truncateChars } from './mlflow/index.js';
import { LineageTag, metricsOf, paramsOf, runNameOf, tagsOf } from './run-payload.js';
import type { SecretScrubber } from './secret-scrubber.js';
import { imageArtifactsOf } from './image-artifacts.js';
import { linkedPromptsTag, type PromptLink, type PromptRegistration, PromptRegistryTag, registerPromptVersion } from './register-prompt.js';

/** What delivering one event did. */
export interface DeliveredEvent {
  materializationId: string;
  asset: string;
  runId: string;
  experimentId: string;
  /** False when the run already existed (a re-delivery after a crash or a timeout). */
  created: boolean;
  modelId: string | null;
  /** Params the run already held with another value: left as they are, never sent. */
  paramConflicts: string[];
  /** The prompt version (MLflow's prompt registry) the run is linked to, if any. */
  prompt: PromptLink | null;
  /** What could not be logged but did not stop the run from being logged (e.g. a server without a prompt registry). */
  warnings: string[];
}

/** What delivery needs besides the event and the client. */
export interface DeliveryContext {
  client: MlflowClient;
  experimentId: string;
  settings: LineageSettings;
  store: ObjectStore;
  root: string;
  scrubber: SecretScrubber;
  /** MLflow run id of a materialization delivered before, if known. */
  runIdOf(materializationId: string): Promise<string | undefined>;
  /** Prompt versions registered (or refused) during this delivery, by prompt file hash: each is looked up once per delivery. */
  prompts?: Map<string, PromptRegistration>;
}

/**
 * Logs one materialization as one MLflow run. Every step is idempotent, so an event interrupted
 * half-way (MLflow down, process killed) is simply delivered again: the run is found by its
 * `synthgraph.materialization_id` tag, params already there are not re-sent (and a differing value
 * is never sent), metric points repeat with identical timestamps, inputs and artifacts overwrite,
 * the logged model is found by tag and linked once, and the status is set last.
 */
export async function deliverEvent(event: LineageEvent, ctx: DeliveryContext): Promise<DeliveredEvent> {
  const { client, experimentId } = ctx;
  const m = event.materialization;
  const tags = tagsOf(event);
  for (const [asset, link] of Object.entries(m.upstream)) {
    const runId = await ctx.runIdOf(link.materialization_id);
    if (runId) tags[`${LineageTag.upstreamPrefix}${asset}`] = runId;
  }
  if (m.reused_from) {
    const runId = await ctx.runIdOf(m.reused_from);
    if (runId) tags[LineageTag.reusedRun] = runId;
  }

  const { run, created } = await client.getOrCreateRun({
    experimentId,
    runName: runNameOf(event),
    startTime: Date.parse(m.started_at),
    idempotencyTag: { key: LineageTag.materializationId, value: m.id },
    tags: { [LineageTag.asset]: m.asset, [LineageTag.kind]: m.kind },
  });
  const runId = run.info.run_id;

  // A re-delivery reads what the run holds already (params, tags) once.
  const before = created ? undefined : await client.getRun(runId);
  // Params are immutable in MLflow: on a run that exists already, send only the missing ones.
  const params = scrubRecord(ctx.scrubber, paramsOf(event));
  const paramConflicts: string[] = [];
  if (before) {
    const existing = new Map(before.data.params.map((p) => [p.key, p.value]));
    for (const [key, value] of Object.entries(params)) {
      const had = existing.get(sanitizeKey(key));
      if (had === undefined) continue;
      if (had !== truncateChars(value, MLFLOW_LIMITS.paramValueLength)) paramConflicts.push(key);
      delete params[key];
    }
  }
  const warnings: string[] = [];
  const prompt = await promptOf(event, ctx, experimentId);
  if (prompt?.link) {
    const current = before?.data.tags.find((t) => t.key === PromptRegistryTag.linkedPrompts)?.value;
    tags[PromptRegistryTag.linkedPrompts] = linkedPromptsTag(current, prompt.link);
  }
  if (prompt?.warning) {
    warnings.push(prompt.warning);
    tags[LineageTag.lineageWarning] = prompt.warning;
  }
  const model = m.kind === 'model' && m.outcome === 'materialized' && m.data_hash ? await findOrCreateLoggedModel(event, runId, ctx) : undefined;
  const modelId = model?.info.model_id ?? null;
  // A cached outcome made nothing new: its run records the reuse, the numbers belong to the original run.
  // A model's metrics also go to its LoggedModel, so they show on the model's page.
  const metrics = m.outcome === 'cached' ? [] : metricsOf(event).map((x) => (modelId ? { ...x, modelId } : x));
  const artifactTags: Record<string, string> = {};
  if (m.outcome === 'materialized') Object.assign(artifactTags, await uploadRunArtifacts(event, run.info.artifact_uri, ctx));
  await client.logBatch(runId, { params, metrics, tags: { ...scrubRecord(ctx.scrubber, tags), ...artifactTags } });

  const datasets = [...(event.output ? [event.output] : []), ...event.inputs].map((d) => datasetInput(d, ctx));
  if (datasets.length) await client.logInputs(runId, datasets);

  if (model) await completeLoggedModel(event, model, runId, ctx);

  await client.updateRun(runId, { status: m.status === 'success' ? RunStatus.FINISHED : RunStatus.FAILED, endTime: Date.parse(m.finished_at) });
  return { materializationId: m.id, asset: m.asset, runId, experimentId, created, modelId, paramConflicts, prompt: prompt?.link ?? null, warnings };
}

/** The prompt version the event used, registered in MLflow's prompt registry (when on and the prompt file is known). */
async function promptOf(event: LineageEvent, ctx: DeliveryContext, experimentId: string): Promise<PromptRegistration | undefined> {
  if (!ctx.settings.registerPrompts || !event.materialization.prompt_hash || !event.prompt_file) return undefined;
  const hash = event.materialization.prompt_hash;
  const known = ctx.prompts?.get(hash);
  if (known) return known;
  const text = promptText(event, ctx);
  const done =
    text === undefined
      ? { warning: `prompt ${event.materialization.prompt_id ?? event.prompt_file} not registered: its text is no longer in the local store` }
      : await registerPromptVersion(event, text, { client: ctx.client, experimentId, scrubber: ctx.scrubber });
  ctx.prompts?.set(hash, done);
  return done;
}

/** Uploads the dataset, prompt file and validation report; returns tags noting truncation or missing objects. */
async function uploadRunArtifacts(event: LineageEvent, artifactUri: string | undefined, ctx: DeliveryContext): Promise<Record<string, string>> {
  const m = event.materialization;
  const tags: Record<string, string> = {};
  if (!artifactUri) return tags;
  const missing: string[] = [];
  const upload = async (rel: string, text: string | undefined, contentType: string): Promise<void> => {
    if (text === undefined) missing.push(rel);
    else await ctx.client.uploadArtifact(artifactUri, rel, ctx.scrubber.text(text), contentType);
  };

  if (event.output) {
    const csv = ctx.settings.datasetFormat === 'csv' && event.output.csv_hash;
    const text = readObject(ctx.store, csv ? event.output.csv_hash! : event.output.data_hash);
    const ext = csv ? 'csv' : 'jsonl';
    if (text !== undefined && Buffer.byteLength(text) > ctx.settings.artifactMaxBytes) {
      const head = headWithin(text, ctx.settings.artifactMaxBytes);
      await upload(`dataset/${m.asset}.head.${ext}`, head, csv ? 'text/csv' : 'application/x-ndjson');
      tags[LineageTag.datasetTruncated] = `${Buffer.byteLength(head)} of ${Buffer.byteLength(text)} bytes uploaded (mlflow.artifactMaxBytes)`;
    } else {
      await upload(`dataset/${m.asset}.${ext}`, text, csv ? 'text/csv' : 'application/x-ndjson');
    }
  }
  if (m.prompt_hash && event.prompt_file) {
    await upload(`prompt/${path.basename(event.prompt_file)}`, promptText(event, ctx), 'text/yaml');
  }
  if (m.kind === 'validation' && m.data_hash) {
    const report = readObject(ctx.store, m.data_hash);
    await upload('validation/report.json', report === undefined ? undefined : pretty(report), 'application/json');
    if (m.checks?.length) await upload('validation/report.md', checksMarkdown(event), 'text/markdown');
  }
  if (m.kind === 'images' && m.data_hash) {
    const extras = await imageArtifactsOf(m.data_hash, ctx.store);
    if (!extras) missing.push('images/');
    if (extras?.revisedSummary) tags[LineageTag.revisedPrompts] = ctx.scrubber.text(extras.revisedSummary);
    // Images are bytes: only the prompts files are text, and they go through the scrubber like every text.
    for (const a of extras?.artifacts ?? []) await ctx.client.uploadArtifact(artifactUri, a.path, typeof a.bytes === 'string' ? ctx.scrubber.text(a.bytes) : a.bytes, a.contentType);
  }
  if (missing.length) tags[LineageTag.missingArtifacts] = `${missing.join(', ')} (no longer in the local store)`;
  return tags;
}

/** The run's LoggedModel: found by its materialization tag (a re-delivery), else created (status PENDING). */
async function findOrCreateLoggedModel(event: LineageEvent, runId: string, ctx: DeliveryContext): Promise<LoggedModel> {
  const { client, experimentId } = ctx;
  const m = event.materialization;
  const filter = tagEquals(LineageTag.materializationId, m.id);
  const found = (await client.searchLoggedModels({ experimentIds: [experimentId], filter, maxResults: 1 })).items[0];
  return (
    found ??
    (await client.createLoggedModel({
      experimentId,
      name: m.asset,
      modelType: 'synthgraph',
      sourceRunId: runId,
      tags: { [LineageTag.materializationId]: m.id, [LineageTag.asset]: m.asset, [LineageTag.dataHash]: m.data_hash ?? '' },
    }))
  );
}

/** Uploads the serialized model, marks the LoggedModel READY, links it as the run's output, registers it if asked. */
async function completeLoggedModel(event: LineageEvent, model: LoggedModel, runId: string, ctx: DeliveryContext): Promise<void> {
  const { client } = ctx;
  const m = event.materialization;
  const modelId = model.info.model_id;
  const serialized = readObject(ctx.store, m.data_hash!);
  if (serialized !== undefined) await client.uploadArtifact(model.info.artifact_uri, 'model.json', ctx.scrubber.text(serialized), 'application/json');
  await client.finalizeLoggedModel(modelId);
  // runs/outputs inserts a row per call: link only when the run does not list the model yet.
  const outputs = (await client.getRun(runId)).outputs.model_outputs;
  if (!outputs.some((o) => o.model_id === modelId)) await client.logOutputs(runId, [{ modelId }]);
  if (ctx.settings.registerModels) {
    await client.getOrCreateRegisteredModel(m.asset, { description: event.description ?? undefined });
    await client.getOrCreateModelVersion({ name: m.asset, source: model.info.artifact_uri, runId, modelId, tags: { [LineageTag.materializationId]: m.id } });
  }
}

function datasetInput(d: DatasetRef, ctx: DeliveryContext): DatasetInputSpec {
  const hash = d.csv_hash ?? d.data_hash;
  return {
    name: d.asset,
    digest: d.data_hash,
    sourceType: 'local',
    source: { uri: ctx.store.pathOf(hash) },
    ...(d.schema ? { schema: d.schema } : {}),
    profile: { num_rows: d.rows, data_hash: d.data_hash, materialization_id: d.materialization_id },
    context: d.context,
  };
}

/** The prompt file as it was: from the store by hash, else the file if it still has that content. */
function promptText(event: LineageEvent, ctx: DeliveryContext): string | undefined {
  const stored = readObject(ctx.store, event.materialization.prompt_hash!);
  if (stored !== undefined) return stored;
  const file = path.join(ctx.root, event.prompt_file!);
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8');
  return sha256(text) === event.materialization.prompt_hash ? text : undefined;
}

function readObject(store: ObjectStore, hash: string): string | undefined {
  try {
    return store.getText(hash);
  } catch {
    return undefined;
  }
}

/** The first whole lines of `text` within `maxBytes`. */
function headWithin(text: string, maxBytes: number): string {
  const buf = Buffer.from(text);
  if (buf.length <= maxBytes) return text;
  const cut = buf.subarray(0, maxBytes).toString('utf8');
  const lastNewline = cut.lastIndexOf('\n');
  return lastNewline >= 0 ? cut.slice(0, lastNewline + 1) : '';
}

function pretty(json: string): string {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
}

/** A small Markdown summary of a validation's checks (src/validation has no report renderer yet). */
function checksMarkdown(event: LineageEvent): string {
  const m = event.materialization;
  const rows = (m.checks ?? []).map(
    (c) => `| ${c.name} | ${c.score.toFixed(4)} | ${c.threshold} | ${c.passed ? 'pass' : 'FAIL'} | ${c.blocking ? 'yes' : 'no'} | ${c.summary.replace(/\|/g, '\\|')} |`,
  );
  return [
    `# ${m.asset}`,
    '',
    `Materialization \`${m.id}\`, ${m.finished_at}.`,
    '',
    '| check | score | threshold | result | blocking | summary |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function scrubRecord(scrubber: SecretScrubber, record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, scrubber.text(v)]));
}
