import { MaterializationError } from '../../engine/index.js';

/**
 * What the local generator knows about one field, read from the zod 4 schema's internals
 * (`_zod.def`). Duck-typed so a user's own copy of zod works too.
 */
export type FieldSpec =
  | StringSpec
  | NumberSpec
  | { kind: 'boolean'; optional: boolean; nullable: boolean; description?: string }
  | { kind: 'enum'; values: unknown[]; optional: boolean; nullable: boolean; description?: string }
  | { kind: 'array'; element: FieldSpec; min: number; max?: number; optional: boolean; nullable: boolean; description?: string }
  | { kind: 'object'; fields: Record<string, FieldSpec>; optional: boolean; nullable: boolean; description?: string }
  | { kind: 'union'; options: FieldSpec[]; optional: boolean; nullable: boolean; description?: string }
  | { kind: 'unknown'; optional: boolean; nullable: boolean; description?: string };

export interface StringSpec {
  kind: 'string';
  /** zod string format (`email`, `uuid`, `url`, `datetime`, `date`, `regex`...), if any. */
  format?: string;
  minLength: number;
  maxLength?: number;
  optional: boolean;
  nullable: boolean;
  description?: string;
}

export interface NumberSpec {
  kind: 'number';
  int: boolean;
  /** Lower bound, and whether it is inclusive (`min`) or exclusive (`positive`, `gt`). */
  lo: number;
  loInclusive: boolean;
  hi: number;
  hiInclusive: boolean;
  multipleOf?: number;
  optional: boolean;
  nullable: boolean;
  description?: string;
}

interface ZodLike {
  _zod: { def: Record<string, unknown> & { type: string } };
  description?: string;
}

/** Reads a top-level or nested zod type into a {@link FieldSpec}. */
export function describeField(path: string, schema: unknown, asset: string): FieldSpec {
  let node = schema as ZodLike;
  let optional = false;
  let nullable = false;
  let description = node.description;
  // Wrappers first: they only change whether null/undefined are allowed.
  for (;;) {
    const t = node._zod.def.type;
    if (t === 'optional' || t === 'default' || t === 'prefault') optional = optional || t === 'optional';
    else if (t === 'nullable') nullable = true;
    else if (t === 'pipe') {
      // A transform or pipe: generate what it accepts; safeParse checks the rest.
      node = node._zod.def.in as ZodLike;
      description ??= node.description;
      continue;
    } else if (t !== 'readonly' && t !== 'catch' && t !== 'nonoptional') break;
    node = node._zod.def.innerType as ZodLike;
    description ??= node.description;
  }
  const def = node._zod.def;
  const base = { optional, nullable, description };
  const checks = [def, ...((def.checks as ZodLike[] | undefined) ?? []).map((c) => c._zod.def)];
  switch (def.type) {
    case 'string': {
      const spec: StringSpec = { kind: 'string', minLength: 0, ...base };
      for (const c of checks) {
        if (c.check === 'min_length') spec.minLength = Math.max(spec.minLength, c.minimum as number);
        else if (c.check === 'max_length') spec.maxLength = Math.min(spec.maxLength ?? Infinity, c.maximum as number);
        else if (c.check === 'length_equals') spec.minLength = spec.maxLength = c.length as number;
        else if (c.check === 'string_format' || typeof c.format === 'string') spec.format = c.format as string;
      }
      return spec;
    }
    case 'number':
    case 'bigint': {
      const spec: NumberSpec = { kind: 'number', int: def.type === 'bigint', lo: -Infinity, loInclusive: true, hi: Infinity, hiInclusive: true, ...base };
      for (const c of checks) {
        if (c.check === 'number_format' || (c === def && typeof c.format === 'string')) {
          if (/int/.test(String(c.format))) spec.int = true;
          if (c.format === 'uint32') raiseLo(spec, 0, true);
        } else if (c.check === 'greater_than') raiseLo(spec, Number(c.value), c.inclusive as boolean);
        else if (c.check === 'less_than') lowerHi(spec, Number(c.value), c.inclusive as boolean);
        else if (c.check === 'multiple_of') spec.multipleOf = Number(c.value);
      }
      if (spec.int) {
        // zod's safeint bounds: keep generated integers exact.
        raiseLo(spec, Number.MIN_SAFE_INTEGER, true);
        lowerHi(spec, Number.MAX_SAFE_INTEGER, true);
      }
      return spec;
    }
    case 'boolean':
      return { kind: 'boolean', ...base };
    case 'enum':
      return { kind: 'enum', values: Object.values(def.entries as Record<string, unknown>), ...base };
    case 'literal':
      return { kind: 'enum', values: [...(def.values as unknown[])], ...base };
    case 'array': {
      const spec = { kind: 'array' as const, element: describeField(`${path}[]`, def.element, asset), min: 0, max: undefined as number | undefined, ...base };
      for (const c of checks) {
        if (c.check === 'min_length') spec.min = Math.max(spec.min, c.minimum as number);
        else if (c.check === 'max_length') spec.max = Math.min(spec.max ?? Infinity, c.maximum as number);
        else if (c.check === 'length_equals') spec.min = spec.max = c.length as number;
      }
      return spec;
    }
    case 'object': {
      const shape = def.shape as Record<string, unknown>;
      const fields: Record<string, FieldSpec> = {};
      for (const [k, v] of Object.entries(shape)) fields[k] = describeField(`${path}.${k}`, v, asset);
      return { kind: 'object', fields, ...base };
    }
    case 'union':
      return { kind: 'union', options: (def.options as unknown[]).map((o) => describeField(path, o, asset)), ...base };
    case 'any':
    case 'unknown':
      return { kind: 'unknown', ...base };
    default:
      throw new MaterializationError({
        asset,
        what: `The local generator cannot generate field "${path}" of type ${def.type}.`,
        why: `Rows are JSON values and the local generator knows strings, numbers, booleans, enums, literals, arrays, objects and unions${def.type === 'date' ? '; a JS Date does not survive JSON' : ''}.`,
        fix: def.type === 'date' ? 'Use z.iso.datetime() or z.iso.date() for dates.' : 'Use a supported zod type for this field, or an LLM generator.',
      });
  }
}

function raiseLo(spec: NumberSpec, value: number, inclusive: boolean): void {
  if (value > spec.lo || (value === spec.lo && !inclusive)) {
    spec.lo = value;
    spec.loInclusive = inclusive;
  }
}

function lowerHi(spec: NumberSpec, value: number, inclusive: boolean): void {
  if (value < spec.hi || (value === spec.hi && !inclusive)) {
    spec.hi = value;
    spec.hiInclusive = inclusive;
  }
}
