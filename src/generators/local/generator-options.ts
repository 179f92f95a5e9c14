import { z } from 'zod';
import { UsageError, describeOptionIssues } from '../../engine/index.js';
import type { GeneratorConfig } from '../generator.js';

/**
 * Options of the local generator in a dataset's `generator: { provider: 'local', ... }`.
 * Unknown keys are refused (before anything runs), naming the closest option: a typo must not
 * silently fall back to a default.
 */
export const LocalGeneratorOptionsSchema = z.strictObject({
  /** Always `'local'`. */
  provider: z.literal('local'),
  /**
   * Reference fitting. `by` names the class column the other columns are conditioned on.
   * Default: the column hinted `class: true`, else the schema's first enum column.
   * @example fit: { by: 'Species' }
   */
  fit: z.strictObject({ by: z.string().min(1).optional() }).optional(),
  /**
   * Redraws allowed per row to satisfy the rules, the schema and `unique` hints before the
   * dataset fails. Default: 200.
   */
  max_attempts: z.number().int().min(1).max(100_000).optional(),
});

export type LocalGeneratorOptions = z.infer<typeof LocalGeneratorOptionsSchema>;

export const DEFAULT_MAX_ATTEMPTS = 200;

export function readGeneratorOptions(config: GeneratorConfig, asset: string): LocalGeneratorOptions {
  const parsed = LocalGeneratorOptionsSchema.safeParse(config);
  if (parsed.success) return parsed.data;
  const { text, unknownKeys } = describeOptionIssues(parsed.error.issues, LocalGeneratorOptionsSchema.shape);
  throw new UsageError({
    asset,
    what: unknownKeys.length
      ? `Unknown local generator option ${unknownKeys.map((k) => `generator.${k}`).join(', ')} of dataset "${asset}".`
      : `Bad local generator option of dataset "${asset}": ${text}.`,
    why: unknownKeys.length ? text : 'The local generator validates its options so that a typo does not silently change the data.',
    fix: 'Use generator: { provider: "local", fit?: { by?: "<class column>" }, max_attempts?: <integer> }.',
  });
}
