import { z } from 'zod';

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
});

export type PromptFileData = z.infer<typeof PromptFileSchema>;

/** Distributions a numeric column hint may name (`columns.<field>.distribution`). */
export const HINT_DISTRIBUTIONS = ['normal', 'uniform', 'lognormal'] as const;

/** The key names, for "did you mean" hints. */
export const PROMPT_FILE_KEYS = Object.keys(PromptFileSchema.shape);
