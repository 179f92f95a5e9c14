import type { ImageManifestRow } from './image-manifest.js';

/** Which images differ between two manifests of one asset, by image id (`<row>_<n>`) and row key. */
export interface ManifestDiff {
  /** Images whose bytes (or refusal) changed, as `row_key` (else id). */
  changed: string[];
  /** Images only in the newer manifest. */
  added: string[];
  /** Images only in the older manifest. */
  removed: string[];
  /** Images the same in both. */
  unchanged: number;
}

const labelOf = (m: ImageManifestRow) => m.row_key ?? m.id;
const contentOf = (m: ImageManifestRow) => (m.status === 'ok' ? `ok:${m.sha256}` : `refused:${m.prompt}`);

/** Compares two manifests image by image (matched on `id`). */
export function diffManifests(before: readonly ImageManifestRow[], after: readonly ImageManifestRow[]): ManifestDiff {
  const old = new Map(before.map((m) => [m.id, m]));
  const diff: ManifestDiff = { changed: [], added: [], removed: [], unchanged: 0 };
  const seen = new Set<string>();
  for (const m of after) {
    seen.add(m.id);
    const was = old.get(m.id);
    if (!was) diff.added.push(labelOf(m));
    else if (contentOf(was) !== contentOf(m) || was.row_key !== m.row_key) diff.changed.push(labelOf(m));
    else diff.unchanged++;
  }
  for (const m of before) if (!seen.has(m.id)) diff.removed.push(labelOf(m));
  return diff;
}
