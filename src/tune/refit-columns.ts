import { MAX_SMALL_CATEGORIES, type Row, type RowSchema } from '../engine/index.js';
import { decimalsOf, farFences, numbersOf, round, valueCounts } from './column-values.js';
import { allowedValues, fieldType } from './schema-fields.js';
import type { TuneChange } from './tune-change.js';

/** New hints of one column, and the change to record. */
export interface RefitColumn {
  column: string;
  hints: Record<string, unknown>;
  changes: TuneChange[];
}

/**
 * Column hints re-fitted to live rows for one drifted column: a numeric column's distribution
 * (mean and std of the values inside Tukey's far fences, so outliers are left to `noise:`;
 * min and max of those values), a categorical column's categories weighted by live counts
 * (values the schema's enum lacks are left out, with a note). Undefined when the column has no
 * usable live values.
 */
export function refitColumn(column: string, live: readonly Row[], schema: RowSchema, before: Record<string, unknown>, why: string): RefitColumn | undefined {
  const type = fieldType(schema, column);
  if (type === 'number' || type === 'int') {
    const xs = numbersOf(live, column).sort((a, b) => a - b);
    if (xs.length < 2) return undefined;
    const [lo, hi] = farFences(xs);
    const inside = xs.filter((x) => x >= lo && x <= hi);
    const decimals = typeof before.decimals === 'number' ? before.decimals : Math.max(...inside.slice(0, 200).map(decimalsOf));
    const mean = inside.reduce((s, x) => s + x, 0) / inside.length;
    const std = Math.sqrt(inside.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, inside.length - 1));
    const hints: Record<string, unknown> = {
      ...before,
      distribution: before.distribution === 'lognormal' ? 'lognormal' : 'normal',
      mean: round(mean, decimals + 1),
      std: Math.max(round(std, decimals + 1), 10 ** -(decimals + 1)),
      min: round(inside[0], decimals),
      max: round(inside[inside.length - 1], decimals),
    };
    if (typeof before.decimals === 'number' || decimals !== 2) hints.decimals = decimals;
    return { column, hints, changes: [{ kind: 'hint', path: `columns.${column}`, column, before: pick(before, NUMERIC_KEYS), after: pick(hints, NUMERIC_KEYS), why }] };
  }
  const counts = valueCounts(live, column);
  if (counts.size === 0 || counts.size > MAX_SMALL_CATEGORIES) return undefined;
  const allowed = allowedValues(schema, column);
  const changes: TuneChange[] = [];
  const categories: Record<string, number> = Object.create(null);
  for (const [value, n] of [...counts].sort((a, b) => b[1] - a[1])) {
    if (allowed && !allowed.includes(value)) {
      changes.push({
        kind: 'note',
        column,
        why: `Live data has ${column} = ${JSON.stringify(value)} in ${n} rows, which the schema's enum does not allow: add it to the schema to generate it (a prompt file cannot).`,
      });
      continue;
    }
    categories[String(value)] = n;
  }
  if (Object.keys(categories).length === 0) return { column, hints: before, changes };
  const hints = { ...before, categories };
  changes.unshift({ kind: 'categories', path: `columns.${column}.categories`, column, before: before.categories, after: categories, why });
  return { column, hints, changes };
}

const NUMERIC_KEYS = ['distribution', 'mean', 'std', 'min', 'max', 'decimals'] as const;

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
