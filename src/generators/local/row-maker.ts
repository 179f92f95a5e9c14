import { MaterializationError, type Row } from '../../engine/index.js';
import { setField, type SampleContext } from './column-sampler.js';
import type { PlannedRule, RowPlan } from './row-plan.js';
import { addConstraint, describeBounds, isEmpty, openBounds, type ValueBounds } from './value-bounds.js';

/** What went wrong with a drawn row. */
type Problem = { kind: 'rule'; planned: PlannedRule } | { kind: 'unique'; field: string } | { kind: 'schema'; fields: string[]; message: string };

/** Counters for the materialization metadata. */
export interface RepairStats {
  /** Rows that needed at least one redraw. */
  resampled: number;
  /** Per rule text: how many violations were fixed by redrawing. */
  ruleFixes: Record<string, number>;
  /** Rows redrawn because the schema rejected them (custom refinements, regex formats...). */
  schemaFixes: number;
  /** Rows redrawn for `unique: true` collisions. */
  uniqueFixes: number;
}

/**
 * Draws rows and repairs them until they satisfy every rule, `unique` hint and the schema:
 * rejection and resampling, but targeted. A broken rule redraws only the columns of its
 * assertion (and the columns that read them), inside the bounds of its simple constraints
 * (`price > 50` draws price from (50, ∞)) merged with the other rules that apply to the row, so
 * one fix does not break another. Columns from a fitted reference are first redrawn jointly
 * (rejection from the fitted distribution keeps it faithful), then within bounds.
 * Every few attempts late in the budget, the whole row is redrawn, in case the rule's
 * condition rather than its assertion is what has to change.
 */
export class RowMaker {
  readonly stats: RepairStats = { resampled: 0, ruleFixes: {}, schemaFixes: 0, uniqueFixes: 0 };
  private readonly seen = new Map<string, Set<string>>();

  constructor(
    private readonly plan: RowPlan,
    private readonly asset: string,
    private readonly maxAttempts: number,
  ) {
    for (const f of plan.uniqueFields) this.seen.set(f, new Set());
  }

  /** One valid row, keys in schema order. */
  make(ctx: SampleContext): Row {
    const row: Row = {};
    this.drawAll(ctx, row);
    let problem = this.check(row);
    if (problem) {
      this.stats.resampled++;
      // What this row broke along the way; each counts once as fixed when the row is accepted.
      const broken = new Set<PlannedRule | 'schema' | 'unique'>();
      const empties = new Map<PlannedRule, string>();
      for (let attempt = 1; problem; attempt++) {
        if (attempt > this.maxAttempts) throw this.failure(problem, ctx.index, empties);
        broken.add(problem.kind === 'rule' ? problem.planned : problem.kind);
        this.repair(ctx, row, problem, attempt, empties);
        problem = this.check(row);
      }
      for (const b of broken) {
        if (b === 'schema') this.stats.schemaFixes++;
        else if (b === 'unique') this.stats.uniqueFixes++;
        else this.stats.ruleFixes[b.rule.text] = (this.stats.ruleFixes[b.rule.text] ?? 0) + 1;
      }
    }
    for (const [f, seen] of this.seen) seen.add(uniqueKey(row[f]));
    const out: Row = {};
    for (const f of this.plan.fields) if (row[f] !== undefined) out[f] = row[f];
    return out;
  }

  private drawAll(ctx: SampleContext, row: Row): void {
    this.plan.fitted?.sample(ctx, row);
    for (const s of this.plan.samplers) setField(row, s.field, s.sample(ctx, row));
  }

  /** A fresh row: for when the columns at fault are unknown, or only the rule's condition can change. */
  private redrawRow(ctx: SampleContext, row: Row): void {
    for (const f of this.plan.fields) delete row[f];
    this.drawAll(ctx, row);
  }

  private check(row: Row): Problem | undefined {
    for (const planned of this.plan.rules) if (!planned.rule.test(row)) return { kind: 'rule', planned };
    for (const [field, seen] of this.seen) if (seen.has(uniqueKey(row[field]))) return { kind: 'unique', field };
    const parsed = this.plan.schema.safeParse(row);
    if (parsed.success) return undefined;
    const issues = parsed.error.issues;
    const fields = [...new Set(issues.map((i) => String(i.path[0] ?? '')).filter((f) => this.plan.fields.includes(f)))];
    return { kind: 'schema', fields, message: issues.map((i) => `${i.path.map(String).join('.') || '(row)'}: ${i.message}`).join('; ') };
  }

