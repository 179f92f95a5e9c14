import { z } from 'zod';

/** A class label as found in the data: a JSON scalar. */
export const LabelSchema = z.union([z.string(), z.number(), z.boolean()]);
export type Label = z.infer<typeof LabelSchema>;

/** Whether a value can be a class label (objects, arrays and missing values cannot). */
export function isLabel(value: unknown): value is Label {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
