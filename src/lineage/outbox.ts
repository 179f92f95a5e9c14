import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fsyncDir, writeFileAtomic } from '../engine/atomic-write.js';
import { type LineageEvent, LineageEventSchema } from './lineage-event.js';

/** An entry waiting in the outbox. */
export interface OutboxEntry {
  /** File name (sorts in enqueue order). */
  name: string;
  file: string;
}

/** A dead letter: an event MLflow rejected for good, kept with the reason. */
export interface DeadLetter extends OutboxEntry {
  error: string;
}

let sequence = 0;

/**
 * A durable, ordered queue of lineage events in `.synth/outbox/`: one JSON file per event, written to
 * a temporary file, fsynced, renamed into place and the folder fsynced, so that an event that was
 * appended survives a crash or power loss, and a half-written one is never read. File names start
 * with the time and a per-process sequence number, so listing them sorted gives enqueue order
 * (runs of one project are serialised by the run lock, so times from different processes do not interleave).
 *
 * Events MLflow rejects for good (a 400 on their content) move to `outbox/failed/` with the reason,
 * so that one bad event does not hold up the others forever; `synth lineage push --retry-failed`
 * moves them back.
 */
export class Outbox {
  readonly dir: string;
  readonly failedDir: string;

  constructor(stateDir: string) {
    this.dir = path.join(stateDir, 'outbox');
    this.failedDir = path.join(this.dir, 'failed');
  }

  /** A new entry name: time, sequence, pid and a label, sortable by enqueue order. */
  static entryName(label: string): string {
    sequence = (sequence + 1) % 1_000_000;
    const safe = label.replace(/[^\w.-]/g, '_').slice(0, 80);
    return `${Date.now().toString().padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${process.pid}-${safe}.json`;
  }

  /** Appends an event durably (synchronous: it runs inside the executor's event callback). */
  append(name: string, event: LineageEvent): string {
    const file = path.join(this.dir, name);
    writeFileAtomic(file, JSON.stringify(event), { fsync: true });
    return file;
  }

  /** Pending entries, oldest first. */
  list(): OutboxEntry[] {
    return listJson(this.dir).map((name) => ({ name, file: path.join(this.dir, name) }));
  }

  /** Number of pending entries (cheap: a directory listing). */
  count(): number {
    return listJson(this.dir).length;
  }

  /** Reads and validates an entry. */
  read(entry: OutboxEntry): LineageEvent {
    return LineageEventSchema.parse(JSON.parse(readFileSync(entry.file, 'utf8')));
  }

  /** Removes a delivered entry. */
  remove(entry: OutboxEntry): void {
    rmSync(entry.file, { force: true });
  }

  /** Moves an entry MLflow rejected for good to `failed/`, with the reason beside it. */
  reject(entry: OutboxEntry, reason: string): void {
    mkdirSync(this.failedDir, { recursive: true });
    writeFileAtomic(path.join(this.failedDir, `${entry.name}.error.txt`), reason, { fsync: true });
    renameSync(entry.file, path.join(this.failedDir, entry.name));
    fsyncDir(this.dir);
  }

  /** Number of dead letters (cheap: a directory listing, the reasons are not read). */
  failedCount(): number {
    return listJson(this.failedDir).length;
  }

  /** Dead letters, oldest first. */
  failed(): DeadLetter[] {
    return listJson(this.failedDir).map((name) => {
      const file = path.join(this.failedDir, name);
      let error = '';
      try {
        error = readFileSync(`${file}.error.txt`, 'utf8');
      } catch {
        // reason lost: the event itself is what matters
      }
      return { name, file, error };
    });
  }

  /** Moves every dead letter back into the queue (in its original place in the order); returns how many. */
  retryFailed(): number {
    const letters = this.failed();
    for (const letter of letters) {
      renameSync(letter.file, path.join(this.dir, letter.name));
      rmSync(`${letter.file}.error.txt`, { force: true });
    }
    if (letters.length) fsyncDir(this.dir);
    return letters.length;
  }
}

function listJson(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .sort();
}
