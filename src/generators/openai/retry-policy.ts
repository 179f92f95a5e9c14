import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitError } from 'openai';
import { isTransient, retryAfterMs } from './server-errors.js';

/** First backoff step; doubles each attempt. */
const BASE_DELAY_MS = 250;
/** Longest wait between two attempts of our own choosing (a server's Retry-After may ask more). */
const MAX_DELAY_MS = 30_000;
/** A Retry-After beyond this is treated as this (a run should not hang for hours). */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/**
 * We own retries (the SDK client runs with `maxRetries: 0`): one place decides, a 429's
 * Retry-After pauses every request of the run (not only the one that got it), and each retry
 * goes through the rate limiter again.
 */
export class RetryPolicy {
  private pausedUntil = 0;

  constructor(
    private readonly maxRetries: number,
    private readonly signal: AbortSignal,
  ) {}

  /**
   * Starts the run-wide pause a 429 asks for, at once: called where the request failed, while it
   * still holds its limiter slot, so the request queued behind it sees the pause before sending.
   * Returns the delay before this request's own retry.
   */
  notice(err: unknown, attempt = 0): number {
    const asked = retryAfterMs(err);
    const delay = asked !== null ? Math.min(asked, MAX_RETRY_AFTER_MS) : backoff(attempt);
    if (err instanceof RateLimitError) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
    return delay;
  }

  /** Waits while the server asked the whole run to hold off. */
  async waitForPause(): Promise<void> {
    const wait = this.pausedUntil - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal: this.signal });
  }

  /**
   * Runs `attempt` until it succeeds, fails for good, or retries run out. `onRetry` hears
   * about each retry (for progress and counts).
   */
  async run<T>(attempt: () => Promise<T>, onRetry?: (err: unknown, delayMs: number) => void): Promise<T> {
    for (let n = 0; ; n++) {
      await this.waitForPause();
      try {
        return await attempt();
      } catch (err) {
        if (this.signal.aborted || !isTransient(err) || n >= this.maxRetries) throw err;
        const delay = this.notice(err, n);
        onRetry?.(err, delay);
        await sleep(delay, undefined, { signal: this.signal });
      }
    }
  }
}

/** Exponential backoff with "equal jitter" (half fixed, half random): spreads retries of parallel requests apart. */
export function backoff(attempt: number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
