import { closest, distance } from 'fastest-levenshtein';

/** A zod issue as option parsers see it (zod 4), without importing zod's types here. */
export interface OptionIssue {
  code?: string;
  path: ReadonlyArray<PropertyKey>;
  message: string;
  /** `unrecognized_keys` issues: the keys a strict object does not know. */
  keys?: readonly string[];
}

/** The closest of `known` to `name` when it is close enough to be a typo of it, else undefined. */
export function didYouMean(name: string, known: Iterable<string>): string | undefined {
  const list = [...known];
  if (list.length === 0) return undefined;
  const near = closest(name, list);
  // Case-only differences (`label` for `Label`) always count; otherwise allow ~1 edit per 3 characters.
  if (near.toLowerCase() === name.toLowerCase()) return near;
  return distance(name, near) <= Math.max(2, Math.floor(name.length / 3)) ? near : undefined;
}

/** ` Did you mean "x"?` or an empty string. */
export function didYouMeanText(name: string, known: Iterable<string>): string {
  const near = didYouMean(name, known);
  return near === undefined ? '' : ` Did you mean "${near}"?`;
}

/** The keys a schema allows at a path (objects nested in objects), for suggestions. */
function keysAt(shape: Record<string, unknown> | undefined, path: readonly PropertyKey[]): string[] {
  let current: unknown = shape ? { shape } : undefined;
  for (const segment of [...path]) {
    const s = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
    let next = s?.[String(segment)] as { _zod?: { def?: { innerType?: unknown; type?: string } } } | undefined;
    // Look through optional/default/nullable wrappers.
    while (next?._zod?.def?.innerType && next._zod.def.type !== 'object') next = next._zod.def.innerType as typeof next;
    current = next;
  }
  const s = (current as { shape?: Record<string, unknown> } | undefined)?.shape;
  return s ? Object.keys(s) : [];
}

/**
 * One sentence per zod issue of an options object: an unknown key is named, with the closest
 * allowed key ("treshold: unknown option. Did you mean "threshold"?"), other issues as
 * `path: message`. `shape` is the object schema's shape, for the suggestions.
 */
export function describeOptionIssues(issues: readonly OptionIssue[], shape?: Record<string, unknown>): { text: string; unknownKeys: string[] } {
  const parts: string[] = [];
  const unknownKeys: string[] = [];
  for (const issue of issues) {
    const at = issue.path.map(String);
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      const allowed = keysAt(shape, issue.path);
      for (const key of issue.keys) {
        const full = [...at, key].join('.');
        unknownKeys.push(full);
        parts.push(`"${full}" is not an option.${didYouMeanText(key, allowed)}${allowed.length ? ` Allowed: ${allowed.join(', ')}.` : ''}`);
      }
    } else {
      parts.push(`${at.length ? at.join('.') : '(options)'}: ${issue.message}`);
    }
  }
  return { text: parts.join('; '), unknownKeys };
}
