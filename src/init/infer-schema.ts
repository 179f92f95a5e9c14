/**
 * Infers a row schema from a table's values, for `synth init --from`. It sees only column names
 * and values, as strings (CSV cells) or JSON values (numbers, booleans, null, arrays), so it does
 * not depend on which parser read the file.
 */

/** What one column holds. */
export type InferredType =
  | { kind: 'integer' | 'number'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'string' }
  | { kind: 'string-array' | 'number-array' }
  /** Objects, or a mix of kinds: not generated (left out of the schema, with a comment). */
  | { kind: 'unsupported'; why: string };

export interface InferredColumn {
  name: string;
  type: InferredType;
  /** Some rows have null (or an empty / NA cell). */
  nullable: boolean;
  /** Some rows have no such key at all (JSON records only). */
  optional: boolean;
  /** Distinct non-missing values seen. */
  distinct: number;
  /**
   * Every value differs (at least 10 of them): an identifier or free text. Such a column has no
   * distribution to compare, so the fidelity check leaves it out (as SDMetrics does for ids and text).
   */
  unique: boolean;
}

/** Cells read as "no value" (CSV conventions: empty, NA, NULL, a lone dot as in the penguins data). */
const MISSING = new Set(['', 'na', 'n/a', 'null', 'none', 'nan', '.']);
/** Most distinct values a string column may have to become an enum. */
const MAX_ENUM_VALUES = 20;
const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

const isMissing = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && MISSING.has(v.trim().toLowerCase()));

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v.trim());
  return undefined;
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
  }
  return undefined;
}

/**
 * One column's type from its values: numbers (integer when every value is whole), booleans,
 * enums for strings with few distinct values (at most 20, and each seen twice on average),
 * arrays of strings or numbers, else strings.
 */
export function inferColumn(name: string, values: readonly unknown[]): InferredColumn {
  const present = values.filter((v) => v !== undefined);
  const optional = present.length < values.length;
  const known = present.filter((v) => !isMissing(v));
  const nullable = known.length < present.length;
  const distinct = new Set(known.map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)))).size;
  const column = (type: InferredType): InferredColumn => ({
    name,
    type,
    nullable,
    optional,
    distinct,
    unique: distinct === known.length && known.length >= 10 && (type.kind === 'integer' || type.kind === 'string'),
  });

  if (known.length === 0) return column({ kind: 'string' });
  if (known.some((v) => typeof v === 'object')) {
    if (!known.every(Array.isArray)) return column({ kind: 'unsupported', why: 'holds objects' });
    const items = (known as unknown[][]).flat();
    if (items.every((v) => typeof v === 'number')) return column({ kind: 'number-array' });
    if (items.every((v) => typeof v === 'string')) return column({ kind: 'string-array' });
    return column({ kind: 'unsupported', why: 'holds arrays of mixed or nested values' });
  }
  const numbers = known.map(asNumber);
  if (numbers.every((n) => n !== undefined)) {
    const ns = numbers as number[];
    let min = Infinity;
    let max = -Infinity;
    for (const n of ns) {
      if (n < min) min = n;
      if (n > max) max = n;
    }
    return column({ kind: ns.every(Number.isInteger) ? 'integer' : 'number', min, max });
  }
  if (known.every((v) => asBoolean(v) !== undefined)) return column({ kind: 'boolean' });
  if (distinct <= MAX_ENUM_VALUES && distinct * 2 <= known.length) {
    const values = [...new Set(known.map(String))].sort((a, b) => a.localeCompare(b));
    return column({ kind: 'enum', values });
  }
  return column({ kind: 'string' });
}

/** Every column of a table, in first-seen order (a key missing from some records is optional). */
export function inferColumns(records: readonly Record<string, unknown>[], header?: readonly string[]): InferredColumn[] {
  const names = new Set<string>(header ?? []);
  for (const r of records) for (const k of Object.keys(r)) names.add(k);
  return [...names].map((name) =>
    inferColumn(
      name,
      records.map((r) => (Object.hasOwn(r, name) ? r[name] : undefined)),
    ),
  );
}

/** A string as a single-quoted TypeScript literal. */
export const tsString = (s: string): string => `'${JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;

/**
 * A property key as TypeScript source: bare when it is an identifier, quoted otherwise;
 * `__proto__` computed, so it names a column rather than setting the object's prototype.
 */
export const tsKey = (name: string): string => (name === '__proto__' ? `[${tsString(name)}]` : /^[A-Za-z_$][\w$]*$/.test(name) ? name : tsString(name));

/** The zod expression of a column (`z.number().int().nullable()`), or undefined when unsupported. */
export function zodOf(column: InferredColumn): string | undefined {
  const t = column.type;
  let base: string;
  switch (t.kind) {
    case 'integer':
      base = 'z.number().int()';
      break;
    case 'number':
      base = 'z.number()';
      break;
    case 'boolean':
      base = 'z.boolean()';
      break;
    case 'enum':
      base = `z.enum([${t.values.map(tsString).join(', ')}])`;
      break;
    case 'string':
      base = 'z.string()';
      break;
    case 'string-array':
      base = 'z.array(z.string())';
      break;
    case 'number-array':
      base = 'z.array(z.number())';
      break;
    case 'unsupported':
      return undefined;
  }
  return base + (column.nullable ? '.nullable()' : '') + (column.optional ? '.optional()' : '');
}

/** `z.object({...})` source for the columns, one per line, unsupported ones as comments. */
export function renderZodObject(columns: readonly InferredColumn[], indent = '  '): string {
  const lines = columns.map((c) => {
    const zod = zodOf(c);
    if (zod) return `${indent}${tsKey(c.name)}: ${zod},`;
    return `${indent}// ${tsKey(c.name)}: left out, the column ${c.type.kind === 'unsupported' ? c.type.why : ''}; declare it by hand to generate it.`;
  });
  return `z.object({\n${lines.join('\n')}\n})`;
}
