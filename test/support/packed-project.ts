import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from './project.js';

/** What `npm pack --json` reports of one package. */
export interface PackInfo {
  filename: string;
  size: number;
  entryCount: number;
  files: { path: string }[];
}

/** Packs the repository as `npm publish` would (prepack builds dist/ and its .d.ts) into `dest`; returns the tarball's path. */
export function packRepo(dest: string): { tarball: string; info: PackInfo } {
  const [info] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', dest], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }),
  ) as PackInfo[];
  return { tarball: path.join(dest, info.filename), info };
}

/** `npm install` in a consumer folder, from npm's cache where it can (the registry only for what is missing). */
export function npmInstall(dir: string, specs: string[] = []): void {
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
}

/** Runs the consumer's own `synth` (node_modules/.bin/synth), as `npx synth` would. */
export function consumerSynth(dir: string, args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(path.join(dir, 'node_modules', '.bin', 'synth'), args, { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A small table a user might bring: an id, a low-cardinality region (an enum), a numeric score
 * with empty cells (nullable), a whole-number age, a boolean, and free text. Deterministic.
 */
export function writeUserCsv(file: string, rows = 150): void {
  const regions = ['north', 'south', 'east'];
  const lines = ['id,region,score,age,active,comment'];
  let x = 7;
  const next = () => (x = (x * 48271) % 2147483647) / 2147483647;
  for (let i = 1; i <= rows; i++) {
    const region = regions[Math.floor(next() * 3)];
    const age = 20 + Math.floor(next() * 50);
    const score = i % 10 === 0 ? '' : (age * 1.5 + next() * 20 + (region === 'north' ? 15 : 0)).toFixed(1);
    lines.push(`${i},${region},${score},${age},${next() < 0.4},"note ${i}, region ${region}"`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
}
