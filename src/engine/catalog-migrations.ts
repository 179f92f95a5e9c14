import { CatalogError } from './catalog-error.js';

/**
 * The catalog format this synthgraph writes. Raise it (and add a migration below) whenever a change
 * to the catalog's records would be misread by the previous release; adding an optional field is not such a change.
 */
export const CATALOG_VERSION = 3;

type RawCatalog = Record<string, unknown>;

/**
 * `MIGRATIONS[n]` turns a catalog of format `n` into format `n + 1`. Migrations run in memory on
 * every read of an older catalog; the next command that records something writes the current format.
 */
const MIGRATIONS: readonly ((raw: RawCatalog) => RawCatalog)[] = [
  // 0 → 1: the first releases wrote no version field, and no `runs` or `schedules` before runs were recorded.
  ({ version: _none, runs, schedules, ...rest }) => ({ version: 1, ...rest, runs: runs ?? [], schedules: schedules ?? {} }),
  // 1 → 2: the records are unchanged, but the catalog is no longer one file: `catalog.json` only
  // names the format, and the state and history live in `.synth/catalog/` (see catalog.ts). A
  // format-1 file is read whole, as before, and split by the next command that records something.
  (raw) => ({ ...raw, version: 2, layout: LEGACY_LAYOUT }),
  // 2 → 3: the state file is `catalog/state.jsonl` (an index line holding what staleness needs, then
  // the whole records, parsed only when asked for) instead of `catalog/state.json` (every record
  // parsed by every command). A format-2 catalog is read through its `state.json`, and the next
  // command that records something writes `state.jsonl` then the new marker (see catalog.ts).
  (raw) => (raw.layout === SPLIT_LAYOUT ? { ...raw, version: 3, state: FORMAT_2_STATE } : { ...raw, version: 3 }),
];

/** `state` of a migrated format-2 marker: its current state is in `catalog/state.json`, whole records. */
export const FORMAT_2_STATE = 'state.json';

/** `layout` of a catalog read from a format-1 file: its records are in `catalog.json` itself. */
export const LEGACY_LAYOUT = 'whole-file';
/** `layout` of the current format: `catalog.json` names the format, the records are in `.synth/catalog/`. */
export const SPLIT_LAYOUT = 'catalog/';

/**
 * Brings parsed catalog JSON to the current format. A newer format is refused: this release could
 * misread its records, and rewriting it would drop what it does not know.
 */
export function migrateCatalog(file: string, raw: unknown): RawCatalog {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw damaged(file, 'The file holds JSON, but not a catalog object ({"version": …, "materializations": [...]}).');
  let data = raw as RawCatalog;
  const version = Object.hasOwn(data, 'version') ? data.version : 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) throw damaged(file, `Its "version" is ${JSON.stringify(version)}, not a catalog format number.`);
  if (version > CATALOG_VERSION) {
    throw new CatalogError({
      what: `The catalog ${file} was written by a newer synthgraph (catalog format ${version}; this one reads formats up to ${CATALOG_VERSION}).`,
      why: 'This release could misread its records, and rewriting it would drop what that release added.',
      fix: 'upgrade synthgraph in this project (`npm install synthgraph@latest`), or move the file away to start a new catalog (stored objects are kept).',
      file,
    });
  }
  for (let v = version; v < CATALOG_VERSION; v++) data = MIGRATIONS[v](data);
  return data;
}

/** A catalog whose content is not what any synthgraph wrote. */
export function damaged(file: string, why: string): CatalogError {
  return new CatalogError({
    what: `The catalog ${file} is damaged.`,
    why,
    fix: 'Restore it from a backup, fix the record named above, or move it away to start a new catalog (stored objects are kept).',
    file,
  });
}
