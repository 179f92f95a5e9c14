/**
 * Version of the openai generator's algorithm (prompt layout, batching, checks): part of
 * dataset cache keys. Kept in this import-free file so the generator registry can read it
 * without loading the openai SDK.
 */
export const OPENAI_GENERATOR_VERSION = 'openai-1';
