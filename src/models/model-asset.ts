import { type AssetContext, type AssetDef, type CommonOptions, COMMON_OPTION_KEYS, defineAsset, type Deps, type InputsOf } from '../engine/index.js';

/** The columns a model's trainer reads from one of its inputs (see `model({ columns })`). */
export interface ModelColumns {
  /** Dep key of the input the trainer reads. Example: `'train'`. */
  input: string;
  /** Column holding the label. Example: `'Species'`. */
  target?: string;
  /** Input columns. Example: `['Island', 'Body Mass (g)']`. */
  features?: readonly string[];
}

/** What a `model()` definition carries (see `ModelOptions`). */
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

const MODEL_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'train', 'evaluate', 'config', 'columns'];

/** Declares a model trained on its upstream data. */
export function model<D extends Deps, M>(options: ModelOptions<D, M>): AssetDef<unknown> {
  return defineAsset<unknown, ModelSpec>(
    options,
    { kind: 'model', train: options.train, evaluate: options.evaluate, config: options.config, columns: options.columns },
    MODEL_OPTION_KEYS,
  );
}
