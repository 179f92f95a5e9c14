import path from 'node:path';
import { UsageError, acquireLock, type Lock, LockTimeoutError, type LockOwner, liveLockHolder, readLockOwner } from '../engine/index.js';

const NAME = 'daemon';

function locksDir(stateDir: string): string {
  return path.join(stateDir, 'locks');
}

/**
 * Takes the project's daemon lock, held for the daemon's whole life, so that one project never
 * runs two daemons (they would fire every tick twice). A second daemon fails at once (exit 2),
 * naming the running one. A daemon killed with SIGKILL leaves its lock behind; the lock module
 * breaks it as soon as it sees that pid is gone.
 */
export async function acquireDaemonLock(stateDir: string): Promise<Lock> {
  try {
    return await acquireLock(locksDir(stateDir), NAME, { purpose: `synth daemon`, waitMs: 0 });
  } catch (err) {
    if (!(err instanceof LockTimeoutError)) throw err;
    const owner = readLockOwner(locksDir(stateDir), NAME);
    throw new UsageError({
      what: owner ? `A daemon is already running for this project (pid ${owner.pid} on ${owner.host}, since ${owner.since}).` : 'A daemon is already running for this project.',
      why: 'One project runs one daemon: two would fire every schedule twice.',
      fix: owner ? `Stop it first (kill ${owner.pid}), or see its schedules with \`synth schedules\`.` : 'Stop the other daemon first, or see its schedules with `synth schedules`.',
      cause: err,
    });
  }
}

/** The running daemon of the project, if any (a lock left by a dead daemon on this host does not count). */
export function runningDaemon(stateDir: string): LockOwner | undefined {
  return liveLockHolder(locksDir(stateDir), NAME);
}
