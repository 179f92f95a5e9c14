import type { GenerateRequest, GenerateResult, Generator } from '../generator.js';
import { estimateRun, generateRun, prepareRunParts, runParts } from './generation-run.js';
import { OPENAI_GENERATOR_VERSION } from './generator-version.js';

/** Options of an OpenAI generator instance. */
export interface OpenAIGeneratorOptions {
  /**
   * Where the API key (and OPENAI_BASE_URL) are read from. Default: `process.env`, read at
   * each call. Example: `{ OPENAI_API_KEY: 'sk-test' }` in tests.
   */
  env?: NodeJS.ProcessEnv;
}

/**
 * Rows from an LLM through the official `openai` SDK, against OpenAI or any compatible
 * server (Ollama, vLLM, llama.cpp server, LiteLLM): batched structured-output requests,
 * every row checked against the schema and the rules, each response cached on disk.
 */
export class OpenAIGenerator implements Generator {
  readonly provider = 'openai';
  readonly version = OPENAI_GENERATOR_VERSION;

  constructor(private readonly options: OpenAIGeneratorOptions = {}) {}

  generate(request: GenerateRequest): Promise<GenerateResult> {
    return generateRun(request, this.options.env ?? process.env);
  }

  /** Requests, tokens and USD a run would spend now: responses already cached count 0. */
  estimate(request: Omit<GenerateRequest, 'signal' | 'progress' | 'warn'>): Promise<Record<string, number>> {
    return estimateRun(request, this.options.env ?? process.env);
  }

  /** The first-round requests: independent of each other, so they can be sent from any worker. */
  parts(request: Omit<GenerateRequest, 'signal' | 'progress' | 'warn'>): number {
    return runParts(request);
  }

  /** Sends first-round requests `[from, to)` (those not cached) and caches their responses. */
  prepareParts(request: GenerateRequest, from: number, to: number): Promise<Record<string, number>> {
    return prepareRunParts(request, this.options.env ?? process.env, from, to);
  }
}
