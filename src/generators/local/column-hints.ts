import { z } from 'zod';
import { createRequire } from 'node:module';
import type { Faker } from '@faker-js/faker';
import { PromptFileError, didYouMeanText } from '../../engine/index.js';
import { HINT_DISTRIBUTIONS, type PromptFile } from '../../rules/index.js';
import type { FieldSpec } from './field-spec.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

/**
 * Categories: a list (equal weights) or a mapping value -> weight.
 * @example categories: [Electronics, Home]   or   categories: { Electronics: 3, Home: 1 }
 */
const Categories = z.union([z.array(scalar).min(1), z.record(z.string(), z.number().nonnegative())]);

/** A faker path `module.method`, e.g. `commerce.productName` (checked to exist). */
const FakerPath = z.string().regex(/^[A-Za-z]+\.[A-Za-z]+$/, 'expected "module.method", e.g. "commerce.productName"');

/** How to generate the items of an array column. */
const ItemsHint = z
  .object({
    /** Fewest items per row. Default: the schema's `.min()`, else 1. */
    min: z.number().int().nonnegative().optional(),
    /** Most items per row. Default: `min + 3` (within the schema's `.max()`). */
    max: z.number().int().nonnegative().optional(),
    /** Faker path for each item, e.g. `commerce.productAdjective`. */
    faker: FakerPath.optional(),
    /** Categories each item is drawn from. */
    categories: Categories.optional(),
    /** Text template for each item (see the column `template`). */
    template: z.string().optional(),
  })
  .strict();

/**
 * Column hints of a prompt file (`columns: { <field>: {...} }`): how the local generator draws
 * a column. Every key is optional; without hints the column is inferred from its name,
 * description and type.
 */
export const ColumnHintSchema = z
  .object({
    /** Smallest value (numbers). @example min: 0 */
    min: z.number().optional(),
    /** Largest value (numbers). @example max: 5000 */
    max: z.number().optional(),
    /** Mean of the distribution (numbers). For lognormal, the arithmetic mean. @example mean: 40 */
    mean: z.number().optional(),
    /** Standard deviation (numbers). Default: a quarter of the mean or a sixth of max - min. */
    std: z.number().positive().optional(),
    /** Distribution (numbers). Default: `normal` when a mean is given, else `uniform`. */
    distribution: z.enum(HINT_DISTRIBUTIONS).optional(),
    /** Decimal places kept (numbers). Default: 0 for integers, 2 otherwise. */
    decimals: z.number().int().min(0).max(12).optional(),
    /** Categories (strings, numbers, booleans, enums). */
    categories: Categories.optional(),
    /** Faker `module.method` producing the value, e.g. `commerce.productName`. */
    faker: FakerPath.optional(),
    /**
     * Text template: `{{index}}` is the 1-based row number, `{{field}}` another field of the row,
     * `{{module.method}}` a faker call. @example template: "SKU-{{index}}"
     */
    template: z.string().optional(),
    /** Array columns: how many items and how each is drawn. */
    items: ItemsHint.optional(),
    /** Share of rows where the column is null (nullable) or absent (optional). Default: 0. */
    null_rate: z.number().min(0).max(1).optional(),
    /** No two rows share a value of this column. Default: false. */
    unique: z.boolean().optional(),
    /** When fitting a reference: the class column other columns are conditioned on. */
    class: z.boolean().optional(),
  })
  .strict();

export type ColumnHint = z.infer<typeof ColumnHintSchema>;

/** Hint keys that shape a numeric distribution (valid on number columns only). */
export const NUMERIC_HINT_KEYS = ['min', 'max', 'mean', 'std', 'distribution', 'decimals'] as const;
export type ItemsHint = z.infer<typeof ItemsHint>;
export type CategoriesHint = z.infer<typeof Categories>;

/** Resolves a checked faker path on a faker instance. */
export function fakerMethod(faker: Faker, path: string): (() => unknown) | undefined {
  const [module, method] = path.split('.');
  const mod = (faker as unknown as Record<string, Record<string, unknown> | undefined>)[module];
  const fn = mod && typeof mod === 'object' ? mod[method] : undefined;
  return typeof fn === 'function' ? (fn as () => unknown).bind(mod) : undefined;
}

let probeFaker: Faker | undefined;

/**
 * A faker to check paths against, loaded on first use: definitions are checked on every command,
 * and most prompts name no faker path. The base locale has every module and method but no data,
 * so it loads in a fraction of the time of the whole package.
 */
function probe(): Faker {
  probeFaker ??= (createRequire(import.meta.url)('@faker-js/faker/locale/base') as { faker: Faker }).faker;
  return probeFaker;
}

let fakerPaths: string[] | undefined;

/** Every `module.method` path of faker, for suggestions. */
function knownFakerPaths(): string[] {
  if (!fakerPaths) {
    fakerPaths = [];
    for (const [module, value] of Object.entries(probe() as unknown as Record<string, unknown>)) {
      if (!value || typeof value !== 'object' || module.startsWith('_')) continue;
      for (let o: object | null = value; o && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
        for (const method of Object.getOwnPropertyNames(o)) {
          if (method !== 'constructor' && !method.startsWith('_') && typeof (value as Record<string, unknown>)[method] === 'function') fakerPaths.push(`${module}.${method}`);
        }
      }
    }
  }
  return fakerPaths;
}

/** Template placeholders `{{name}}`. */
export const PLACEHOLDER = /\{\{\s*([^}]+?)\s*\}\}/g;

