import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { schemaPassRate, type SchemaFailure } from './metrics/index.js';
import { commonCheckShape, makeCheck } from './make-check.js';

export const SchemaCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /** How many failing rows (with their zod issues) the report keeps. Default 5. @example 20 */
  examples: z.number().int().min(0).default(5),
});
/** Options of `checks.schema()`. */
export type SchemaCheckOptions = z.input<typeof SchemaCheckOptionsSchema>;

/** What `checks.schema()` records in the report. */
export interface SchemaCheckDetails {
  kind: 'schema';
  /** True when the target has no row schema (a source or a plain asset), so nothing was checked. */
  skipped: boolean;
  total: number;
  failed: number;
  failures: SchemaFailure[];
}

/**
 * Share of rows that match the target dataset's zod row schema (score = pass rate, threshold 1).
 * A target without a schema (a source or plain asset) scores 1 with `skipped: true`.
 * @example checks.schema({ blocking: true })
 */
export function schemaCheck(options: SchemaCheckOptions = {}): Check {
  return makeCheck('schema', SchemaCheckOptionsSchema, options, 1, (ctx, o) => {
    if (!ctx.schema) {
      const details: SchemaCheckDetails = { kind: 'schema', skipped: true, total: ctx.rows.length, failed: 0, failures: [] };
      return { score: 1, summary: 'skipped: the target has no row schema (not a generated dataset)', details: { ...details } };
    }
    const r = schemaPassRate(ctx.rows, ctx.schema, o.examples);
    const details: SchemaCheckDetails = { kind: 'schema', skipped: false, total: r.total, failed: r.failed, failures: r.failures };
    return { score: r.pass_rate, summary: `${r.passed}/${r.total} rows match the schema`, details: { ...details }, metrics: { invalid_rows: r.failed } };
  });
}
