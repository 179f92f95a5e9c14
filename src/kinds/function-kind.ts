import { type AssetKind, functionSourceHash, isRowArray, MaterializationError } from '../engine/index.js';
import type { FunctionSpec } from './function-asset.js';

/** Any value computed by a function of the inputs: rows (an array of plain objects) as JSONL, anything else as JSON. */
export const functionKind: AssetKind<FunctionSpec> = {
  kind: 'asset',

  codeVersion({ def: { spec } }) {
    return `fn:${functionSourceHash(spec.materialize)}`;
  },

  async compute({ asset, inputs, ctx }) {
    const value = await asset.def.spec.materialize(ctx, inputs);
    if (value === undefined) {
      throw new MaterializationError({
        what: `Asset "${asset.name}" returned undefined.`,
        why: 'An asset must return the value to store (rows, or any JSON value).',
        fix: 'Return a value from materialize().',
        asset: asset.name,
      });
    }
    return { value, format: isRowArray(value) ? 'jsonl' : 'json', metadata: {} };
  },
};
