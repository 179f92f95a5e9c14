import { type AssetKind, type DefinitionProblem, didYouMeanText, functionSourceHash, hashJson } from '../engine/index.js';
import type { ModelSpec } from './model-asset.js';

/** A model trained on its inputs, stored with `toJSON()`; `evaluate`'s metrics are recorded with it. */
export const modelKind: AssetKind<ModelSpec> = {
  kind: 'model',

  codeVersion({ def: { spec } }) {
    return spec.config !== undefined ? `config:${hashJson(spec.config)}` : `fn:${functionSourceHash(spec.train, spec.evaluate)}`;
  },

  checkDefinition(asset, view): DefinitionProblem | undefined {
    const spec = asset.def.spec;
    if (!spec.columns) return undefined;
    const { input, target, features } = spec.columns;
    const keys = Object.keys(asset.deps);
    if (!keys.includes(input)) {
      return {
        what: `Model "${asset.name}" reads columns from input "${input}", which is not one of its deps.`,
        why: `Its deps are: ${keys.join(', ') || 'none'}.`,
        fix: `${didYouMeanText(input, keys).trim()} Set columns.input to a dep key.`.trim(),
        near: input,
      };
    }
    const columns = view.columnsOf(asset.deps[input]);
    if (!columns) return undefined;
    for (const [option, column] of [...(target === undefined ? [] : [['target', target] as const]), ...(features ?? []).map((f) => ['features', f] as const)]) {
      if (columns.includes(column)) continue;
      return {
        what: `Model "${asset.name}": columns.${option} names "${column}", which is not a column of its input "${input}" (${asset.deps[input]}).`,
        why: `The columns of "${asset.deps[input]}" are: ${columns.join(', ')}.`,
        fix: `${didYouMeanText(column, columns).trim()} Fix columns.${option} (and the trainer's options, which read the same).`.trim(),
        near: column,
      };
    }
    return undefined;
  },

  async compute({ asset, inputs, ctx }) {
    const spec = asset.def.spec;
    const trained = await spec.train(inputs, ctx);
    const metrics = spec.evaluate ? await spec.evaluate(trained, inputs, ctx) : {};
    const serialized = trained && typeof (trained as { toJSON?: unknown }).toJSON === 'function' ? (trained as { toJSON(): unknown }).toJSON() : trained;
    return { value: serialized, format: 'json', metadata: { ...metrics } };
  },
};
