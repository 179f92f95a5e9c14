import type { ModelPrice } from './config.js';
import type { BatchResponse } from './batch-response.js';
import { costUsd } from './prices.js';

/** Token counts. */
export interface TokenCounts {
  prompt: number;
  completion: number;
}

/**
 * The reproducibility and spending record of a run: what served each response, its seed,
 * tokens and cost, split into responses sent now and served from the cache.
 */
export class UsageRecord {
  sent = 0;
  cached = 0;
  retries = 0;
  readonly tokens: TokenCounts = { prompt: 0, completion: 0 };
  readonly tokensThisRun: TokenCounts = { prompt: 0, completion: 0 };
  /** `response.model` values with how many responses named each. */
  readonly responseModels: Record<string, number> = {};
  readonly systemFingerprints: Record<string, number> = {};
  /** Seed sent with each request, in (batch, round, part) order. */
  readonly requestSeeds: number[] = [];

  constructor(private readonly price: ModelPrice | null) {}

  /** Counts one answer; called in (batch, round, part) order, so the record does not depend on arrival order. */
  add(seed: number, response: BatchResponse, cached: boolean): void {
    if (cached) this.cached++;
    else this.sent++;
    this.requestSeeds.push(seed);
    this.tokens.prompt += response.usage.prompt_tokens;
    this.tokens.completion += response.usage.completion_tokens;
    if (!cached) {
      this.tokensThisRun.prompt += response.usage.prompt_tokens;
      this.tokensThisRun.completion += response.usage.completion_tokens;
    }
    if (response.model) this.responseModels[response.model] = (this.responseModels[response.model] ?? 0) + 1;
    if (response.system_fingerprint) {
      this.systemFingerprints[response.system_fingerprint] = (this.systemFingerprints[response.system_fingerprint] ?? 0) + 1;
    }
  }

  /** USD for every response the dataset uses, cached ones included (they were paid for once). */
  get costUsd(): number {
    return costUsd(this.price, this.tokens.prompt, this.tokens.completion);
  }

  get costUsdThisRun(): number {
    return costUsd(this.price, this.tokensThisRun.prompt, this.tokensThisRun.completion);
  }

  /** Responses used so far: sent in this run or served from the cache. */
  get responses(): number {
    return this.sent + this.cached;
  }

  get totalTokens(): number {
    return this.tokens.prompt + this.tokens.completion;
  }
}

/** Rounds a dollar amount for display and metadata (sub-cent precision kept). */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
