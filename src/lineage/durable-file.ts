import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file that survives a crash or power loss whole or not at all: a temp file is written and
 * fsynced, renamed over the target, and the folder fsynced (so the rename itself is on disk).
 * Lineage needs this where the store does not: an outbox entry that is lost is a run MLflow never sees.
 */
export function writeDurably(file: string, text: string): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.tmp-${process.pid}-${path.basename(file)}`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dir);
}

/** Appends one line to a file and fsyncs it. A crash can leave a torn last line: readers skip it. */
export function appendLineDurably(file: string, line: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, 'a');
  try {
    // A leading newline ends a line torn by an earlier crash, so this one parses.
    writeSync(fd, `\n${line}\n`);
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
