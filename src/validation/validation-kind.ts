import { type AssetKind, type CheckContext, didYouMeanText, findAssetKind, hashJson, rowsOf } from '../engine/index.js';
import type { CheckResult, ValidationReport, ValidationSpec } from './validation-asset.js';

/**
 * A validation report: its checks run over the target's rows (and the reference's), keyed by the
 * checks' settings. A failed blocking check blocks everything downstream.
 */
export const validationKind: AssetKind<ValidationSpec> = {
  kind: 'validation',

  resolve({ def, deps, problem }) {
    if (def.spec.target && !(def.spec.target in deps)) {
      throw problem({
        what: `Validation "${def.name}" targets "${def.spec.target}", which is not one of its deps.`,
        why: 'The dataset under test must be passed in deps.',
        fix: `Add it to deps, e.g. deps: { ${def.spec.target} }.`,
      });
    }
  },

  codeVersion({ def: { spec } }) {
    return `checks:${hashJson({
      target: spec.target,
      reference: spec.reference ?? null,
      seed: spec.seed,
      checks: spec.checks.map((c) => ({ name: c.name, blocking: c.blocking, threshold: c.threshold, config: c.config })),
    })}`;
  },

  checkDefinition(asset, view) {
    const spec = asset.def.spec;
    if (spec.reference !== undefined && !(spec.reference in asset.deps)) {
      return {
        what: `Validation "${asset.name}" names reference "${spec.reference}", which is not one of its deps.`,
        why: 'The reference data must be passed in deps.',
        fix: `${didYouMeanText(spec.reference, Object.keys(asset.deps)).trim()} Add it to deps, e.g. deps: { ${spec.reference} }.`.trim(),
        near: spec.reference,
      };
    }
    const empty = view.emptyReference(asset, spec.reference);
    if (empty) return empty;
    const ctx = {
      asset: asset.name,
      targetColumns: view.columnsOf(asset.deps[spec.target]),
      referenceColumns: view.columnsOf(spec.reference === undefined ? undefined : asset.deps[spec.reference]),
      hasReference: spec.reference !== undefined,
    };
    for (const check of spec.checks) {
      const problem = check.checkDefinition?.(ctx);
      if (problem) return problem;
    }
    return undefined;
  },

  async compute({ project, asset, inputs, ctx }) {
    const spec = asset.def.spec;
    const targetName = asset.deps[spec.target];
    const target = project.assets.get(targetName)!;
    const checkCtx: CheckContext = {
      asset: asset.name,
      rows: rowsOf(inputs[spec.target], `its target "${targetName}"`, asset.name),
      schema: findAssetKind(target.kind)?.rowSchema?.(target),
      rules: target.prompt?.rules ?? [],
      promptFile: target.prompt?.file,
      reference: spec.reference ? rowsOf(inputs[spec.reference], `its reference "${asset.deps[spec.reference]}"`, asset.name) : undefined,
      referencePromptFile: spec.reference ? project.assets.get(asset.deps[spec.reference])?.prompt?.file : undefined,
      inputs,
      seed: spec.seed,
      signal: ctx.signal,
      readObject: ctx.readObject,
    };
    const results: CheckResult[] = [];
    const metadata: Record<string, unknown> = {};
    for (const check of spec.checks) {
      const outcome = await check.run(checkCtx);
      const passed = outcome.passed ?? outcome.score >= check.threshold;
      results.push({ name: check.name, score: outcome.score, passed, threshold: check.threshold, blocking: check.blocking, summary: outcome.summary, details: outcome.details });
      metadata[`${check.name}.score`] = outcome.score;
      for (const [k, v] of Object.entries(outcome.metrics ?? {})) metadata[`${check.name}.${k}`] = v;
      if (!passed && !check.blocking) ctx.warn(`check ${asset.name}.${check.name} failed (score ${outcome.score.toFixed(3)} < ${check.threshold}): ${outcome.summary}`);
    }
    const report: ValidationReport = { target: targetName, rows: checkCtx.rows.length, passed: results.every((r) => r.passed), checks: results };
    return {
      value: report,
      format: 'json',
      metadata,
      checks: results.map(({ name, score, passed, threshold, blocking, summary }) => ({ name, score, passed, threshold, blocking, summary })),
    };
  },
};
