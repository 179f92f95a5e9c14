import type { z } from 'zod';
import { UsageError, describeOptionIssues } from '../engine/index.js';

/**
 * Validates a user-supplied options object against its zod schema and returns the parsed
 * value (defaults applied). A bad option is the user's to fix, so it becomes a UsageError
 * naming every offending field, and an unknown key with the closest allowed one (`treshold` →
 * `threshold`). Thrown while the definitions load, so the CLI points at the call's file:line.
 */
export function parseOptions<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const { text, unknownKeys } = describeOptionIssues(parsed.error.issues, (schema as { shape?: Record<string, unknown> }).shape);
  throw new UsageError({
    what: unknownKeys.length ? `Unknown option${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `"${k}"`).join(', ')} in ${what}.` : `Invalid options for ${what}.`,
    why: text,
    fix: unknownKeys.length ? `Rename or remove ${unknownKeys.map((k) => `"${k}"`).join(', ')} in ${what}.` : `Correct the listed option(s) of ${what}.`,
  });
}
