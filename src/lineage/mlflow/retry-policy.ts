import { z } from 'zod';
import { RetryAfterUse, type RetryPolicy } from '../../engine/index.js';

/** How the client retries transient failures. */
export const RetryOptionsSchema = z.object({
  /**
   * Retries after the first attempt (so `retries: 4` makes at most 5 requests). Default 4.
   * @example { retries: 0 } // fail on the first error, e.g. inside an outbox that retries itself
   */
  retries: z.number().int().min(0).max(20).default(4),
  /** Delay before the first retry, in ms; doubled at each retry, with jitter. Default 250. */
  minDelayMs: z.number().min(0).default(250),
  /** Upper bound of one backoff delay, in ms. Default 8000. */
  maxDelayMs: z.number().min(0).default(8_000),
  /**
   * Longest `Retry-After` the client honours, in ms; a longer one is cut to this value. Default 30000.
   * @example { maxRetryAfterMs: 5000 }
   */
  maxRetryAfterMs: z.number().min(0).default(30_000),
});
export type RetryOptions = z.input<typeof RetryOptionsSchema>;
export type ResolvedRetryOptions = z.output<typeof RetryOptionsSchema>;

/** Statuses that mean "the server refused the request before doing anything": safe to resend any request. */
const REFUSED_STATUSES: ReadonlySet<number> = new Set([429, 503]);
/** Gateway statuses: the upstream may or may not have processed the request. */
const AMBIGUOUS_STATUSES: ReadonlySet<number> = new Set([502, 504]);

/** Connection errors raised before the request left this machine: nothing reached the server. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Connection errors after the request may have been sent: the server may have applied it. */
const MAYBE_SENT_CODES: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** What a failure means for a retry. */
export interface FailureKind {
  /** Trying again later may succeed. */
  transient: boolean;
  /** The request may have taken effect although it failed. */
  maybeApplied: boolean;
}

/** Classifies an HTTP status. */
export function classifyStatus(status: number): FailureKind {
  if (REFUSED_STATUSES.has(status)) return { transient: true, maybeApplied: false };
  if (AMBIGUOUS_STATUSES.has(status)) return { transient: true, maybeApplied: true };
  return { transient: false, maybeApplied: false };
}

/** Classifies a thrown connection error (undici or Node socket error); undefined when it is not one. */
export function classifyConnectionError(err: unknown): FailureKind | undefined {
  const code = errorCodeOf(err);
  if (code === undefined) return undefined;
  if (NOT_SENT_CODES.has(code)) return { transient: true, maybeApplied: false };
  if (MAYBE_SENT_CODES.has(code)) return { transient: true, maybeApplied: true };
  return undefined;
}

/** The `code` of an error or of its cause (undici wraps socket errors). */
export function errorCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Whether to send the request again. An idempotent request is resent after any transient failure;
 * a non-idempotent one only when the server cannot have applied it (refused connection, 429, 503),
 * because resending a create after an ambiguous failure could make a duplicate.
 */
export function shouldRetry(kind: FailureKind, idempotent: boolean): boolean {
  return kind.transient && (idempotent || !kind.maybeApplied);
}

/** A failed request attempt, as the transport hands it to the retry loop: what failed, what it means, what the server asked. */
export class FailedAttempt extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly error: Error,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

/**
 * MLflow's policy for the engine's retry loop, for one request: a failure is retried when it is
 * transient and the request is safe to repeat ({@link shouldRetry}); a server's Retry-After is a floor
 * under the backoff (cut to `maxRetryAfterMs`).
 */
export function mlflowRetryPolicy(options: ResolvedRetryOptions, idempotent: boolean): RetryPolicy {
  return {
    ...options,
    retryAfter: RetryAfterUse.atLeast,
    retryable: (err) => err instanceof FailedAttempt && shouldRetry(err.kind, idempotent),
    retryAfterMs: (err) => (err instanceof FailedAttempt ? err.retryAfterMs : undefined),
  };
}
