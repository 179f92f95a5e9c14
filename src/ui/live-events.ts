import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { type Catalog, liveLockHolder, type LockOwner } from '../engine/index.js';

/** How often the catalog file and the run lock are looked at while a page listens. */
const POLL_MS = 250;
/** A comment line now and then keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/** Who holds the project's run lock, as the page shows it. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  purpose: string;
}

export const holderOf = (o: LockOwner | undefined): LockHolder | null => (o ? { pid: o.pid, host: o.host, since: o.since, purpose: o.purpose } : null);

/**
 * Server-sent events to every open page: `catalog` when the catalog file changed (a run of any
 * process recorded something), `lock` when the run lock was taken or released, and whatever the
 * server broadcasts (`run` progress of a run it launched). The files are polled only while a page
 * listens: stat() of the catalog's files and the lock every 250 ms, cheaper and surer than fs.watch across renames.
 */
export class LiveEvents {
  private readonly clients = new Set<ServerResponse>();
  private timer?: NodeJS.Timeout;
  private keepalive?: NodeJS.Timeout;
  private catalogStamp = '';
  private lockStamp = '';

  constructor(
    private readonly stateDir: string,
    private readonly catalog: Catalog,
  ) {}

  /** Takes over a GET /api/events response until the page goes away. */
  attach(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
    res.write('retry: 1000\n\n');
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (!this.clients.size) this.stop();
    });
    // The page learns the current state at once (it may have missed changes while reconnecting).
    this.catalogStamp = this.stampOfCatalog();
    this.lockStamp = JSON.stringify(this.lockHolder());
    this.sendTo(res, 'hello', { catalog: this.catalogStamp, lock: this.lockHolder() });
    this.timer ??= setInterval(() => this.poll(), POLL_MS);
    this.keepalive ??= setInterval(() => this.clients.forEach((c) => c.write(': keepalive\n\n')), KEEPALIVE_MS);
  }

  /** Sends an event to every page. */
  broadcast(event: string, data: unknown): void {
    for (const c of this.clients) this.sendTo(c, event, data);
  }

  lockHolder(): LockHolder | null {
    return holderOf(liveLockHolder(path.join(this.stateDir, 'locks'), 'run'));
  }

  close(): void {
    for (const c of this.clients) c.end();
    this.clients.clear();
    this.stop();
  }

  private sendTo(res: ServerResponse, event: string, data: unknown): void {
    // JSON has no raw newline, so one data line per event.
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private stop(): void {
    clearInterval(this.timer);
    clearInterval(this.keepalive);
    this.timer = this.keepalive = undefined;
  }

  private stampOfCatalog(): string {
    // The catalog is several files (state, runs, history segments): its own stamp covers them all.
    return this.catalog.changeStamp();
  }

  private poll(): void {
    const catalog = this.stampOfCatalog();
    if (catalog !== this.catalogStamp) {
      this.catalogStamp = catalog;
      this.broadcast('catalog', { stamp: catalog });
    }
    const holder = this.lockHolder();
    const lock = JSON.stringify(holder);
    if (lock !== this.lockStamp) {
      this.lockStamp = lock;
      this.broadcast('lock', { holder });
    }
  }
}
