import { OpenAIGenerator } from './openai-generator.js';

export { OpenAIGenerator, type OpenAIGeneratorOptions } from './openai-generator.js';
export { OPENAI_GENERATOR_VERSION } from './generation-run.js';
export { OpenAIGeneratorConfigSchema, parseOpenAIConfig, StructuredOutput, type OpenAIGeneratorConfig, type ModelPrice } from './config.js';
export { BUILT_IN_PRICES, priceOf, isFloatingModelAlias } from './prices.js';
export { LlmCache, type LlmCacheEntry } from './llm-cache.js';

/**
 * Options that change how a run talks to the server but not what it asks for: the engine may
 * leave them out of the dataset cache key (changing them should not regenerate data).
 */
export const OPENAI_OPERATIONAL_OPTIONS = ['concurrency', 'rpm', 'tpm', 'timeoutMs', 'maxRetries', 'maxCost', 'llmCache', 'apiKeyEnv', 'prices'] as const;

/** The instance the generator registry loads. */
export const openaiGenerator = new OpenAIGenerator();
