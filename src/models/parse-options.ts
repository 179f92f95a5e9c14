import type { z } from 'zod';
import { UsageError } from '../engine/index.js';

/**
 * Validates a user-supplied options object against its zod schema and returns the parsed
 * value (defaults applied). A bad option is the user's to fix, so it becomes a UsageError
 * naming every offending field.
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(options)'}: ${i.message}`);
  throw new UsageError({
    what: `Invalid options for ${what}.`,
    why: problems.join('; '),
    fix: `Correct the listed option(s) of ${what}.`,
  });
}
