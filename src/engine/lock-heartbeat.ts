import { Worker } from 'node:worker_threads';

/**
 * Refreshes the mtime of every lock file this process holds, every 2 s, from a worker thread:
 * a synchronous asset that blocks the main event loop for minutes cannot starve it, so a process
 * on another host never takes a live lock for abandoned. (On this host liveness is the pid; the
 * heartbeat only matters for projects on a shared folder.) The worker is unref'd, so it never keeps
 * the process alive.
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

/**
 * The worker starts once a lock has been held this long with the event loop free (a command that
 * holds its locks for less, as a no-op run, never pays for a thread: about 60 ms of CPU), or at
 * once when {@link Heartbeat.start} says work that may block the loop begins.
 */
const START_AFTER_MS = 1000;

class Heartbeat {
  private worker?: Worker;
  private readonly files = new Set<string>();
  private timer?: NodeJS.Timeout;

  add(file: string): void {
    this.files.add(file);
    if (this.worker) this.worker.postMessage({ op: 'add', file });
    else if (!this.timer) {
      this.timer = setTimeout(() => this.start(), START_AFTER_MS);
      this.timer.unref();
    }
  }

  remove(file: string): void {
    this.files.delete(file);
    this.worker?.postMessage({ op: 'remove', file });
    if (this.files.size === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** Starts the worker now, if a lock is held: before running code that may block the event loop (an asset's computation). */
  start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.worker || this.files.size === 0) return;
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    // A failing heartbeat only weakens cross-host staleness; it must never fail the run.
    this.worker.on('error', () => (this.worker = undefined));
    for (const file of this.files) this.worker.postMessage({ op: 'add', file });
  }
}

/** The process's one heartbeat. */
export const heartbeat = new Heartbeat();
