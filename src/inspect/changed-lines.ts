import type * as Diff from 'diff';
import { lazyPackage } from '../engine/index.js';

const diff = lazyPackage<typeof Diff>('diff');

/**
 * Lines changed between two texts, as a reader counts them: an edited line is one change
 * (not one removal plus one addition), so each block of changes counts its longer side.
 */
export function changedLines(before: string, after: string): number {
  let total = 0;
  let removed = 0;
  let added = 0;
  for (const part of diff().diffLines(before, after)) {
    if (part.removed) removed += part.count ?? 0;
    else if (part.added) added += part.count ?? 0;
    else {
      total += Math.max(removed, added);
      removed = added = 0;
    }
  }
  return total + Math.max(removed, added);
}
