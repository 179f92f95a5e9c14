import { hostname } from 'node:os';

/** True while a process of this host with that pid exists (EPERM: it exists but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a process recorded as (pid, host) may still be running: on this host, its pid says;
 * on another host we cannot tell, so it is taken as alive. A missing host means this host
 * (records written before hosts were recorded).
 */
export function mayBeRunning(record: { pid: number; host?: string }): boolean {
  return (record.host ?? hostname()) !== hostname() || isProcessAlive(record.pid);
}
