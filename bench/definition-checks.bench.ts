/**
 * Cost of checking definitions before anything runs: whole-process `synth status --json` on
 * 10,000 trivial assets, and on a mixed project of 1,000 groups (a CSV source, a dataset fitted
 * to it with rules and column hints, and a validation with unique and utility checks), where
 * every check has something to look at; and the check pass alone (definition-checks-probe.ts),
 * cold (first call in a process) and warm. Min/median/max over 5 fresh processes (the
 * definitions bundle is cached by a first, unmeasured, run).
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeProject, REPO, SYNTH } from '../test/support/project.js';
import { trivialGraphDefs } from './engine.bench.js';

export const title = 'Definition checks: synth status, whole process (5 fresh processes, warm bundle)';

const GROUPS = 1000;

export function mixedDefs(n: number): string {
  return `
import { z } from 'zod';
import { checks, dataset, source, validation } from 'synthgraph';
const Row = z.object({ Label: z.enum(['a', 'b']), x: z.number(), y: z.number(), name: z.string() });
const all: Record<string, unknown> = {};
for (let i = 0; i < ${n}; i++) {
  const real = source({ name: 'real' + i, file: 'data/real.csv' });
  const synth = dataset({ name: 'synth' + i, schema: Row, prompt: 'mixed_v1', rows: 100, reference: real });
  all['v' + i] = validation({ name: 'v' + i, deps: { synth, real }, target: 'synth', reference: 'real',
    checks: [checks.unique({ key: 'name' }), checks.utility({ target: 'Label', features: ['x', 'y'] })] });
}
export const assets = all;
`;
}

export const PROMPT = `prompt_id: mixed_v1
domain: test
template: Generate {{rows}} rows
rules:
  - if Label == "a", x > 0
  - y >= 0
columns:
  name:
    faker: person.fullName
  x:
    min: 0
    max: 10
`;

function stats(xs: number[], unit = 's', digits = 2): string {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(digits)} / ${s[Math.floor(s.length / 2)].toFixed(digits)} / ${s[s.length - 1].toFixed(digits)} ${unit}`;
}

const PROBE = fileURLToPath(new URL('./definition-checks-probe.ts', import.meta.url));

/** The check pass alone, in 5 fresh processes: [cold, warm] min/median/max. */
function timeChecks(dir: string, runs = 5): [string, string] {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', PROBE, dir], { cwd: REPO, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`probe failed: ${r.stderr}`);
    const t = JSON.parse(r.stdout) as { cold_ms: number; warm_ms: number };
    cold.push(t.cold_ms);
    warm.push(t.warm_ms);
  }
  return [stats(cold, 'ms', 1), stats(warm, 'ms', 1)];
}

function timeProcess(dir: string, args: string[], runs = 5): string {
  const run = () => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [SYNTH, ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`synth ${args.join(' ')} failed (exit ${r.status}): ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e9;
  };
  run(); // builds the definitions bundle once
  return stats(Array.from({ length: runs }, run));
}

export default async function (): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const trivial = makeProject({ 'src/assets/index.ts': trivialGraphDefs(10_000) });
  try {
    rows.push({ project: '10,000 trivial assets', command: 'synth status --json', 'min / median / max': timeProcess(trivial, ['status', '--json']) });
    const [cold, warm] = timeChecks(trivial);
    rows.push({ project: '10,000 trivial assets', command: 'check pass alone, cold (first in process)', 'min / median / max': cold });
    rows.push({ project: '10,000 trivial assets', command: 'check pass alone, warm', 'min / median / max': warm });
  } finally {
    rmSync(trivial, { recursive: true, force: true });
  }
  const csv = ['Label,x,y,name', ...Array.from({ length: 200 }, (_, i) => `${i % 2 ? 'a' : 'b'},${i % 10},${i % 7},n${i}`)].join('\n');
  const mixed = makeProject({ 'src/assets/index.ts': mixedDefs(GROUPS), 'prompts/mixed_v1.yaml': PROMPT, 'data/real.csv': csv });
  try {
    rows.push({ project: `${GROUPS} × (source, dataset, validation)`, command: 'synth status --json', 'min / median / max': timeProcess(mixed, ['status', '--json']) });
    const [cold, warm] = timeChecks(mixed);
    rows.push({ project: `${GROUPS} × (source, dataset, validation)`, command: 'check pass alone, cold (first in process)', 'min / median / max': cold });
    rows.push({ project: `${GROUPS} × (source, dataset, validation)`, command: 'check pass alone, warm', 'min / median / max': warm });
  } finally {
    rmSync(mixed, { recursive: true, force: true });
  }
  return rows;
}
