import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SharedPatch, wrapMethods } from './load-recording.js';

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
  const value = await fsPatch.during(recorder, fn);
  return { value, files: [...files].sort() };
}

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

const fsPatch: SharedPatch<(file: string) => void> = new SharedPatch(() =>
  wrapMethods(
    [
      [fs, SYNC_AND_CALLBACK],
      [fs.promises, PROMISES],
    ],
    (args) => note(args[0]),
  ),
);

function note(target: unknown): void {
  const file =
    typeof target === 'string' ? target : target instanceof URL && target.protocol === 'file:' ? fileURLToPath(target) : Buffer.isBuffer(target) ? target.toString() : undefined;
  if (file === undefined) return; // a file descriptor: its open was noted
  const abs = path.resolve(file);
  for (const record of fsPatch.recordings) record(abs);
}
