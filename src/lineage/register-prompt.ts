import path from 'node:path';
import { parsePromptFile, promptFamily } from '../rules/index.js';
import { isMlflowError, type MlflowClient, type MlflowError, MlflowErrorCode, type ModelVersion, quoteFilterValue, tagEquals } from './mlflow/index.js';
import type { LineageEvent } from './lineage-event.js';
import type { SecretScrubber } from './secret-scrubber.js';

/**
 * Tags of MLflow's prompt registry (mlflow/prompt/constants.py and mlflow/tracing/constant.py of
 * MLflow 3.x). MLflow has no prompt endpoints of its own: a prompt is a registered model tagged
 * `mlflow.prompt.is_prompt`, a prompt version a model version with the same tag, its text in
 * `mlflow.prompt.text` and a placeholder source; a run names the prompt versions it used in its
 * `mlflow.linkedPrompts` tag (a JSON list of `{name, version}`), which the run page shows.
 */
export const PromptRegistryTag = {
  isPrompt: 'mlflow.prompt.is_prompt',
  text: 'mlflow.prompt.text',
  type: '_mlflow_prompt_type',
  /** Experiments whose Prompts tab lists the prompt: `,1,4,` (commas around, so `1` never matches `10`). */
  experimentIds: '_mlflow_experiment_ids',
  linkedPrompts: 'mlflow.linkedPrompts',
} as const;

/** synthgraph's own tags on a prompt version. */
export const PromptVersionTag = {
  promptId: 'synthgraph.prompt_id',
  /** sha256 of the prompt file: what makes registration idempotent. */
  promptHash: 'synthgraph.prompt_hash',
  promptFile: 'synthgraph.prompt_file',
  derivedFrom: 'synthgraph.derived_from',
  /** MLflow version of the prompt `derived_from` names, when it is registered. */
  derivedFromVersion: 'synthgraph.derived_from_version',
  /** The file's rules, one per line. */
  rules: 'synthgraph.rules',
} as const;

/** The source MLflow's own client gives prompt versions; the server accepts no other (`_validate_prompt_source`). */
const PROMPT_SOURCE = 'dummy-source';

/** A prompt version in MLflow's registry, as `mlflow.linkedPrompts` names it. */
export interface PromptLink {
  name: string;
  version: string;
}

/** What registering did: the version to link the run to, or why there is none (never fatal). */
export type PromptRegistration = { link: PromptLink; created: boolean; warning?: undefined } | { link?: undefined; created?: undefined; warning: string };

/** What registration needs. */
export interface PromptRegistrationContext {
  client: MlflowClient;
  experimentId: string;
  scrubber: SecretScrubber;
}

/**
 * Registers the prompt file version an event used in MLflow's prompt registry, once: the prompt is
 * named after the id's family (`ecommerce_v2` → `ecommerce`), the version carries the whole file as
 * its text (so MLflow's version compare shows what `synth tune` changed), its rules, `derived_from`
 * and the file's hash, by which a re-delivered event finds the version it made before instead of
 * making a second one. A server that refuses prompts (an MLflow without a prompt registry, or a
 * registered model of that name that is not a prompt) gives a warning, not an error: the run is
 * logged anyway. Transient failures (server down, 5xx) are thrown, so the event is delivered again.
 */
