import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The files a piece of code looks at through `node:fs` (reads, stats, listings, opens), recorded
 * while it runs: definitions may build an asset from a file of their own (`JSON.parse(readFileSync
 * ('config.json'))`), which no import names, so a project description reused later is only valid
 * while those files are unchanged. Files inside a `node_modules` folder or `ignoreUnder` are left out.
 */
export async function recordFileReads<T>(fn: () => Promise<T>, ignoreUnder: readonly string[] = []): Promise<{ value: T; files: string[] }> {
  const files = new Set<string>();
  const recorder = (abs: string): void => {
    if (abs.split(path.sep).includes('node_modules') || ignoreUnder.some((dir) => abs === dir || abs.startsWith(dir + path.sep))) return;
    files.add(abs);
  };
  recorders.add(recorder);
  if (recorders.size === 1) patch();
  try {
    const value = await fn();
    return { value, files: [...files].sort() };
  } finally {
    recorders.delete(recorder);
    if (recorders.size === 0) unpatch();
  }
}

/** Recordings under way (a long-running process may load two projects at once): `node:fs` stays patched while there is one. */
const recorders = new Set<(file: string) => void>();
const originals: [Record<string, unknown>, string, unknown][] = [];

const SYNC_AND_CALLBACK = [
  'readFileSync',
  'readFile',
  'existsSync',
  'statSync',
  'lstatSync',
  'readdirSync',
  'openSync',
  'open',
  'createReadStream',
  'stat',
  'lstat',
  'readdir',
  'access',
  'accessSync',
];
const PROMISES = ['readFile', 'stat', 'lstat', 'readdir', 'open', 'access'];

function note(target: unknown): void {
  const file =
    typeof target === 'string' ? target : target instanceof URL && target.protocol === 'file:' ? fileURLToPath(target) : Buffer.isBuffer(target) ? target.toString() : undefined;
  if (file === undefined) return; // a file descriptor: its open was noted
  const abs = path.resolve(file);
  for (const record of recorders) record(abs);
}

function patch(): void {
  const wrap = (owner: Record<string, unknown>, name: string): void => {
    const original = owner[name] as (...args: unknown[]) => unknown;
    owner[name] = function (this: unknown, ...args: unknown[]) {
      note(args[0]);
      return original.apply(this, args);
    };
    originals.push([owner, name, original]);
  };
  for (const name of SYNC_AND_CALLBACK) wrap(fs as unknown as Record<string, unknown>, name);
  for (const name of PROMISES) wrap(fs.promises as unknown as Record<string, unknown>, name);
  // `import { readFileSync } from 'node:fs'` binds to the built-in's ES module view: update it too.
  syncBuiltinESMExports();
}

function unpatch(): void {
  for (const [owner, name, original] of originals.splice(0).reverse()) owner[name] = original;
  syncBuiltinESMExports();
}
