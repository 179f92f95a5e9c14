import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { sha256 } from './hashing.js';

/** [size, mtimeMs, inode, sha256] of a file when it was last hashed. */
type Entry = [number, number, number, string];

/**
 * Content hashes of source files, memoized by (size, mtime, inode) as DVC does, so that
 * `synth status` does not re-read a large live-data folder whose files did not change.
 * Kept in `.synth/cache/file-hashes.json`; a missing or unreadable memo only costs a re-hash.
 */
export class FileHashMemo {
  private readonly file: string;
  private entries?: Record<string, Entry>;
  private dirty = false;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'cache', 'file-hashes.json');
  }

  private load(): Record<string, Entry> {
    if (!this.entries) {
      try {
        this.entries = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Entry>;
      } catch {
        this.entries = {};
      }
    }
    return this.entries;
  }

  /** sha256 of a file's bytes, read again only when its size, mtime or inode changed. */
  hash(file: string): string {
    const entries = this.load();
    const s = statSync(file);
    const known = entries[file];
    if (known && known[0] === s.size && known[1] === s.mtimeMs && known[2] === s.ino) return known[3];
    const hash = sha256(readFileSync(file));
    entries[file] = [s.size, s.mtimeMs, s.ino, hash];
    this.dirty = true;
    return hash;
  }

  /** Writes the memo if anything new was hashed (atomically; concurrent writers just race to a valid file). */
  save(): void {
    if (!this.dirty || !this.entries) return;
    try {
      writeFileAtomic(this.file, JSON.stringify(this.entries));
      this.dirty = false;
    } catch {
      // Read-only state folder: the memo is an optimization only.
    }
  }
}
