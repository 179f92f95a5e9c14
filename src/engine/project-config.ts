import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { CatalogSettingsSchema } from './catalog-settings.js';
import { UsageError } from './errors.js';

import { PROJECT_CONFIG_FILE } from './project-paths.js';

export { PROJECT_CONFIG_FILE };

/** The `mlflow` section: where and how lineage is sent. */
export const MlflowConfigSchema = z.strictObject({
  /**
   * Turns lineage off even when a tracking URI is known (e.g. MLFLOW_TRACKING_URI set globally).
   * Default: true.
   * @example false
   */
  enabled: z.boolean().default(true),
  /**
   * Tracking server URI (http or https). The MLFLOW_TRACKING_URI environment variable overrides it.
   * Default: none (lineage is off unless the environment sets one).
   * @example "http://127.0.0.1:5000"
   */
  trackingUri: z.url().optional(),
  /**
   * Experiment that receives the runs. Default: the project's package.json name, else its folder name.
   * @example "ecommerce-synthetic"
   */
  experiment: z.string().min(1).max(500).optional(),
  /**
   * Also register each model materialization as a version of an MLflow registered model named after
   * the asset (its source is the logged model's artifacts). Default: false.
   * @example true
   */
  registerModels: z.boolean().default(false),
  /**
   * Register each prompt file version a materialization used in MLflow's prompt registry (one prompt
   * per family, `ecommerce_v1` and `ecommerce_v2` being versions of `ecommerce`), and link the
   * materialization's run to it. Default: true.
   * @example false
   */
  registerPrompts: z.boolean().default(true),
  /**
   * Largest dataset artifact uploaded, in bytes; a bigger dataset is uploaded as its first rows up to
   * this size (`<asset>.head.csv`) and the run is tagged `synthgraph.dataset_truncated`. Default: 50 MB.
   * @example 10000000
   */
  artifactMaxBytes: z.number().int().min(0).default(50_000_000),
  /** Format of uploaded dataset artifacts. Default: `csv`. @example "jsonl" */
  datasetFormat: z.enum(['csv', 'jsonl']).default('csv'),
  /**
   * How long `synth materialize` spends delivering lineage after the run before leaving the rest
   * pending, in ms. Default: 30000.
   * @example 5000
   */
  deliveryTimeoutMs: z.number().int().min(100).default(30_000),
});
export type MlflowConfig = z.output<typeof MlflowConfigSchema>;

/**
 * `synth.config.json`: project settings that are not part of any asset's definition (so they never
 * change a cache key). Sections other than `mlflow` are kept as they are, for their owners to validate
 * (e.g. `openai` prices).
 */
export const ProjectConfigSchema = z.looseObject({
  /** Lineage to an MLflow tracking server. Default: all defaults of {@link MlflowConfigSchema}. */
  mlflow: MlflowConfigSchema.default(MlflowConfigSchema.parse({})),
  /** OpenAI generator settings (prices per model...), validated by the OpenAI generator. */
  openai: z.record(z.string(), z.unknown()).optional(),
  /**
   * Plug-in packages loaded with the project: npm package names installed in the project, or paths
   * relative to its root. Each exports `generators`, a list of generator plug-ins (see the README,
   * "Writing a generator plug-in"). Default: none.
   * @example ["synth-generator-upper"]
   */
  plugins: z.array(z.string().min(1).max(500)).max(100).optional(),
  /**
   * History retention and segment size of the catalog (`.synth/catalog/`). Default: all defaults of
   * {@link CatalogSettingsSchema} (runs kept 90 days, materializations kept, 8 MiB segments).
   * @example { "runsDays": 30 }
   */
  catalog: CatalogSettingsSchema.default(CatalogSettingsSchema.parse({})),
});
export type ProjectConfig = z.output<typeof ProjectConfigSchema>;

/** Loads and validates `<root>/synth.config.json`; all defaults when the file does not exist. */
export function loadProjectConfig(root: string): ProjectConfig {
  const file = path.join(root, PROJECT_CONFIG_FILE);
  if (!existsSync(file)) return ProjectConfigSchema.parse({});
  const text = readFileSync(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    throw new UsageError({
      what: `${PROJECT_CONFIG_FILE} is not valid JSON.`,
      why: message,
      fix: 'Fix the JSON syntax (no comments, no trailing commas).',
      file,
      line: jsonErrorLine(text, message),
    });
  }
  const parsed = ProjectConfigSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.join('.');
  throw new UsageError({
    what: `${PROJECT_CONFIG_FILE}: ${where || 'the file'} is invalid: ${issue.message}.`,
    why: z.prettifyError(parsed.error),
    fix: `Fix the value, or remove the key to use the default. Known ${issue.path[0] === 'catalog' ? 'catalog' : 'mlflow'} keys: ${Object.keys((issue.path[0] === 'catalog' ? CatalogSettingsSchema : MlflowConfigSchema).shape).join(', ')}.`,
    file,
    line: keyLine(text, issue.path.at(-1)),
  });
}

/** Line of a JSON syntax error, from V8's "at position N" (or "line N"). */
function jsonErrorLine(text: string, message: string): number | undefined {
  const line = /line (\d+)/.exec(message);
  if (line) return Number(line[1]);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return undefined;
  return text.slice(0, Number(pos[1])).split('\n').length;
}

/** Best-effort line of a key in the file, to point the user at it. */
function keyLine(text: string, key: PropertyKey | undefined): number | undefined {
  if (typeof key !== 'string') return undefined;
  const at = text.indexOf(JSON.stringify(key));
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}