  private repair(ctx: SampleContext, row: Row, problem: Problem, attempt: number, empties: Map<PlannedRule, string>): void {
    const late = attempt > this.maxAttempts / 2;
    if ((late && attempt % 8 === 0) || (problem.kind === 'schema' && problem.fields.length === 0)) return this.redrawRow(ctx, row);
    if (problem.kind === 'unique') return this.redraw(ctx, row, [problem.field], undefined, false);
    if (problem.kind === 'schema') return this.redraw(ctx, row, problem.fields, undefined, false);
    const bounds = this.boundsFor(problem.planned, row);
    for (const [field, b] of bounds) {
      if (isEmpty(b)) {
        // No value of this column can fix the row: only other columns (the condition) can.
        empties.set(problem.planned, `its constraints on ${field} (${describeBounds(b)}) admit no value`);
        return this.redrawRow(ctx, row);
      }
    }
    // Joint redraws of fitted columns first; bounded ones once those keep failing.
    const joint = attempt <= this.maxAttempts / 4;
    this.redraw(ctx, row, problem.planned.targets, bounds.size ? bounds : undefined, joint);
  }

  /** Bounds on the violated rule's columns from its constraints and those of every rule that applies to the row. */
  private boundsFor(violated: PlannedRule, row: Row): Map<string, ValueBounds> {
    const out = new Map<string, ValueBounds>();
    if (!violated.rule.constraints) return out;
    for (const planned of this.plan.rules) {
      const constraints = planned.rule.constraints;
      if (!constraints || (planned !== violated && !planned.rule.applies(row))) continue;
      for (const c of constraints) {
        if (!violated.targets.includes(c.field)) continue;
        const b = out.get(c.field) ?? openBounds();
        addConstraint(b, c);
        out.set(c.field, b);
      }
    }
    return out;
  }

  private redraw(ctx: SampleContext, row: Row, targets: readonly string[], bounds: Map<string, ValueBounds> | undefined, joint: boolean): void {
    const fitted = this.plan.fitted;
    const changed = new Set<string>();
    if (fitted) {
      const fittedTargets = new Set(targets.filter((t) => fitted.fields.includes(t)));
      if (fittedTargets.size) {
        if (joint) fitted.sample(ctx, row);
        else fitted.sample(ctx, row, fittedTargets, bounds);
        for (const f of joint ? fitted.fields : fittedTargets) changed.add(f);
      }
    }
    for (const t of targets) changed.add(t);
    const redraw = new Set<string>(targets);
    for (const f of changed) for (const d of this.plan.dependents.get(f) ?? []) redraw.add(d);
    for (const s of this.plan.samplers) if (redraw.has(s.field)) setField(row, s.field, s.sample(ctx, row, bounds?.get(s.field)));
  }

  private failure(problem: Problem, index: number, empties: Map<PlannedRule, string>): MaterializationError {
    const tries = `after ${this.maxAttempts} redraws, row ${index + 1} still broke it`;
    if (problem.kind === 'rule') {
      const { rule } = problem.planned;
      const where = rule.file ? ` (${rule.file}${rule.line ? `:${rule.line}` : ''})` : '';
      const empty = empties.get(problem.planned);
      return new MaterializationError({
        asset: this.asset,
        file: rule.file,
        line: rule.line,
        what: `The local generator could not make rows of dataset "${this.asset}" that satisfy rule ${rule.index + 1}: ${rule.text}${where}.`,
        why: empty ? `The rule cannot hold: ${empty}.` : `The rule is too hard to satisfy together with the schema, the column hints and the other rules: ${tries}.`,
        fix: 'Fix the rule in the prompt file (it may contradict itself or another rule), or widen the column hints or the schema bounds it fights with.',
      });
    }
    if (problem.kind === 'unique') {
      return new MaterializationError({
        asset: this.asset,
        what: `The local generator ran out of distinct values for column "${problem.field}" of dataset "${this.asset}" (hinted unique: true).`,
        why: `Only ${this.seen.get(problem.field)!.size} distinct values were found; ${tries}.`,
        fix: 'Ask for fewer rows, widen the column (more categories, a template with {{index}}), or drop unique: true.',
      });
    }
    return new MaterializationError({
      asset: this.asset,
      what: `The local generator could not make rows of dataset "${this.asset}" that pass its schema: ${problem.message}.`,
      why: `The local generator does not understand every zod refinement or regex; ${tries}.`,
      fix: `Add a column hint (faker, template or categories) in the prompt file's columns: for ${problem.fields.join(', ') || 'the failing fields'}.`,
    });
  }
}

/** Identity of a value for `unique: true` (an absent value counts as null). */
function uniqueKey(value: unknown): string {
  return JSON.stringify(value ?? null);
}
