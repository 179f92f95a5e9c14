import { z } from 'zod';
// Single engine modules, not the index: a no-op `synth materialize` checks this setting before loading the engine.
import { UsageError } from '../engine/errors.js';
import { loadProjectConfig } from '../engine/project-config.js';

/** The `executor` section of `synth.config.json`: where a run's assets are computed. */
export const ExecutorConfigSchema = z.strictObject({
  /**
   * Redis URL of a BullMQ queue fed to `synth worker` processes; `synth materialize --queue` overrides it.
   * Default: none (assets are computed in the `synth materialize` process).
   * @example "redis://10.0.0.5:6379"
   */
  queue: z.string().min(1).max(2048).optional(),
  /**
   * Most shards a dataset whose generator can split its run (the OpenAI provider's first-round
   * requests) is cut into. 1 turns sharding off. Default: 8.
   * @example 16
   */
  shards: z.number().int().min(1).max(1000).default(8),
  /**
   * How long Redis may stay unreachable during a run before the coordinator fails the assets it
   * waits for, in ms. Default: 10000.
   * @example 30000
   */
  unreachableMs: z.number().int().min(100).max(3_600_000).default(10_000),
});
export type ExecutorConfig = z.output<typeof ExecutorConfigSchema>;

/** Reads and checks the `executor` section of a project's `synth.config.json` (all defaults when absent). */
export function executorConfig(root: string): ExecutorConfig {
  const raw = (loadProjectConfig(root) as Record<string, unknown>).executor ?? {};
  const parsed = ExecutorConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new UsageError({
    what: `synth.config.json: executor${issue.path.length ? `.${issue.path.join('.')}` : ''} is invalid: ${issue.message}.`,
    why: z.prettifyError(parsed.error),
    fix: `Fix the value, or remove it to use the default. Known executor keys: ${Object.keys(ExecutorConfigSchema.shape).join(', ')}.`,
    file: `${root}/synth.config.json`,
  });
}
