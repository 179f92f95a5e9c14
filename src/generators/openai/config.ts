import { z } from 'zod';
import { UsageError, describeOptionIssues } from '../../engine/index.js';

/** How the row schema reaches the server. */
export const StructuredOutput = {
  /** `response_format: { type: 'json_schema', strict: true }` built by the SDK's `zodResponseFormat`. */
  jsonSchema: 'json_schema',
  /** `response_format: { type: 'json_object' }` plus the schema in the prompt, for servers without json_schema. */
  jsonObject: 'json_object',
} as const;

/** Price of a model in USD per 1M tokens. */
export const ModelPriceSchema = z
  .object({
    /** USD per 1M prompt (input) tokens. Example: `0.15`. */
    input: z.number().nonnegative(),
    /** USD per 1M completion (output) tokens. Example: `0.6`. */
    output: z.number().nonnegative(),
  })
  .strict();
export type ModelPrice = z.infer<typeof ModelPriceSchema>;

/**
 * The `generator` block of a dataset with `provider: 'openai'`. Every field takes part in the
 * dataset's cache key (the engine hashes the whole block); the per-request cache below it keys
 * each request by its own content.
 */
export const OpenAIGeneratorConfigSchema = z
  .object({
    provider: z.literal('openai'),
    /** Model name as the server knows it. Prefer a dated snapshot. Example: `'gpt-4o-mini-2024-07-18'`, `'llama3.1:8b'`. */
    model: z.string().min(1),
    /** Sampling temperature (0–2). Default: not sent (the server's default). Example: `0.7`. */
    temperature: z.number().min(0).max(2).optional(),
    /** Nucleus sampling. Default: not sent. Example: `0.95`. */
    top_p: z.number().gt(0).max(1).optional(),
    /** Upper bound of completion tokens per request. Default: not sent. Example: `4096`. */
    max_tokens: z.number().int().positive().optional(),
    /**
     * Server base URL (any OpenAI-compatible server). Default: `OPENAI_BASE_URL`, else
     * `https://api.openai.com/v1`. Example: `'http://localhost:11434/v1'` (Ollama).
     */
    baseURL: z.string().url().optional(),
    /** Name of the environment variable holding the API key. Default: `'OPENAI_API_KEY'`. Example: `'AZURE_OPENAI_KEY'`. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** How the schema is enforced: `'json_schema'` (default, strict structured output) or `'json_object'`. */
    structuredOutput: z.enum([StructuredOutput.jsonSchema, StructuredOutput.jsonObject]).default(StructuredOutput.jsonSchema),
    /** Rows asked for per request. Default: `20`. Example: `50`. */
    batchSize: z.number().int().positive().max(1000).default(20),
    /** Requests in flight at once. Default: `4`. */
    concurrency: z.number().int().positive().max(256).default(4),
    /** Requests-per-minute budget (token bucket). Default: unlimited. Example: `500`. */
    rpm: z.number().positive().optional(),
    /** Tokens-per-minute budget (token bucket, charged with each request's estimate, corrected by real usage). Default: unlimited. */
    tpm: z.number().positive().optional(),
    /** Timeout of one HTTP request in ms. Default: `60000`. */
    timeoutMs: z.number().int().positive().default(60_000),
    /** Retries of one request on 429, 5xx, timeouts and connection errors (ours, not the SDK's). Default: `6`. */
    maxRetries: z.number().int().min(0).max(20).default(6),
    /**
     * Replacement attempts per batch after its first request, each asking again for the batch's
     * rejected rows (divided by the yield seen, sized to what the server returns per request).
     * When they run out the dataset fails with a report. Default: `5`.
     */
    maxRounds: z.number().int().min(0).max(100).default(5),
    /** Spending limit in USD for this dataset (real usage of sent requests + estimate of the next). Default: none. Example: `2.5`. */
    maxCost: z.number().nonnegative().optional(),
    /** Price overrides in USD per 1M tokens, by model name. Example: `{ 'my-model': { input: 1, output: 2 } }`. */
    prices: z.record(z.string(), ModelPriceSchema).optional(),
    /** Reuse cached responses (`<stateDir>/llm-cache`). `false` (CLI `--no-llm-cache`) always calls the server, still caching. Default: `true`. */
    llmCache: z.boolean().default(true),
    /**
     * Redis URL holding the rpm/tpm budgets, shared by every process using it (set by `synth worker`
     * and `synth materialize --queue`, so that all workers together stay within the budgets). Default:
     * budgets kept in the process. Example: `'redis://127.0.0.1:6379'`.
     */
    sharedLimiter: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  })
  .strict();

/** A parsed, defaulted generator config. */
export type OpenAIGeneratorConfig = z.infer<typeof OpenAIGeneratorConfigSchema>;
/** The generator block as written in a definition (options with defaults may be left out). */
export type OpenAIGeneratorConfigInput = z.input<typeof OpenAIGeneratorConfigSchema>;

/**
 * Validates a dataset's generator block. A literal `apiKey` is refused before anything else:
 * a key in a definition file ends up in version control, the cache key and the catalog.
 */
export function parseOpenAIConfig(raw: Record<string, unknown>, asset: string): OpenAIGeneratorConfig {
  if ('apiKey' in raw || 'api_key' in raw) {
    throw new UsageError({
      what: `Dataset '${asset}' has a literal API key in its generator config`,
      why: 'Keys in definitions leak into version control, cache keys and metadata, so synthgraph never accepts them.',
      fix: "Remove 'apiKey' and export the key as OPENAI_API_KEY, or name another variable with apiKeyEnv: 'MY_ENV_NAME'.",
      asset,
    });
  }
  const parsed = OpenAIGeneratorConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const { text: issues, unknownKeys } = describeOptionIssues(parsed.error.issues, OpenAIGeneratorConfigSchema.shape);
    throw new UsageError({
      what: unknownKeys.length
        ? `Dataset '${asset}' has an unknown openai generator option ${unknownKeys.map((k) => `"${k}"`).join(', ')}`
        : `Dataset '${asset}' has an invalid openai generator config`,
      why: issues,
      fix: 'Fix the generator block of the dataset (see the OpenAI section of the README for the options).',
      asset,
    });
  }
  return parsed.data;
}
