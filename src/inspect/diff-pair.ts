import { type CatalogIndex, type Materialization, UsageError } from '../engine/index.js';
import { findMaterialization } from './find-materialization.js';

/** Picks the two materializations to compare: given ids, else the latest vs the one before it (successful ones). */
export function pickDiffPair(index: CatalogIndex, asset: string, ids: readonly string[]): [Materialization, Materialization] {
  if (ids.length > 2) throw new UsageError({ what: `--diff takes at most two materialization ids, got ${ids.length}.`, fix: `Example: synth history ${asset} --diff mat_A mat_B` });
  const successes = index.history(asset).filter((m) => m.status === 'success');
  const latest = successes[successes.length - 1];
  if (ids.length === 2) return [findMaterialization(index, asset, ids[0]), findMaterialization(index, asset, ids[1])];
  if (ids.length === 1) {
    if (!latest) throw new UsageError({ what: `"${asset}" has no successful materialization to compare with.`, fix: `Give two ids: synth history ${asset} --diff A B` });
    return [findMaterialization(index, asset, ids[0]), latest];
  }
  if (successes.length < 2) {
    throw new UsageError({
      what: `"${asset}" has ${successes.length} successful materialization${successes.length === 1 ? '' : 's'}: nothing to compare.`,
      fix: `Give two ids (see \`synth history ${asset}\`): synth history ${asset} --diff A B`,
    });
  }
  return [successes[successes.length - 2], latest];
}
