import type { Constraint } from '../../rules/index.js';
import { cumulate } from './prng.js';

/**
 * The values a field may take so that some rules hold: an interval for numbers, and sets of
 * allowed/excluded values for anything. Samplers draw inside it instead of drawing blindly
 * and being rejected.
 */
export interface ValueBounds {
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
  /** When set, only these values (already intersected). */
  allowed?: unknown[];
  excluded: unknown[];
  /** The constraints that built these bounds, for error messages. */
  sources: string[];
}

export function openBounds(): ValueBounds {
  return { lo: -Infinity, loInclusive: true, hi: Infinity, hiInclusive: true, excluded: [], sources: [] };
}

/** Narrows `b` in place by one constraint. */
export function addConstraint(b: ValueBounds, c: Constraint): void {
  b.sources.push(`${c.op} ${JSON.stringify(c.value)}`);
  const v = c.value;
  switch (c.op) {
    case '==':
      intersectAllowed(b, [v]);
      break;
    case 'in':
      intersectAllowed(b, Array.isArray(v) ? v : [v]);
      break;
    case '!=':
      b.excluded.push(v);
      break;
    case 'not in':
      b.excluded.push(...(Array.isArray(v) ? v : [v]));
      break;
    case '>':
    case '>=':
      if (typeof v === 'number' && (v > b.lo || (v === b.lo && c.op === '>'))) {
        b.lo = v;
        b.loInclusive = c.op === '>=';
      }
      break;
    case '<':
    case '<=':
      if (typeof v === 'number' && (v < b.hi || (v === b.hi && c.op === '<'))) {
        b.hi = v;
        b.hiInclusive = c.op === '<=';
      }
      break;
  }
}

function intersectAllowed(b: ValueBounds, values: unknown[]): void {
  b.allowed = b.allowed ? b.allowed.filter((a) => values.some((v) => sameValue(a, v))) : [...values];
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b) || (typeof b === 'number' && typeof a === 'string' && String(b) === a);
}

/** Whether `value` lies within the bounds. */
export function admits(b: ValueBounds, value: unknown): boolean {
  if (b.allowed && !b.allowed.some((a) => sameValue(a, value))) return false;
  if (b.excluded.length && b.excluded.some((e) => sameValue(e, value))) return false;
  if (typeof value === 'number') {
    if (value < b.lo || (value === b.lo && !b.loInclusive)) return false;
    if (value > b.hi || (value === b.hi && !b.hiInclusive)) return false;
  }
  return true;
}

/** The `allowed` values that also pass the other bounds (interval, exclusions); undefined when no list is set. */
export function admittedValues(b: ValueBounds): unknown[] | undefined {
  if (!b.allowed) return undefined;
  const rest: ValueBounds = { ...b, allowed: undefined };
  return b.allowed.filter((v) => admits(rest, v));
}

/**
 * Cumulative weights of `values` with the values the bounds reject weighted 0 (the others keep
 * their relative weights), for `Prng.pickCumulative`; undefined when the bounds reject all.
 */
export function admittedCumulative(b: ValueBounds, values: readonly unknown[], weights: readonly number[]): number[] | undefined {
  const cumulative = cumulate(values.map((v, i) => (admits(b, v) ? weights[i] : 0)));
  return cumulative[cumulative.length - 1] > 0 ? cumulative : undefined;
}

/** True when no value at all can satisfy the bounds (e.g. `> 10` and `< 5`). */
export function isEmpty(b: ValueBounds): boolean {
  if (b.lo > b.hi || (b.lo === b.hi && !(b.loInclusive && b.hiInclusive))) return true;
  return admittedValues(b)?.length === 0;
}

/** Human-readable summary, e.g. `> 10, < 5`. */
export function describeBounds(b: ValueBounds): string {
  return b.sources.join(', ');
}
