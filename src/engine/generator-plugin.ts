import type { DefinitionProblem } from './definition-problem.js';
import type { PromptResource } from './prompt-loader.js';
import type { Row, RowSchema } from './rows.js';

/**
 * The generator configuration of a dataset, as written in its definition.
 * `provider` picks the implementation; the rest is provider-specific, but every field
 * is part of the dataset's cache key (so changing the temperature regenerates the data).
 */
export interface GeneratorConfig {
  /** Which generator: `'local'` (embedded, default), `'openai'` (any OpenAI-compatible server), or a plug-in's provider name. */
  provider: string;
  /** Model name, for LLM providers (e.g. `'gpt-4o-mini-2024-07-18'`). */
  model?: string;
  /** Sampling temperature, for LLM providers. */
  temperature?: number;
  [option: string]: unknown;
}

/**
 * Everything a generator needs to produce one dataset. `P` is the prompt as the registered prompt
 * loader makes it (the built-in loader gives the rules room's `PromptFile`).
 */
export interface GenerateRequest<P extends PromptResource = PromptResource> {
  /** Dataset asset name (for messages and cache paths). */
  asset: string;
  /** zod object schema every row must satisfy. */
  schema: RowSchema;
  /** The dataset's prompt file: template, rules (compiled), column hints. */
  prompt: P;
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

/** A generator provider: what computes a dataset's rows. */
export interface Generator<P extends PromptResource = PromptResource> {
  /** Provider name as used in `generator.provider`. */
  readonly provider: string;
  /**
   * Version of the generator's own algorithm: part of the cache key, so upgrading the
   * embedded generator invalidates data it made before.
   */
  readonly version: string;
  generate(request: GenerateRequest<P>): Promise<GenerateResult>;
  /** Optional estimate of what a run would spend (requests, tokens, cost), for `--dry-run`. */
  estimate?(request: Omit<GenerateRequest<P>, 'signal' | 'progress' | 'warn'>): Promise<Record<string, number>>;
  /**
   * Optional: how many independent parts (e.g. an LLM's first-round requests) a run has, which
   * `prepareParts` may compute anywhere beforehand, in any order. 1 (or no method) means the run
   * cannot be split. Splitting must not change the rows: `generate` reads the prepared parts back
   * from the provider's shared cache in a fixed order.
   */
  parts?(request: Omit<GenerateRequest<P>, 'signal' | 'progress' | 'warn'>): number;
  /** Computes parts `[from, to)` of a run into the provider's cache (below `stateDir`); returns counts to report (requests sent, cached...). */
  prepareParts?(request: GenerateRequest<P>, from: number, to: number): Promise<Record<string, number>>;
}

/** What a provider's definition check looks at: the dataset as declared, before anything runs. */
export interface GeneratorDefinitionRequest<P extends PromptResource = PromptResource> {
  asset: string;
  schema: RowSchema;
  prompt: P;
  config: GeneratorConfig;
  /** Columns of the reference dataset, when it declares one and they are known. */
  referenceColumns?: readonly string[];
}

/** A provider's check of a dataset's generator options and prompt hints: the first mistake, or undefined. */
export type GeneratorDefinitionCheck<P extends PromptResource = PromptResource> = (request: GeneratorDefinitionRequest<P>) => DefinitionProblem | undefined;

/**
 * How a generator plugs into the engine (see `registerGenerator`). Everything the engine needs
 * before a run (cache key, run options, definition check) is known without loading the
 * implementation, so `synth status` never imports a provider's heavy dependencies.
 */
export interface GeneratorPlugin<P extends PromptResource = PromptResource> {
  /** Name datasets use in `generator.provider`. Example: `'upper'`. */
  readonly provider: string;
  /** Version of the provider's algorithm: part of every cache key of its datasets (bump it when its output changes). Example: `'1.0.0'`. */
  readonly version: string;
  /**
   * Config keys that affect how it runs, not what it makes: left out of cache keys, and the only
   * run-time options (`--max-cost`, `--no-llm-cache`...) it is given. Default: none.
   * @example ['concurrency']
   */
  readonly operational?: readonly string[];
  /** Loads the implementation (on `materialize` and `--dry-run` only). */
  load(): Promise<Generator<P>>;
  /** Loads the check of a dataset's generator options and prompt hints (run on every command that loads the project); default: none. */
  loadCheck?(): Promise<GeneratorDefinitionCheck<P>>;
}