/**
 * Validates the prompt's `columns:` against {@link ColumnHintSchema} and the row schema.
 * Throws PromptFileError pointing at the offending key's line.
 */
export function readColumnHints(prompt: PromptFile, fields: Record<string, FieldSpec>): Record<string, ColumnHint> {
  const out: Record<string, ColumnHint> = {};
  const fail = (path: (string | number)[], what: string, why: string, fix: string): never => {
    const at = prompt.locate(['columns', ...path]);
    throw new PromptFileError({ what, why, fix, file: at.file ?? prompt.file, line: at.line });
  };
  for (const [field, raw] of Object.entries(prompt.columns ?? {})) {
    const spec = fields[field];
    if (!spec) {
      fail(
        [field],
        `Column hint for unknown field "${field}".`,
        `The row schema has no field "${field}"; its fields are: ${Object.keys(fields).join(', ')}.`,
        `${didYouMeanText(field, Object.keys(fields)).trim()} Rename the hint to a schema field or remove it.`.trim(),
      );
    }
    const parsed = ColumnHintSchema.safeParse(raw ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue.code === 'unrecognized_keys' ? (issue as { keys: string[] }).keys[0] : undefined;
      const path = [field, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), ...(key ? [key] : [])];
      fail(
        path,
        `Bad column hint ${path.join('.')}: ${issue.message}.`,
        'Column hints are validated so a typo cannot silently change the data.',
        `Allowed keys: ${Object.keys(ColumnHintSchema.shape).join(', ')}.`,
      );
    }
    const hint = parsed.data as ColumnHint;
    checkHint(field, hint, spec, fields, fail);
    out[field] = hint;
  }
  return out;
}

type Fail = (path: (string | number)[], what: string, why: string, fix: string) => never;

function checkHint(field: string, hint: ColumnHint, spec: FieldSpec, fields: Record<string, FieldSpec>, fail: Fail): void {
  const kind = spec.kind;
  // min <= max (and for items) is checked when the prompt file is read (checkHintRanges).
  if (spec.kind === 'number' && ((hint.min ?? -Infinity) > spec.hi || (hint.max ?? Infinity) < spec.lo)) {
    fail(
      [field, hint.min !== undefined && hint.min > spec.hi ? 'min' : 'max'],
      `Column hint ${field}: min..max (${hint.min ?? '-∞'}..${hint.max ?? '∞'}) lies outside the schema's range for "${field}" (${spec.lo}..${spec.hi}).`,
      'No value could satisfy both the hint and the schema.',
      'Make the hint range overlap the schema bounds.',
    );
  }
  for (const key of NUMERIC_HINT_KEYS) {
    if (hint[key] !== undefined && kind !== 'number') {
      fail(
        [field, key],
        `Column hint ${field}.${key} applies to numbers, but "${field}" is a ${kind}.`,
        'Numeric hints shape a numeric distribution.',
        `Remove ${key}, or use categories/faker/template for this column.`,
      );
    }
  }
  if (hint.items !== undefined && kind !== 'array') {
    fail([field, 'items'], `Column hint ${field}.items applies to arrays, but "${field}" is a ${kind}.`, 'items describes the elements of an array column.', 'Remove items.');
  }
  if (hint.null_rate && !spec.nullable && !spec.optional) {
    fail(
      [field, 'null_rate'],
      `Column hint ${field}.null_rate is set, but "${field}" is neither nullable nor optional in the schema.`,
      'Null values would fail the schema.',
      `Make the field .nullable() or .optional(), or remove null_rate.`,
    );
  }
  for (const [path, fakerPath] of [
    [[field, 'faker'], hint.faker],
    [[field, 'items', 'faker'], hint.items?.faker],
  ] as const) {
    if (fakerPath && !fakerMethod(probe(), fakerPath)) {
      const guess = didYouMeanText(fakerPath, knownFakerPaths()).trim();
      fail(
        [...path],
        `Column hint ${field}: faker method "${fakerPath}" does not exist.`,
        'The local generator calls faker (v9) module.method paths.',
        `${guess || 'Use a path such as commerce.productName, person.fullName, location.city'} (see fakerjs.dev/api).`,
      );
    }
  }
  for (const [path, template] of [
    [[field, 'template'], hint.template],
    [[field, 'items', 'template'], hint.items?.template],
  ] as const) {
    if (!template) continue;
    for (const m of template.matchAll(PLACEHOLDER)) {
      const name = m[1];
      const known = name === 'index' || (name !== field && name in fields) || !!fakerMethod(probe(), name);
      if (known) continue;
      fail(
        [...path],
        `Column hint ${field}: template placeholder {{${name}}} is unknown.`,
        'A placeholder is {{index}}, another field of the row, or a faker module.method.',
        'Fix the placeholder name.',
      );
    }
  }
  const categories = hint.categories ?? hint.items?.categories;
  const target = kind === 'array' ? spec.element : spec;
  if (categories && target.kind === 'enum') {
    const values = Array.isArray(categories) ? categories : Object.keys(categories);
    const allowed = new Set(target.values.map(String));
    const bad = values.find((v) => !allowed.has(String(v)));
    if (bad !== undefined) {
      fail(
        [field, ...(hint.categories ? [] : ['items']), 'categories'],
        `Column hint ${field}: category "${String(bad)}" is not a value of the schema's enum.`,
        `The schema allows only: ${[...allowed].join(', ')}.`,
        'Use values of the enum.',
      );
    }
  }
}
