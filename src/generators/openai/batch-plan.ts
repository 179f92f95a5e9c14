import type { BatchPosition } from './batch-prompt.js';

/** What one answered request of a chain gave: the numbers the next attempt is planned from. */
export interface AttemptOutcome {
  /** Rows asked for. */
  asked: number;
  /** Rows the response held (0 for a response that was not `{rows: [...]}`). */
  received: number;
  /** Rows that passed the schema and the rules and were new to the chain. */
  valid: number;
}

/** Never ask for more than this many times the missing rows in one attempt, however bad the yield looks. */
const MAX_OVERASK = 10;

/**
 * The first requests of a run: `rows` split into batches of at most `batchSize`, numbered on
 * from `firstBatch`. Each becomes the root of a chain of attempts (see `planAttempt`).
 */
export function planBatches(rows: number, batchSize: number, firstBatch: number): BatchPosition[] {
  const positions: BatchPosition[] = [];
  for (let left = rows, batch = firstBatch; left > 0; left -= batchSize, batch++) {
    positions.push({ batch, round: 0, part: 0, rows: Math.min(batchSize, left) });
  }
  return positions;
}

/**
 * Row counts of the requests of a chain's next attempt, planned from that chain's own answers
 * only (never from timing, so the same cached answers always plan the same requests):
 *
 * - the server's real capacity: the most rows a response held when it held fewer than asked
 *   (servers running small models often return 4 rows when asked for 20); requests are sized to
 *   it, so asking for more rows means more requests, not bigger ones nobody fills;
 * - the yield: valid rows per row the server could have delivered (asked, capped at that
 *   capacity); the missing rows are divided by it, so a server that breaks a rule in 20% of its
 *   rows is asked for 5 rows when 4 are missing and the chain does not end a few rows short.
 */
export function planAttempt(missing: number, batchSize: number, history: readonly AttemptOutcome[]): number[] {
  const capacity = serverCapacity(history) ?? batchSize;
  const perRequest = Math.max(1, Math.min(batchSize, capacity));
  let deliverable = 0;
  let valid = 0;
  for (const h of history) {
    deliverable += Math.min(h.asked, capacity);
    valid += h.valid;
  }
  // No valid row yet tells nothing about the yield: ask for the missing rows as they are.
  const yieldRate = valid > 0 && deliverable > 0 ? Math.min(1, valid / deliverable) : 1;
  const toAsk = Math.min(Math.ceil(missing / yieldRate), missing * MAX_OVERASK);
  const requests = Math.ceil(toAsk / perRequest);
  // Even parts (the first ones one row larger), so no request is a tiny remainder.
  const base = Math.floor(toAsk / requests);
  const extra = toAsk - base * requests;
  return Array.from({ length: requests }, (_, i) => base + (i < extra ? 1 : 0));
}

/** The most rows a response held when it held fewer than asked (but some); null when every response was full. */
function serverCapacity(history: readonly AttemptOutcome[]): number | null {
  let capacity: number | null = null;
  for (const h of history) {
    if (h.received > 0 && h.received < h.asked) capacity = Math.max(capacity ?? 0, h.received);
  }
  return capacity;
}

/** The positions of one attempt of the chain rooted at `batch`. */
export function attemptPositions(batch: number, round: number, parts: number[]): BatchPosition[] {
  return parts.map((rows, part) => ({ batch, round, part, rows }));
}
