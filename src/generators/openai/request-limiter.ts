import Bottleneck from 'bottleneck';
import pLimit, { type LimitFunction } from 'p-limit';

/** Limits of one generator run. */
export interface LimiterOptions {
  /** Requests in flight at once. */
  concurrency: number;
  /** Requests per minute (token bucket), or unlimited. */
  rpm?: number;
  /** Tokens per minute (token bucket charged with each request's estimate), or unlimited. */
  tpm?: number;
  /**
   * Keep the budgets in Redis, shared by every process that names the same Redis and `id`
   * (bottleneck's clustering mode), so that N workers together stay within rpm/tpm. Default: in process.
   */
  shared?: { redisUrl: string; id: string };
}

/** Seconds' worth of budget a bucket may hold: bursts stay short, as servers count in short windows too. */
const BURST_SECONDS = 10;

/**
 * Concurrency (p-limit) and requests-per-minute / tokens-per-minute budgets (bottleneck
 * reservoirs, created only when configured: bottleneck costs ~0.3 ms a job). Each budget is
 * a token bucket refilled continuously up to ten seconds' worth. Tokens are charged with the
 * request's estimate and corrected with its real usage once known.
 */
export class RequestLimiter {
  private readonly slots: LimitFunction;
  private readonly requests: Bottleneck | null;
  private readonly tokens: Bottleneck | null;
  private readonly tokenCapacity: number;

  constructor(options: LimiterOptions) {
    this.slots = pLimit(options.concurrency);
    this.requests = options.rpm ? new Bottleneck({ ...bucket(options.rpm), ...clustered(options.shared, 'rpm') }) : null;
    this.tokens = options.tpm ? new Bottleneck({ ...bucket(options.tpm), ...clustered(options.shared, 'tpm') }) : null;
    this.tokenCapacity = options.tpm ? capacity(options.tpm) : Infinity;
  }

  /**
   * Runs `task` once the budgets allow. The task returns its value and, when known, the
   * tokens it really used, which corrects the estimate charged to the token bucket.
   */
  async run<T>(estimatedTokens: number, task: () => Promise<{ value: T; actualTokens?: number }>): Promise<T> {
    const weight = Math.max(1, Math.min(Math.ceil(estimatedTokens), this.tokenCapacity));
    // Budgets are taken inside the slot, right before sending, so a send never lags its token.
    const { value, actualTokens } = await this.slots(async () => {
      if (this.tokens) await this.tokens.schedule({ weight }, async () => undefined);
      if (this.requests) await this.requests.schedule(async () => undefined);
      return task();
    });
    if (this.tokens && actualTokens !== undefined && actualTokens !== weight) {
      // Charge the real usage: give back an overestimate, or take the extra from the bucket.
      await this.tokens.incrementReservoir(weight - actualTokens);
    }
    return value;
  }

  async close(): Promise<void> {
    this.slots.clearQueue();
    await Promise.all([this.requests?.disconnect(false), this.tokens?.disconnect(false)]);
  }
}

/** Bottleneck's Redis ("clustering") settings: one bucket per id in Redis, created by the first process and kept (never cleared) by the others. */
function clustered(shared: LimiterOptions['shared'], budget: string): Bottleneck.ConstructorOptions {
  if (!shared) return {};
  const url = new URL(shared.redisUrl);
  return {
    datastore: 'ioredis',
    id: `synth-llm:${budget}:${shared.id}`,
    clearDatastore: false,
    // Waiting requests learn of refills from this heartbeat (bottleneck's Redis default is 5 s).
    heartbeatInterval: 250,
    // An idle bucket's keys expire after an hour, then start full again.
    timeout: 3_600_000,
    clientOptions: {
      host: url.hostname,
      port: Number(url.port || 6379),
      db: Number(url.pathname.slice(1) || 0),
      ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    },
  };
}

function capacity(perMinute: number): number {
  return Math.max(1, Math.ceil((perMinute / 60) * BURST_SECONDS));
}

function bucket(perMinute: number): Bottleneck.ConstructorOptions {
  const cap = capacity(perMinute);
  // Refill one unit at a time (or a chunk every 50 ms for large budgets) so the bucket stays smooth.
  const interval = Math.max(50, 60_000 / perMinute);
  return { reservoir: cap, reservoirIncreaseInterval: interval, reservoirIncreaseAmount: (perMinute / 60_000) * interval, reservoirIncreaseMaximum: cap };
}
