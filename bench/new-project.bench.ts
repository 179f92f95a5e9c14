/**
 * A user's first steps, timed as they would run them in a new folder (whole processes):
 * `npm install <tarball>`, `synth init --from people.csv`, `synth materialize` (first run, cold:
 * nothing built yet) and `synth materialize` again (warm: everything fresh). Five fresh folders;
 * npm's cache holds synthgraph's dependencies (as on any machine that installed them once).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { npmInstall, packRepo, writeUserCsv } from '../test/support/packed-project.js';

export const title = 'New project: npm install <tarball>, synth init --from a CSV, synth materialize';

const RUNS = 5;

function seconds(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function synthIn(dir: string, args: string[]): void {
  const r = spawnSync(path.join(dir, 'node_modules', '.bin', 'synth'), args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
}

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const f = (x: number) => `${x.toFixed(2)} s`;
  return { min: f(s[0]!), median: f(s[Math.floor(s.length / 2)]!), max: f(s[s.length - 1]!) };
};

export default async function (): Promise<Record<string, string | number>[]> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'synth-bench-new-'));
  try {
    let tarball = '';
    const pack = seconds(() => ({ tarball } = packRepo(tmp)));
    const times: Record<string, number[]> = { install: [], init: [], cold: [], warm: [] };
    for (let i = 0; i < RUNS; i++) {
      const dir = path.join(tmp, `project-${i}`);
      mkdirSync(dir);
      writeUserCsv(path.join(dir, 'people.csv'), 1000);
      times.install!.push(seconds(() => npmInstall(dir, [tarball])));
      times.init!.push(seconds(() => synthIn(dir, ['init', '--from', 'people.csv'])));
      times.cold!.push(seconds(() => synthIn(dir, ['materialize'])));
      times.warm!.push(seconds(() => synthIn(dir, ['materialize'])));
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      { step: 'npm pack (prepack: esbuild + tsc declarations), once', runs: 1, min: `${pack.toFixed(2)} s`, median: '', max: '' },
      { step: 'npm install <tarball> (npm cache warm)', runs: RUNS, ...stats(times.install!) },
      { step: 'synth init --from people.csv (1,000 rows)', runs: RUNS, ...stats(times.init!) },
      { step: 'synth materialize, first run (cold)', runs: RUNS, ...stats(times.cold!) },
      { step: 'synth materialize, all fresh (warm)', runs: RUNS, ...stats(times.warm!) },
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
