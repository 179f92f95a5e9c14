import type { GeneratorConfig } from './generator-plugin.js';
import { defaultGeneratorConfig } from './generator-registry.js';
import type { Row, RowSchema } from './rows.js';
import type { Check } from './check.js';
import { isValidName } from './name-checks.js';
import { checkOptionKeys } from './dsl-option-keys.js';
import type { OnBadLine } from './source-reader.js';

/** The kinds of asset. `source` is observed external data; `asset` is anything else. */
export const AssetKind = {
  source: 'source',
  dataset: 'dataset',
  validation: 'validation',
  model: 'model',
  asset: 'asset',
} as const;
export type AssetKind = (typeof AssetKind)[keyof typeof AssetKind];

/** How an asset's value is stored: rows as JSONL (+ CSV export), anything else as JSON. */
export const StorageFormat = { jsonl: 'jsonl', json: 'json' } as const;
export type StorageFormat = (typeof StorageFormat)[keyof typeof StorageFormat];

/** Anything that declares an asset; `T` is the type of the value downstream assets receive. */
export interface AssetDef<T = unknown> {
  /** Brand, so definitions are recognised across copies of the library. */
  readonly __synthgraph: 'asset';
  readonly kind: AssetKind;
  readonly name: string;
  readonly deps: Readonly<Record<string, AnyAssetDef>>;
  readonly codeVersion?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly description?: string;
  readonly retries: number;
  /** Kind-specific settings; read by the engine only. */
  readonly spec: AssetSpec;
  /** Phantom field carrying the value type for typed `inputs`. Never set. */
  readonly __value?: T;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- an asset of any row type must fit: AssetDef<unknown> would reject AssetDef<Row> (T is used contravariantly in its options)
export type AnyAssetDef = AssetDef<any>;

export type Deps = Record<string, AnyAssetDef>;
/** The values a `materialize` function receives, typed from its deps. */
export type InputsOf<D extends Deps> = { [K in keyof D]: D[K] extends AssetDef<infer T> ? T : never };

/** What every asset function can use while it runs. */
export interface AssetContext {
  /** Name of the asset being materialized. */
  readonly asset: string;
  /** Run id (shared by every asset of one `synth materialize`). */
  readonly runId: string;
  /** Seed of this materialization (datasets; `--seed` overrides it). */
  readonly seed?: number;
  /** Project root folder. */
  readonly root: string;
  /** Aborted when the run is interrupted; long work should stop promptly. */
  readonly signal: AbortSignal;
  /** Reports progress (shown live on a terminal). */
  progress(done: number, total: number, detail?: Record<string, number>): void;
  /** A notice for the user, kept with the materialization. */
  warn(message: string): void;
}

/** Options shared by every kind of asset. */
export interface CommonOptions<D extends Deps> {
  /** Unique asset name (letters, digits, `_`, `-`, `.`). Example: `'products'`. */
  name: string;
  /** Upstream assets, by the key under which their values are passed. Default: none. Example: `{ products }`. */
  deps?: D;
  /**
   * Version of the logic: change it to re-materialize when your code changed.
   * Default: a hash of the asset's function source (helpers it calls are not seen: bump this when you change them).
   */
  codeVersion?: string;
  /** Free-form labels, selectable with `tag:KEY=VALUE`. Example: `{ team: 'growth' }`. */
  tags?: Record<string, string>;
  /** Pipeline name used to group assets in `synth status`. Default: the `pipeline` tag, else `default`. */
  group?: string;
  /** One-line description shown by `synth show`. */
  description?: string;
  /** Extra attempts after a retryable failure (network, rate limit), with exponential backoff. Default: 2. */
  retries?: number;
}

/** A file to read, relative to the project root, or inside an installed package. */
export type FileRef = string | { package: string; path: string };

export interface SourceSpec {
  kind: 'source';
  /** Files (paths or globs relative to the root) whose content is the source's data. */
  files?: FileRef[];
  /** Loader for data that is not a file; its result is hashed after loading. */
  load?: (ctx: AssetContext) => Promise<Row[]> | Row[];
  /** See {@link SourceOptions.onBadLine}. */
  onBadLine?: OnBadLine;
  /** See {@link SourceOptions.schema}. */
  schema?: RowSchema;
}

export interface DatasetSpec {
  kind: 'dataset';
  schema: RowSchema;
  prompt: string;
  rows: number;
  seed: number;
  generator: GeneratorConfig;
  /** Dep key of the reference (real) dataset the generator fits, if any. */
  reference?: string;
  /** `rows: 0` is a mistake unless this is set. */
  allowEmpty?: boolean;
}

export interface ValidationSpec {
  kind: 'validation';
  checks: Check[];
  /** Dep key of the dataset under test. */
  target: string;
  /** Dep key of the reference (real) data, for fidelity, drift and utility checks. */
  reference?: string;
  /** Seed for the checks' sampling. */
  seed: number;
}

export interface ModelSpec {
  kind: 'model';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the user's trainer types its own inputs; with unknown, a typed parameter would not be assignable (strictFunctionTypes)
  train: (inputs: any, ctx: AssetContext) => Promise<unknown> | unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as for train: the user's evaluator types its own model and inputs
  evaluate?: (model: any, inputs: any, ctx: AssetContext) => Promise<Record<string, number>> | Record<string, number>;
  /** Stable description of the trainer's configuration (part of the cache key). */
  config?: unknown;
  /** Columns the trainer reads from one input, checked before anything runs. */
  columns?: ModelColumns;
}

/** The columns a model's trainer reads from one of its inputs (see `model({ columns })`). */
export interface ModelColumns {
  /** Dep key of the input the trainer reads. Example: `'train'`. */
  input: string;
  /** Column holding the label. Example: `'Species'`. */
  target?: string;
  /** Input columns. Example: `['Island', 'Body Mass (g)']`. */
  features?: readonly string[];
}

export interface FunctionSpec {
  kind: 'asset';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as for train: the user's function types its own inputs
  materialize: (ctx: AssetContext, inputs: any) => Promise<unknown> | unknown;
}

export type AssetSpec = SourceSpec | DatasetSpec | ValidationSpec | ModelSpec | FunctionSpec;

function base<D extends Deps>(kind: AssetKind, options: CommonOptions<D>, spec: AssetSpec): AnyAssetDef {
  checkOptionKeys(kind, options);
  return Object.freeze({
    __synthgraph: 'asset' as const,
    kind,
    name: options.name,
    deps: Object.freeze({ ...(options.deps ?? {}) }),
    codeVersion: options.codeVersion,
    tags: Object.freeze({ ...(options.tags ?? {}) }),
    group: options.group ?? options.tags?.pipeline,
    description: options.description,
    retries: options.retries ?? 2,
    spec,
  });
}

/** True for values created by `dataset`, `source`, `validation`, `model` or `asset`. */
export function isAssetDef(value: unknown): value is AnyAssetDef {
  return !!value && typeof value === 'object' && (value as { __synthgraph?: unknown }).__synthgraph === 'asset';
}

/** True when a name is a valid asset name. */
export function isValidAssetName(name: unknown): name is string {
  return isValidName(name);
}

// ---------------------------------------------------------------------------------------------
// The DSL

/** Options of a generated dataset. */
export interface DatasetOptions<S extends RowSchema, D extends Deps> extends CommonOptions<D> {
  /** zod object schema of one row. Example: `z.object({ name: z.string(), price: z.number() })`. */
  schema: S;
  /** Prompt id: the file `prompts/<prompt>.yaml`. Example: `'ecommerce_v1'`. */
  prompt: string;
  /** Number of rows to generate. Example: `500`. */
  rows: number;
  /** Seed of the generator; same seed, same data. Default: `42`. */
  seed?: number;
  /** Generator config. Default: `{ provider: 'local' }` (embedded, no key, no network). */
  generator?: GeneratorConfig;
  /** A real dataset (an asset) to fit the generated data to; it becomes a dependency. */
  reference?: AnyAssetDef;
  /**
   * Accept `rows: 0` (an empty dataset). Default: false, since 0 rows is nearly always a mistake
   * that would silently feed empty data downstream. @example allowEmpty: true
   */
  allowEmpty?: boolean;
}

/** The row type of a zod object schema (without importing zod's types here). */
export type RowOf<S> = S extends { _zod: { output: infer O } } ? O : Row;

/** Declares a synthetic dataset generated from a prompt file and a row schema. */
export function dataset<S extends RowSchema, D extends Deps = Record<never, never>>(
  options: DatasetOptions<S, D>,
): AssetDef<RowOf<S>[]> {
  // Null prototype: a dep key such as `__proto__` is an ordinary key here.
  const deps: Deps = Object.assign(Object.create(null) as Deps, options.deps);
  let reference: string | undefined;
  if (options.reference) {
    reference = Object.entries(deps).find(([, d]) => d === options.reference)?.[0] ?? 'reference';
    deps[reference] = options.reference;
  }
  return base('dataset', { ...options, deps }, {
    kind: 'dataset',
    schema: options.schema,
    prompt: options.prompt,
    rows: options.rows,
    seed: options.seed ?? 42,
    generator: options.generator ?? defaultGeneratorConfig(),
    reference,
    allowEmpty: options.allowEmpty,
  });
}

/** Options of a source asset: external data observed by content. */
export interface SourceOptions extends CommonOptions<Record<never, never>> {
  /**
   * Files holding the data (JSON array, JSONL or CSV), relative to the project root, globs allowed,
   * or `{ package, path }` for a file shipped in an installed npm package.
   * The content is hashed on every `status`/`materialize`, so new data makes downstream stale.
   * Example: `'data/live/*.csv'`, `{ package: 'vega-datasets', path: 'data/penguins.json' }`.
   */
  file?: FileRef | FileRef[];
  /** Loads rows from anywhere else. Its result is hashed; it runs when its code version changes. */
  load?: (ctx: AssetContext) => Promise<Row[]> | Row[];
  /**
   * What a malformed CSV/TSV/JSONL line does: 'error' (default) stops the run with exit 2 naming
   * file:line; 'skip' leaves it out and warns with how many lines were skipped (an unclosed quote,
   * which would swallow the rest of the file, is an error either way).
   * @example onBadLine: 'skip'
   */
  onBadLine?: OnBadLine;
  /**
   * Row schema of the files: a CSV/TSV column is typed as a number or boolean only when the schema
   * declares it so (other columns keep their text, e.g. "01234" or "2012-01-01"). Default: a column
   * becomes numbers only when every cell is a canonical number, booleans when every cell is true/false.
   * @example schema: z.object({ zip: z.string(), price: z.number() })
   */
  schema?: RowSchema;
}

/** Declares real (non-generated) data: files or a loader. */
export function source<T extends Row = Row>(options: SourceOptions): AssetDef<T[]> {
  const files = options.file === undefined ? undefined : Array.isArray(options.file) ? options.file : [options.file];
  return base('source', options, { kind: 'source', files, load: options.load, onBadLine: options.onBadLine, schema: options.schema });
}

/** Options of a validation report. */
export interface ValidationOptions<D extends Deps> extends CommonOptions<D> {
  /** Checks to run (see `checks`). Example: `[checks.schema(), checks.rules({ blocking: true })]`. */
  checks: Check[];
  /** Dep key of the dataset under test. Default: the first dep that is a dataset, else the first dep. */
  target?: keyof D & string;
  /** Dep key of the real data that fidelity, drift and utility checks compare against. */
  reference?: keyof D & string;
  /** Seed for any sampling the checks do, so scores are reproducible. Default: 42. */
  seed?: number;
}

/** Declares a validation report over a dataset. */
export function validation<D extends Deps>(options: ValidationOptions<D>): AssetDef<ValidationReport> {
  const entries = Object.entries(options.deps ?? {});
  const target = options.target ?? entries.find(([, d]) => d.kind === 'dataset')?.[0] ?? entries[0]?.[0] ?? '';
  return base('validation', options, { kind: 'validation', checks: options.checks, target, reference: options.reference, seed: options.seed ?? 42 });
}

/** Options of a model asset. */
export interface ModelOptions<D extends Deps, M> extends CommonOptions<D> {
  /** Trains the model on the inputs. Its result is serialized with `toJSON()` (or as JSON). */
  train: (inputs: InputsOf<D>, ctx: AssetContext) => Promise<M> | M;
  /** Computes metrics recorded with the materialization. Example: `(m, { test }) => ({ f1: ... })`. */
  evaluate?: (model: M, inputs: InputsOf<D>, ctx: AssetContext) => Promise<Record<string, number>> | Record<string, number>;
  /** A stable description of the trainer config, hashed into the cache key (else the function source is). */
  config?: unknown;
  /**
   * The columns `train` reads from one input: checked against that input's columns (a dataset's
   * schema, a source file's header) on every command, before anything runs, so a misspelt
   * target or feature is an error naming the closest column instead of a failed or wrong
   * training. Default: not checked (the trainer may read derived columns).
   * @example columns: { input: 'train', target: 'Species', features: ['Island', 'Sex'] }
   */
  columns?: Omit<ModelColumns, 'input'> & { input: keyof D & string };
}

/** Declares a model trained on its upstream data. */
export function model<D extends Deps, M>(options: ModelOptions<D, M>): AssetDef<unknown> {
  return base('model', options, { kind: 'model', train: options.train, evaluate: options.evaluate, config: options.config, columns: options.columns });
}

/** Options of a general asset. */
export interface FunctionAssetOptions<D extends Deps, T> extends CommonOptions<D> {
  /** Computes the value from the inputs. Arrays of plain objects are stored as rows (JSONL + CSV). */
  materialize: (ctx: AssetContext, inputs: InputsOf<D>) => Promise<T> | T;
}

/** Declares any other asset computed by a function. */
export function asset<D extends Deps, T>(options: FunctionAssetOptions<D, T>): AssetDef<T> {
  return base('asset', options, { kind: 'asset', materialize: options.materialize });
}

/** Result of one check in a validation report. */
export interface CheckResult {
  name: string;
  /** Score in [0, 1] (higher is better) or the check's own metric. */
  score: number;
  passed: boolean;
  threshold: number;
  blocking: boolean;
  /** One-line summary. */
  summary: string;
  details: Record<string, unknown>;
}

/** The value of a validation asset. */
export interface ValidationReport {
  target: string;
  rows: number;
  passed: boolean;
  checks: CheckResult[];
}
