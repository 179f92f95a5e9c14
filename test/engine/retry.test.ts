import { describe, expect, it } from 'vitest';
import { RetryAfterUse, retryDelayMs, withRetry, type RetryPolicy } from '../../src/engine/retry.js';

class Busy extends Error {
  constructor(readonly retryAfterMs?: number) {
    super('busy');
  }
}

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  retries: 3,
  minDelayMs: 1,
  maxDelayMs: 4,
  maxRetryAfterMs: 20,
  retryAfter: RetryAfterUse.atLeast,
  retryable: (err) => err instanceof Busy,
  retryAfterMs: (err) => (err instanceof Busy ? err.retryAfterMs : undefined),
  ...over,
});

describe('the retry helper', () => {
  it('retries what the policy calls retryable, up to its retries, telling onRetry each time', async () => {
    const seen: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async (n) => {
        calls++;
        if (n < 2) throw new Busy();
        return 'done';
      },
      policy(),
      { onRetry: (_err, retry) => seen.push(retry) },
    );
    expect(value).toBe('done');
    expect(calls).toBe(3);
    expect(seen).toEqual([1, 2]);

    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Busy();
        },
        policy({ retries: 2 }),
      ),
    ).rejects.toBeInstanceOf(Busy);
    expect(calls).toBe(3);
  });

  it('does not repeat a failure the policy refuses, nor anything after abort', async () => {
    let calls = 0;
    const bug = new TypeError('bug');
    await expect(
      withRetry(async () => {
        calls++;
        throw bug;
      }, policy()),
    ).rejects.toBe(bug);
    expect(calls).toBe(1);

    const abort = new AbortController();
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          abort.abort();
          throw new Busy();
        },
        policy(),
        { signal: abort.signal },
      ),
    ).rejects.toBeInstanceOf(Busy);
    expect(calls).toBe(1);
  });

  it('uses Retry-After as the policy says: a floor under the backoff, or the delay itself; always within its cap', () => {
    const floor = policy({ minDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 });
    expect(retryDelayMs(1, floor, 10, () => 1)).toBe(100);
    expect(retryDelayMs(1, floor, 3_000, () => 1)).toBe(3_000);
    expect(retryDelayMs(1, floor, 60_000, () => 0)).toBe(5_000);
    const exact = { ...floor, retryAfter: RetryAfterUse.exact };
    expect(retryDelayMs(1, exact, 10, () => 1)).toBe(10);
    expect(retryDelayMs(1, exact, 60_000, () => 1)).toBe(5_000);
    // Without Retry-After: doubling with equal jitter, capped at maxDelayMs.
    expect(retryDelayMs(3, exact, undefined, () => 0)).toBe(200);
    expect(retryDelayMs(3, exact, undefined, () => 1)).toBe(400);
    expect(retryDelayMs(10, exact, undefined, () => 1)).toBe(1_000);
  });
});
