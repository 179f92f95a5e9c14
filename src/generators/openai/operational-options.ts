/**
 * Options that change how a run talks to the server but not what it asks for: they stay out of
 * the dataset cache key (changing them must not regenerate data). Kept in this small file so the
 * registry can read it without loading the openai SDK.
 */
export const OPENAI_OPERATIONAL_OPTIONS = ['concurrency', 'rpm', 'tpm', 'timeoutMs', 'maxRetries', 'maxCost', 'llmCache', 'apiKeyEnv', 'prices', 'sharedLimiter'] as const;
