import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileHashMemo } from '../../src/engine/file-hash-memo.js';
import { sha256 } from '../../src/engine/hashing.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('source file hashes memoized by size, mtime and inode', () => {
  it('reuses a remembered hash while the file is unchanged, and re-reads it once it changes', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'synth-memo-'));
    const state = path.join(dir, '.synth');
    const data = path.join(dir, 'live.csv');
    writeFileSync(data, 'a,b\n1,2\n');
    const first = new FileHashMemo(state);
    expect(first.hash(data)).toBe(sha256('a,b\n1,2\n'));
    first.save();

    // Plant a different hash for the same (size, mtime, inode): a new memo must trust it, proving it did not re-read.
    const memoFile = path.join(state, 'cache', 'file-hashes.json');
    const entries = JSON.parse(readFileSync(memoFile, 'utf8'));
    entries[data][3] = 'planted';
    writeFileSync(memoFile, JSON.stringify(entries));
    expect(new FileHashMemo(state).hash(data)).toBe('planted');

    writeFileSync(data, 'a,b\n1,2\n3,4\n');
    expect(statSync(data).size).not.toBe(entries[data][0]);
    expect(new FileHashMemo(state).hash(data)).toBe(sha256('a,b\n1,2\n3,4\n'));
  });

  it('works without a memo file, and with a damaged one', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'synth-memo-'));
    const state = path.join(dir, '.synth');
    const data = path.join(dir, 'x.json');
    writeFileSync(data, '[]');
    writeFileSync(path.join(dir, 'junk'), '');
    const memo = new FileHashMemo(state);
    expect(memo.hash(data)).toBe(sha256('[]'));
    memo.save();
    writeFileSync(path.join(state, 'cache', 'file-hashes.json'), '{not json');
    expect(new FileHashMemo(state).hash(data)).toBe(sha256('[]'));
  });
});
