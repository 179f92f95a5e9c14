import type { Faker } from '@faker-js/faker';
import type { Row } from '../../engine/index.js';
import { fakerMethod, NUMERIC_HINT_KEYS, PLACEHOLDER, type CategoriesHint, type ColumnHint, type ItemsHint } from './column-hints.js';
import { inferNumber, inferText, inferTrueRate, type TextRecipe } from './field-inference.js';
import type { FieldSpec, NumberSpec, StringSpec } from './field-spec.js';
import { numberSampler } from './number-sampler.js';
import { cumulate, type Prng } from './prng.js';
import { familyForRow, productDescription, productFeature, productName, type FamilySource } from './product-text.js';
import { genericFamily, productFamilies } from './product-vocabulary.js';
import { admits, admittedCumulative, admittedValues, type ValueBounds } from './value-bounds.js';

/** Per-run state every sampler draws from. */
export interface SampleContext {
  rng: Prng;
  faker: Faker;
  /** 0-based index of the row being made. */
  index: number;
}

/** Draws one value; `bounds` (from rules) narrows what may come out. `undefined` = key absent. */
export type ValueSampler = (ctx: SampleContext, row: Row, bounds?: ValueBounds) => unknown;

/** Stores a drawn value in a row, honouring the sampler convention that `undefined` means "key absent". */
export function setField(row: Row, field: string, value: unknown): void {
  if (value === undefined) delete row[field];
  else row[field] = value;
}

/** A compiled top-level column: its sampler and the other columns it reads (drawn first). */
export interface ColumnSampler {
  field: string;
  deps: string[];
  sample: ValueSampler;
}

/** What samplers may know about the row as a whole. */
export interface SamplerEnvironment {
  /** True when the data are products (ecommerce domain, product categories, or product fields). */
  product: boolean;
  family: FamilySource;
  /** Every top-level field of the schema, for template placeholders. */
  fields: readonly string[];
}

/** Draws that a sampler may retry to land inside rule bounds before giving up to the rule check. */
const BOUNDED_RETRIES = 12;

/** Builds the sampler of one top-level column from its schema, its hint and name inference. */
export function columnSampler(field: string, spec: FieldSpec, hint: ColumnHint | undefined, env: SamplerEnvironment): ColumnSampler {
  const deps = new Set<string>();
  const inner = valueSampler(field, spec, hint, env, deps);
  deps.delete(field);
  return { field, deps: [...deps], sample: withNulls(spec, hint?.null_rate ?? 0, inner) };
}

function withNulls(spec: FieldSpec, rate: number, inner: ValueSampler): ValueSampler {
  if (rate <= 0) return inner;
  const missing = spec.nullable ? null : undefined;
  return (ctx, row, bounds) => {
    // A rule that pins the value (bounds) wins over the null rate.
    if (!bounds && ctx.rng.chance(rate)) return missing;
    return inner(ctx, row, bounds);
  };
}

function valueSampler(field: string, spec: FieldSpec, hint: ColumnHint | ItemsHint | undefined, env: SamplerEnvironment, deps: Set<string>): ValueSampler {
  if (spec.kind === 'array') {
    // On an array column, categories/faker/template describe its items.
    const column = hint as ColumnHint | undefined;
    const items: ItemsHint | undefined = column && { categories: column.categories, faker: column.faker, template: column.template, ...column.items };
    return arraySampler(field, spec, items, env, deps);
  }
  if (hint?.categories) return categorySampler(hint.categories, spec);
  if (hint?.template) return bounded(templateSampler(hint.template, spec, env.fields, deps));
  if (hint?.faker) {
    const path = hint.faker;
    return bounded((ctx) => coerce(fakerMethod(ctx.faker, path)!(), spec));
  }
  switch (spec.kind) {
    case 'number':
      return numberColumn(field, spec, hint as ColumnHint | undefined);
    case 'string':
      return bounded(textSampler(field, spec, env, deps));
    case 'boolean': {
      const rate = inferTrueRate(field);
      return bounded((ctx) => ctx.rng.chance(rate));
    }
    case 'enum':
      return categorySampler(spec.values, spec);
    case 'object': {
      const children = Object.entries(spec.fields).map(([k, s]) => [k, valueSampler(k, s, undefined, env, deps)] as const);
      return (ctx, row) => {
        const out: Row = {};
        for (const [k, sample] of children) {
          const v = sample(ctx, row);
          if (v !== undefined) out[k] = v;
        }
        return out;
      };
    }
    case 'union': {
      const options = spec.options.map((o) => valueSampler(field, o, undefined, env, deps));
      return (ctx, row, bounds) => ctx.rng.pick(options)(ctx, row, bounds);
    }
    case 'unknown':
      return (ctx) => ctx.faker.word.noun();
  }
}

