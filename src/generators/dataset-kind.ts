import { type AssetKind, isZodObject, loadGenerator, MaterializationError, promptLoader, rowsOf, schemaHash } from '../engine/index.js';
import type { DatasetSpec } from './dataset-asset.js';

/**
 * Rows generated from a prompt file and a zod row schema by a generator provider (see the generator
 * seam): keyed by the schema, the prompt, the seed, the provider's keyed config and the row count.
 * Rows are also stored as CSV.
 */
export const datasetKind: AssetKind<DatasetSpec> = {
  kind: 'dataset',
  csv: true,

  resolve({ def, loadPrompt, problem }) {
    const spec = def.spec;
    if (!isZodObject(spec.schema)) {
      throw problem({
        what: `Dataset "${def.name}" has a schema that is not a zod object.`,
        why: 'A dataset schema describes one row: it must be z.object({...}) (zod 4).',
        fix: 'Wrap the fields in z.object({ ... }).',
      });
    }
    if (!Number.isInteger(spec.rows) || spec.rows < 0)
      throw problem({ what: `Dataset "${def.name}" has rows: ${spec.rows}.`, why: 'rows must be a whole number ≥ 0.', fix: 'Set rows to e.g. 500.' });
    if (!Number.isInteger(spec.seed)) throw problem({ what: `Dataset "${def.name}" has seed: ${spec.seed}.`, why: 'seed must be an integer.', fix: 'Set seed to e.g. 42.' });
    if (typeof spec.prompt !== 'string' || !spec.prompt) {
      throw problem({ what: `Dataset "${def.name}" has no prompt id.`, why: 'Every dataset is generated from a prompt file prompts/<id>.yaml.', fix: "Add prompt: 'my_prompt_v1'." });
    }
    return { prompt: loadPrompt(spec.prompt) };
  },

  codeVersion({ def: { spec } }) {
    return `schema:${schemaHash(spec.schema)}`;
  },

  settings({ def: { spec } }) {
    return { seed: spec.seed, generator: spec.generator };
  },

  rows({ def: { spec } }) {
    return spec.rows;
  },

  rowSchema({ def: { spec } }) {
    return spec.schema;
  },

  columns({ def: { spec } }) {
    return Object.keys(spec.schema.shape);
  },

  async checkDefinition(asset, view) {
    const spec = asset.def.spec;
    if (spec.rows === 0 && !spec.allowEmpty) {
      return {
        what: `Dataset "${asset.name}" has rows: 0.`,
        why: 'An empty dataset would feed nothing to everything downstream; it is nearly always a mistake.',
        fix: 'Set rows to the number of rows wanted (e.g. rows: 500), or add allowEmpty: true if an empty dataset is intended.',
        near: /\brows\s*:\s*0\b/,
      };
    }
    const fields = Object.keys(spec.schema.shape);
    const prompt = asset.prompt!;
    return (
      promptLoader().fieldProblem?.(prompt, fields, asset.name) ??
      view.emptyReference(asset, spec.reference) ??
      (await view.generatorProblem({
        asset: asset.name,
        schema: spec.schema,
        prompt,
        config: spec.generator,
        referenceColumns: view.columnsOf(spec.reference && asset.deps[spec.reference]),
      }))
    );
  },

  async estimate({ project, asset, settings }) {
    if (!settings) return null;
    const spec = asset.def.spec;
    const generator = await loadGenerator(settings.generator, asset.name);
    return generator.estimate
      ? await generator.estimate({
          asset: asset.name,
          schema: spec.schema,
          prompt: asset.prompt!,
          rows: spec.rows,
          seed: settings.seed,
          config: settings.generator,
          stateDir: project.stateDir,
        })
      : null;
  },

  async compute({ asset, inputs, settings, ctx }) {
    const spec = asset.def.spec;
    const generator = await loadGenerator(settings.generator!, asset.name);
    const result = await generator.generate({
      asset: asset.name,
      schema: spec.schema,
      prompt: asset.prompt!,
      rows: spec.rows,
      seed: settings.seed ?? spec.seed,
      config: settings.generator!,
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
  },
};
