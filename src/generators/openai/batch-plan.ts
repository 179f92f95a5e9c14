import type { BatchPosition } from './batch-prompt.js';

/**
 * The batches of one round: `missing` rows split into requests of at most `batchSize`,
 * numbered on from `firstBatch`. Only counts of earlier results decide a round, so the
 * same cached responses always plan the same requests (what makes resume work).
 */
export function planRound(missing: number, batchSize: number, firstBatch: number, round: number): BatchPosition[] {
  const positions: BatchPosition[] = [];
  for (let left = missing, batch = firstBatch; left > 0; left -= batchSize, batch++) {
    positions.push({ batch, round, rows: Math.min(batchSize, left) });
  }
  return positions;
}
