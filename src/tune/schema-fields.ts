import type { RowSchema } from '../engine/index.js';

interface ZodLike {
  _zod?: { def?: { type?: string; innerType?: ZodLike; entries?: Record<string, string | number>; values?: unknown[] } };
}

function unwrap(t: ZodLike | undefined): ZodLike | undefined {
  let cur = t;
  for (let i = 0; i < 8 && cur?._zod?.def; i++) {
    const d = cur._zod.def;
    if ((d.type === 'nullable' || d.type === 'optional' || d.type === 'default') && d.innerType) cur = d.innerType;
    else break;
  }
  return cur;
}

/** The values a schema field allows when it is an enum or literal (undefined for open fields). */
export function allowedValues(schema: RowSchema, field: string): readonly unknown[] | undefined {
  const t = unwrap((schema as unknown as { shape: Record<string, ZodLike> }).shape[field]);
  const d = t?._zod?.def;
  if (d?.type === 'enum' && d.entries) return Object.values(d.entries);
  if (d?.type === 'literal' && d.values) return d.values;
  return undefined;
}

/** The zod type name of a field (`number`, `string`, ...), nullable/optional unwrapped. */
export function fieldType(schema: RowSchema, field: string): string | undefined {
  return unwrap((schema as unknown as { shape: Record<string, ZodLike> }).shape[field])?._zod?.def?.type;
}

/** Field names of a row schema. */
export function schemaFields(schema: RowSchema): string[] {
  return Object.keys((schema as unknown as { shape: object }).shape);
}
