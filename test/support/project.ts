import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this project). */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const SYNTH = path.join(REPO, 'bin', 'synth.mjs');

/** Definitions of two trivial assets, b built from a, for tests of the store and catalog. */
export const TWO_ASSETS_DEFS = `
import { asset } from 'synthgraph';
export const a = asset({ name: 'a', codeVersion: '1', materialize: () => [{ v: 1 }, { v: 2 }] });
export const b = asset({ name: 'b', deps: { a }, codeVersion: '1', materialize: (_ctx, { a }) => a.map((r) => ({ w: r.v * 2 })) });
`;

/**
 * Makes a project in a fresh temporary folder, as a user's project that installed synthgraph:
 * `node_modules/` links to the repository's packages and `node_modules/synthgraph` to the repository.
 */
export function makeProject(files: Record<string, string> = {}, options: { examples?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-test-'));
  linkSynthgraph(dir);
  if (options.examples) {
    cpSync(path.join(REPO, 'src', 'assets'), path.join(dir, 'src', 'assets'), { recursive: true });
    cpSync(path.join(REPO, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
  }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
  for (const [rel, text] of Object.entries(files)) writeProjectFile(dir, rel, text);
  return dir;
}

/** Installs synthgraph in a folder as a user would have it: `node_modules/` links to the repository's packages, `node_modules/synthgraph` to the repository. */
export function linkSynthgraph(dir: string): void {
  const nm = path.join(dir, 'node_modules');
  mkdirSync(nm);
  for (const entry of readdirSync(path.join(REPO, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    symlinkSync(path.join(REPO, 'node_modules', entry), path.join(nm, entry));
  }
  symlinkSync(REPO, path.join(nm, 'synthgraph'));
}

export function writeProjectFile(dir: string, rel: string, text: string): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function readProjectFile(dir: string, rel: string): string {
  return readFileSync(path.join(dir, rel), 'utf8');
}

export function removeProject(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `synth` executable in a project folder. */
export function synth(dir: string, args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [SYNTH, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `synth` and parses its JSON output. */
export function synthJson<T = unknown>(dir: string, args: string[], env: Record<string, string> = {}): { code: number; json: T; stderr: string } {
  const r = synth(dir, [...args, '--json'], env);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`synth ${args.join(' ')} did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** Starts `synth` without waiting (for concurrency and kill tests). */
export function synthAsync(dir: string, args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [SYNTH, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr })));
  return { child, done, output: () => ({ stdout, stderr }) };
}
