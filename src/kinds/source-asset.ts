import { type AssetContext, type AssetDef, type CommonOptions, COMMON_OPTION_KEYS, defineAsset, type FileRef, type OnBadLine, type Row, type RowSchema } from '../engine/index.js';

/** What a `source()` definition carries (see `SourceOptions`). */
export interface SourceSpec {
  kind: 'source';
  /** Files (paths or globs relative to the root) whose content is the source's data. */
  files?: FileRef[];
  /** Loader for data that is not a file; its result is hashed after loading. */
  load?: (ctx: AssetContext) => Promise<Row[]> | Row[];
  /** See {@link SourceOptions.onBadLine}. */
  onBadLine?: OnBadLine;
  /** See {@link SourceOptions.schema}. */
  schema?: RowSchema;
}

/** Options of a source asset: external data observed by content. */
export interface SourceOptions extends CommonOptions<Record<never, never>> {
  /**
   * Files holding the data (JSON array, JSONL or CSV), relative to the project root, globs allowed,
   * or `{ package, path }` for a file shipped in an installed npm package.
   * The content is hashed on every `status`/`materialize`, so new data makes downstream stale.
   * Example: `'data/live/*.csv'`, `{ package: 'vega-datasets', path: 'data/penguins.json' }`.
   */
  file?: FileRef | FileRef[];
  /** Loads rows from anywhere else. Its result is hashed; it runs when its code version changes. */
  load?: (ctx: AssetContext) => Promise<Row[]> | Row[];
  /**
   * What a malformed CSV/TSV/JSONL line does: 'error' (default) stops the run with exit 2 naming
   * file:line; 'skip' leaves it out and warns with how many lines were skipped (an unclosed quote,
   * which would swallow the rest of the file, is an error either way).
   * @example onBadLine: 'skip'
   */
  onBadLine?: OnBadLine;
  /**
   * Row schema of the files: a CSV/TSV column is typed as a number or boolean only when the schema
   * declares it so (other columns keep their text, e.g. "01234" or "2012-01-01"). Default: a column
   * becomes numbers only when every cell is a canonical number, booleans when every cell is true/false.
   * @example schema: z.object({ zip: z.string(), price: z.number() })
   */
  schema?: RowSchema;
}

const SOURCE_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'file', 'load', 'onBadLine', 'schema'];

/** Declares real (non-generated) data: files or a loader. */
export function source<T extends Row = Row>(options: SourceOptions): AssetDef<T[]> {
  const files = options.file === undefined ? undefined : Array.isArray(options.file) ? options.file : [options.file];
  return defineAsset<T[], SourceSpec>(options, { kind: 'source', files, load: options.load, onBadLine: options.onBadLine, schema: options.schema }, SOURCE_OPTION_KEYS);
}
