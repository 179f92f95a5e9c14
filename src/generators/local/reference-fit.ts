import { parseDateText, type Row, type RowSchema } from '../../engine/index.js';
import { setField, type SampleContext } from './column-sampler.js';
import { formatDate, type DateFormat } from './date-format.js';
import { EmpiricalMarginal } from './empirical-marginal.js';
import { decideColumn, type ColumnDecision } from './fit-decisions.js';
import type { FieldSpec } from './field-spec.js';
import { fitMultivariateNormal, fitMultivariateNormalPairwise, sampleMultivariateNormal, type MultivariateNormal } from './multivariate-normal.js';
import { decimalPlaces, NumberGrid } from './number-grid.js';
import { cumulate } from './prng.js';
import { fitTextModel, type TextModel } from './text-model.js';
import { admittedCumulative, type ValueBounds } from './value-bounds.js';

/**
 * A model of a reference (real) dataset, fitted per column and drawn jointly:
 * - the class column by its frequencies; every other categorical column by its frequencies
 *   within the row's class (so "Gentoo" penguins live on Biscoe);
 * - numeric columns from a multivariate normal (mean vector + covariance, drawn via Cholesky)
 *   fitted per group, the group being the row's class and other categorical values
 *   ("Adelie, Dream, MALE") when it holds enough complete rows, else its class, else all rows;
 * - values snapped to the reference's grid (its decimals, or a coarser step such as 25 g when
 *   every value is a multiple of it) and kept within the observed min..max;
 * - missing values (null, or values the schema rejects, such as "." for an enum) at each
 *   column's missing rate within the class;
 * - by type (see {@link decideColumn}): integers with few values, skewed or zero-inflated numbers
 *   and dates go through a Gaussian copula on ranks (normal scores in the multivariate normal,
 *   the reference's own quantiles back out), so they keep their support, shape and range and
 *   stay correlated; identifiers, names and free text come from a text model that never emits
 *   a real value.
 */
export interface FittedReference {
  /** Columns this model draws (the others are drawn by their column samplers). */
  readonly fields: readonly string[];
  readonly categorical: readonly string[];
  readonly numeric: readonly string[];
  /** How each column of the schema is modelled, and why (also for columns left to samplers). */
  readonly decisions: Readonly<Record<string, ColumnDecision>>;
  /**
   * Draws every fitted column into `row`, or, when `targets` is given, redraws only those
   * (categoricals within bounds and given the class; numerics given the row's categories).
   */
  sample(ctx: SampleContext, row: Row, targets?: ReadonlySet<string>, bounds?: ReadonlyMap<string, ValueBounds>): void;
  /** Short record for the materialization metadata. */
  readonly summary: Record<string, unknown>;
}

/** Options of {@link fitReference}. */
export interface FitOptions {
  /** Class column to condition on. Default: none (one group). */
  classField?: string;
  /** Columns not to fit (they have explicit generative hints). */
  skip: ReadonlySet<string>;
  /** Numeric hint bounds that narrow the observed range. */
  limits: Record<string, { min?: number; max?: number }>;
  /** Text columns whose real values may be reused (drawn as categories). Default: none. */
  copyValues?: ReadonlySet<string>;
  /** Without `classField`, condition on the categorical column with the fewest values. Default false. */
  autoClass?: boolean;
}

/** Fewest values of a class for a copula column to use the class's own distribution. */
const MIN_CLASS_MARGINAL = 20;
/** Whole-vector redraws before clamping a numeric coordinate into range. */
const NUMERIC_REDRAWS = 30;
const MISSING = 'null';

interface Categorical {
  field: string;
  /** class key -> values and cumulative weights (the class column itself uses key ''). */
  byClass: Map<string, { values: unknown[]; cumulative: number[]; weights: number[] }>;
  missing: null | undefined;
}

