import {
  type AnyAssetDef,
  type AssetDef,
  type CommonOptions,
  COMMON_OPTION_KEYS,
  defaultGeneratorConfig,
  defineAsset,
  type Deps,
  type GeneratorConfig,
  type RowOf,
  type RowSchema,
} from '../engine/index.js';

/** What a `dataset()` definition carries (see `DatasetOptions`). */
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

const DATASET_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'schema', 'prompt', 'rows', 'seed', 'generator', 'reference', 'allowEmpty'];

/** Declares a synthetic dataset generated from a prompt file and a row schema. */
export function dataset<S extends RowSchema, D extends Deps = Record<never, never>>(options: DatasetOptions<S, D>): AssetDef<RowOf<S>[]> {
  // Null prototype: a dep key such as `__proto__` is an ordinary key here.
  const deps: Deps = Object.assign(Object.create(null) as Deps, options.deps);
  let reference: string | undefined;
  if (options.reference) {
    reference = Object.entries(deps).find(([, d]) => d === options.reference)?.[0] ?? 'reference';
    deps[reference] = options.reference;
  }
  return defineAsset<RowOf<S>[], DatasetSpec>(
    { ...options, deps },
    {
      kind: 'dataset',
      schema: options.schema,
      prompt: options.prompt,
      rows: options.rows,
      seed: options.seed ?? 42,
      generator: options.generator ?? defaultGeneratorConfig(),
      reference,
      allowEmpty: options.allowEmpty,
    },
    DATASET_OPTION_KEYS,
  );
}
