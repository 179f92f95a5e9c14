import Bottleneck from 'bottleneck';

/** Limits of one generator run. */
export interface LimiterOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per minute (token bucket), or unlimited. */
  rpm?: number;
  /** Tokens per minute (token bucket charged with each request's estimate), or unlimited. */
  tpm?: number;
}

/** Seconds' worth of budget a bucket may hold: bursts stay short, as servers count in short windows too. */
const BURST_SECONDS = 10;

/**
 * Concurrency, requests-per-minute and tokens-per-minute budgets, with bottleneck. Each
 * budget is a token bucket refilled continuously (every `60 000 / perMinute` ms) up to
 * ten seconds' worth. Tokens are charged with the request's estimate and corrected with
 * its real usage once known.
 */
export class RequestLimiter {
  private readonly requests: Bottleneck;
  private readonly tokens: Bottleneck | null;
  private readonly tokenCapacity: number;

  constructor(options: LimiterOptions) {
    this.requests = new Bottleneck({ maxConcurrent: options.concurrency, ...bucket(options.rpm) });
    this.tokens = options.tpm ? new Bottleneck({ ...bucket(options.tpm) }) : null;
    this.tokenCapacity = options.tpm ? capacity(options.tpm) : Infinity;
  }

  /**
   * Runs `task` once the budgets allow. The task returns its value and, when known, the
   * tokens it really used, which corrects the estimate charged to the token bucket.
   */
  async run<T>(estimatedTokens: number, task: () => Promise<{ value: T; actualTokens?: number }>): Promise<T> {
    const weight = Math.max(1, Math.min(Math.ceil(estimatedTokens), this.tokenCapacity));
    const inner = () => this.requests.schedule(task);
    const { value, actualTokens } = this.tokens ? await this.tokens.schedule({ weight }, inner) : await inner();
    if (this.tokens && actualTokens !== undefined && actualTokens !== weight) {
      // Charge the real usage: give back an overestimate, or take the extra from the bucket.
      await this.tokens.incrementReservoir(weight - actualTokens);
    }
    return value;
  }

  async close(): Promise<void> {
    await Promise.all([this.requests.disconnect(false), this.tokens?.disconnect(false)]);
  }
}

function capacity(perMinute: number): number {
  return Math.max(1, Math.ceil((perMinute / 60) * BURST_SECONDS));
}

function bucket(perMinute: number | undefined): Bottleneck.ConstructorOptions {
  if (!perMinute) return {};
  const cap = capacity(perMinute);
  // Refill one unit at a time (or a chunk every 50 ms for large budgets) so the bucket stays smooth.
  const interval = Math.max(50, 60_000 / perMinute);
  return { reservoir: cap, reservoirIncreaseInterval: interval, reservoirIncreaseAmount: (perMinute / 60_000) * interval, reservoirIncreaseMaximum: cap };
}
