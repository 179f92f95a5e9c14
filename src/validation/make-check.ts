import { z } from 'zod';
import {
  type Check,
  type CheckContext,
  type CheckDefinitionContext,
  type CheckOutcome,
  type DefinitionProblem,
  didYouMeanText,
  MaterializationError,
  type Row,
} from '../engine/index.js';
import { parseOptions } from '../models/index.js';

/**
 * Options every check takes. Each check's own options extend these (see `checks.*`); unknown
 * keys are rejected so that a typo (`treshold`) is an error at load time, not a silent default.
 */
export const commonCheckShape = {
  /**
   * When true, a failed check blocks every downstream asset (they are reported `blocked`) and
   * `synth materialize` exits 1 naming the check and its score. When false, a failure is a warning.
   * Default: false. @example checks.rules({ blocking: true })
   */
  blocking: z.boolean().optional(),
  /**
   * Minimum score to pass, in [0, 1] (every built-in score is "higher is better").
   * Default: per check (schema, rules, unique, completeness and drift 1; fidelity and utility 0.8).
   * @example checks.fidelity({ threshold: 0.85 })
   */
  threshold: z.number().min(0).max(1).optional(),
  /**
   * Name of the check in reports, metrics (`<name>.score`) and `blocked:<asset>.<name>` reasons;
   * unique within a validation. Default: the check's kind (e.g. `'rules'`).
   * @example checks.drift({ name: 'drift_vs_real' })
   */
  name: z
    .string()
    .regex(/^[A-Za-z_][\w-]*$/, 'use letters, digits, "_" or "-" (no dots: metrics are named <check>.<metric>)')
    .optional(),
};

export const CommonCheckOptionsSchema = z.strictObject(commonCheckShape);
/** Options every check takes: `blocking`, `threshold`, `name`. */
export type CheckOptions = z.input<typeof CommonCheckOptionsSchema>;

/** What a check's own options look like after parsing (the common ones removed). */
type Own<T> = Omit<T, keyof CheckOptions>;

/**
 * The columns a check's options name, by option (`{ target: ['Species'] }`), and whether it needs
 * reference data: checked before anything runs against the columns the check will get.
 */
export interface ColumnUses {
  /** Options naming columns of the dataset under test. */
  target?: Record<string, readonly string[] | string | undefined>;
  /** Options naming columns of the reference data. */
  reference?: Record<string, readonly string[] | string | undefined>;
  /** The check compares with the validation's `reference` and cannot run without one. */
  needsReference?: boolean;
}

/** The first column named by a check's options that the data it will see does not have. */
function columnProblem(kind: string, uses: ColumnUses, ctx: CheckDefinitionContext): DefinitionProblem | undefined {
  if (uses.needsReference && !ctx.hasReference) return { ...noReference(kind, ctx.asset), near: new RegExp(`checks\\.${kind}\\(`) };
  const sides = [
    [uses.target, ctx.targetColumns, 'the dataset under test'],
    [uses.reference, ctx.referenceColumns, 'the reference data'],
  ] as const;
  for (const [options, columns, whose] of sides) {
    if (!options || !columns) continue;
    for (const [option, value] of Object.entries(options)) {
      for (const column of value === undefined ? [] : typeof value === 'string' ? [value] : value) {
        if (columns.includes(column)) continue;
        const guess = didYouMeanText(column, columns).trim();
        return {
          what: `checks.${kind}() option ${option} names "${column}", which is not a column of ${whose} of validation "${ctx.asset}".`,
          why: `Its columns are: ${columns.join(', ')}.`,
          fix: `${guess} Fix ${option} in checks.${kind}().`.trim(),
          near: column,
        };
      }
    }
  }
  return undefined;
}

/**
 * Builds a check from its validated options. The check's own options become its `config`
 * (hashed into the validation's cache key), so changing any of them re-runs the validation.
 * `uses` lists the columns the options name, checked before anything runs.
 */
export function makeCheck<S extends z.ZodType>(
  kind: string,
  schema: S,
  input: unknown,
  defaultThreshold: number,
  run: (ctx: CheckContext, options: Own<z.output<S>>) => CheckOutcome | Promise<CheckOutcome>,
  uses?: (options: Own<z.output<S>>) => ColumnUses,
): Check {
  const parsed = parseOptions(schema, input, `checks.${kind}()`);
  const { blocking, threshold, name, ...own } = parsed as z.output<S> & CheckOptions;
  const columnUses = uses?.(own as Own<z.output<S>>);
  return Object.freeze({
    name: name ?? kind,
    blocking: blocking ?? false,
    threshold: threshold ?? defaultThreshold,
    config: { kind, ...own },
    run: (ctx: CheckContext) => run(ctx, own as Own<z.output<S>>),
    ...(columnUses ? { checkDefinition: (ctx: CheckDefinitionContext) => columnProblem(kind, columnUses, ctx) } : {}),
  });
}

function noReference(kind: string, asset: string): DefinitionProblem {
  return {
    what: `Check "${kind}" of validation "${asset}" has no reference data to compare with.`,
    why: `checks.${kind}() compares the target rows with real (or live) rows, and the validation declares no \`reference\`.`,
    fix: `Add the real data as a dependency and name it: validation({ deps: { synthetic, real }, target: 'synthetic', reference: 'real', ... }).`,
    asset,
  };
}

/** The reference rows of a check that compares against real data, or a clear error. */
export function requireReference(ctx: CheckContext, kind: string): Row[] {
  if (ctx.reference) return ctx.reference;
  throw new MaterializationError(noReference(kind, ctx.asset));
}

/** A prompt file as users write it: `prompts/<id>.yaml`, whatever the project root (the engine passes absolute paths). */
export function promptPathForUsers(file: string | undefined): string | undefined {
  if (!file) return undefined;
  const parts = file.split(/[\\/]/);
  return parts.length >= 2 ? `${parts[parts.length - 2]}/${parts[parts.length - 1]}` : file;
}
