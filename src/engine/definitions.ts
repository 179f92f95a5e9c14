import type { Row } from './rows.js';
import { isValidName } from './name-checks.js';
import { checkOptionKeys } from './dsl-option-keys.js';

/** How an asset's value is stored: rows as JSONL (+ CSV export when its kind asks), anything else as JSON. */
export const StorageFormat = { jsonl: 'jsonl', json: 'json' } as const;
export type StorageFormat = (typeof StorageFormat)[keyof typeof StorageFormat];

/**
 * The kind-specific settings of a definition. `kind` names the registered asset kind that reads
 * them (see `registerAssetKind`); the rest belongs to that kind. Plain data, so definitions made by
 * another copy of synthgraph are read by the copy that runs them.
 */
export interface AssetSpec {
  readonly kind: string;
}

/** Anything that declares an asset; `T` is the type of the value downstream assets receive. */
export interface AssetDef<T = unknown, S extends AssetSpec = AssetSpec> {
  /** Brand, so definitions are recognised across copies of the library. */
  readonly __synthgraph: 'asset';
  /** The asset kind's name (`spec.kind`). */
  readonly kind: string;
  readonly name: string;
  readonly deps: Readonly<Record<string, AnyAssetDef>>;
  readonly codeVersion?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly group?: string;
  readonly description?: string;
  readonly retries: number;
  /** Kind-specific settings, read by the asset kind registered under `kind`. */
  readonly spec: S;
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
  /** Seed of this materialization, for kinds that have one (datasets; `--seed` overrides it). */
  readonly seed?: number;
  /** Project root folder. */
  readonly root: string;
  /** Aborted when the run is interrupted; long work should stop promptly. */
  readonly signal: AbortSignal;
  /** Reports progress (shown live on a terminal). */
  progress(done: number, total: number, detail?: Record<string, number>): void;
  /** A notice for the user, kept with the materialization. */
  warn(message: string): void;
  /**
   * Reads a stored object by its sha256 (checked against it), e.g. an image an images asset's
   * manifest names. @throws CorruptObjectError when it is missing or damaged.
   * @example train: ({ images }, ctx) => imageFeatureRows(products, images, ctx.readObject)
   */
  readObject(hash: string): Buffer;
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

/**
 * Makes a definition from the options every kind takes and the kind's own spec: what the DSL
 * functions of each kind (`dataset()`, `source()`, ...) call. `optionKeys` are the options the DSL
 * function takes (its TypeScript type), checked for definitions that are not type-checked.
 * @throws UsageError for an option the DSL function does not take (a typo), naming the closest.
 */
export function defineAsset<T, S extends AssetSpec>(options: CommonOptions<Deps>, spec: S, optionKeys: readonly string[]): AssetDef<T, S> {
  checkOptionKeys(spec.kind, options, optionKeys);
  return Object.freeze({
    __synthgraph: 'asset' as const,
    kind: spec.kind,
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

/** True for values created by a DSL function (`dataset`, `source`, ... or a plug-in kind's). */
export function isAssetDef(value: unknown): value is AnyAssetDef {
  return !!value && typeof value === 'object' && (value as { __synthgraph?: unknown }).__synthgraph === 'asset';
}

/** True when a name is a valid asset name. */
export function isValidAssetName(name: unknown): name is string {
  return isValidName(name);
}

/** The row type of a zod object schema (without importing zod's types here). */
export type RowOf<S> = S extends { _zod: { output: infer O } } ? O : Row;
