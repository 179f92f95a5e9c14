import type { Row, RowSchema } from '../../engine/index.js';

export interface SchemaFailure {
  /** 0-based index of the row in the input. */
  row: number;
  errors: Array<{ path: string; message: string }>;
}

export interface SchemaPassRate {
  total: number;
  passed: number;
  failed: number;
  /** passed / total; 1 for an empty input (nothing violates the schema). */
  pass_rate: number;
  /** The first `maxFailures` failing rows with their zod issues. */
  failures: SchemaFailure[];
}

/**
 * Share of rows that satisfy a zod object schema, with the first failing rows and why.
 * @param maxFailures how many failing rows to keep. Default 10.
 */
export function schemaPassRate(rows: readonly Row[], schema: RowSchema, maxFailures = 10): SchemaPassRate {
  let failed = 0;
  const failures: SchemaFailure[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = schema.safeParse(rows[i]);
    if (r.success) continue;
    failed++;
    if (failures.length < maxFailures) {
      failures.push({ row: i, errors: r.error.issues.map((x) => ({ path: x.path.map(String).join('.'), message: x.message })) });
    }
  }
  const total = rows.length;
  return { total, passed: total - failed, failed, pass_rate: total === 0 ? 1 : (total - failed) / total, failures };
}