interface NumericColumn {
  field: string;
  grid: NumberGrid;
  /** Missing rate per class key. */
  missingRate: Map<string, number>;
  missing: null | undefined;
  sd: number;
  /** Copula columns: the reference's own distribution within a class (the model sees normal scores). */
  marginal?: (classKey: string) => EmpiricalMarginal;
  /** Date columns: values are epoch ms, written back in this format. */
  date?: DateFormat;
}

interface TextColumn {
  field: string;
  model: TextModel;
  missingRate: Map<string, number>;
  missing: null | undefined;
}

/** Picks the columns to fit and fits them. Returns undefined when no column can be fitted. */
export function fitReference(reference: readonly Row[], schema: RowSchema, specs: Record<string, FieldSpec>, options: FitOptions): FittedReference | undefined {
  const columns = cleanColumns(reference, schema, specs);
  const plan = planColumns(specs, columns, options);
  if (!plan.categorical.length && !plan.numeric.length && !plan.text.length) return undefined;
  const classField = pickClassField(plan, columns, options);
  const fit: FitInput = { reference, specs, columns, classField, classKeys: reference.map((_, i) => (classField ? key(columns[classField][i]) : '')) };
  const cats = plan.categorical.map((field) => fitCategorical(fit, field));
  // One copula column puts every numeric column on normal scores, so that the model relates
  // like with like (scores); a table of only normal-looking columns keeps the plain normal.
  const copula = plan.numeric.some((f) => plan.decisions[f].model !== 'normal');
  const nums = plan.numeric.map((field) => fitNumericColumn(fit, field, plan.decisions[field], copula, options.limits[field]));
  const texts = plan.text.map((field) => fitTextColumn(fit, field, plan.decisions));
  const others = cats.filter((c) => c.field !== classField).map((c) => c.field);
  const models = fitNumericModels(fit, nums, others, copula);
  return new JointSampler(plan, classField, cats, nums, texts, others, models, reference.length);
}

/** The reference's values by column, with nulls and values the schema rejects (such as "." for an enum) as missing. */
function cleanColumns(reference: readonly Row[], schema: RowSchema, specs: Record<string, FieldSpec>): Record<string, unknown[]> {
  const shape = schema.shape as Record<string, { safeParse(v: unknown): { success: boolean } }>;
  const clean = (field: string, value: unknown): unknown => (value === null || value === undefined || !shape[field].safeParse(value).success ? MISSING_VALUE : value);
  const columns: Record<string, unknown[]> = {};
  for (const field of Object.keys(specs)) columns[field] = reference.map((r) => clean(field, r[field]));
  return columns;
}

/** Which columns are fitted how, and why. */
interface ColumnPlan {
  categorical: string[];
  numeric: string[];
  text: string[];
  decisions: Record<string, ColumnDecision>;
}

/** Decides how each column is modelled (see {@link decideColumn}); date columns become timestamps in `columns`. */
function planColumns(specs: Record<string, FieldSpec>, columns: Record<string, unknown[]>, options: FitOptions): ColumnPlan {
  const plan: ColumnPlan = { categorical: [], numeric: [], text: [], decisions: {} };
  for (const [field, spec] of Object.entries(specs)) {
    if (options.skip.has(field)) {
      plan.decisions[field] = { model: 'sampler', why: 'its column hint decides how it is drawn' };
      continue;
    }
    const present = columns[field].filter((v) => v !== MISSING_VALUE);
    const decision = decideColumn(field, spec, present, options.copyValues ?? new Set());
    plan.decisions[field] = decision;
    if (decision.model === 'categorical' || (decision.model === 'discrete' && !decision.copula)) plan.categorical.push(field);
    else if (decision.model === 'words') plan.text.push(field);
    else if (decision.model !== 'sampler') plan.numeric.push(field);
    if (decision.model === 'date') {
      // Timestamps from here on; a value that is not a date counts as missing.
      columns[field] = columns[field].map((v) => (typeof v === 'string' ? (parseDateText(v) ?? MISSING_VALUE) : MISSING_VALUE));
    }
  }
  return plan;
}

