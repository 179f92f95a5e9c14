import { z } from 'zod';
import { UsageError, didYouMean } from '../../engine/index.js';
import type { GeneratorConfig } from '../generator.js';

/**
 * Options of the local generator in a dataset's `generator: { provider: 'local', ... }`.
 * Other keys are free labels (they count in the cache key, as every generator option does), except
 * one that looks like a typo of an option (`max_attempt`): refused before anything runs, naming
 * the option, since the typo would silently fall back to the default.
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
  const options = Object.keys(LocalGeneratorOptionsSchema.shape);
  for (const key of Object.keys(config)) {
    const near = key === 'provider' || options.includes(key) ? undefined : didYouMean(key, options);
    if (near === undefined) continue;
    throw new UsageError({
      asset,
      what: `Unknown local generator option generator.${key} of dataset "${asset}".`,
      why: `"${key}" is not an option of the local generator. Did you mean "${near}"? Options: ${options.join(', ')}.`,
      fix: `Rename it to ${near}.`,
    });
  }
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
