import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { SynthError } from './errors.js';
import { sha256 } from './hashing.js';

/** Raised when a stored object is missing or does not match its hash. */
export class CorruptObjectError extends SynthError {}

/**
 * Content-addressed object store: `<dir>/<first 2 hex>/<remaining 62 hex>`.
 * An object's name is the sha256 of its bytes, so writing the same data twice is free
 * and an object is never modified in place.
 */
export class ObjectStore {
  constructor(readonly dir: string) {}

  /** The store of a project: `<stateDir>/objects`. */
  static of(stateDir: string): ObjectStore {
    return new ObjectStore(path.join(stateDir, 'objects'));
  }

  /** Path of an object (whether or not it exists). */
  pathOf(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), hash.slice(2));
  }

  /** Names of the objects present, listed once when many are asked about (256 folder reads beat one stat per asset on big graphs). */
  private present?: Set<string>;
  private lookups = 0;

  has(hash: string): boolean {
    if (!this.present && ++this.lookups <= 64) return existsSync(this.pathOf(hash));
    if (!this.present) {
      this.present = new Set();
      let prefixes: string[] = [];
      try {
        prefixes = readdirSync(this.dir);
      } catch {
        // no store yet
      }
      for (const prefix of prefixes) {
        if (prefix.length !== 2) continue;
        for (const rest of readdirSync(path.join(this.dir, prefix))) if (!rest.startsWith('.tmp-')) this.present.add(prefix + rest);
      }
    }
    // An object another process wrote after the listing is found on disk.
    return this.present.has(hash) || existsSync(this.pathOf(hash));
  }

  /** Stores bytes and returns their sha256. Atomic: a crash never leaves a partial object. */
  put(data: string | Uint8Array): string {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const hash = sha256(bytes);
    if (!this.has(hash)) writeFileAtomic(this.pathOf(hash), bytes);
    this.present?.add(hash);
    return hash;
  }

  /** Reads an object and checks it still matches its hash. */
  get(hash: string): Buffer {
    const file = this.pathOf(hash);
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      throw new CorruptObjectError({
        what: `Stored object ${hash.slice(0, 12)} is missing.`,
        why: `${file} does not exist (deleted by hand, or the store was copied partially).`,
        fix: 'Run `synth materialize --force` on the asset that produced it to rebuild it.',
        file,
      });
    }
    if (sha256(bytes) !== hash) {
      throw new CorruptObjectError({
        what: `Stored object ${hash.slice(0, 12)} is corrupt.`,
        why: `The content of ${file} no longer matches its hash.`,
        fix: 'Delete the file and run `synth materialize --force` on the asset that produced it.',
        file,
      });
    }
    return bytes;
  }

  getText(hash: string): string {
    return this.get(hash).toString('utf8');
  }
}
