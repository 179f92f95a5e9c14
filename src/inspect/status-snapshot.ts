import { closeSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';
// Module by module, not the engine's index: reusing a snapshot must not load what loading the
// definitions would (zod, yaml, the asset kinds), or there is nothing to gain.
import { writeFileAtomic } from '../engine/atomic-write.js';
import { catalogStamp } from '../engine/catalog-stamp.js';
import type { FileRef } from '../engine/definitions.js';
import type { EnvReads } from '../engine/env-reads.js';
import { type AssetOutcome, assetOutcome } from '../engine/events.js';
import { FileHashMemo } from '../engine/file-hash-memo.js';
import { projectFingerprint } from '../engine/project-fingerprint.js';
import { plainNames } from '../engine/selection-names.js';
import type { ProjectPaths } from '../engine/project.js';
import { observeSourceFiles } from '../engine/source-files.js';
import { ObjectStore, type ObjectState } from '../engine/store.js';
import type { StatusRow } from './status-rows.js';

/** Version of the snapshot's layout: a snapshot of another version is ignored (and replaced). */
const SNAPSHOT_FORMAT = 2;
/** A snapshot bigger than this is not read (it would cost more than it saves; a damaged file could be anything). */
const MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

/** A status line with what must be checked again before it is shown: its stored object, the files it observes. */
export interface SnapshotRow extends StatusRow {
  /** The current value's object as checked then (null: no current value). */
  object: { hash: string; bytes: number | null; state: ObjectState } | null;
  /** The files it observes and their hash then (null: it observes none). */
  observes: { files: FileRef[]; hash: string } | null;
  /** Its current value's materialization id (null: none). */
  materialization_id: string | null;
}

/**
 * `.synth/cache/status.json`: the status of every asset as last computed, with what it depends on.
 * `fingerprint`, `env` and `files`: the definitions as loaded (see projectFingerprint); `catalog`: the
 * catalog's materialization records then (catalogStamp); `description`: a hash of what the
 * definitions said (kinds, dependencies, key parts), to notice definitions that say something else
 * on each load under the same fingerprint by means no recording sees (`volatile`; see recordVolatileReads for the ones it sees).
 */
export interface StatusSnapshot {
  format: number;
  fingerprint: string;
  env: EnvReads;
  /** Files the definitions looked at while loading (see recordFileReads). */
  files: string[];
  catalog: string;
  description: string;
  volatile: boolean;
  rows: SnapshotRow[];
}

export function statusSnapshotFile(paths: Pick<ProjectPaths, 'stateDir'>): string {
  return path.join(paths.stateDir, 'cache', 'status.json');
}

/** The stamp of the catalog a status snapshot depends on: its materialization records (a no-op run's run records leave it alone). */
export function statusCatalogStamp(paths: Pick<ProjectPaths, 'stateDir'>): string {
  return catalogStamp(paths.stateDir, { materializationsOnly: true });
}

/**
 * The snapshot on disk, if readable and of this format; undefined otherwise (it is only a cache).
 * Two lines: the header (everything but the rows), then the rows, so that what a writer needs of
 * the last snapshot (its fingerprint and description) is read without parsing every row.
 */
export function readStatusSnapshot(paths: Pick<ProjectPaths, 'stateDir'>, options: { rows?: boolean } = {}): StatusSnapshot | undefined {
  try {
    const file = statusSnapshotFile(paths);
    // The header alone when the rows are not wanted: one small read, not the whole file (4.5 MB at 10,000 assets).
    const text = options.rows === false ? firstLine(file) : readFileSync(file, 'utf8');
    if (text === undefined || text.length > MAX_SNAPSHOT_BYTES) return undefined;
    const newline = text.indexOf('\n');
    const head = JSON.parse(newline < 0 ? text : text.slice(0, newline)) as Partial<StatusSnapshot> | null;
    const ok =
      head?.format === SNAPSHOT_FORMAT &&
      typeof head.fingerprint === 'string' &&
      typeof head.catalog === 'string' &&
      typeof head.description === 'string' &&
      typeof head.volatile === 'boolean' &&
      Array.isArray(head.env?.names) &&
      Array.isArray(head.files);
    if (!ok) return undefined;
    if (options.rows === false) return { ...(head as StatusSnapshot), rows: [] };
    if (newline < 0) return undefined;
    const rows = JSON.parse(text.slice(newline + 1)) as unknown;
    return Array.isArray(rows) && rows.every(isRow) ? { ...(head as StatusSnapshot), rows } : undefined;
  } catch {
    return undefined;
  }
}

/** A header bigger than this is not read (it lists the files the definitions read: a few KB). */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

/** The first line of a file (without its newline), read in chunks; undefined when it has none within MAX_HEADER_BYTES. */
function firstLine(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    for (let at = 0; at < MAX_HEADER_BYTES;) {
      const chunk = Buffer.alloc(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, at);
      if (n === 0) return undefined;
      const newline = chunk.subarray(0, n).indexOf(0x0a);
      chunks.push(chunk.subarray(0, newline < 0 ? n : newline));
      if (newline >= 0) return Buffer.concat(chunks).toString('utf8');
      at += n;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function isRow(r: unknown): r is SnapshotRow {
  const row = r as SnapshotRow | null;
  return (
    !!row &&
    typeof row.asset === 'string' &&
    typeof row.state === 'string' &&
    Array.isArray(row.reasons) &&
    Array.isArray(row.sentences) &&
    row.object !== undefined &&
    row.observes !== undefined
  );
}

/**
 * The status of every asset without loading the definitions, when nothing it depends on changed
 * since it was last computed: the same definitions (fingerprint), the same catalog records, every
 * stored object still as it was (size and hash checks, as `computeStatus` does) and every observed
 * file still of the same content. Undefined when any of that differs, or for definitions that
 * turned out to say something else on each load: the caller then computes the status in full.
 */
export function reuseStatusSnapshot(paths: ProjectPaths): StatusSnapshot | undefined {
  const snap = readStatusSnapshot(paths);
  if (!snap || snap.volatile) return undefined;
  if (statusCatalogStamp(paths) !== snap.catalog) return undefined;
  if (projectFingerprint(paths, snap.env, snap.files) !== snap.fingerprint) return undefined;
  const store = ObjectStore.of(paths.stateDir);
  const memo = new FileHashMemo(paths.stateDir);
  try {
    for (const row of snap.rows) {
      if (row.object && store.check(row.object.hash, row.object.bytes) !== row.object.state) return undefined;
      if (row.observes && observeSourceFiles(paths.root, row.observes.files, memo).hash !== row.observes.hash) return undefined;
    }
  } catch {
    // A file that cannot be read now: the full computation says what is wrong.
    return undefined;
  } finally {
    store.saveVerified();
  }
  return snap;
}

/**
 * The rows of a selection made only of asset names (the common case), in the snapshot's (graph)
 * order as `resolveSelection` gives them; undefined when the selection needs the graph (`+name`,
 * globs, `kind:`...) or names an asset the snapshot does not have (the full path says what is wrong).
 */
export function rowsForSelection<R extends StatusRow>(rows: readonly R[], selection: readonly string[]): R[] | undefined {
  const wanted = plainNames(selection);
  if (!wanted) return undefined;
  if (wanted.size === 0) return [...rows];
  const picked = rows.filter((r) => wanted.has(r.asset));
  return picked.length === wanted.size ? picked : undefined;
}

/**
 * What a `materialize` of these rows would find: each asset fresh, with nothing in its way (no
 * blocking check failed upstream, a stored value) — its outcome as the executor reports a fresh
 * asset; undefined when any of them would have something to do.
 */
export function freshOutcomes(rows: readonly SnapshotRow[]): AssetOutcome[] | undefined {
  const out: AssetOutcome[] = [];
  for (const r of rows) {
    if (r.state !== 'fresh' || r.reasons.length > 0 || !r.data_hash || !r.materialization_id) return undefined;
    out.push(assetOutcome(r.asset, r.kind, 'fresh', { cache_key: r.cache_key, data_hash: r.data_hash, rows: r.rows, materialization_id: r.materialization_id }));
  }
  return out;
}

/**
 * Writes the snapshot (atomically; a failure only costs the next `status` a full computation).
 * Marked volatile when the last snapshot (`before`: its header, read now unless given) had the same
 * fingerprint but another description.
 */
export function writeStatusSnapshot(paths: ProjectPaths, snap: Omit<StatusSnapshot, 'format' | 'volatile'>, before = readStatusSnapshot(paths, { rows: false })): void {
  const volatile = !!before && before.fingerprint === snap.fingerprint && (before.volatile || before.description !== snap.description);
  const { rows, ...head } = snap;
  try {
    writeFileAtomic(statusSnapshotFile(paths), `${JSON.stringify({ format: SNAPSHOT_FORMAT, volatile, ...head })}\n${JSON.stringify(rows)}`);
  } catch {
    // A read-only state folder: the snapshot is an optimization only.
  }
}

/** Removes the snapshot (definitions that cannot be fingerprinted): a stale one must not be reused. */
export function dropStatusSnapshot(paths: Pick<ProjectPaths, 'stateDir'>): void {
  rmSync(statusSnapshotFile(paths), { force: true });
}
