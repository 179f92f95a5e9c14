/**
 * Shared by the benchmarks: runs a probe script in fresh Node processes (each figure is then
 * min / median / max over several processes, the first call of each one cold) and formats spreads.
 */
import { spawn } from 'node:child_process';
import { REPO } from '../test/support/project.js';

/** Runs `probe` (a .ts file, through tsx) once with `args`; resolves to the JSON it printed on stdout. */
export function runProbe<T>(probe: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    // Asynchronous spawn: the parent may be serving the probe (a fake LLM server) meanwhile.
    const child = spawn(process.execPath, ['--import', 'tsx', probe, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${probe} ${args.join(' ')} exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`${probe} printed no JSON: ${out.slice(0, 200)} ${err.slice(0, 500)}`));
      }
    });
  });
}

/** The values sorted: min, median, max. */
export function spreadOf(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

/** `min / median / max unit`. */
export function spread(xs: number[], unit = '', digits = 2): string {
  const { min, median, max } = spreadOf(xs);
  return `${min.toFixed(digits)} / ${median.toFixed(digits)} / ${max.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

/** Default number of fresh processes per figure. */
export const RUNS = Number(process.env.BENCH_RUNS ?? 5);
