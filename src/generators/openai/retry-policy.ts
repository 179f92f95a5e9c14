import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitError } from 'openai';
import { RetryAfterUse, retryDelayMs, withRetry, type RetryPolicy as Policy } from '../../engine/index.js';
import { isTransient, retryAfterMs } from './server-errors.js';

/**
 * OpenAI's policy for the engine's retry loop: transient failures (connection, timeout, 408, 409,
 * 5xx, a 429 that is not "insufficient_quota") are retried; a server's Retry-After is the delay
 * (cut to 10 minutes), otherwise backoff from 250 ms up to 30 s.
 */
function openAiPolicy(maxRetries: number): Policy {
  return {
    retries: maxRetries,
    minDelayMs: 250,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 10 * 60_000,
    retryAfter: RetryAfterUse.exact,
    retryable: isTransient,
    retryAfterMs: (err) => retryAfterMs(err) ?? undefined,
  };
}

/**
 * We own retries (the SDK client runs with `maxRetries: 0`): one place decides, a 429's
 * Retry-After pauses every request of the run (not only the one that got it), and each retry
 * goes through the rate limiter again.
 */
export class RetryPolicy {
  private pausedUntil = 0;
  private readonly policy: Policy;

  constructor(
    maxRetries: number,
    private readonly signal: AbortSignal,
  ) {
    this.policy = openAiPolicy(maxRetries);
  }

  /**
   * Starts the run-wide pause a 429 asks for, at once: called where the request failed, while it
   * still holds its limiter slot, so the request queued behind it sees the pause before sending.
   * Returns the delay before this request's own retry.
   */
  notice(err: unknown, attempt = 0): number {
    const delay = retryDelayMs(attempt + 1, this.policy, this.policy.retryAfterMs?.(err));
    this.pause(err, delay);
    return delay;
  }

  private pause(err: unknown, delay: number): void {
    if (err instanceof RateLimitError) this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
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
  run<T>(attempt: () => Promise<T>, onRetry?: (err: unknown, delayMs: number) => void): Promise<T> {
    return withRetry(
      async () => {
        await this.waitForPause();
        return attempt();
      },
      this.policy,
      {
        signal: this.signal,
        onRetry: (err, _retry, delay) => {
          this.pause(err, delay);
          onRetry?.(err, delay);
        },
      },
    );
  }
}
