import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { SynthError } from './errors.js';
import { heartbeat } from './lock-heartbeat.js';
import { isProcessAlive } from './process-liveness.js';

/** Who holds a lock: the content of the lock file, so that waiters can name it and check it is alive. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  purpose: string;
  /** Random per acquisition: tells this holding from an earlier one by the same pid. */
  token?: string;
}

/** Raised when a lock could not be taken within the wait budget. */
export class LockTimeoutError extends SynthError {
  override readonly exitCode = 1;
}

/** Raised when a held lock was taken away (its file removed or replaced): the holder must stop before writing anything. */
export class LockLostError extends SynthError {
  override readonly exitCode = 1;
}

/** Options of `acquireLock`. */
export interface LockOptions {
  /** What the lock protects, for messages. Example: `'materialize run'`. */
  purpose: string;
  /** How long to wait for the lock before giving up, in ms. Default: wait forever. */
  waitMs?: number;
  /** Called when the lock is busy and we start waiting (and again when the reason changes), with the owner if known and a sentence saying why we wait. */
  onWait?: (owner: LockOwner | undefined, message: string) => void;
}

/** A held lock. */
export interface Lock {
  /** Throws `LockLostError` if the lock file is no longer ours (someone broke it). */
  assertHeld(): void;
  release(): Promise<void>;
}

/** A lock of another host is taken for abandoned when its heartbeat (file mtime) is older than this. */
const FOREIGN_STALE_MS = 30_000;
/** A lock file without a readable owner (an older synthgraph's lock folder, a damaged file) is broken once untouched for this long. */
const OWNERLESS_STALE_MS = 10_000;

/** Tokens of the locks this process holds now: a lock naming our pid but not one of these was left by an earlier process with our pid. */
const heldTokens = new Set<string>();

