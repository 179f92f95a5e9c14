import { CheckRecordSchema, UsageError } from '../engine/index.js';
import type { ValidationReport } from './validation-asset.js';
import { z } from 'zod';

/** A stored validation report (the JSON value of a validation asset). */
export const ValidationReportSchema = z.object({
  target: z.string(),
  rows: z.number(),
  passed: z.boolean(),
  checks: z.array(CheckRecordSchema.extend({ details: z.record(z.string(), z.unknown()) })),
});

/** Reads a stored value as a validation report, or says why it is not one. */
export function parseValidationReport(value: unknown, asset: string): ValidationReport {
  const parsed = ValidationReportSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new UsageError({
    what: `The stored value of "${asset}" is not a validation report.`,
    why: parsed.error.issues.map((i) => `${i.path.join('.') || '(report)'}: ${i.message}`).join('; '),
    fix: `Re-run the validation: synth materialize ${asset} --force`,
    asset,
  });
}