export async function registerPromptVersion(event: LineageEvent, text: string, ctx: PromptRegistrationContext): Promise<PromptRegistration> {
  const { client } = ctx;
  const m = event.materialization;
  const file = event.prompt_file!;
  const hash = m.prompt_hash!;
  const prompt = parsePromptFile(path.basename(file), text);
  const name = promptFamily(prompt.id).family;
  let createdPrompt = false;
  try {
    const existing = await client.getRegisteredModel(name);
    if (existing && tagOf(existing.tags, PromptRegistryTag.isPrompt) !== 'true') {
      return { warning: `prompt ${prompt.id} not registered: MLflow has a registered model named "${name}" that is not a prompt (rename one of them)` };
    }
    if (!existing) {
      await client.getOrCreateRegisteredModel(name, {
        description: `Versions of the synthgraph prompt files ${name}_v<N>.yaml`,
        tags: { [PromptRegistryTag.isPrompt]: 'true', [PromptRegistryTag.experimentIds]: `,${ctx.experimentId},` },
      });
      createdPrompt = true;
    } else {
      const ids = tagOf(existing.tags, PromptRegistryTag.experimentIds) ?? ',';
      if (!ids.includes(`,${ctx.experimentId},`)) {
        await client.setRegisteredModelTag(name, PromptRegistryTag.experimentIds, `${ids.endsWith(',') ? ids : `${ids},`}${ctx.experimentId},`);
      }
    }

    const found = await findVersion(client, name, PromptVersionTag.promptHash, hash);
    if (found) return { link: { name, version: found.version }, created: false };
    const parent = prompt.derivedFrom ? await findVersion(client, name, PromptVersionTag.promptId, prompt.derivedFrom, 'DESC') : undefined;
    const tags: Record<string, string> = {
      [PromptRegistryTag.isPrompt]: 'true',
      [PromptRegistryTag.type]: 'text',
      [PromptRegistryTag.text]: ctx.scrubber.text(text),
      [PromptVersionTag.promptId]: prompt.id,
      [PromptVersionTag.promptHash]: hash,
      [PromptVersionTag.promptFile]: file,
      ...(prompt.rules.length ? { [PromptVersionTag.rules]: ctx.scrubber.text(prompt.rules.map((r) => r.text).join('\n')) } : {}),
      ...(prompt.derivedFrom ? { [PromptVersionTag.derivedFrom]: prompt.derivedFrom } : {}),
      ...(parent ? { [PromptVersionTag.derivedFromVersion]: parent.version } : {}),
    };
    const description = ctx.scrubber.text(describeVersion(prompt.id, file, prompt.derivedFrom, prompt.evidence));
    let version: ModelVersion;
    try {
      version = await client.createModelVersion({ name, source: PROMPT_SOURCE, tags, description });
    } catch (err) {
      // A create that may have reached the server: look again before making another.
      const again = isMlflowError(err) && err.maybeApplied ? await findVersion(client, name, PromptVersionTag.promptHash, hash) : undefined;
      if (!again) throw err;
      version = again;
    }
    return { link: { name, version: version.version }, created: true };
  } catch (err) {
    if (!refusesPrompts(err)) throw err;
    // As MLflow's own client does: a prompt whose first version failed is not left behind empty.
    if (createdPrompt) await client.deleteRegisteredModel(name).catch(() => undefined);
    return {
      warning: `prompt ${prompt.id} not registered: this MLflow server does not accept prompt versions (MLflow 3 has a prompt registry); server said: ${err.mlflowMessage}`,
    };
  }
}

/**
 * The run's `mlflow.linkedPrompts` value with `link` added (MLflow's `update_linked_prompts_tag`):
 * unchanged when it is there already, so re-delivery leaves the tag as it was.
 */
export function linkedPromptsTag(current: string | undefined, link: PromptLink): string {
  let links: PromptLink[] = [];
  try {
    const parsed: unknown = current ? JSON.parse(current) : [];
    if (Array.isArray(parsed)) links = parsed as PromptLink[];
  } catch {
    // a value MLflow itself would reject: replaced by a valid list
  }
  if (links.some((l) => l.name === link.name && String(l.version) === link.version)) return current!;
  return JSON.stringify([...links, { name: link.name, version: link.version }]);
}

/** The prompt version of `name` whose tag `key` is `value` (oldest first, or newest with 'DESC'). */
async function findVersion(client: MlflowClient, name: string, key: string, value: string, order: 'ASC' | 'DESC' = 'ASC'): Promise<ModelVersion | undefined> {
  // MLflow leaves prompt versions out of model-version searches unless the filter asks for them.
  const filter = `name = ${quoteFilterValue(name)} and ${tagEquals(PromptRegistryTag.isPrompt, 'true')} and ${tagEquals(key, value)}`;
  return (await client.searchModelVersions({ filter, orderBy: [`version_number ${order}`], maxResults: 1 })).items[0];
}

/** The version's description (MLflow's "commit message"): which file, derived from what, and why. */
function describeVersion(id: string, file: string, derivedFrom: string | undefined, evidence: string[]): string {
  const head = derivedFrom ? `${id} (${file}), derived from ${derivedFrom}` : `${id} (${file})`;
  return evidence.length ? `${head}:\n${evidence.map((e) => `- ${e}`).join('\n')}` : head;
}

/** An answer that says "this server will not take prompts", as opposed to "try again later". */
function refusesPrompts(err: unknown): err is MlflowError {
  if (!isMlflowError(err) || err.retryable || err.maybeApplied) return false;
  if (err.errorCode === MlflowErrorCode.CONNECTION_ERROR || err.errorCode === MlflowErrorCode.INVALID_RESPONSE) return false;
  const status = err.status ?? 0;
  return status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;
}

function tagOf(tags: { key: string; value: string }[] | undefined, key: string): string | undefined {
  return tags?.find((t) => t.key === key)?.value;
}
