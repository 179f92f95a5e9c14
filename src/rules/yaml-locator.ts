import type * as Yaml from 'yaml';
import type { Document, LineCounter, Node } from 'yaml';
import { lazyPackage } from '../engine/index.js';

/** Loaded on first use, as in prompt-file.ts (only prompt files are located in). */
const yaml = lazyPackage<typeof Yaml>('yaml');

/**
 * Maps a path of keys/indexes in a parsed YAML document to the 1-based line where it is
 * written, so errors found after validation (by us or by other modules) can point at the file.
 */

/** What a path resolves to: the deepest node found and whether the whole path was found. */
export interface YamlHit {
  /** The node to point at: the key of a mapping entry, the item of a sequence, or the deepest parent found. */
  node?: Node;
  /** The value node at the full path, when it exists. */
  value?: Node;
  found: boolean;
}

export function findNode(doc: Document, path: readonly (string | number)[]): YamlHit {
  let current: unknown = doc.contents;
  let pointAt: Node | undefined = (doc.contents as Node | null) ?? undefined;
  for (const segment of path) {
    if (yaml().isMap(current)) {
      const pair = current.items.find((p) => yaml().isPair(p) && (yaml().isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(segment));
      if (!pair) return { node: pointAt, found: false };
      // Point at the key: for a block value (`columns:` then indented lines) the key's line is the one to show.
      pointAt = (yaml().isScalar(pair.key) ? pair.key : (pair.value as Node | null)) ?? pointAt;
      current = pair.value;
    } else if (yaml().isSeq(current) && typeof segment === 'number') {
      const item = current.items[segment] as Node | undefined;
      if (!item) return { node: pointAt, found: false };
      pointAt = item;
      current = item;
    } else {
      return { node: pointAt, found: false };
    }
  }
  return { node: pointAt, value: (current as Node | null) ?? undefined, found: true };
}

/** 1-based line of a node's start, if it has a position. */
export function lineOfNode(lineCounter: LineCounter, node: Node | undefined): number | undefined {
  const start = node?.range?.[0];
  return start === undefined ? undefined : lineCounter.linePos(start).line;
}

/** 1-based line and column of a character offset. */
export function positionOfOffset(lineCounter: LineCounter, offset: number): { line: number; col: number } {
  return lineCounter.linePos(offset);
}
