import { type AssetContext, type AssetDef, type CommonOptions, COMMON_OPTION_KEYS, defineAsset, type Deps, type InputsOf } from '../engine/index.js';

/** What an `asset()` definition carries. */
export interface FunctionSpec {
  kind: 'asset';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  materialize: (ctx: AssetContext, inputs: any) => Promise<unknown> | unknown;
}

/** Options of a general asset. */
export interface FunctionAssetOptions<D extends Deps, T> extends CommonOptions<D> {
  /** Computes the value from the inputs. Arrays of plain objects are stored as rows (JSONL + CSV). */
  materialize: (ctx: AssetContext, inputs: InputsOf<D>) => Promise<T> | T;
}

const FUNCTION_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'materialize'];

/** Declares any other asset computed by a function. */
export function asset<D extends Deps, T>(options: FunctionAssetOptions<D, T>): AssetDef<T> {
  return defineAsset<T, FunctionSpec>(options, { kind: 'asset', materialize: options.materialize }, FUNCTION_OPTION_KEYS);
}
