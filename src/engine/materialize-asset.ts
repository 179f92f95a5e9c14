import path from 'node:path';
import { loadGenerator } from './generator-registry.js';
import type { CheckRecord } from './catalog.js';
import type { CheckContext } from './check.js';
import { isRowArray } from './codec.js';
import type { AssetContext, CheckResult, StorageFormat, ValidationReport } from './definitions.js';
import { MaterializationError } from './errors.js';
import type { Project, ResolvedAsset } from './project.js';
import type { Row } from './rows.js';
import { readSourceRows, resolveSourceFiles } from './source-files.js';

/** What computing one asset gives, before it is stored. */
export interface ComputedValue {
  value: unknown;
  format: StorageFormat;
  metadata: Record<string, unknown>;
  checks?: CheckRecord[];
}

/** Settings of one materialization that the plan decided. */
export interface MaterializeSettings {
  seed: number | null;
  generator: Record<string, unknown> | null;
  stateDir: string;
}

function rowsOf(value: unknown, what: string, asset: string): Row[] {
  if (!Array.isArray(value)) {
    throw new MaterializationError({
      what: `Asset "${asset}" expected rows from ${what}, got ${value === null ? 'null' : typeof value}.`,
      why: 'Checks and generators work on arrays of records.',
      fix: `Make ${what} a dataset or source (or an asset returning an array of objects).`,
      asset,
    });
  }
  return value as Row[];
}

/**
 * Computes one asset's value from its inputs. It needs only the definition, the input values
 * and the settings, so that where it runs (in process today, a worker later) is the executor's choice.
 */
export async function computeAsset(
  project: Project,
  asset: ResolvedAsset,
  inputs: Record<string, unknown>,
  settings: MaterializeSettings,
  ctx: AssetContext,
): Promise<ComputedValue> {
  const spec = asset.def.spec;
  switch (spec.kind) {
    case 'source': {
      if (!spec.files) return { value: rowsOf(await spec.load!(ctx), 'load()', asset.name), format: 'jsonl', metadata: {} };
      const { rows, skipped } = await readSourceRows(resolveSourceFiles(project.root, spec.files), { onBadLine: spec.onBadLine, schema: spec.schema });
      if (skipped.length) {
        const shown = skipped.slice(0, 5).map((s) => `${path.relative(project.root, s.file)}:${s.line} (${s.why})`);
        ctx.warn(`Source "${asset.name}": skipped ${skipped.length} malformed line(s) (onBadLine: 'skip'): ${shown.join('; ')}${skipped.length > 5 ? '; ...' : ''}.`);
      }
      return { value: rows, format: 'jsonl', metadata: skipped.length ? { skipped_lines: skipped.length } : {} };
    }
    case 'dataset': {
      const generator = await loadGenerator(settings.generator as never, asset.name);
      const result = await generator.generate({
        asset: asset.name,
        schema: spec.schema,
        prompt: asset.prompt!,
        rows: spec.rows,
        seed: settings.seed ?? spec.seed,
        config: settings.generator as never,
        reference: spec.reference ? rowsOf(inputs[spec.reference], `its reference "${asset.deps[spec.reference]}"`, asset.name) : undefined,
        stateDir: settings.stateDir,
        signal: ctx.signal,
        progress: ctx.progress,
        warn: ctx.warn,
      });
      if (result.rows.length !== spec.rows) {
        throw new MaterializationError({
          what: `Generator "${generator.provider}" returned ${result.rows.length} rows for dataset "${asset.name}", not ${spec.rows}.`,
          why: 'A dataset must have exactly the number of rows it declares.',
          fix: 'See the generator report above; raise its retry budget or relax the rules.',
          asset: asset.name,
        });
      }
      return { value: result.rows, format: 'jsonl', metadata: result.metadata };
    }
    case 'validation': {
      const targetName = asset.deps[spec.target];
      const target = project.assets.get(targetName)!;
      const targetSpec = target.def.spec;
      const checkCtx: CheckContext = {
        asset: asset.name,
        rows: rowsOf(inputs[spec.target], `its target "${targetName}"`, asset.name),
        schema: targetSpec.kind === 'dataset' ? targetSpec.schema : undefined,
        rules: target.prompt?.rules ?? [],
        promptFile: target.prompt?.file,
        reference: spec.reference ? rowsOf(inputs[spec.reference], `its reference "${asset.deps[spec.reference]}"`, asset.name) : undefined,
        referencePromptFile: spec.reference ? project.assets.get(asset.deps[spec.reference])?.prompt?.file : undefined,
        inputs,
        seed: spec.seed,
        signal: ctx.signal,
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
    }
    case 'model': {
      const trained = await spec.train(inputs, ctx);
      const metrics = spec.evaluate ? await spec.evaluate(trained, inputs, ctx) : {};
      const serialized = trained && typeof (trained as { toJSON?: unknown }).toJSON === 'function' ? (trained as { toJSON(): unknown }).toJSON() : trained;
      return { value: serialized, format: 'json', metadata: { ...metrics } };
    }
    case 'asset': {
      const value = await spec.materialize(ctx, inputs);
      if (value === undefined) {
        throw new MaterializationError({
          what: `Asset "${asset.name}" returned undefined.`,
          why: 'An asset must return the value to store (rows, or any JSON value).',
          fix: 'Return a value from materialize().',
          asset: asset.name,
        });
      }
      return { value, format: isRowArray(value) ? 'jsonl' : 'json', metadata: {} };
    }
  }
}