/** The class column (named, or picked when `autoClass`), recorded in the plan's decisions. */
function pickClassField(plan: ColumnPlan, columns: Record<string, unknown[]>, options: FitOptions): string | undefined {
  // No class named (no hint, no enum): the categorical column with the fewest values, so that
  // the other categories are drawn given it rather than independently.
  const autoClass = options.classField === undefined && options.autoClass ? fewestValues(plan.categorical, columns) : undefined;
  const classField = options.classField ?? autoClass;
  if (classField && (plan.decisions[classField]?.model === 'categorical' || plan.decisions[classField]?.model === 'discrete')) {
    plan.decisions[classField] = {
      model: 'class',
      why: `the class column${autoClass ? ' (no enum or class hint: the categorical column with the fewest values)' : ''}: its frequencies; the other columns are fitted within each class`,
    };
  }
  return classField;
}

/** What every column fit reads: the cleaned columns and each row's class key. */
interface FitInput {
  reference: readonly Row[];
  specs: Record<string, FieldSpec>;
  columns: Record<string, unknown[]>;
  classField: string | undefined;
  /** Class key of each reference row ('' without a class). */
  classKeys: string[];
}

const missingOf = (spec: FieldSpec): null | undefined => (spec.nullable ? null : undefined);
const canBeMissing = (spec: FieldSpec): boolean => !!(spec.nullable || spec.optional);

