import { sha256, type AnyAssetDef, type AssetDef, type Deps, type Row } from '../engine/index.js';
import { model, type ModelOptions } from './model-asset.js';
import type { TrainedClassifier } from './classifier.js';
import { evaluateClassifier } from './evaluate-classifier.js';

/** Dep key under which the real evaluation set reaches `evaluate`. */
export const REAL_EVALUATION_KEY = 'real_evaluation';

/** Options of {@link modelWithRealEvaluation}: a model's options plus its real evaluation set. */
export interface RealEvaluationOptions<D extends Deps, M> extends ModelOptions<D, M> {
  /**
   * Real rows the model is also scored on (e.g. production data, or a real hold-out the generator
   * never saw). Its metrics are recorded as `real.<metric>`, and `gap.<metric>` = the synthetic
   * validation's metric (from `evaluate`) minus the real one. @example realEvaluation: penguinsTest
   */
  realEvaluation: AnyAssetDef;
  /**
   * Metrics of the model on the real rows. Default: `accuracy` and `macro_f1` of a classifier
   * (`evaluateClassifier`). @example (m, rows) => ({ accuracy: evaluateClassifier(m, rows).accuracy })
   */
  evaluateReal?: (model: M, rows: Row[]) => Promise<Record<string, number>> | Record<string, number>;
}

function defaultReal(m: unknown, rows: Row[]): Record<string, number> {
  const { accuracy, macro_f1, n } = evaluateClassifier(m as TrainedClassifier, rows);
  return { accuracy, macro_f1, rows: n };
}

/**
 * A model scored twice: on its synthetic validation (`evaluate`, as usual) and on a real
 * evaluation set, with the gap between the two recorded per metric (`gap.<metric>` = synthetic −
 * real), so `synth history` shows how far synthetic validation over- or under-states real-world
 * performance, run after run.
 * @example modelWithRealEvaluation({ name: 'species_model', deps: { train: penguinsSynth }, train: ..., evaluate: ..., realEvaluation: penguinsTest })
 */
export function modelWithRealEvaluation<D extends Deps, M>(options: RealEvaluationOptions<D, M>): AssetDef<unknown> {
  const { realEvaluation, evaluateReal = defaultReal as (m: M, rows: Row[]) => Record<string, number>, ...rest } = options;
  const deps = { ...(rest.deps ?? {}), [REAL_EVALUATION_KEY]: realEvaluation } as unknown as D;
  return model<D, M>({
    ...rest,
    deps,
    // The wrapper's own source is the same for every model: the user's functions and config decide the key.
    config: { config: rest.config ?? null, fn: sha256([rest.train, rest.evaluate, evaluateReal].map((f) => (f ? String(f).replace(/\s+/g, ' ') : '')).join('\n')), real_evaluation: 1 },
    evaluate: async (m, inputs, ctx) => {
      const synthetic = rest.evaluate ? await rest.evaluate(m, inputs, ctx) : {};
      const real = await evaluateReal(m, (inputs as Record<string, unknown>)[REAL_EVALUATION_KEY] as Row[]);
      const out: Record<string, number> = { ...synthetic };
      for (const [k, v] of Object.entries(real)) {
        out[`real.${k}`] = v;
        if (typeof synthetic[k] === 'number' && k !== 'rows' && k !== 'test_rows') out[`gap.${k}`] = synthetic[k] - v;
      }
      return out;
    },
  });
}
