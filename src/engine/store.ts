import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { SynthError } from './errors.js';
import { sha256 } from './hashing.js';

/** Raised when a stored object is missing or does not match its hash. */
export class CorruptObjectError extends SynthError {}

/** What a read-time check found. */
export const ObjectState = { ok: 'ok', missing: 'missing', corrupt: 'corrupt' } as const;
export type ObjectState = (typeof ObjectState)[keyof typeof ObjectState];

/** Objects up to this size are hashed whenever their integrity is checked; bigger ones are checked by size (and hashed when read). */
const HASH_ON_CHECK_MAX = 1024 * 1024;

/**
 * Content-addressed object store: `<dir>/<first 2 hex>/<remaining 62 hex>`.
 * An object's name is the sha256 of its bytes, so writing the same data twice is free
 * and an object is never modified in place.
 */
export class ObjectStore {
  /** Objects hashed whole before, by file identity (see {@link VerifiedObjects}); none when not given. */
  private readonly verified?: VerifiedObjects;

  constructor(
    readonly dir: string,
    options: { verifiedFile?: string } = {},
  ) {
    if (options.verifiedFile) this.verified = new VerifiedObjects(options.verifiedFile);
    this.prefix = path.normalize(dir) + path.sep;
  }

  private readonly prefix: string;

  /** The store of a project: `<stateDir>/objects`, remembering verified objects in `<stateDir>/cache/verified-objects`. */
  static of(stateDir: string): ObjectStore {
    return new ObjectStore(path.join(stateDir, 'objects'), { verifiedFile: path.join(stateDir, 'cache', 'verified-objects') });
  }

  /** Writes what this process newly verified to the memo (see {@link VerifiedObjects}); failures are ignored (it is only a memo). */
  saveVerified(): void {
    this.verified?.save();
  }

  /**
   * Drops removed objects from the verified-object memo and rewrites it (`synth gc`): an entry
   * outliving its object would only grow the memo, and would vouch for a later file that happened
   * to get the same inode, size and ctime.
   */
  forgetVerified(hashes: Iterable<string>): void {
    this.verified?.forget(hashes);
  }

  /** Path of an object (whether or not it exists). */
  pathOf(hash: string): string {
    // Concatenated, not path.join: checked for every asset on every command, and `dir` is already normalized.
    return this.prefix + hash.slice(0, 2) + path.sep + hash.slice(2);
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

  /** Results of `check` in this process (an object never changes, short of damage). */
  private readonly checked = new Map<string, ObjectState>();

  /**
   * Whether an object is there and whole, checked cheaply when it is about to be relied on
   * (`status`, a fresh or cached asset in `materialize`): its size against the recorded size, then
   * its sha256 for objects up to 1 MiB (or always, with `full`), unless it was hashed whole before
   * and its file identity (inode, size, ctime) has not changed since: one `stat` instead of an open,
   * a read and a hash. A bigger object with a flipped byte but the right size passes here and is
   * caught when read (`get` always hashes).
   */
  check(hash: string, expectedBytes?: number | null, options: { full?: boolean } = {}): ObjectState {
    const known = this.checked.get(hash);
    if (known === 'ok' || (known && !options.full)) return known;
    let state: ObjectState;
    try {
      const file = this.pathOf(hash);
      // No exception for a missing object: throwing one costs more than the stat.
      const st = statSync(file, { throwIfNoEntry: false });
      if (!st) {
        this.checked.set(hash, 'missing');
        return 'missing';
      }
      const identity = `${st.ino}:${st.size}:${st.ctimeMs}`;
      if (expectedBytes != null && st.size !== expectedBytes) state = 'corrupt';
      else if (!options.full && this.verified?.has(hash, identity)) state = 'ok';
      else if (options.full || st.size <= HASH_ON_CHECK_MAX) {
        state = sha256(readFileSync(file)) === hash ? 'ok' : 'corrupt';
        if (state === 'ok') this.verified?.add(hash, identity);
      } else return 'ok'; // size only: not memoised as verified
    } catch {
      state = 'missing';
    }
    this.checked.set(hash, state);
    return state;
  }

  /**
   * Stores bytes and returns their sha256. Atomic: a crash never leaves a partial object. An
   * object already there is kept only if it is whole: a damaged one is replaced (that is how
   * `materialize` repairs the store). A failed write (disk full...) is a `WriteError`.
   */
  put(data: string | Uint8Array): string {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const hash = sha256(bytes);
    if (!this.has(hash) || this.check(hash, bytes.length, { full: true }) !== 'ok') {
      writeFileAtomic(this.pathOf(hash), bytes, { consequence: 'The object was not stored: the asset is recorded as failed, and nothing refers to a partial object.' });
    }
    this.present?.add(hash);
    this.checked.set(hash, 'ok');
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
      this.checked.set(hash, 'corrupt');
      throw new CorruptObjectError({
        what: `Stored object ${hash.slice(0, 12)} is corrupt.`,
        why: `The content of ${file} no longer matches its hash.`,
        fix: 'Run `synth verify` to see every damaged object, then `synth materialize` to rebuild them.',
        file,
      });
    }
    return bytes;
  }

  getText(hash: string): string {
    return this.get(hash).toString('utf8');
  }
}

/**
 * Objects hashed whole before, by file identity (inode, size, ctime): a line `<hash> <identity>`
 * per verification, appended to `.synth/cache/verified-objects`. An object whose file still has
 * that identity was not written to since (a write changes the ctime, which no tool can set back;
 * a copy or a replacement changes the inode), so it need not be read and hashed again: `status`
 * then costs one `stat` per object instead of open, read, hash. A lost or damaged memo only costs
 * hashing again; `synth verify` never uses it.
 */
class VerifiedObjects {
  private known?: Map<string, string>;
  private lines = 0;
  private readonly added: string[] = [];

  constructor(private readonly file: string) {}

  private load(): Map<string, string> {
    if (this.known) return this.known;
    this.known = new Map();
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return this.known;
    }
    // Line by line without splitting (one entry per object of the store: read by every command).
    for (let start = 0; start < text.length;) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      // A hash, a space, the identity; anything else is a torn or foreign line.
      if (end > start + 64 && text.indexOf(' ', start) === start + 64) {
        this.known.set(text.slice(start, start + 64), text.slice(start + 65, end));
        this.lines++;
      }
      start = end + 1;
    }
    return this.known;
  }

  has(hash: string, identity: string): boolean {
    return this.load().get(hash) === identity;
  }

  add(hash: string, identity: string): void {
    this.load().set(hash, identity);
    this.added.push(`${hash} ${identity}\n`);
  }

  forget(hashes: Iterable<string>): void {
    const known = this.load();
    let removed = false;
    for (const hash of hashes) removed = known.delete(hash) || removed;
    if (!removed) return;
    this.forgotten = true;
    this.save();
  }

  /** Entries were removed: the next save rewrites the file whole (appending cannot remove a line). */
  private forgotten = false;

  save(): void {
    if (!this.added.length && !this.forgotten) return;
    try {
      const known = this.load();
      // Rewritten whole when mostly superseded lines (objects re-verified after a change): it stays O(objects).
      if (this.forgotten || this.lines + this.added.length > 2 * known.size + 1000) {
        writeFileAtomic(this.file, [...known].map(([h, id]) => `${h} ${id}\n`).join(''));
        this.lines = known.size;
        this.forgotten = false;
      } else {
        mkdirSync(path.dirname(this.file), { recursive: true });
        appendFileSync(this.file, this.added.join(''));
        this.lines += this.added.length;
      }
      this.added.length = 0;
    } catch {
      // A read-only state folder: the memo is an optimization only.
    }
  }
}
