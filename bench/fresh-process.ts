/**
 * Shared by the benchmarks: runs a probe script in fresh Node processes (each figure is then
 * min / median / max over several processes, the first call of each one cold) and formats spreads.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from '../test/support/project.js';

/** Runs `probe` (a .ts file, through tsx) once with `args` (and `env` added to this process's); resolves to the JSON it printed on stdout. */
export function runProbe<T>(probe: string, args: string[], env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    // Asynchronous spawn: the parent may be serving the probe (a fake LLM server) meanwhile.
    const child = spawn(process.execPath, ['--import', 'tsx', probe, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
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

/** Preload (`node --import`) that writes a process's CPU time (user + system, ms) to $SYNTH_BENCH_CPU_FILE as it exits. */
export const CPU_HOOK = new URL('./cpu-at-exit.mjs', import.meta.url).href;

/** The CPU time (ms) a process preloaded with {@link CPU_HOOK} wrote at exit. */
export function cpuAtExitMs(file: string): number {
  return Number(readFileSync(file, 'utf8'));
}

/** CPU time (user + system) a live process has used so far, in ms, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** One whole `synth` process: its wall time and its own CPU time (the steadier figure on a shared machine), both in seconds, and what it printed. */
export function timeSynth(synth: string, cwd: string, args: string[], env: Record<string, string> = {}): { wall: number; cpu: number; stdout: string } {
  const cpuFile = path.join(mkdtempSync(path.join(tmpdir(), 'synth-bench-cpu-')), 'cpu');
  try {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', CPU_HOOK, synth, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      env: { ...process.env, NO_COLOR: '1', ...env, SYNTH_BENCH_CPU_FILE: cpuFile },
    });
    const wall = Number(process.hrtime.bigint() - t) / 1e9;
    if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    return { wall, cpu: cpuAtExitMs(cpuFile) / 1000, stdout: r.stdout };
  } finally {
    rmSync(path.dirname(cpuFile), { recursive: true, force: true });
  }
}

/** {@link timeSynth} `runs` times: the wall and CPU spreads (`min / median / max s`) and the last output. */
export function timeSynthRuns(synth: string, cwd: string, args: string[], runs = RUNS): { wall: string; cpu: string; stdout: string } {
  const wall: number[] = [];
  const cpu: number[] = [];
  let stdout = '';
  for (let i = 0; i < runs; i++) {
    const t = timeSynth(synth, cwd, args);
    wall.push(t.wall);
    cpu.push(t.cpu);
    stdout = t.stdout;
  }
  return { wall: spread(wall, 's'), cpu: spread(cpu, 's'), stdout };
}
