import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { SynthError } from './errors.js';

/** Who holds a lock: written inside the lock directory so that waiters can name it. */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

/** Raised when a lock could not be taken within the wait budget. */
export class LockTimeoutError extends SynthError {
  override readonly exitCode = 1;
}

/** Options of `acquireLock`. */
export interface LockOptions {
  /** What the lock protects, for messages. Example: `'materialize run'`. */
  purpose: string;
  /** How long to wait for the lock before giving up, in ms. Default: wait forever. */
  waitMs?: number;
  /** Called once when the lock is busy and we start waiting, with the owner if known. */
  onWait?: (owner: LockOwner | undefined) => void;
}

/** A held lock. */
export interface Lock {
  release(): Promise<void>;
}

const STALE_MS = 10_000;

/** The owner record sits beside the lock directory: proper-lockfile removes the directory with rmdir, which needs it empty. */
function ownerFile(lockDir: string): string {
  return `${lockDir}.owner.json`;
}

/** Reads who holds the lock at `name` in `locksDir`, if anyone does. */
export function readLockOwner(locksDir: string, name: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(ownerFile(path.join(locksDir, `${name}.lock`)), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** Who holds the lock, unless its holder is a process of this host that is gone. */
export function liveLockHolder(locksDir: string, name: string): LockOwner | undefined {
  const owner = readLockOwner(locksDir, name);
  if (owner && owner.host === hostname() && !isAlive(owner.pid)) return undefined;
  return owner;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an inter-process lock (proper-lockfile: an atomic `mkdir`, its mtime refreshed while held,
 * considered stale 10 s after its holder stopped refreshing). A lock whose holder process is gone
 * (killed with SIGKILL on this host) is broken at once instead of after the stale delay.
 */
export async function acquireLock(locksDir: string, name: string, options: LockOptions): Promise<Lock> {
  mkdirSync(locksDir, { recursive: true });
  const target = path.join(locksDir, name);
  const lockDir = `${target}.lock`;
  const deadline = options.waitMs === undefined ? Infinity : Date.now() + options.waitMs;
  let waited = false;
  let delay = 20;
  for (;;) {
    try {
      const release = await lockfile.lock(target, {
        realpath: false,
        lockfilePath: lockDir,
        stale: STALE_MS,
        onCompromised: () => {
          // The lock was taken from us (e.g. the machine was suspended past the stale delay).
          // Carrying on could interleave writes; the writes themselves stay atomic, so we only warn.
          process.emitWarning(`synthgraph: the ${options.purpose} lock was compromised`);
        },
      });
      const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), purpose: options.purpose };
      writeFileSync(ownerFile(lockDir), JSON.stringify(owner));
      return {
        release: async () => {
          rmSync(ownerFile(lockDir), { force: true });
          await release().catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      const owner = readLockOwner(locksDir, name);
      if (owner && owner.host === hostname() && owner.pid !== process.pid && !isAlive(owner.pid)) {
        // Re-read right before breaking, so we never remove a lock that a live process just took.
        const again = readLockOwner(locksDir, name);
        if (again && again.pid === owner.pid && again.since === owner.since) {
          rmSync(ownerFile(lockDir), { force: true });
          rmSync(lockDir, { recursive: true, force: true });
          continue;
        }
      }
      if (!waited) {
        waited = true;
        options.onWait?.(owner);
      }
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
}

/** Runs `fn` while holding the lock. */
export async function withLock<T>(locksDir: string, name: string, options: LockOptions, fn: () => Promise<T>): Promise<T> {
  const lock = await acquireLock(locksDir, name, options);
  try {
    return await fn();
  } finally {
    await lock.release();
  }
}
