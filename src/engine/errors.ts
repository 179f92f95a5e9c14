/**
 * Errors carry their context as fields and are rendered once, at the CLI edge,
 * as "what happened / why / how to fix". Engine code throws; it never prints.
 */

/** Where an error points to, when it has a place in a user's file. */
export interface ErrorLocation {
  file?: string;
  line?: number;
  column?: number;
}

export interface SynthErrorInit extends ErrorLocation {
  /** What happened, in one sentence. */
  what: string;
  /** Why it happened (the cause the user can act on). */
  why?: string;
  /** How to fix it. */
  fix?: string;
  /** The asset concerned, if any. */
  asset?: string;
  /** Underlying error, kept for `--verbose`. */
  cause?: unknown;
}

/** Base class of every error synthgraph raises on purpose. */
export class SynthError extends Error {
  readonly what: string;
  readonly why?: string;
  readonly fix?: string;
  readonly asset?: string;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Process exit code when this error reaches the CLI: 2 = usage/definition, 1 = run failure. */
  readonly exitCode: number = 1;
  /** Whether the executor may retry the operation that raised it. */
  readonly retryable: boolean = false;

  constructor(init: SynthErrorInit) {
    super(init.what, init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = new.target.name;
    this.what = init.what;
    this.why = init.why;
    this.fix = init.fix;
    this.asset = init.asset;
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
  }
}

/** Bad definitions, prompt files, selections or flags: the user must change something. Exit 2. */
export class UsageError extends SynthError {
  override readonly exitCode = 2;
}

/** A definition problem found while loading `src/assets` (duplicates, cycles, unknown deps...). Exit 2. */
export class DefinitionError extends UsageError {}

/** A prompt file that is missing, malformed, or has a bad rule. Exit 2. */
export class PromptFileError extends UsageError {}

/** A transient failure (network, rate limit, busy file): the executor retries it with backoff. */
export class RetryableError extends SynthError {
  override readonly retryable = true;
}

/** An asset failed to materialize. Exit 1. */
export class MaterializationError extends SynthError {}

/** True for errors raised on purpose by synthgraph (as opposed to bugs or third-party errors). */
export function isSynthError(err: unknown): err is SynthError {
  return err instanceof SynthError;
}

/** Whether an error (ours or a third party's) is worth retrying. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof SynthError) return err.retryable;
  const e = err as { retryable?: unknown; code?: unknown } | null;
  if (e && e.retryable === true) return true;
  return typeof e?.code === 'string' && ['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EBUSY', 'EMFILE'].includes(e.code);
}
