import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * The commit checked out in the git repository holding `dir`, or null when there is none. Reads
 * `.git` directly (HEAD, loose refs, packed-refs, worktree `gitdir:` files) instead of spawning git,
 * because the lineage listener runs synchronously inside the executor's event loop.
 */
export function readGitCommit(dir: string): string | null {
  const gitDir = findGitDir(path.resolve(dir));
  if (!gitDir) return null;
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (SHA.test(head)) return head;
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (!ref) return null;
    // Worktrees keep refs in the common dir.
    const commonFile = path.join(gitDir, 'commondir');
    const common = existsSync(commonFile) ? path.resolve(gitDir, readFileSync(commonFile, 'utf8').trim()) : gitDir;
    for (const base of [gitDir, common]) {
      const loose = path.join(base, ref);
      if (existsSync(loose)) {
        const sha = readFileSync(loose, 'utf8').trim();
        if (SHA.test(sha)) return sha;
      }
    }
    const packed = path.join(common, 'packed-refs');
    if (existsSync(packed)) {
      for (const line of readFileSync(packed, 'utf8').split('\n')) {
        const [sha, name] = line.trim().split(' ');
        if (name === ref && SHA.test(sha)) return sha;
      }
    }
  } catch {
    // unreadable repository: no commit
  }
  return null;
}

function findGitDir(start: string): string | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    if (existsSync(dotGit)) {
      if (statSync(dotGit).isDirectory()) return dotGit;
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
      return pointer ? path.resolve(dir, pointer.trim()) : null;
    }
    if (path.dirname(dir) === dir) return null;
  }
}
