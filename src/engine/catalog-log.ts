import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { writeError } from './write-error.js';

/** A place in a segmented log: a segment number and a byte offset in it. */
export interface LogPosition {
  segment: number;
  offset: number;
}

/** One complete line read from a log, with where it was (for error messages). */
export interface LogLine {
  text: string;
  file: string;
  /** Byte offset of the line in its segment. */
  at: number;
}

const SEGMENT = /^(\d{8})\.jsonl$/;

/**
 * An append-only log of JSON lines split into numbered segment files (`00000001.jsonl`, ...): the
 * catalog's history. Appends happen under the catalog lock; readers need no lock. A line counts
 * only once it ends with a newline, so a reader never takes half of a line being appended; a line
 * cut short by a killed writer is ended by the next append (which starts with a newline when the
 * file does not end with one) and skipped by readers because it does not parse.
 */
export class SegmentLog {
  constructor(
    readonly dir: string,
    /** Size at which a segment is closed (asked when appending: settings are read only by writers). */
    private readonly segmentBytes: () => number,
  ) {}

  fileOf(segment: number): string {
    return path.join(this.dir, `${String(segment).padStart(8, '0')}.jsonl`);
  }

  /** Segment numbers present, oldest first. */
  segments(): number[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const out: number[] = [];
    for (const n of names) {
      const m = SEGMENT.exec(n);
      if (m) out.push(Number(m[1]));
    }
    return out.sort((a, b) => a - b);
  }

  /** The end of the log (the last segment and its size); `{ segment: 1, offset: 0 }` when empty. */
  end(): LogPosition {
    const last = this.segments().at(-1);
    if (last === undefined) return { segment: 1, offset: 0 };
    return { segment: last, offset: sizeOf(this.fileOf(last)) };
  }

  /**
   * Appends lines (JSON texts without newlines) in one write, starting a new segment when the
   * last one reached the segment size. Returns the end of the log after the write. A failed write
   * (disk full) is a `WriteError`; what it left is an unterminated line that readers skip.
   */
  append(lines: readonly string[], consequence: string): LogPosition {
    let segment = this.segments().at(-1) ?? 1;
    let file = this.fileOf(segment);
    let fd: number | undefined;
    try {
      mkdirSync(this.dir, { recursive: true });
      let size = sizeOf(file);
      if (size >= this.segmentBytes()) {
        segment++;
        file = this.fileOf(segment);
        size = 0;
      }
      fd = openSync(file, 'a+');
      let prefix = '';
      if (size > 0) {
        const last = Buffer.alloc(1);
        readSync(fd, last, 0, 1, fstatSync(fd).size - 1);
        if (last[0] !== 0x0a) prefix = '\n'; // ends a line torn by a killed writer
      }
      const bytes = Buffer.from(`${prefix}${lines.join('\n')}\n`);
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      return { segment, offset: fstatSync(fd).size };
    } catch (err) {
      throw writeError(err, file, consequence);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /**
   * Calls `onLine` for every complete line from `from` to the end of the log, in order, and returns
   * the position after the last complete line. Returns null when a segment at or after `from` is
   * gone (removed by retention meanwhile): the caller starts again from a newer snapshot.
   */
  read(from: LogPosition, onLine: (line: LogLine) => void): LogPosition | null {
    const segments = this.segments().filter((s) => s >= from.segment);
    if (from.offset > 0 && segments[0] !== from.segment) return null;
    let end = from;
    for (const segment of segments) {
      const file = this.fileOf(segment);
      const start = segment === from.segment ? from.offset : 0;
      const bytes = readFrom(file, start);
      const complete = bytes.lastIndexOf(0x0a) + 1;
      const text = bytes.subarray(0, complete).toString('utf8');
      let at = start;
      for (const line of text.split('\n')) {
        if (line.length) onLine({ text: line, file, at });
        at += Buffer.byteLength(line) + 1;
      }
      end = { segment, offset: start + complete };
    }
    return end;
  }

  /** Bytes between two positions of this log. */
  bytesBetween(from: LogPosition, to: LogPosition): number {
    if (from.segment === to.segment) return to.offset - from.offset;
    let n = sizeOf(this.fileOf(from.segment)) - from.offset;
    for (const s of this.segments()) if (s > from.segment && s < to.segment) n += sizeOf(this.fileOf(s));
    return n + to.offset;
  }

  /**
   * Removes whole segments before `before` (never the one holding it) last written before
   * `olderThanMs` (epoch ms): the retention of history. Returns how many were removed.
   */
  prune(before: LogPosition, olderThanMs: number): number {
    let removed = 0;
    for (const s of this.segments()) {
      if (s >= before.segment) break;
      const file = this.fileOf(s);
      try {
        if (statSync(file).mtimeMs >= olderThanMs) break; // segments are written in order: the rest are newer
        rmSync(file, { force: true });
        removed++;
      } catch {
        // removed meanwhile
      }
    }
    return removed;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, start: number): Buffer {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fstatSync(fd).size;
    const out = Buffer.allocUnsafe(Math.max(0, size - start));
    let off = 0;
    while (off < out.length) {
      const n = readSync(fd, out, off, out.length - off, start + off);
      if (n === 0) break;
      off += n;
    }
    return out.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}
