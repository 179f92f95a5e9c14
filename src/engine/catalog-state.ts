import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { check, unreadable } from './catalog-checks.js';
import type { LogPosition } from './catalog-log.js';
import { CATALOG_VERSION, damaged, migrateCatalog } from './catalog-migrations.js';
import { type Materialization, MaterializationSchema } from './catalog-records.js';
import { compilePredicate } from './schema-predicate.js';

/** An asset's current state: its latest materialization, and its latest successful one. */
export interface Current {
  last: Materialization;
  success?: Materialization;
}

/**
 * Fields of a materialization that the index line of the state file holds: what staleness, a no-op
 * `materialize` and `status` read. `checks` is there whenever the record has checks (a failed
 * blocking check blocks what is below it): null in the index means the record has none.
 */
const INDEXED = ['id', 'asset', 'kind', 'status', 'cache_key', 'data_hash', 'bytes', 'rows', 'format', 'finished_at', 'checks'] as const;
type IndexedField = (typeof INDEXED)[number];

const shape = MaterializationSchema.shape;
/**
 * The index, one column per field (columns parse in a third of the time of one object per record,
 * and make no object per record), record i being the i-th line after the index line. An asset's
 * records are its last one and, when that one failed, its latest success right after it (the
 * same `asset` twice in a row).
 */
const ColumnsSchema = z.object({
  id: z.array(shape.id),
  asset: z.array(shape.asset),
  kind: z.array(shape.kind),
  status: z.array(shape.status),
  cache_key: z.array(shape.cache_key),
  data_hash: z.array(shape.data_hash),
  bytes: z.array(shape.bytes),
  rows: z.array(shape.rows),
  format: z.array(shape.format),
  finished_at: z.array(shape.finished_at),
  checks: z.array(shape.checks.unwrap().nullable()),
  /** Byte offset of the record's line, counted from the start of the file's second line. */
  at: z.array(z.number().int().min(0)),
  /** Length of that line in bytes, without its newline. */
  len: z.array(z.number().int().min(0)),
});
type Columns = z.infer<typeof ColumnsSchema>;

/** The first line of `state.jsonl`: the format, the position in the materializations log it is as of, and the index of the records. */
const StateIndexSchema = z.object({
  version: z.literal(CATALOG_VERSION),
  position: z.object({ segment: z.number(), offset: z.number() }),
  records: ColumnsSchema,
});
const isStateIndex = compilePredicate(StateIndexSchema);
const isMaterialization = compilePredicate(MaterializationSchema);

/** Where the whole records of a state file are: its bytes after the index line, and their index. */
interface Source {
  file: string;
  records: Buffer;
  /** File offset of `records`, for error messages. */
  base: number;
  columns: Columns;
}

/** The target of a record read lazily: where its index entry is, and the whole record once something else was asked. */
interface Lazy {
  i: number;
  source: Source;
  whole?: Materialization;
}

const INDEXED_KEYS = new Set<PropertyKey>(INDEXED);
/** Asked of a record by the writer: its lazy target, when it is one (its line is then copied, not parsed and written again). */
const LAZY = Symbol('lazy record');

function whole(t: Lazy): Materialization {
  if (t.whole) return t.whole;
  const { file, records, base, columns } = t.source;
  const at = columns.at[t.i];
  const len = columns.len[t.i];
  const id = columns.id[t.i];
  const where = `the record at byte ${base + at}: `;
  if (at + len > records.length) throw damaged(file, `${where}it ends past the end of the file.`);
  let raw: unknown;
  try {
    raw = JSON.parse(records.toString('utf8', at, at + len));
  } catch (err) {
    throw damaged(file, `${where}${(err as Error).message}.`);
  }
  check(file, MaterializationSchema, isMaterialization, raw, where);
  if ((raw as Materialization).id !== id) throw damaged(file, `${where}it is ${(raw as Materialization).id}, not ${id} as the index line says.`);
  return (t.whole = raw as Materialization);
}

/**
 * A record of the state file as the catalog hands it out: an ordinary materialization to every
 * reader (spread, `JSON.stringify`, `Object.keys` see the whole record, in its order), whose indexed
 * fields are answered from the index line and whose line is parsed (and checked) only when another
 * field is asked. A no-op run over 10,000 assets parses none of them.
 */
