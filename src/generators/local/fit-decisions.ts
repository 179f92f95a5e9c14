import { looksLikeIdentifier } from '../../engine/index.js';
import { detectDateFormat, formatForZod, type DateFormat } from './date-format.js';
import { skewness } from './empirical-marginal.js';
import { inferNumber, inferText } from './field-inference.js';
import type { FieldSpec } from './field-spec.js';

/** How the local generator models one column of a reference. */
export const FitModel = {
  /** The class column: its frequencies. */
  class: 'class',
  /** Frequencies within the row's class. */
  categorical: 'categorical',
  /** Multivariate normal per group, snapped to the reference's grid. */
  normal: 'normal',
  /** Gaussian copula on ranks; only values the reference holds. */
  discrete: 'discrete',
  /** Gaussian copula on ranks; the reference's quantile function (skewed, zero-inflated, bounded). */
  quantile: 'quantile',
  /** Timestamps on the copula, written back in the reference's date format. */
  date: 'date',
  /** Codes learned position by position, never a real value. */
  pattern: 'pattern',
  /** Names and free text from a word chain, never a real value. */
  words: 'words',
  /** Not fitted: drawn by its hint, format, name or as a row number. */
  sampler: 'sampler',
} as const;
export type FitModel = (typeof FitModel)[keyof typeof FitModel];

/** One column's model and the reason for it, as `synth show` prints it. */
export interface ColumnDecision {
  model: FitModel;
  why: string;
  /** Date columns: how values are written. */
  date?: DateFormat;
  /** Discrete columns: through the copula (true) or drawn as a category that groups the numeric model (false). */
  copula?: boolean;
}

/** Most distinct values for a numeric column to be drawn from its support only. */
export const MAX_DISCRETE = 20;
/**
 * Most distinct values for a discrete column to be drawn like a category (its frequencies within
 * the class), with the numeric columns fitted per value: its links to them stay as strong as in
 * the reference, where ranks on a copula would blur them (tied ranks hide how it moves with them).
 */
export const MAX_GROUPING = 10;
/** |skewness| above which a numeric column follows its own quantiles instead of a normal. */
const MAX_NORMAL_SKEW = 1;
/** Share of rows on one value above which a numeric column is a point mass plus the rest. */
const POINT_MASS = 0.2;
/** Faker paths better than any pattern a reference could teach (checked formats). */
const FAKER_OVER_PATTERN = new Set(['internet.email', 'string.uuid', 'internet.url', 'internet.ipv4', 'internet.ipv6', 'internet.username', 'string.nanoid']);

/**
 * Decides how to model a column from its schema type and the reference's values (present = the
 * non-missing values the schema accepts). `copyValues` lists text columns the user allows to
 * reuse real values (they are then drawn as categories).
 */
export function decideColumn(field: string, spec: FieldSpec, present: readonly unknown[], copyValues: ReadonlySet<string>): ColumnDecision {
  const n = present.length;
  if (n === 0) return { model: 'sampler', why: 'no value in the reference that the schema accepts' };
  if (spec.kind === 'enum' || spec.kind === 'boolean') return { model: 'categorical', why: `${spec.kind}: frequencies in the reference` };
  if (spec.kind === 'number') {
    if (n < 2) return { model: 'sampler', why: 'fewer than 2 reference values' };
    const numbers = present as number[];
    const counts = new Map<number, number>();
    for (const v of numbers) counts.set(v, (counts.get(v) ?? 0) + 1);
    const integral = numbers.every((v) => Number.isInteger(v));
    if (integral && counts.size === n && inferNumber(field, spec) === 'sequence') {
      return { model: 'sampler', why: 'an identifier (named like one, every value distinct): numbered 1, 2, 3..., never a real id' };
    }
    if (counts.size <= MAX_GROUPING) {
      return {
        model: 'discrete',
        copula: false,
        why: `${counts.size} distinct values: drawn by their frequencies within the class (no other value), the numeric columns fitted per value`,
      };
    }
    if (counts.size <= MAX_DISCRETE) {
      return { model: 'discrete', copula: true, why: `${counts.size} distinct values: drawn from the reference's support (no other value), ranks correlated with the other columns` };
    }
    let top = 0;
    for (const c of counts.values()) top = Math.max(top, c);
    const skew = skewness(numbers);
    if (top >= POINT_MASS * n) {
      const mode = [...counts].find(([, c]) => c === top)![0];
      return { model: 'quantile', why: `${Math.round((100 * top) / n)}% of values are ${mode}: the reference's quantiles (point mass kept), ranks correlated with the other columns` };
    }
    if (Math.abs(skew) > MAX_NORMAL_SKEW) {
      return { model: 'quantile', why: `skewed (skewness ${skew.toFixed(2)}): the reference's quantiles, ranks correlated with the other columns` };
    }
    return { model: 'normal', why: 'continuous: multivariate normal per group, on the reference grid and range' };
  }
  if (spec.kind !== 'string') return { model: 'sampler', why: `${spec.kind} column: drawn from the schema` };
  const strings = present.filter((v): v is string => typeof v === 'string');
  if (spec.format === 'date' || spec.format === 'datetime' || !spec.format) {
    const detected = detectDateFormat(strings);
    if (detected)
      return { model: 'date', date: detected, why: `${detected.kind === 'datetime' ? 'datetimes' : 'dates'} fitted as timestamps: the reference's range, distribution and format` };
    if (spec.format === 'date' || spec.format === 'datetime') {
      return { model: 'date', date: formatForZod(spec.format), why: `${spec.format} format: fitted as timestamps within the reference's range` };
    }
  }
  if (spec.format) return { model: 'sampler', why: `string format "${spec.format}": drawn by its format` };
  const distinct = new Set(strings).size;
  if (copyValues.has(field)) return { model: 'categorical', why: 'real values allowed (generator.fit.copy_values): frequencies in the reference' };
  if (!looksLikeIdentifier(distinct, n)) return { model: 'categorical', why: `${distinct} distinct values: frequencies in the reference` };
  const recipe = inferText(field, spec, false);
  if (recipe.kind === 'faker' && FAKER_OVER_PATTERN.has(recipe.path)) {
    return { model: 'sampler', why: `identifier-like (${distinct} distinct of ${n}): faker ${recipe.path} from its name, never a real value` };
  }
  return { model: 'words', why: `identifier or text (${distinct} distinct of ${n})` };
}
