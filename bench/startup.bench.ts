/**
 * Start-up of whole `synth` processes against Node's own floor (`node -e 0`), in a project holding
 * the example pipelines (as installed from npm: `synthgraph` is dist/). Each command runs RUNS times
 * as a fresh process, the commands interleaved so that a burst of load hits them all alike.
 * `synth status` cold: the definitions changed just before (re-bundled by esbuild, status computed in
 * full); `--reload`: the bundle is reused, the status computed in full (as after a run); warm: answered
 * from the status snapshot (nothing changed since the last status). `npm run bench -- startup`.
 * SYNTH_BASELINE=/path/to/another/checkout (built, with node_modules) adds the same synth rows for
 * that checkout, interleaved with these, in a project of its own: a before/after on one machine state.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { makeProject, removeProject, SYNTH } from '../test/support/project.js';

export const title = 'Start-up: whole processes, example pipelines, against node -e 0';

const RUNS = 9;

interface Case {
  what: string;
  args: string[];
  cwd: string;
  before?: () => void;
}

function casesFor(project: string, synth: string, label: string): Case[] {
  const defs = path.join(project, 'src', 'assets', 'ecommerce.ts');
  const touchDefs = () => {
    const now = new Date();
    utimesSync(defs, now, now);
  };
  return [
    { what: 'node -e 0', args: ['-e', '0'], cwd: project },
    { what: `synth --version${label}`, args: [synth, '--version'], cwd: project },
    { what: `synth --help${label}`, args: [synth, '--help'], cwd: project },
    { what: `synth status --help${label}`, args: [synth, 'status', '--help'], cwd: project },
    { what: `synth status, cold (definitions changed: re-bundled)${label}`, args: [synth, 'status'], cwd: project, before: touchDefs },
    { what: `synth status --reload, warm (bundle reused, status computed in full)${label}`, args: [synth, 'status', '--reload'], cwd: project },
    { what: `synth status, warm (answered from the status snapshot)${label}`, args: [synth, 'status'], cwd: project },
  ];
}

export default async function (): Promise<Record<string, string | number>[]> {
  const project = makeProject({}, { examples: true });
  const cases = casesFor(project, SYNTH, '');
  const baseline = process.env.SYNTH_BASELINE;
  let baselineProject: string | undefined;
  if (baseline) {
    baselineProject = makeProject({}, { examples: true });
    rmSync(path.join(baselineProject, 'node_modules', 'synthgraph'));
    symlinkSync(baseline, path.join(baselineProject, 'node_modules', 'synthgraph'));
    cases.push(...casesFor(baselineProject, path.join(baseline, 'bin', 'synth.mjs'), ' (baseline)').slice(1));
  }
  const times = new Map(cases.map((c) => [c.what, [] as number[]]));
  try {
    // One unmeasured round: the bundle exists and the OS file cache is warm for every case.
    for (const c of cases) spawnSync(process.execPath, c.args, { cwd: c.cwd });
    for (let i = 0; i < RUNS; i++) {
      for (const c of cases) {
        c.before?.();
        const t = process.hrtime.bigint();
        const r = spawnSync(process.execPath, c.args, { cwd: c.cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        times.get(c.what)!.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (r.status !== 0) throw new Error(`${c.what} failed (${r.status}): ${r.stderr}`);
      }
    }
  } finally {
    removeProject(project);
    if (baselineProject) removeProject(baselineProject);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floor = median(times.get('node -e 0')!);
  return cases.map(({ what }) => {
    const xs = [...times.get(what)!].sort((a, b) => a - b);
    return {
      what,
      runs: xs.length,
      min: `${xs[0]!.toFixed(0)} ms`,
      median: `${median(xs).toFixed(0)} ms`,
      max: `${xs[xs.length - 1]!.toFixed(0)} ms`,
      'median / node -e 0': `${(median(xs) / floor).toFixed(2)}×`,
    };
  });
}
