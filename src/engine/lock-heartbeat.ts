import { Worker } from 'node:worker_threads';

/**
 * Refreshes the mtime of every lock file this process holds, every 2 s, from a worker thread:
 * a synchronous asset that blocks the main event loop for minutes cannot starve it, so a process
 * on another host never takes a live lock for abandoned. (On this host liveness is the pid; the
 * heartbeat only matters for projects on a shared folder.) The worker is started with the first
 * lock, unref'd so it never keeps the process alive.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { utimesSync } = require('node:fs');
const files = new Set();
parentPort.on('message', ({ op, file }) => { if (op === 'add') files.add(file); else files.delete(file); });
setInterval(() => {
  const now = new Date();
  for (const file of files) { try { utimesSync(file, now, now); } catch { /* released or broken: the holder finds out */ } }
}, 2000);
`;

class Heartbeat {
  private worker?: Worker;

  add(file: string): void {
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.unref();
      // A failing heartbeat only weakens cross-host staleness; it must never fail the run.
      this.worker.on('error', () => (this.worker = undefined));
    }
    this.worker.postMessage({ op: 'add', file });
  }

  remove(file: string): void {
    this.worker?.postMessage({ op: 'remove', file });
  }
}

/** The process's one heartbeat. */
export const heartbeat = new Heartbeat();
