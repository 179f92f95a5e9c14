import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { pct } from './format.js';
import { completeness } from './metrics/index.js';
import { commonCheckShape, makeCheck } from './make-check.js';

const rate = z.number().min(0).max(1);

export const CompletenessCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /**
   * Highest share of missing values (null, undefined, NaN or an absent key; an empty string is a
   * value) a column may have. Default 0: every listed column must be filled in every row.
   * @example 0.05
   */
  maxNullRate: rate.default(0),
  /** Per-column limits that override `maxNullRate`. Default: none. @example { Sex: 0.1 } */
  perColumn: z.record(z.string(), rate).default({}),
  /** Columns to check. Default: every key seen in any row. @example ['name', 'price'] */
  columns: z.array(z.string()).optional(),
});
/** Options of `checks.completeness()`. */
export type CompletenessCheckOptions = z.input<typeof CompletenessCheckOptionsSchema>;

/** What `checks.completeness()` records in the report. */
export interface CompletenessCheckDetails {
  kind: 'completeness';
  total: number;
  /** Share of rows with no missing value in the checked columns. */
  complete_rate: number;
  columns: Array<{ column: string; missing: number; null_rate: number; max_null_rate: number; ok: boolean }>;
}

/**
 * Null rate per column against a limit. Score = share of columns within their limit (threshold 1,
 * so by default every column must be within its limit).
 * @example checks.completeness({ maxNullRate: 0.05, perColumn: { Sex: 0.1 } })
 */
export function completenessCheck(options: CompletenessCheckOptions = {}): Check {
  return makeCheck(
    'completeness',
    CompletenessCheckOptionsSchema,
    options,
    1,
    (ctx, o) => {
      const c = completeness(ctx.rows, o.columns);
      const columns = c.columns.map((col) => {
        const max = o.perColumn[col.column] ?? o.maxNullRate;
        return { ...col, max_null_rate: max, ok: col.null_rate <= max };
      });
      const over = columns.filter((col) => !col.ok);
      const details: CompletenessCheckDetails = { kind: 'completeness', total: c.total, complete_rate: c.complete_rate, columns };
      return {
        score: columns.length ? 1 - over.length / columns.length : 1,
        summary: over.length
          ? `${over.length}/${columns.length} columns over their null limit: ${over.map((col) => `${col.column} ${pct(col.null_rate)} > ${pct(col.max_null_rate)}`).join(', ')}`
          : `${columns.length} columns within their null limit; ${pct(c.complete_rate)} of rows complete`,
        details: { ...details },
        metrics: { complete_rate: c.complete_rate, ...Object.fromEntries(columns.map((col) => [`null_rate.${col.column}`, col.null_rate])) },
      };
    },
    (o) => ({ target: { columns: o.columns, perColumn: Object.keys(o.perColumn) } }),
  );
}