const handler: ProxyHandler<Lazy> = {
  get: (t, k) => (k === LAZY ? t : t.whole ? t.whole[k as keyof Materialization] : INDEXED_KEYS.has(k) ? indexed(t, k as IndexedField) : whole(t)[k as keyof Materialization]),
  has: (t, k) => k in whole(t),
  ownKeys: (t) => Reflect.ownKeys(whole(t)),
  getOwnPropertyDescriptor: (t, k) => Reflect.getOwnPropertyDescriptor(whole(t), k),
  set: (t, k, v) => Reflect.set(whole(t), k, v),
  deleteProperty: (t, k) => Reflect.deleteProperty(whole(t), k),
  defineProperty: (t, k, d) => Reflect.defineProperty(whole(t), k, d),
  getPrototypeOf: () => Object.prototype,
};

function indexed(t: Lazy, k: IndexedField): unknown {
  const v = t.source.columns[k][t.i];
  return k === 'checks' && v === null ? undefined : v;
}

function lazy(i: number, source: Source): Materialization {
  return new Proxy<Lazy>({ i, source }, handler) as unknown as Materialization;
}

/** A state file read: every asset's current records, the log position they are as of, and the bytes a reader parses of it. */
export interface StateRead {
  position: LogPosition;
  assets: Current[];
  /** What every reader parses: the index line (the record lines are parsed when asked for). */
  parsedBytes: number;
}

/**
 * Reads `state.jsonl`; undefined when it does not exist. Only the index line is parsed and checked
 * here; each whole record when first needed (see {@link handler}). The file's bytes are kept (outside
 * the JS heap) for that, so a compaction that replaces the file meanwhile changes nothing for us.
 */
export function readStateFile(file: string): StateRead | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unreadable(file, err);
  }
  const nl = bytes.indexOf(0x0a);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8', 0, nl < 0 ? bytes.length : nl));
  } catch (err) {
    throw unreadable(file, err);
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > CATALOG_VERSION) migrateCatalog(file, raw); // throws "written by a newer synthgraph"
  check(file, StateIndexSchema, isStateIndex, raw);
  if (nl < 0) throw damaged(file, 'It ends after its index line: the records it indexes are not there.');
  const index = raw as z.infer<typeof StateIndexSchema>;
  const columns = index.records;
  const n = columns.id.length;
  for (const k of [...INDEXED, 'at', 'len'] as const) if (columns[k].length !== n) throw damaged(file, `records.${k}: ${columns[k].length} entries, not ${n} as records.id.`);
  const source: Source = { file, records: bytes.subarray(nl + 1), base: nl + 1, columns };
  const assets: Current[] = [];
  for (let i = 0; i < n; i++) {
    const last = lazy(i, source);
    // The same asset again: its latest success, after its last record (a failure).
    if (i + 1 < n && columns.asset[i + 1] === columns.asset[i]) assets.push({ last, success: lazy(++i, source) });
    else assets.push({ last, success: columns.status[i] === 'success' ? last : undefined });
  }
  return { position: index.position, assets, parsedBytes: nl + 1 };
}

/**
 * The bytes of `state.jsonl` for these current records: the index line, then each whole record on a
 * line of its own. A record read from the previous state file and never parsed is copied as it was.
 */
export function stateFileBytes(position: LogPosition, current: Iterable<Current>): Buffer {
  const lines: Buffer[] = [];
  const columns = Object.fromEntries([...INDEXED, 'at', 'len'].map((k) => [k, [] as unknown[]])) as Record<IndexedField | 'at' | 'len', unknown[]>;
  let at = 0;
  const add = (m: Materialization): void => {
    const t = (m as unknown as Record<symbol, Lazy | undefined>)[LAZY];
    const line = t && !t.whole ? t.source.records.subarray(t.source.columns.at[t.i], t.source.columns.at[t.i] + t.source.columns.len[t.i]) : Buffer.from(JSON.stringify(m));
    for (const k of INDEXED) columns[k].push(m[k] ?? null);
    columns.at.push(at);
    columns.len.push(line.length);
    lines.push(line, NEWLINE);
    at += line.length + 1;
  };
  for (const c of current) {
    add(c.last);
    if (c.success && c.success !== c.last) add(c.success);
  }
  return Buffer.concat([Buffer.from(JSON.stringify({ version: CATALOG_VERSION, position, records: columns }) + '\n'), ...lines]);
}

const NEWLINE = Buffer.from('\n');