function lockFile(locksDir: string, name: string): string {
  return path.join(locksDir, `${name}.lock`);
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o?.pid === 'number' && typeof o.host === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Reads who holds the lock at `name` in `locksDir`, if anyone does (also the owner record of an older synthgraph's lock folder). */
export function readLockOwner(locksDir: string, name: string): LockOwner | undefined {
  const file = lockFile(locksDir, name);
  for (const candidate of [file, `${file}.owner.json`]) {
    try {
      const owner = parseOwner(readFileSync(candidate, 'utf8'));
      if (owner) return owner;
    } catch {
      // not there, or a folder
    }
  }
  return undefined;
}

/**
 * Whether a lock's holder is gone: on this host, its pid is dead (or it is our pid but not one of
 * our holdings: an earlier process with our pid); on another host, its heartbeat stopped; without
 * a readable owner, it was untouched for 10 s.
 */
function abandoned(owner: LockOwner | undefined, ageMs: number): boolean {
  if (!owner) return ageMs >= OWNERLESS_STALE_MS;
  if (owner.host !== hostname()) return ageMs >= FOREIGN_STALE_MS;
  if (owner.pid === process.pid) return !(owner.token && heldTokens.has(owner.token));
  return !isProcessAlive(owner.pid);
}

/** Who holds the lock, unless it was abandoned (its holder process on this host is gone). */
export function liveLockHolder(locksDir: string, name: string): LockOwner | undefined {
  const owner = readLockOwner(locksDir, name);
  if (!owner) return undefined;
  let age = 0;
  try {
    age = Date.now() - statSync(lockFile(locksDir, name)).mtimeMs;
  } catch {
    return undefined;
  }
  return abandoned(owner, age) ? undefined : owner;
}

function waitMessage(owner: LockOwner | undefined, ageMs: number): string {
  if (owner)
    return `${owner.purpose} (pid ${owner.pid} on ${owner.host}, since ${owner.since}) holds the ${owner.host === hostname() ? 'lock' : `lock; it is taken if its heartbeat stops for ${FOREIGN_STALE_MS / 1000} s`}`;
  return `a lock left by a killed process; taking it in ${Math.max(1, Math.ceil((OWNERLESS_STALE_MS - ageMs) / 1000))} s`;
}

/**
 * Takes an inter-process lock: a file `<name>.lock` holding its owner (pid, host, purpose), created
 * atomically with a hard link from a fully written temporary file, so a lock is never without its
 * owner. Staleness follows liveness, not event-loop timing: on this host a lock is held for as long
 * as its pid lives (an asset blocking the event loop for minutes keeps it); a lock of another host
 * (a shared folder) is kept fresh by a worker thread, which a blocked event loop cannot starve,
 * and is broken after 30 s without a heartbeat.
 */
export async function acquireLock(locksDir: string, name: string, options: LockOptions): Promise<Lock> {
  mkdirSync(locksDir, { recursive: true });
  const file = lockFile(locksDir, name);
  const deadline = options.waitMs === undefined ? Infinity : Date.now() + options.waitMs;
  const token = randomBytes(8).toString('hex');
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: options.purpose, token };
  let lastHolder: string | undefined;
  let delay = 20;
  for (;;) {
    const tmp = `${file}.${process.pid}-${token}.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify({ ...me, since: new Date().toISOString() }));
      linkSync(tmp, file);
      heldTokens.add(token);
      heartbeat.add(file);
      return held(file, token, options.purpose);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    } finally {
      rmSync(tmp, { force: true });
    }
    // Busy: break it if abandoned, else wait.
    const owner = readLockOwner(locksDir, name);
    let age: number;
    try {
      age = Date.now() - statSync(file).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    if (abandoned(owner, age) && breakLock(file, owner, () => readLockOwner(locksDir, name))) continue;
    // Said once per holder, not at every poll.
    const holder = owner ? `${owner.pid}@${owner.host}:${owner.token ?? owner.since}` : 'ownerless';
    if (holder !== lastHolder) options.onWait?.(owner, waitMessage(owner, age));
    lastHolder = holder;
    if (Date.now() > deadline) {
      throw new LockTimeoutError({
        what: `Could not take the ${options.purpose} lock.`,
        why: owner ? `Process ${owner.pid} on ${owner.host} holds it since ${owner.since} (${owner.purpose}).` : 'Another process holds it.',
        fix: 'Wait for that process to finish, or stop it. A lock whose holder died is freed automatically.',
      });
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 250);
  }
}

/** A breaker killed while breaking leaves its mutex folder; taken for abandoned after this long (breaking takes microseconds). */
const BREAK_MUTEX_STALE_MS = 5_000;

/**
 * Removes an abandoned lock, unless it changed hands meanwhile. Breakers take a mutex (an atomic
 * `mkdir`) and re-read the owner under it: without it, two waiters could both see the dead owner,
 * one remove it and take the lock, and the other then remove that new, live lock.
 */
function breakLock(file: string, seen: LockOwner | undefined, reread: () => LockOwner | undefined): boolean {
  const mutex = `${file}.breaking`;
  try {
    mkdirSync(mutex);
  } catch {
    try {
      if (Date.now() - statSync(mutex).mtimeMs > BREAK_MUTEX_STALE_MS) rmSync(mutex, { recursive: true, force: true });
    } catch {
      // released meanwhile
    }
    return false;
  }
  try {
    const again = reread();
    if (again?.token !== seen?.token || again?.since !== seen?.since || again?.pid !== seen?.pid) return false;
    rmSync(`${file}.owner.json`, { force: true });
    rmSync(file, { recursive: true, force: true });
    return true;
  } finally {
    rmSync(mutex, { recursive: true, force: true });
  }
}

function held(file: string, token: string, purpose: string): Lock {
  let released = false;
  const mine = (): boolean => {
    try {
      return parseOwner(readFileSync(file, 'utf8'))?.token === token;
    } catch {
      return false;
    }
  };
  return {
    assertHeld: () => {
      if (released || !mine()) {
        throw new LockLostError({
          what: `The ${purpose} lock was taken away while this process held it.`,
          why: `${file} was removed or replaced by another process (by hand, or a process on another host that took this host's lock for abandoned).`,
          fix: 'Nothing more was recorded by this run. Check that only one synthgraph process works on this project at a time, then run again.',
          file,
        });
      }
    },
    release: async () => {
      if (released) return;
      released = true;
      heartbeat.remove(file);
      heldTokens.delete(token);
      // Remove the file only if it is still ours: a lock broken and re-taken by another process stays.
      if (mine()) rmSync(file, { force: true });
    },
  };
}

/** Runs `fn` while holding the lock; `fn` receives the lock to check it is still held before writing. */
export async function withLock<T>(locksDir: string, name: string, options: LockOptions, fn: (lock: Lock) => Promise<T>): Promise<T> {
  const lock = await acquireLock(locksDir, name, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}
