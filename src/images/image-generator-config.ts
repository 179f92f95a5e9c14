import { z } from 'zod';
import { describeOptionIssues, UsageError } from '../engine/index.js';

/** Where images come from. */
export const ImageProvider = {
  /** Drawn offline from the row (no key, no network), byte-identical on every machine. */
  local: 'local',
  /** The OpenAI Images API (`images.generate`) or any compatible server. */
  openai: 'openai',
} as const;
export type ImageProvider = (typeof ImageProvider)[keyof typeof ImageProvider];

/** USD per image: model → quality → size. */
const PriceTableSchema = z.record(z.string(), z.record(z.string(), z.record(z.string(), z.number().nonnegative())));

/**
 * The `generator` block of an images asset. Every field that changes what is drawn takes part in
 * each image's request key; operational ones (concurrency, limits, prices, retries) do not.
 */
export const ImageGeneratorConfigSchema = z
  .object({
    /** `'local'` (default: offline label cards) or `'openai'` (the Images API). */
    provider: z.enum([ImageProvider.local, ImageProvider.openai]).default(ImageProvider.local),
    /** Model name as the server knows it. Default: `'dall-e-3'` for openai. Example: `'gpt-image-1'`. */
    model: z.string().min(1).optional(),
    /** `standard` | `hd` (dall-e-3), `low` | `medium` | `high` | `auto` (gpt-image-1). Default: not sent (the server's default). */
    quality: z.string().min(1).optional(),
    /** `vivid` | `natural` (dall-e-3 only). Default: not sent. */
    style: z.string().min(1).optional(),
    /** `transparent` | `opaque` | `auto` (gpt-image-1 only). Default: not sent. */
    background: z.string().min(1).optional(),
    /** `png` | `jpeg` | `webp` (gpt-image-1 only). Default: not sent (PNG). */
    outputFormat: z.enum(['png', 'jpeg', 'webp']).optional(),
    /**
     * How dall-e models return images: `'b64_json'` (default; bytes in the response) or `'url'`
     * (downloaded at once, as the links expire after about an hour). gpt-image-1 always answers base64, so it is not sent.
     */
    responseFormat: z.enum(['b64_json', 'url']).optional(),
    /** Server base URL (any OpenAI-compatible images server). Default: `OPENAI_BASE_URL`, else `https://api.openai.com/v1`. */
    baseURL: z.string().url().optional(),
    /** Environment variable holding the API key. Default: `'OPENAI_API_KEY'`. */
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
      .optional(),
    /** Requests in flight at once. Default: `4`. Example: `8`. */
    concurrency: z.number().int().positive().max(256).default(4),
    /** Images-per-minute budget (token bucket), as the API limits images per minute. Default: unlimited. Example: `50`. */
    ipm: z.number().positive().optional(),
    /** Timeout of one request (and of one URL download) in ms. Default: `120000`. */
    timeoutMs: z.number().int().positive().default(120_000),
    /** Retries of one request on 429, 5xx, timeouts and connection errors. Default: `6`. */
    maxRetries: z.number().int().min(0).max(20).default(6),
    /** Spending limit in USD for this asset (images already paid for + the price of the next). Default: none. Example: `5`. */
    maxCost: z.number().nonnegative().optional(),
    /** Price overrides in USD per image: model → quality → size. Example: `{ 'my-model': { standard: { '512x512': 0.01 } } }`. */
    prices: PriceTableSchema.optional(),
    /**
     * Share of images the safety system may refuse (HTTP 400 `content_policy_violation`) before the
     * asset fails; refused rows are recorded in the manifest either way. Default: `0.1`.
     */
    maxRefusalRate: z.number().min(0).max(1).default(0.1),
    /** Reuse cached images (`<stateDir>/image-cache`). `false` always calls the server, still caching. Default: `true`. */
    imageCache: z.boolean().default(true),
  })
  .strict();

export type ImageGeneratorConfig = z.infer<typeof ImageGeneratorConfigSchema>;
/** The generator block as written in a definition. */
export type ImageGeneratorConfigInput = z.input<typeof ImageGeneratorConfigSchema>;

/** Version of the offline painter: part of each local image's key, bumped when its drawing changes. */
export const LOCAL_PAINTER_VERSION = 'label-card-1';

/** Version of the openai image provider's requests: part of each image's key. */
export const OPENAI_IMAGES_VERSION = 'openai-images-1';

/** Default model of the openai provider. */
export const DEFAULT_IMAGE_MODEL = 'dall-e-3';

/** Validates an images asset's generator block; a literal key is refused (it would reach version control). */
export function parseImageGeneratorConfig(raw: unknown, asset: string): ImageGeneratorConfig {
  if (raw && typeof raw === 'object' && ('apiKey' in raw || 'api_key' in raw)) {
    throw new UsageError({
      what: `Images asset '${asset}' has a literal API key in its generator config`,
      why: 'Keys in definitions leak into version control, cache keys and metadata, so synthgraph never accepts them.',
      fix: "Remove 'apiKey' and export the key as OPENAI_API_KEY, or name another variable with apiKeyEnv: 'MY_ENV_NAME'.",
      asset,
    });
  }
  const parsed = ImageGeneratorConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const { text, unknownKeys } = describeOptionIssues(parsed.error.issues, ImageGeneratorConfigSchema.shape);
    throw new UsageError({
      what: unknownKeys.length
        ? `Images asset '${asset}' has an unknown generator option ${unknownKeys.map((k) => `"${k}"`).join(', ')}`
        : `Images asset '${asset}' has an invalid generator config`,
      why: text,
      fix: 'Fix the generator block of the images asset (see the Images section of the README for the options).',
      asset,
    });
  }
  return parsed.data;
}

/** The fields that change what is drawn (the rest are operational): part of each image's request key. */
export function drawingConfig(config: ImageGeneratorConfig): Record<string, unknown> {
  const { provider, model, quality, style, background, outputFormat } = config;
  return { provider, model: provider === 'openai' ? (model ?? DEFAULT_IMAGE_MODEL) : (model ?? null), quality, style, background, outputFormat };
}
