/**
 * Value semantics of the rule language. Rules check generated rows, so they never coerce:
 * a missing field (undefined) makes every comparison false, and values of different types
 * (number vs string...) are incomparable, so `==`, `!=` and the orderings are all false.
 * `null` is a value of its own: `x == null` is true only when the field is present and null.
 */

/** `true` equal, `false` different, `undefined` incomparable (missing operand or different types). */
export function equality(a: unknown, b: unknown): boolean | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ta = typeof a;
  if (ta !== typeof b) return undefined;
  if (ta !== 'object') return false; // same primitive type, not ===
  return deepEqual(a, b);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Negative/zero/positive, or `undefined` when the two cannot be ordered (only number-number, string-string, Date-Date). */
export function order(a: unknown, b: unknown): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) || Number.isNaN(b) ? undefined : a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return undefined;
}

/**
 * `needle in haystack`: membership in an array (by `==`), or substring of a string.
 * `undefined` when incomparable (missing operand, haystack neither array nor string).
 */
export function membership(needle: unknown, haystack: unknown): boolean | undefined {
  if (needle === undefined || haystack === undefined) return undefined;
  if (Array.isArray(haystack)) return haystack.some((item) => equality(needle, item) === true);
  if (typeof haystack === 'string') return typeof needle === 'string' ? haystack.includes(needle) : undefined;
  return undefined;
}

/**
 * Truthiness of a value used as a condition (`if in_stock, ...`): false for missing, null,
 * false, 0, NaN, "" and empty arrays; true otherwise.
 */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  return Boolean(v);
}

/** Type name for messages. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
