import type { AssetStatus } from '../engine/index.js';

/** How many of the named assets are fresh, stale and missing (every state present, 0 when none). */
export function countStates(names: readonly string[], status: ReadonlyMap<string, AssetStatus>): Record<AssetStatus['state'], number> {
  const counts: Record<AssetStatus['state'], number> = { fresh: 0, stale: 0, missing: 0 };
  for (const n of names) counts[status.get(n)!.state]++;
  return counts;
}
