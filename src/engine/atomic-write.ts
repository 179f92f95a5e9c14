import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeError } from './write-error.js';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a part:
 * write to a temporary file in the same folder, then rename it over the target.
 * A killed process leaves at most a `.tmp-*` file, which nothing reads. There is no fsync: it
 * would cost milliseconds per object and only matters on power loss, where a truncated object
 * is still caught by the hash check on every read (and rebuilt).
 * A failed write (disk full, read-only...) leaves nothing and is a `WriteError` naming the file;
 * `consequence` says what it means for the user (default: the system's refusal).
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, consequence?: string): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.tmp-${path.basename(file)}-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw writeError(err, file, consequence);
  }
}
