import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The one retry loop of synthgraph (asset materializations, OpenAI requests, MLflow calls). What
 * differs between callers is a policy: what is retryable (transient, and safe to repeat), how a
 * server's Retry-After is used, and the backoff. A run-wide pause (OpenAI's 429) is the caller's,
 * started from `onRetry`. Hand-written rather than p-retry because two callers need the failure's
 * Retry-After to set the delay, which p-retry's fixed schedule cannot take.
 */

/** How a server's Retry-After is used, when a failure carries one. */
export const RetryAfterUse = {
  /** The server's delay replaces the backoff (it knows when it will take requests again). */
  exact: 'exact',
  /** The server's delay is a floor under the backoff (clients started together still spread out). */
  atLeast: 'at-least',
} as const;
export type RetryAfterUse = (typeof RetryAfterUse)[keyof typeof RetryAfterUse];

/** The waits between attempts. */
export interface Backoff {
  /** Delay before the first retry, in ms; doubled at each retry, with "equal jitter" (half fixed, half random). */
  minDelayMs: number;
  /** Upper bound of one backoff delay, in ms. */
  maxDelayMs: number;
  /** Longest Retry-After honoured, in ms; a longer one is cut to this (a run should not hang for hours). */
  maxRetryAfterMs: number;
  /** How a server's Retry-After is used; see {@link RetryAfterUse}. */
  retryAfter: RetryAfterUse;
}

/** A caller's retry policy. */
export interface RetryPolicy extends Backoff {
  /** Retries after the first attempt (so 4 makes at most 5 attempts). */
  retries: number;
  /** Whether a failure may be tried again: transient, and safe to repeat for this call. */
  retryable(err: unknown): boolean;
  /** The delay the server asked for with this failure (Retry-After), in ms, if any. */
  retryAfterMs?(err: unknown): number | undefined;
}

/** Per-run hooks of {@link withRetry}. */
export interface RetryRun {
  /** Stops retrying: a failure after abort is thrown as is, and a wait in progress rejects. */
  signal?: AbortSignal;
  /** Hears about each retry before its wait (progress, counts, a run-wide pause). `retry` is 1-based. */
  onRetry?(err: unknown, retry: number, delayMs: number): void;
}

/** Runs `attempt` (given the 0-based attempt number) until it succeeds, fails for good, or retries run out. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, run: RetryRun = {}): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (run.signal?.aborted || n >= policy.retries || !policy.retryable(err)) throw err;
      const delay = retryDelayMs(n + 1, policy, policy.retryAfterMs?.(err));
      run.onRetry?.(err, n + 1, delay);
      await sleep(delay, undefined, run.signal ? { signal: run.signal } : undefined);
    }
  }
}

/** Delay before retry number `retry` (1-based): exponential backoff with equal jitter, and the server's Retry-After as the policy says. */
export function retryDelayMs(retry: number, backoff: Backoff, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  const asked = retryAfterMs === undefined ? undefined : Math.min(retryAfterMs, backoff.maxRetryAfterMs);
  if (asked !== undefined && backoff.retryAfter === RetryAfterUse.exact) return asked;
  const exp = Math.min(backoff.maxDelayMs, backoff.minDelayMs * 2 ** (retry - 1));
  const jittered = exp / 2 + random() * (exp / 2);
  return asked === undefined ? jittered : Math.max(jittered, asked);
}

/** Parses a `Retry-After` header (delta-seconds or an HTTP date) into ms from `now`. */
export function parseRetryAfterMs(header: string | string[] | null | undefined, now: number = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