/** A categorical column's value frequencies within each class (the class column itself: overall, under ''). */
function fitCategorical({ specs, columns, classField, classKeys }: FitInput, field: string): Categorical {
  const spec = specs[field];
  const counts = new Map<string, Map<string, number>>();
  columns[field].forEach((v, i) => {
    if (v === MISSING_VALUE && !canBeMissing(spec)) return;
    const group = field === classField ? '' : classKeys[i];
    const byValue = counts.get(group) ?? new Map<string, number>();
    counts.set(group, byValue);
    byValue.set(key(v), (byValue.get(key(v)) ?? 0) + 1);
  });
  const byClass = new Map<string, { values: unknown[]; cumulative: number[]; weights: number[] }>();
  for (const [group, byValue] of counts) {
    // Sorted keys: the fitted tables (and so the draws) do not depend on reference row order.
    const sorted = [...byValue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const weights = sorted.map(([, n]) => n);
    byClass.set(group, { values: sorted.map(([k]) => (k === MISSING ? missingOf(spec) : JSON.parse(k))), weights, cumulative: cumulate(weights) });
  }
  return { field, byClass, missing: missingOf(spec) };
}

/** A column's missing rate per class (none when the schema does not allow it to be missing). */
function missingRates({ specs, columns, classKeys }: FitInput, field: string): Map<string, number> {
  const missingRate = new Map<string, number>();
  if (!canBeMissing(specs[field])) return missingRate;
  const totals = new Map<string, [number, number]>();
  columns[field].forEach((v, i) => {
    const t = totals.get(classKeys[i]) ?? [0, 0];
    t[0] += v === MISSING_VALUE ? 1 : 0;
    t[1] += 1;
    totals.set(classKeys[i], t);
  });
  for (const [k, [miss, all]] of totals) missingRate.set(k, miss / all);
  return missingRate;
}

/** A copula column's own distribution: per class when the class has enough values (it keeps its own support and shape), else overall. */
function marginalOf({ columns, classField, classKeys }: FitInput, field: string, discrete: boolean): (classKey: string) => EmpiricalMarginal {
  const all: number[] = [];
  const byClass = new Map<string, number[]>();
  columns[field].forEach((v, i) => {
    if (v === MISSING_VALUE) return;
    all.push(v as number);
    (byClass.get(classKeys[i]) ?? byClass.set(classKeys[i], []).get(classKeys[i])!).push(v as number);
  });
  const global = new EmpiricalMarginal(all, discrete);
  const fitted = new Map<string, EmpiricalMarginal>();
  for (const [k, vs] of byClass) if (classField && vs.length >= MIN_CLASS_MARGINAL) fitted.set(k, new EmpiricalMarginal(vs, discrete));
  return (k) => fitted.get(k) ?? global;
}

/** A numeric (or date) column: its grid within the observed range (narrowed by hint limits), spread, missing rate and marginal. */
function fitNumericColumn(fit: FitInput, field: string, decision: ColumnDecision, copula: boolean, limit: { min?: number; max?: number } | undefined): NumericColumn {
  const spec = fit.specs[field];
  const values = fit.columns[field].filter((v): v is number => v !== MISSING_VALUE) as number[];
  const missingRate = missingRates(fit, field);
  let [lo, hi] = extent(values);
  if (limit?.min !== undefined) lo = Math.max(lo, limit.min);
  if (limit?.max !== undefined) hi = Math.min(hi, limit.max);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  if (decision.model === 'date') {
    const grid = new NumberGrid(decision.date!.step, lo, true, hi, true);
    return { field, grid, missingRate, missing: missingOf(spec), sd, marginal: marginalOf(fit, field, false), date: decision.date };
  }
  const number = spec as Extract<FieldSpec, { kind: 'number' }>;
  const grid = new NumberGrid(
    number.int ? Math.max(1, gridStep(values)) : gridStep(values),
    Math.max(lo, number.lo),
    lo > number.lo || number.loInclusive,
    Math.min(hi, number.hi),
    hi < number.hi || number.hiInclusive,
  );
  const marginal = !copula ? undefined : marginalOf(fit, field, decision.model === 'discrete');
  return { field, grid, missingRate, missing: missingOf(spec), sd, marginal };
}

/** A text column's model (which never emits a real value), recorded in the decisions. */
function fitTextColumn(fit: FitInput, field: string, decisions: Record<string, ColumnDecision>): TextColumn {
  const values = [...new Set(fit.columns[field].filter((v): v is string => typeof v === 'string'))];
  const model = fitTextModel(values);
  decisions[field] = { model: model.kind, why: `${decisions[field].why}: ${model.why}` };
  return { field, model, missingRate: missingRates(fit, field), missing: missingOf(fit.specs[field]) };
}

/** Key of a row's group: its class and its other categorical values. */
function groupKey(others: readonly string[], classKey: string, row: (field: string) => unknown): string {
  return `${classKey}|${others.map((f) => key(row(f))).join('|')}`;
}

/** Multivariate normals of the numeric columns: per group (class + other categories) with enough rows, per class, and overall ('*'). */
function fitNumericModels({ reference, columns, classKeys }: FitInput, nums: readonly NumericColumn[], others: readonly string[], copula: boolean): Map<string, MultivariateNormal> {
  const d = nums.length;
  const models = new Map<string, MultivariateNormal>();
  if (d === 0) return models;
  const minRows = Math.max(10, 2 * d + 2);
  // Plain normal: complete rows. Copula: every row with a value, missing scores left out of
  // the moments that need them (a column missing in most rows keeps the others' rows).
  const complete: { i: number; x: number[] }[] = [];
  reference.forEach((_, i) => {
    const x = nums.map((n) => columns[n.field][i]);
    if (copula ? x.some((v) => v !== MISSING_VALUE) : x.every((v) => v !== MISSING_VALUE)) {
      complete.push({ i, x: x.map((v, j) => (v === MISSING_VALUE ? NaN : nums[j].marginal ? nums[j].marginal!(classKeys[i]).score(v as number) : (v as number))) });
    }
  });
  const buckets = new Map<string, number[][]>();
  const add = (k: string, x: number[]) => (buckets.get(k) ?? buckets.set(k, []).get(k)!).push(x);
  for (const { i, x } of complete) {
    add('*', x);
    add(`class:${classKeys[i]}`, x);
    add(`group:${groupKey(others, classKeys[i], (f) => columns[f][i])}`, x);
  }
  for (const [k, xs] of [...buckets].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (xs.length >= minRows || k === '*') models.set(k, copula ? fitMultivariateNormalPairwise(xs, d) : fitMultivariateNormal(xs, d));
  }
  return models;
}

/** The fitted columns, drawn jointly: the class first, the other categories given it, the numbers given the row's categories, then the text. */
class JointSampler implements FittedReference {
  readonly fields: readonly string[];
  readonly categorical: readonly string[];
  readonly numeric: readonly string[];
  readonly decisions: Readonly<Record<string, ColumnDecision>>;
  readonly summary: Record<string, unknown>;
  private readonly classTable: Categorical | undefined;
  private readonly numericSet: ReadonlySet<string>;
  /** Scratch vectors of one numeric draw (reused: sampling is the generator's inner loop). */
  private readonly vector: number[];
  private readonly values: number[];

  constructor(
    plan: ColumnPlan,
    private readonly classField: string | undefined,
    private readonly cats: readonly Categorical[],
    private readonly nums: readonly NumericColumn[],
    private readonly texts: readonly TextColumn[],
    private readonly others: readonly string[],
    private readonly models: ReadonlyMap<string, MultivariateNormal>,
    referenceRows: number,
  ) {
    const { categorical, numeric, text, decisions } = plan;
    this.fields = [...categorical, ...numeric, ...text];
    this.categorical = categorical;
    this.numeric = numeric;
    this.decisions = decisions;
    this.classTable = classField ? cats.find((c) => c.field === classField) : undefined;
    this.numericSet = new Set(numeric);
    this.vector = new Array<number>(nums.length);
    this.values = new Array<number>(nums.length);
    const classTable = this.classTable;
    this.summary = {
      rows: referenceRows,
      class: classField ?? null,
      ...(classTable ? { classes: Object.fromEntries(classTable.byClass.get('')!.values.map((v, j) => [String(v), classTable.byClass.get('')!.weights[j]])) } : {}),
      categorical,
      numeric,
      numeric_models: models.size,
      grids: Object.fromEntries(nums.map((n) => [n.field, n.grid.step])),
      ...(text.length ? { text } : {}),
      columns: Object.fromEntries(Object.entries(decisions).map(([f, c]) => [f, `${c.model}: ${c.why}`])),
    };
  }

  sample(ctx: SampleContext, row: Row, targets?: ReadonlySet<string>, bounds?: ReadonlyMap<string, ValueBounds>): void {
    if (!targets) {
      if (this.classTable) this.drawCategory(ctx, this.classTable, row);
      for (const c of this.cats) if (c !== this.classTable) this.drawCategory(ctx, c, row);
      this.drawNumbers(ctx, row);
      for (const t of this.texts) this.drawText(ctx, row, t);
      return;
    }
    for (const c of this.cats) if (targets.has(c.field)) this.drawCategory(ctx, c, row, bounds?.get(c.field));
    if ([...targets].some((t) => this.numericSet.has(t))) this.drawNumbers(ctx, row, targets, bounds);
    for (const t of this.texts) if (targets.has(t.field)) this.drawText(ctx, row, t);
  }

  private classKeyOf(row: Row): string {
    return this.classField ? key(row[this.classField] ?? MISSING_VALUE) : '';
  }

  private drawCategory(ctx: SampleContext, c: Categorical, row: Row, bound?: ValueBounds): void {
    const classKey = c.field === this.classField || !this.classField ? '' : key(row[this.classField] ?? MISSING_VALUE);
    const table = c.byClass.get(classKey) ?? c.byClass.get('') ?? [...c.byClass.values()][0];
    const cumulative = bound ? admittedCumulative(bound, table.values, table.weights) : table.cumulative;
    if (!cumulative) return;
    setField(row, c.field, table.values[ctx.rng.pickCumulative(cumulative)]);
  }

  /** Draws the numeric vector from the row's group model, redrawing until the targets fit their grids and bounds, then repairs the ones that still do not. */
  private drawNumbers(ctx: SampleContext, row: Row, targets?: ReadonlySet<string>, bounds?: ReadonlyMap<string, ValueBounds>): void {
    const { nums, values, vector } = this;
    const d = nums.length;
    if (d === 0) return;
    const classKey = this.classKeyOf(row);
    const model = this.models.get(`group:${groupKey(this.others, classKey, (f) => row[f] ?? MISSING_VALUE)}`) ?? this.models.get(`class:${classKey}`) ?? this.models.get('*')!;
    const active = nums.map((n) => !targets || targets.has(n.field));
    // Rules compare dates as text, so numeric bounds do not apply to them.
    const boundOf = (j: number) => (nums[j].date ? undefined : bounds?.get(nums[j].field));
    const fits = (j: number) => nums[j].grid.admits(values[j], boundOf(j));
    let ok = false;
    for (let attempt = 0; attempt < NUMERIC_REDRAWS && !ok; attempt++) {
      sampleMultivariateNormal(model, ctx.rng, vector);
      ok = true;
      for (let j = 0; j < d; j++) {
        const m = nums[j].marginal?.(classKey);
        values[j] = nums[j].grid.snap(m ? m.valueAt(vector[j]) : vector[j]);
        if (active[j] && !fits(j)) ok = false;
      }
    }
    for (let j = 0; j < d; j++) {
      if (!active[j]) continue;
      const n = nums[j];
      const bound = boundOf(j);
      if (!fits(j)) {
        values[j] = n.marginal
          ? (n.marginal(classKey).pickAdmitted(ctx.rng, (x) => n.grid.admits(n.grid.snap(x), bound)) ?? values[j])
          : (n.grid.uniformWithin(ctx.rng, model.mean[j], n.sd, bound) ?? values[j]);
        if (n.marginal) values[j] = n.grid.snap(values[j]);
      }
      const rate = n.missingRate.get(classKey) ?? 0;
      const value = n.date ? formatDate(values[j], n.date) : values[j];
      setField(row, n.field, !bound && rate > 0 && ctx.rng.chance(rate) ? n.missing : value);
    }
  }

  private drawText(ctx: SampleContext, row: Row, t: TextColumn): void {
    const rate = t.missingRate.get(this.classKeyOf(row)) ?? 0;
    setField(row, t.field, rate > 0 && ctx.rng.chance(rate) ? t.missing : t.model.draw(ctx.rng));
  }
}

/** The column with the fewest distinct values (at least 2), first in order on ties. */
function fewestValues(fields: readonly string[], columns: Record<string, unknown[]>): string | undefined {
  let best: string | undefined;
  let bestCount = Infinity;
  for (const f of fields) {
    const n = new Set(columns[f].filter((v) => v !== MISSING_VALUE).map((v) => key(v))).size;
    if (n >= 2 && n < bestCount) [best, bestCount] = [f, n];
  }
  return best;
}

/** Stand-in for a missing reference value while fitting (distinct from any JSON value). */
const MISSING_VALUE = Symbol('missing');

function key(value: unknown): string {
  return value === MISSING_VALUE || value === null || value === undefined ? MISSING : JSON.stringify(value);
}

/**
 * The reference's grid: its decimals, or a coarser round step (5, 10, 25, ...) that every
 * value is a multiple of, when there are enough values to tell.
 */
function gridStep(values: readonly number[]): number {
  let places = 0;
  for (const v of values) places = Math.max(places, decimalPlaces(Math.abs(v)));
  places = Math.min(6, places);
  const base = 10 ** -places;
  const [lo, hi] = extent(values);
  const range = hi - lo;
  if (values.length >= 20) {
    for (const k of [1000, 500, 250, 100, 50, 25, 20, 10, 5, 2]) {
      const step = k * base;
      if (step * 10 > range) continue;
      if (values.every((v) => Math.abs(v / step - Math.round(v / step)) < 1e-6)) return Number(step.toFixed(places));
    }
  }
  return Number(base.toFixed(places));
}

/** Min and max without spreading (a large reference would overflow the argument stack). */
function extent(values: readonly number[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
