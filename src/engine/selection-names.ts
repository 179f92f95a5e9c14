// Apart from selection.ts (which brings picomatch and the kind registry): a command answered from
// the status snapshot tells a selection of plain names from one that needs the graph.

/** An asset name as an atom of the selection language. */
export const SELECTION_NAME = /^[A-Za-z_][\w.-]*$/;

/** Words the selection language reserves (any case). */
export const SELECTION_KEYWORDS: readonly string[] = ['and', 'or', 'not'];

/**
 * The asset names of a selection made only of names (words separated by spaces or commas: a
 * union), as a set; empty for no selection; undefined when any word is more than a name (a glob,
 * `+name`, `kind:`, a keyword...), which only `resolveSelection` can answer.
 */
export function plainNames(items: readonly string[]): Set<string> | undefined {
  const names = new Set<string>();
  for (const word of items.flatMap((s) => s.split(/[\s,]+/))) {
    if (word === '') continue;
    if (!SELECTION_NAME.test(word) || SELECTION_KEYWORDS.includes(word.toLowerCase())) return undefined;
    names.add(word);
  }
  return names;
}
