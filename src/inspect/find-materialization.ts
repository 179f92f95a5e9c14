import { type CatalogIndex, type Materialization, UsageError } from '../engine/index.js';

/** Finds a materialization of an asset by full id or unique id prefix. */
export function findMaterialization(index: CatalogIndex, asset: string, id: string): Materialization {
  const list = index.history(asset);
  const exact = list.find((m) => m.id === id);
  if (exact) return exact;
  const matches = list.filter((m) => m.id.startsWith(id));
  if (matches.length === 1) return matches[0];
  const other = index.get(id);
  throw new UsageError({
    what: `No materialization "${id}" of "${asset}".`,
    why: other
      ? `${id} is a materialization of "${other.asset}", not of "${asset}".`
      : matches.length > 1
        ? `"${id}" matches ${matches.length} materializations; give more of the id.`
        : `"${asset}" has ${list.length} materialization${list.length === 1 ? '' : 's'} and none has that id.`,
    fix: `Run \`synth history ${asset}\` to list its materialization ids.`,
  });
}
