import { SynthError } from './errors.js';

/** A file could not be written (disk full, quota, read-only file system, permissions). Exit 1: nothing is wrong with the input. */
export class WriteError extends SynthError {
  /** The errno code, e.g. `ENOSPC`. */
  readonly code?: string;
  constructor(init: ConstructorParameters<typeof SynthError>[0] & { code?: string }) {
    super(init);
    this.code = init.code;
  }
}

const REASONS: Record<string, { what: string; fix: string }> = {
  ENOSPC: { what: 'disk full', fix: 'Free space on that disk, then run the command again.' },
  EDQUOT: { what: 'disk quota exceeded', fix: 'Free space within your quota, then run the command again.' },
  EROFS: { what: 'read-only file system', fix: 'Run the command where the folder is writable.' },
  EACCES: { what: 'permission denied', fix: 'Give your user write access to that folder, or run the command elsewhere.' },
  EPERM: { what: 'operation not permitted', fix: 'Give your user write access to that folder, or run the command elsewhere.' },
  EIO: { what: 'input/output error', fix: 'Check the disk (dmesg), then run the command again.' },
};

/**
 * Turns a failed write into a `WriteError` naming the file and what to do ("disk full while writing X");
 * errors that are already ours, and errno codes that are not about writing, pass through unchanged.
 */
export function writeError(err: unknown, file: string, consequence?: string): unknown {
  if (err instanceof SynthError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const reason = code && Object.hasOwn(REASONS, code) ? REASONS[code] : undefined;
  if (!reason) return err;
  return new WriteError({
    what: `${reason.what[0].toUpperCase()}${reason.what.slice(1)} while writing ${file}.`,
    why: consequence ?? `The system refused the write (${code}).`,
    fix: reason.fix,
    file,
    code,
    cause: err,
  });
}

/** True when an error is a write failure that will not go away by retrying at once (disk full, read-only...). */
export function isWriteError(err: unknown): err is WriteError {
  return err instanceof WriteError;
}
