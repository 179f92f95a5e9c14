import { OpenAIGenerator } from './openai-generator.js';

export { OpenAIGenerator, type OpenAIGeneratorOptions } from './openai-generator.js';
export { OPENAI_GENERATOR_VERSION } from './generator-version.js';
export { OpenAIGeneratorConfigSchema, parseOpenAIConfig, StructuredOutput, type OpenAIGeneratorConfig, type ModelPrice } from './config.js';
export { BUILT_IN_PRICES, priceOf, isFloatingModelAlias } from './prices.js';
export { LlmCache, type LlmCacheEntry } from './llm-cache.js';

export { OPENAI_OPERATIONAL_OPTIONS } from './operational-options.js';

/** The instance the generator registry loads. */
export const openaiGenerator = new OpenAIGenerator();
