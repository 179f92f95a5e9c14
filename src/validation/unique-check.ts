import { z } from 'zod';
import type { Check } from '../engine/index.js';
import { duplicateRows, keyUniqueness, type KeyUniqueness } from './metrics/index.js';
import { commonCheckShape, makeCheck } from './make-check.js';

export const UniqueCheckOptionsSchema = z.strictObject({
  ...commonCheckShape,
  /**
   * A key that must be unique and present in every row: one column, or several columns forming
   * a composite key. Default: none (only whole-row duplicates are counted).
   * @example 'sku' @example ['order_id', 'line']
   */
  key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** How many duplicate examples the report keeps. Default 5. */
  examples: z.number().int().min(0).default(5),
});
/** Options of `checks.unique()`. */
export type UniqueCheckOptions = z.input<typeof UniqueCheckOptionsSchema>;

/** What `checks.unique()` records in the report. */
export interface UniqueCheckDetails {
  kind: 'unique';
  total: number;
  /** Rows equal to an earlier row (key order ignored). */
  duplicates: number;
  /** First duplicate pairs as [earlier row, duplicate row]. */
  duplicate_examples: Array<[number, number]>;
  /** The key's uniqueness, when a key is declared. */
  key: KeyUniqueness | null;
}

/**
 * Duplicate rows, and (with `key`) duplicate or missing key values.
 * Score = share of rows that are not repeats: without `key`, of a whole earlier row; with `key`,
 * of an earlier row's key or missing a key value (a row repeating a whole row repeats its key
 * too, so the key count covers both). Threshold 1.
 * @example checks.unique({ key: 'name' })
 */
export function uniqueCheck(options: UniqueCheckOptions = {}): Check {
  return makeCheck(
    'unique',
    UniqueCheckOptionsSchema,
    options,
    1,
    (ctx, o) => {
      const dup = duplicateRows(ctx.rows, o.examples);
      const key = o.key === undefined ? null : keyUniqueness(ctx.rows, [o.key], o.examples)[0];
      const n = ctx.rows.length;
      const bad = key ? key.duplicates + key.missing : dup.duplicates;
      const details: UniqueCheckDetails = { kind: 'unique', total: n, duplicates: dup.duplicates, duplicate_examples: dup.examples, key };
      const keyText = key ? `, key (${key.key.join(', ')}): ${key.duplicates} repeated, ${key.missing} missing` : '';
      return {
        score: n === 0 ? 1 : 1 - bad / n,
        summary: `${dup.duplicates} duplicate rows${keyText}`,
        details: { ...details },
        metrics: { duplicates: dup.duplicates, ...(key ? { duplicate_keys: key.duplicates, missing_keys: key.missing } : {}) },
      };
    },
    (o) => ({ target: { key: o.key } }),
  );
}
