import type { DefinitionProblem, Row, RowSchema } from '../engine/index.js';
import type { PromptFile } from '../rules/prompt-file.js';

/**
 * The generator configuration of a dataset, as written in its definition.
 * `provider` picks the implementation; the rest is provider-specific, but every field
 * is part of the dataset's cache key (so changing the temperature regenerates the data).
 */
export interface GeneratorConfig {
  /** Which generator: `'local'` (embedded, default) or `'openai'` (any OpenAI-compatible server). */
  provider: string;
  /** Model name, for LLM providers (e.g. `'gpt-4o-mini-2024-07-18'`). */
  model?: string;
  /** Sampling temperature, for LLM providers. */
  temperature?: number;
  [option: string]: unknown;
}

/** Everything a generator needs to produce one dataset. */
export interface GenerateRequest {
  /** Dataset asset name (for messages and cache paths). */
  asset: string;
  /** zod object schema every row must satisfy. */
  schema: RowSchema;
  /** The dataset's prompt file: template, rules (compiled), column hints. */
  prompt: PromptFile;
  /** Exact number of valid rows wanted. */
  rows: number;
  /** Seed: same inputs and seed must give the same rows (byte-identical for `local`). */
  seed: number;
  /** The generator config of the dataset. */
  config: GeneratorConfig;
  /** Rows of the reference (real) dataset to fit, when the dataset declares one. */
  reference?: Row[];
  /** Project-local state folder (`.synth/`): providers keep their caches below it. */
  stateDir: string;
  /** Aborted when the run is interrupted: stop promptly, keep what is cached. */
  signal: AbortSignal;
  /** Reports progress (rows valid so far, total wanted, optional provider details). */
  progress(done: number, total: number, detail?: Record<string, number>): void;
  /** Non-fatal notices (e.g. an undated model alias), shown to the user. */
  warn(message: string): void;
}

/** What a generator returns: the rows and the record of how they were made. */
export interface GenerateResult {
  rows: Row[];
  /** Stored in the materialization (requested, valid, rejected by reason, tokens, cost, ...). */
  metadata: Record<string, unknown>;
}

/** A generator provider. */
export interface Generator {
  /** Provider name as used in `generator.provider`. */
  readonly provider: string;
  /**
   * Version of the generator's own algorithm: part of the cache key, so upgrading the
   * embedded generator invalidates data it made before.
   */
  readonly version: string;
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Optional estimate of what a run would spend (requests, tokens, cost), for `--dry-run`. */
  estimate?(request: Omit<GenerateRequest, 'signal' | 'progress' | 'warn'>): Promise<Record<string, number>>;
}

/** What a provider's definition check looks at: the dataset as declared, before anything runs. */
export interface GeneratorDefinitionRequest {
  asset: string;
  schema: RowSchema;
  prompt: PromptFile;
  config: GeneratorConfig;
  /** Columns of the reference dataset, when it declares one and they are known. */
  referenceColumns?: readonly string[];
}

/** A provider's check of a dataset's generator options and prompt hints: the first mistake, or undefined. */
export type GeneratorDefinitionCheck = (request: GeneratorDefinitionRequest) => DefinitionProblem | undefined;
