import { MaterializationError, PromptFileError, UsageError, type Row, type RowSchema } from '../../engine/index.js';
import { promptFieldProblem, topLevelField, type CompiledRule, type PromptFile } from '../../rules/index.js';
import type { GenerateRequest } from '../generator.js';
import { readColumnHints, type ColumnHint } from './column-hints.js';
import { columnSampler, type ColumnSampler, type SamplerEnvironment } from './column-sampler.js';
import { inferText } from './field-inference.js';
import { describeField, type FieldSpec } from './field-spec.js';
import type { LocalGeneratorOptions } from './generator-options.js';
import { looksLikeProductCategories } from './product-vocabulary.js';
import { fitReference, type FittedReference } from './reference-fit.js';

/**
 * Everything compiled once per dataset before drawing rows: a sampler per column in an order
 * where every column comes after the columns it reads, the fitted reference model, and the
 * rules with their fields mapped to top-level columns.
 */
export interface RowPlan {
  schema: RowSchema;
  /** Top-level fields in schema order (the order of keys in every emitted row). */
  fields: string[];
  /** Samplers of the columns the reference model does not draw, dependencies first. */
  samplers: ColumnSampler[];
  /** Per column: the sampled columns that must be redrawn when it changes (transitively). */
  dependents: Map<string, Set<string>>;
  fitted?: FittedReference;
  rules: PlannedRule[];
  uniqueFields: string[];
}

export interface PlannedRule {
  rule: CompiledRule;
  /** Top-level columns to redraw when the rule fails (its assertion's, else all of its fields). */
  targets: string[];
}

/**
 * Hint keys that choose how a column is drawn, so a reference fit leaves that column alone.
 * Numeric shape hints (mean, std, distribution, decimals) are priors for runs without a
 * reference: a fitted column follows the reference instead, within the hint's min/max.
 */
const GENERATIVE_HINTS = ['categories', 'faker', 'template', 'items'] as const;
const PRODUCT_DOMAIN = /commerce|retail|shop|store|product|catalog|marketplace/i;
const CATEGORY_NAME = /categor|department|genre|segment/i;

export function planRows(request: Pick<GenerateRequest, 'asset' | 'schema' | 'prompt' | 'reference'>, options: LocalGeneratorOptions): RowPlan {
  const { asset, schema, prompt } = request;
  const fields = Object.keys(schema.shape);
  const specs: Record<string, FieldSpec> = {};
  for (const field of fields) specs[field] = describeField(field, schema.shape[field], asset);
  const hints = readColumnHints(prompt, specs);
  const rules = planRules(prompt, fields);

  const fitted = request.reference?.length ? fit(request.reference, schema, specs, hints, options, asset) : undefined;
  const env = environment(prompt, specs, fields);
  const fittedFields = new Set(fitted?.fields ?? []);
  const built = fields.filter((f) => !fittedFields.has(f)).map((f) => columnSampler(f, specs[f], hints[f], env));
  const samplers = order(built, fittedFields, asset);
  const dependents = new Map<string, Set<string>>();
  for (const field of fields) {
    const out = new Set<string>();
    const visit = (f: string) => {
      for (const s of samplers)
        if (s.deps.includes(f) && !out.has(s.field)) {
          out.add(s.field);
          visit(s.field);
        }
    };
    visit(field);
    dependents.set(field, out);
  }
  const uniqueFields = fields.filter((f) => hints[f]?.unique);
  return { schema, fields, samplers, dependents, fitted, rules, uniqueFields };
}

function planRules(prompt: PromptFile, fields: string[]): PlannedRule[] {
  const problem = promptFieldProblem({ ...prompt, columns: {} }, fields);
  if (problem) throw new PromptFileError(problem);
  return prompt.rules.map((rule) => {
    const targets = [...new Set((rule.assertionFields.length ? rule.assertionFields : rule.fields).map((f) => topLevelField(f, fields)))];
    return { rule, targets };
  });
}

