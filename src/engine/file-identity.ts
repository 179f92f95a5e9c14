import { type Stats, statSync } from 'node:fs';

/** `inode:size:mtime` of a file's stats: changes whenever the file is written or replaced. */
export function identityOf(s: Stats): string {
  return `${s.ino}:${s.size}:${s.mtimeMs}`;
}

/** {@link identityOf} a file (following links), or `-` when there is none. */
export function fileIdentity(file: string | undefined): string {
  const s = file === undefined ? undefined : statSync(file, { throwIfNoEntry: false });
  return s ? identityOf(s) : '-';
}
