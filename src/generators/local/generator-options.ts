import { z } from 'zod';
import { UsageError } from '../../engine/index.js';
import type { GeneratorConfig } from '../generator.js';

/**
 * Options of the local generator in a dataset's `generator: { provider: 'local', ... }`.
 * Unknown keys are ignored (they still count in the cache key, as every generator option does).
 */
export const LocalGeneratorOptionsSchema = z.looseObject({
  /**
   * Reference fitting. `by` names the class column the other columns are conditioned on.
   * Default: the column hinted `class: true`, else the schema's first enum column.
   * @example fit: { by: 'Species' }
   */
  fit: z
    .strictObject({
      by: z.string().min(1).optional(),
      /**
       * Identifier/name/text columns whose real values may appear in the synthetic rows (drawn as
       * categories from the reference). Default: none: such columns come from a learned pattern
       * and never repeat a real value.
       * @example copy_values: ['city']
       */
      copy_values: z.array(z.string().min(1)).optional(),
    })
    .optional(),
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
  const issue = parsed.error.issues[0];
  throw new UsageError({
    asset,
    what: `Bad local generator option generator.${issue.path.join('.')} of dataset "${asset}": ${issue.message}.`,
    why: 'The local generator validates its options so that a typo does not silently change the data.',
    fix: 'Use generator: { provider: "local", fit?: { by?: "<class column>", copy_values?: ["<column>", ...] }, max_attempts?: <integer> }.',
  });
}