/** Non-numeric samplers honour rule bounds by picking an allowed value or retrying. */
function bounded(sample: ValueSampler): ValueSampler {
  return (ctx, row, bounds) => {
    if (!bounds) return sample(ctx, row);
    const options = admittedValues(bounds);
    if (options?.length) return ctx.rng.pick(options);
    let value = sample(ctx, row);
    for (let i = 0; i < BOUNDED_RETRIES && !admits(bounds, value); i++) value = sample(ctx, row);
    return value;
  };
}

function numberColumn(field: string, spec: NumberSpec, hint: ColumnHint | undefined): ValueSampler {
  const hinted = hint && NUMERIC_HINT_KEYS.some((k) => hint[k] !== undefined);
  if (hinted) {
    const sampler = numberSampler(spec, hint);
    return (ctx, _row, bounds) => sampler.sample(ctx.rng, bounds);
  }
  const inferred = inferNumber(field, spec);
  if (inferred === 'sequence') {
    const base = Number.isFinite(spec.lo) ? Math.ceil(spec.lo) + (spec.loInclusive || spec.lo % 1 !== 0 ? 0 : 1) : 1;
    const fallback = numberSampler(spec, { distribution: 'uniform' });
    return (ctx, _row, bounds) => {
      const id = base + ctx.index;
      return bounds && !admits(bounds, id) ? fallback.sample(ctx.rng, bounds) : id;
    };
  }
  // An inferred range that contradicts the schema (an "age" of at least 100) yields to the schema.
  const fits = (x: number | undefined) => x === undefined || (x >= spec.lo && x <= spec.hi);
  const recipe = fits(inferred.min) && fits(inferred.max) && fits(inferred.mean) ? inferred : { decimals: inferred.decimals };
  const sampler = numberSampler(spec, recipe);
  return (ctx, _row, bounds) => sampler.sample(ctx.rng, bounds);
}

/** Categories hint or enum: weighted draw, values typed like the schema (number/boolean keys). */
function categorySampler(categories: CategoriesHint | unknown[], spec: FieldSpec): ValueSampler {
  const entries: [unknown, number][] = Array.isArray(categories) ? categories.map((v) => [v, 1]) : Object.entries(categories);
  const target = spec.kind === 'array' ? spec.element : spec;
  const values = entries.map(([v]) => coerce(v, target));
  const weights = entries.map(([, w]) => w);
  const cumulative = cumulate(weights);
  return (ctx, _row, bounds) => {
    if (!bounds) return values[ctx.rng.pickCumulative(cumulative)];
    return values[ctx.rng.pickCumulative(admittedCumulative(bounds, values, weights) ?? cumulative)];
  };
}

/** Converts a hint's value (YAML keys are strings) to the column's type. */
function coerce(value: unknown, spec: FieldSpec): unknown {
  if (spec.kind === 'number') return typeof value === 'number' ? value : Number(value);
  if (spec.kind === 'boolean') return typeof value === 'boolean' ? value : value === 'true';
  if (spec.kind === 'string') return typeof value === 'string' ? value : String(value);
  if (spec.kind === 'enum') {
    const match = spec.values.find((v) => v === value || String(v) === String(value));
    return match === undefined ? value : match;
  }
  return value;
}

/** `{{index}}`, `{{field}}` and `{{module.method}}` placeholders, parsed once. */
function templateSampler(template: string, spec: FieldSpec, fields: readonly string[], deps: Set<string>): ValueSampler {
  type Part = string | ((ctx: SampleContext, row: Row) => unknown);
  const parts: Part[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, m.index));
    last = m.index! + m[0].length;
    const name = m[1];
    if (name === 'index') parts.push((ctx) => ctx.index + 1);
    else if (fields.includes(name)) {
      deps.add(name);
      parts.push((_ctx, row) => row[name] ?? '');
    } else parts.push((ctx) => fakerMethod(ctx.faker, name)!());
  }
  parts.push(template.slice(last));
  return (ctx, row) => {
    let out = '';
    for (const p of parts) out += typeof p === 'string' ? p : String(p(ctx, row));
    return coerce(out, spec);
  };
}

