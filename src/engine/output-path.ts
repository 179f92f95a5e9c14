import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, type Stats, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.js';
import { writeError } from './write-error.js';

/** Raised when a path given by the user is not a place synthgraph may write to. Exit 2. */
export class OutputPathError extends UsageError {}

/** Options of `checkOutputPath` / `writeOutputFile`. */
export interface OutputPathOptions {
  /** Replace an existing regular file (`--force`). Default: false, an existing file is refused. */
  force?: boolean;
  /** The flag that named the path, for messages. Default: `'--out'`. Example: `'--out'`. */
  flag?: string;
}

/** Where a checked output goes: standard output (`-`), or a regular file that may be created or replaced. */
export type OutputTarget =
  | { kind: 'stdout' }
  | {
      kind: 'file';
      /** The absolute, symlink-free path that will be written. */
      file: string;
      /** The file that is there now and may be replaced (its inode), or null when the path is free. */
      replaces: { dev: number; ino: number } | null;
    };

/** Folder names that hold a project's state: nothing a user names as output may land inside one. */
const STATE_DIR_NAME = '.synth';

function refuse(what: string, why: string, fix: string, file: string): never {
  throw new OutputPathError({ what, why, fix, file });
}

/** The real path of `p`: symlinks followed for the part that exists, the rest appended. */
function realPathOf(p: string): string {
  const missing: string[] = [];
  let at = p;
  for (;;) {
    try {
      return path.join(realpathSync(at), ...missing);
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return p;
      missing.unshift(path.basename(at));
      at = parent;
    }
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/**
 * Checks a path the user gave for output (`--out`, `synth init`'s files, ...) before anything is
 * computed: `-` means standard output; otherwise the real path (symlinks followed) must not be in a
 * `.synth/` folder (this project's store or another's), must not be a directory, device, FIFO or
 * socket, and must not exist unless `force` is set. Throws `OutputPathError` (exit 2) saying which.
 */
export function checkOutputPath(out: string, options: OutputPathOptions = {}): OutputTarget {
  if (out === '-') return { kind: 'stdout' };
  const flag = options.flag ?? '--out';
  if (out === '') refuse(`${flag} is empty.`, 'An output file name is needed.', `Give a file name, or \`${flag} -\` for standard output.`, out);
  const given = path.resolve(out);
  const file = realPathOf(given);
  if (file.split(path.sep).includes(STATE_DIR_NAME)) {
    refuse(
      `${flag} ${out} is inside a ${STATE_DIR_NAME}/ folder.`,
      `${STATE_DIR_NAME}/ holds a project's catalog and stored objects: writing there would destroy its history.`,
      'Write the file somewhere else, e.g. in the project folder or /tmp.',
      file,
    );
  }
  const stat = statOrNull(file);
  if (!stat) {
    // The folders on the way are created when writing: the nearest one that exists must be a folder.
    let parent = path.dirname(file);
    let found = statOrNull(parent);
    while (!found && path.dirname(parent) !== parent) found = statOrNull((parent = path.dirname(parent)));
    if (found && !found.isDirectory()) {
      refuse(`${flag} ${out} cannot be created.`, `${parent} is a file, not a folder.`, 'Choose a path whose folders exist or can be created.', file);
    }
    return { kind: 'file', file, replaces: null };
  }
  if (stat.isDirectory()) {
    refuse(`${flag} ${out} is a directory.`, 'Output goes to a file.', `Name a file inside it, e.g. ${flag} ${path.join(out, 'out.csv')}.`, file);
  }
  if (!stat.isFile()) {
    const kind = stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : stat.isFIFO() ? 'a FIFO (named pipe)' : stat.isSocket() ? 'a socket' : 'not a regular file';
    refuse(
      `${flag} ${out} is ${kind}.`,
      'synthgraph writes only regular files, so that it never replaces a device or a pipe.',
      `Use \`${flag} -\` and redirect standard output (e.g. \`> ${out}\`).`,
      file,
    );
  }
  if (!options.force) {
    refuse(`${flag} ${out} already exists.`, 'An existing file is replaced only when you ask for it.', 'Pass --force to replace it, or choose another name.', file);
  }
  return { kind: 'file', file, replaces: { dev: stat.dev, ino: stat.ino } };
}

/**
 * Writes a checked target atomically: a temporary file beside it, then a hard link when the path was
 * free (which fails if something appeared there meanwhile) or a rename over the very file that was
 * checked (re-checked just before). A reader never sees half a file; on any failure the temporary
 * file is removed.
 */
export function writeOutputFile(target: Extract<OutputTarget, { kind: 'file' }>, data: string | Uint8Array, options: OutputPathOptions = {}): void {
  const { file } = target;
  const flag = options.flag ?? '--out';
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data, { flag: 'wx' });
    if (target.replaces === null) {
      try {
        linkSync(tmp, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
          refuse(`${flag} ${file} appeared while writing.`, 'Another process created it after it was checked.', 'Run the command again (with --force to replace it).', file);
        }
        throw err;
      }
    } else {
      const now = statOrNull(file);
      if (!now || !now.isFile() || now.dev !== target.replaces.dev || now.ino !== target.replaces.ino) {
        refuse(`${flag} ${file} changed while writing.`, 'It is no longer the regular file that was checked.', 'Run the command again.', file);
      }
      renameSync(tmp, file);
    }
  } catch (err) {
    if (err instanceof OutputPathError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    // A folder on the way is a file (mkdir: EEXIST, ENOTDIR), or the path is unusable.
    if (code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENAMETOOLONG' || code === 'ELOOP') {
      refuse(`${flag} ${file} cannot be created.`, (err as Error).message, 'Choose a path whose folders exist or can be created.', file);
    }
    throw writeError(err, file);
  } finally {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // never created (its folder could not be)
    }
  }
}

/** `checkOutputPath` then `writeOutputFile`, for callers that have the data already. Returns the file written, or undefined for `-`. */
export function writeUserFile(out: string, data: string | Uint8Array, options: OutputPathOptions = {}): string | undefined {
  const target = checkOutputPath(out, options);
  if (target.kind === 'stdout') return undefined;
  writeOutputFile(target, data, options);
  return target.file;
}
