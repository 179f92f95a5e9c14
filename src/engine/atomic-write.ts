import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeError } from './write-error.js';

/**
 * The one way synthgraph replaces a file (catalog, stored objects, outbox entries, LLM cache,
 * compiled definitions): write a temporary `.tmp-*` file in the same folder, optionally fsync it,
 * rename it over the target, and (when fsynced) fsync the folder so the rename itself is on disk.
 * Readers see the old content or the whole new content, never a part; a killed process leaves at
 * most a `.tmp-*` file, which nothing reads and `synth gc` removes.
 *
 * Not `write-file-atomic`: its temporary files are named `<target>.<hash>`, which the object store
 * would take for an object, and it never fsyncs the folder.
 */
export interface AtomicWriteOptions {
  /**
   * fsync the file before the rename and the folder after it, so the write survives a power loss.
   * Default false: it costs milliseconds per file, and where a torn file is caught anyway (objects
   * are re-hashed on every read) it buys nothing.
   * @example { fsync: true } // an outbox entry that is lost is a run MLflow never sees
   */
  fsync?: boolean;
  /**
   * What a failed write means for the user, shown as the "why" of the `WriteError` (disk full...).
   * Default: the system's refusal ("The system refused the write (ENOSPC).").
   */
  consequence?: string;
}

/** A temporary name beside `file`: unique per process and call, and starting with `.tmp-` so that readers skip it. */
function tempPathOf(file: string): string {
  return path.join(path.dirname(file), `.tmp-${path.basename(file)}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

/**
 * Replaces `file` with `data` atomically (see {@link AtomicWriteOptions}). A failed write (disk full,
 * read-only...) leaves the old file and no temporary file, and is a `WriteError` naming the file.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const dir = path.dirname(file);
  const tmp = tempPathOf(file);
  try {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      writeAllSync(fd, data);
      if (options.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeError(err, file, options.consequence);
  }
  if (options.fsync) fsyncDir(dir);
}

/**
 * {@link writeFileAtomic} without blocking the event loop: for writers called many times per run
 * (one LLM cache entry per response: a sync write costs ~1 ms of blocked loop each).
 */
export async function writeFileAtomicAsync(file: string, data: string | Uint8Array, options: AtomicWriteOptions & { madeDir?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  const tmp = tempPathOf(file);
  try {
    if (!options.madeDir) await mkdir(dir, { recursive: true });
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      if (options.fsync) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw writeError(err, file, options.consequence);
  }
  if (options.fsync) fsyncDir(dir);
}

/** Appends one line to a file and fsyncs it. A crash can leave a torn last line: readers skip it. */
export function appendLineDurably(file: string, line: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    // A leading newline ends a line torn by an earlier crash, so this one parses.
    writeAllSync(fd, `\n${line}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder, so that renames and new files in it are durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `writeSync` may write less than asked (large buffers, some file systems): loop until all is written. */
function writeAllSync(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
}