function fit(
  reference: Row[],
  schema: RowSchema,
  specs: Record<string, FieldSpec>,
  hints: Record<string, ColumnHint>,
  options: LocalGeneratorOptions,
  asset: string,
): FittedReference | undefined {
  const fields = Object.keys(specs);
  const requested = options.fit?.by;
  if (requested !== undefined && !fields.includes(requested)) {
    throw new UsageError({ asset, what: `generator.fit.by names "${requested}", which is not a field of dataset "${asset}".`, fix: `Use one of: ${fields.join(', ')}.` });
  }
  const skip = new Set(fields.filter((f) => GENERATIVE_HINTS.some((k) => hints[f]?.[k] !== undefined)));
  const classField = requested ?? fields.find((f) => hints[f]?.class) ?? fields.find((f) => specs[f].kind === 'enum' && !skip.has(f));
  const limits = Object.fromEntries(fields.map((f) => [f, { min: hints[f]?.min, max: hints[f]?.max }]));
  const unknownCopy = options.fit?.copy_values?.find((f) => !fields.includes(f));
  if (unknownCopy !== undefined) {
    throw new UsageError({ asset, what: `generator.fit.copy_values names "${unknownCopy}", which is not a field of dataset "${asset}".`, fix: `Use some of: ${fields.join(', ')}.` });
  }
  const fitted = fitReference(reference, schema, specs, { classField, skip, limits, copyValues: new Set(options.fit?.copy_values ?? []), autoClass: true });
  if (classField !== undefined && fitted && !fitted.categorical.includes(classField)) {
    throw new UsageError({
      asset,
      what: `Cannot condition the fit of dataset "${asset}" on "${classField}".`,
      why: `The class column must be categorical (an enum, a boolean, or a string with few distinct values) in the reference; "${classField}" is not.`,
      fix: 'Set generator.fit.by (or the `class: true` column hint) to a categorical column.',
    });
  }
  return fitted;
}

function environment(prompt: PromptFile, specs: Record<string, FieldSpec>, fields: string[]): SamplerEnvironment {
  const isProductEnum = (spec: FieldSpec) => spec.kind === 'enum' && looksLikeProductCategories(spec.values);
  const productEnum = fields.find((f) => isProductEnum(specs[f]));
  const categoryField = productEnum ?? fields.find((f) => CATEGORY_NAME.test(f) && (specs[f].kind === 'enum' || specs[f].kind === 'string'));
  const product = PRODUCT_DOMAIN.test(prompt.domain ?? '') || productEnum !== undefined || fields.some((f) => /product/i.test(specs[f].description ?? ''));
  const nameField = product
    ? fields.find((f) => specs[f].kind === 'string' && inferText(f, specs[f] as Extract<FieldSpec, { kind: 'string' }>, true).kind === 'product-name')
    : undefined;
  return { product, family: { categoryField: product ? categoryField : undefined, nameField }, fields };
}

/** Topological order of the samplers: columns a sampler reads are drawn before it. */
function order(samplers: ColumnSampler[], drawnFirst: ReadonlySet<string>, asset: string): ColumnSampler[] {
  const byField = new Map(samplers.map((s) => [s.field, s]));
  const out: ColumnSampler[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (s: ColumnSampler, path: string[]) => {
    if (state.get(s.field) === 'done') return;
    if (state.get(s.field) === 'visiting') {
      throw new MaterializationError({
        asset,
        what: `Column hints of dataset "${asset}" read each other in a cycle: ${[...path, s.field].join(' -> ')}.`,
        fix: 'Remove one of the {{field}} placeholders in the templates.',
      });
    }
    state.set(s.field, 'visiting');
    for (const dep of s.deps) {
      const d = byField.get(dep);
      if (d) visit(d, [...path, s.field]);
      else if (!drawnFirst.has(dep)) throw new MaterializationError({ asset, what: `Column "${s.field}" reads "${dep}", which is not a field of dataset "${asset}".` });
    }
    state.set(s.field, 'done');
    out.push(s);
  };
  for (const s of samplers) visit(s, []);
  return out;
}
