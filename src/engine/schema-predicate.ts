import type { z } from 'zod';

/** A plain-function type test compiled from a zod schema. */
export type Predicate = (value: unknown) => boolean;

/**
 * Compiles a zod schema into a plain predicate that checks the same types (strings, numbers,
 * booleans, null, enums, literals, objects, records, arrays) without building a parsed copy or
 * issue lists. Refinements (`.int()`, `.min()`…) are not checked: this is the fast path that
 * `synth status` on tens of thousands of records can afford (the catalog's zod parse doubled
 * the load time, see README "Catalog format"); when it says no, zod itself names the problem.
 * A schema kind not listed here accepts anything, so the predicate is never stricter than zod.
 */
export function compilePredicate(schema: z.ZodType): Predicate {
  const def = schema.def as unknown as {
    type: string;
    innerType?: z.ZodType;
    element?: z.ZodType;
    valueType?: z.ZodType;
    entries?: Record<string, unknown>;
    values?: unknown[];
    shape?: Record<string, z.ZodType>;
  };
  switch (def.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return (v) => typeof v === def.type;
    case 'null':
      return (v) => v === null;
    case 'nullable': {
      const inner = compilePredicate(def.innerType!);
      return (v) => v === null || inner(v);
    }
    case 'optional': {
      const inner = compilePredicate(def.innerType!);
      return (v) => v === undefined || inner(v);
    }
    case 'enum': {
      const allowed = new Set(Object.values(def.entries!));
      return (v) => allowed.has(v);
    }
    case 'literal': {
      const allowed = new Set(def.values);
      return (v) => allowed.has(v);
    }
    case 'array': {
      const element = compilePredicate(def.element!);
      return (v) => Array.isArray(v) && v.every(element);
    }
    case 'record': {
      const value = compilePredicate(def.valueType!);
      return (v) => isPlainObject(v) && Object.values(v).every(value);
    }
    case 'object': {
      const fields = Object.entries((schema as unknown as { shape: Record<string, z.ZodType> }).shape).map(([key, s]) => [key, compilePredicate(s)] as const);
      return (v) => {
        if (!isPlainObject(v)) return false;
        for (const [key, test] of fields) if (!test(v[key])) return false;
        return true;
      };
    }
    default:
      return () => true;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
