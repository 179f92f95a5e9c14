import { z } from 'zod';
import { NoiseSchema } from '../noise/index.js';

/**
 * The keys of a prompt file `prompts/<prompt_id>.yaml`. Unknown keys are rejected: they are
 * nearly always typos (`rule:` for `rules:`) that would otherwise be silently ignored.
 */
export const PromptFileSchema = z.strictObject({
  /** Must equal the file name without `.yaml`. Example: `ecommerce_v1`. */
  prompt_id: z.string().min(1),
  /** Subject of the data, free text. Example: `ecommerce`. */
  domain: z.string().min(1),
  /** Prompt text with `{{name}}` placeholders (`{{rows}}` and the keys of `variables`). */
  template: z.string().min(1),
  /** Rules every generated row must satisfy; default none. Example: `if category == "Electronics", price > 50`. */
  rules: z.array(z.string()).nullish(),
  /** Free version label; a YAML number such as `1.0` is kept as written. Default: none. */
  version: z.union([z.string(), z.number()]).optional(),
  /** Human description. Default: none. */
  description: z.string().optional(),
  /** Values for template placeholders. Default: `{}`. Example: `{ tone: formal }`. */
  variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullish(),
  /** Generator hints per field (validated by the generator that reads them). Default: `{}`. Example: `{ price: { min: 1, max: 500 } }`. */
  columns: z.record(z.string(), z.record(z.string(), z.unknown()).nullable()).nullish(),
  /**
   * Real-world imperfections applied after generation with the dataset's seed (missing values,
   * typos, outliers, duplicated rows, inconsistent formats, label noise). Default: none (clean data).
   * Example: `{ missing: { description: 0.05 }, duplicates: 0.01 }`.
   */
  noise: NoiseSchema.nullish(),
  /** The prompt version this one was derived from (written by `synth tune`). Default: none. Example: `ecommerce_v1`. */
  derived_from: z.string().min(1).optional(),
  /** Why this version differs from `derived_from`, one line per change (written by `synth tune`). Default: none. */
  evidence: z.array(z.string()).nullish(),
});

export type PromptFileData = z.infer<typeof PromptFileSchema>;

/** Distributions a numeric column hint may name (`columns.<field>.distribution`). */
export const HINT_DISTRIBUTIONS = ['normal', 'uniform', 'lognormal'] as const;

/** The key names, for "did you mean" hints. */
export const PROMPT_FILE_KEYS = Object.keys(PromptFileSchema.shape);

/** The keys of a `noise:` block, for "did you mean" hints. */
export const NOISE_KEYS = Object.keys(NoiseSchema.shape);
