import { z } from 'zod';

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/**
 * One annotation or production error record (a line of a feedback JSONL file). Unknown keys are
 * refused: a misspelt `corect` would otherwise silently drop the correction.
 */
export const FeedbackRecordSchema = z.strictObject({
  /** Id of the row the error was seen on (free). Example: `"order-1842"`. */
  id: z.union([z.string(), z.number()]).optional(),
  /** The row's values that describe the case (the pattern's context). Example: `{ "category": "Electronics" }`. */
  fields: z.record(z.string(), Scalar).optional(),
  /** The column that was wrong. Example: `"price"`. */
  column: z.string().min(1).optional(),
  /** Error type, free text; records with the same type, column and context form one pattern. Example: `"wrong_label"`. */
  error: z.string().min(1),
  /** The wrong value seen. Example: `"Dream"`. */
  value: Scalar.optional(),
  /** The correct value. Example: `"Biscoe"`. */
  correct: Scalar.optional(),
  /** Where it was seen. Default: `annotation`. */
  origin: z.enum(['annotation', 'production']).optional(),
  /** Free comment. */
  note: z.string().optional(),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecordSchema>;

/** The record keys, for "did you mean" hints. */
export const FEEDBACK_KEYS = Object.keys(FeedbackRecordSchema.shape);