function textSampler(field: string, spec: StringSpec, env: SamplerEnvironment, deps: Set<string>): ValueSampler {
  const recipe = inferText(field, spec, env.product);
  const raw = recipeSampler(recipe, env, deps);
  if (spec.minLength === 0 && spec.maxLength === undefined) return raw;
  return (ctx, row) => fitLength(String(raw(ctx, row)), spec, ctx);
}

function recipeSampler(recipe: TextRecipe, env: SamplerEnvironment, deps: Set<string>): ValueSampler {
  const family = env.family;
  const useFamily = () => {
    if (family.categoryField !== undefined) deps.add(family.categoryField);
    else if (family.nameField !== undefined) deps.add(family.nameField);
  };
  switch (recipe.kind) {
    case 'product-name':
      if (family.categoryField !== undefined) deps.add(family.categoryField);
      return (ctx, row) => productName(familyForRow(row, { categoryField: family.categoryField }, ctx.rng), ctx.rng);
    case 'product-description': {
      useFamily();
      const nameField = family.nameField;
      return (ctx, row) => {
        const name = nameField !== undefined ? row[nameField] : undefined;
        return productDescription(familyForRow(row, family, ctx.rng), typeof name === 'string' ? name : undefined, ctx.rng);
      };
    }
    case 'product-feature':
      useFamily();
      return (ctx, row) => productFeature(familyForRow(row, family, ctx.rng), ctx.rng);
    case 'product-brand':
      useFamily();
      return (ctx, row) => ctx.rng.pick(familyForRow(row, family, ctx.rng).brands);
    case 'product-category': {
      const names = Object.keys(productFamilies);
      return (ctx) => ctx.rng.pick(names);
    }
    case 'faker': {
      const path = recipe.path;
      return (ctx) => String(fakerMethod(ctx.faker, path)!());
    }
    case 'iso-datetime':
      return (ctx) => new Date(randomInstant(ctx.rng)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'iso-date':
      return (ctx) => new Date(randomInstant(ctx.rng)).toISOString().slice(0, 10);
    case 'birth-date':
      // Adults: born 1945..2006, a fixed window (never relative to today).
      return (ctx) => new Date(Date.UTC(1945, 0, 1) + Math.floor(ctx.rng.next() * 22645) * 86_400_000).toISOString().slice(0, 10);
    case 'code':
      return (ctx) => ctx.faker.string.alphanumeric({ length: 8, casing: 'upper' });
    case 'iso-time':
      return (ctx) => new Date(randomInstant(ctx.rng)).toISOString().slice(11, 19);
    case 'words':
      return (ctx) => `${ctx.rng.pick(genericFamily.adjectives)} ${ctx.faker.word.noun()}`;
  }
}

/** A fixed window (2020-01-01 .. 2025-12-31 UTC): never `Date.now()`, which would break determinism. */
function randomInstant(rng: Prng): number {
  return Date.UTC(2020, 0, 1) + Math.floor((rng.next() * (Date.UTC(2026, 0, 1) - Date.UTC(2020, 0, 1))) / 1000) * 1000;
}

function fitLength(text: string, spec: StringSpec, ctx: SampleContext): string {
  let out = text;
  while (out.length < spec.minLength) out += (out ? ' ' : '') + ctx.faker.word.noun();
  if (spec.maxLength !== undefined && out.length > spec.maxLength) {
    const cut = out.slice(0, spec.maxLength);
    const space = cut.lastIndexOf(' ');
    out = space >= spec.minLength && space > 0 ? cut.slice(0, space) : cut;
  }
  return out;
}

function arraySampler(field: string, spec: Extract<FieldSpec, { kind: 'array' }>, items: ItemsHint | undefined, env: SamplerEnvironment, deps: Set<string>): ValueSampler {
  // Element names are inferred from the column's singular ("features" -> "feature").
  const elementName = field.replace(/ies$/, 'y').replace(/s$/, '');
  const element = valueSampler(elementName, spec.element, items, env, deps);
  const min = Math.max(spec.min, items?.min ?? Math.max(spec.min, 1));
  const max = Math.max(min, Math.min(spec.max ?? Infinity, items?.max ?? min + 3));
  const distinct = spec.element.kind === 'string' || spec.element.kind === 'enum' || spec.element.kind === 'number';
  return (ctx, row) => {
    const n = ctx.rng.int(min, max);
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) {
      let v = element(ctx, row);
      // Lists of features or tags read better without repeats; give up after a few tries.
      for (let t = 0; distinct && t < 4 && out.includes(v); t++) v = element(ctx, row);
      out.push(v);
    }
    return out;
  };
}
