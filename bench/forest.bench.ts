/**
 * Our random forest against scikit-learn's RandomForestClassifier (same encoded inputs, same
 * parameters: 30 trees, √inputs per split, depth ≤ 12, leaves at ≤ 3 samples, bootstrap):
 * fit time on a seeded 20,000-row table (16,000 training rows × 20 inputs, 4 classes), both in
 * fresh processes run interleaved, cold (first fit of the process) and warm (second fit), wall
 * and CPU time; and macro F1 on the realism benchmark's tables, mean ± sd over seeds.
 * scikit-learn comes from .venv-forest (bench/setup-forest-venv.sh, run on first use).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchmarkTables, syntheticTable } from '../test/support/forest-tables.js';
import { REPO } from '../test/support/project.js';
import { RUNS, runProbe, spread, spreadOf } from './fresh-process.js';

export const title = `Random forest vs scikit-learn (30 trees; min / median / max over ${RUNS} interleaved fresh processes)`;

const PROBE = fileURLToPath(new URL('./forest-probe.ts', import.meta.url));
const PYTHON = path.join(REPO, '.venv-forest', 'bin', 'python');
const SKLEARN = path.join(REPO, 'bench', 'forest_sklearn.py');
const F1_SEEDS = ['0', '1', '2', '3', '4'];

type Times = { cold_ms: number; warm_ms: number; cold_cpu_ms: number; warm_cpu_ms: number };

function sklearn<T>(args: string[]): T {
  const r = spawnSync(PYTHON, [SKLEARN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`forest_sklearn.py failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

export default async function (): Promise<Record<string, string | number>[]> {
  if (!existsSync(PYTHON)) {
    const r = spawnSync('bash', [path.join(REPO, 'bench', 'setup-forest-venv.sh')], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('bench/setup-forest-venv.sh failed');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'synth-forest-bench-'));
  try {
    const file = path.join(dir, 'tables.json');
    writeFileSync(file, JSON.stringify({ tables: [...(await benchmarkTables()), syntheticTable()] }));
    const ours: Times[] = [];
    const theirs: Times[] = [];
    for (let i = 0; i < RUNS; i++) {
      ours.push(await runProbe<Times>(PROBE, [file, 'time', 'synthetic_20k']));
      theirs.push(sklearn<Times>([file, 'time', 'synthetic_20k']));
    }
    const out: Record<string, string | number>[] = [];
    for (const key of ['cold_ms', 'warm_ms', 'cold_cpu_ms', 'warm_cpu_ms'] as const) {
      const a = ours.map((t) => t[key]);
      const b = theirs.map((t) => t[key]);
      out.push({
        measure: `fit, 16,000 rows × 20 inputs, ${key.startsWith('cold') ? 'cold (first fit of the process)' : 'warm (second fit)'}, ${key.includes('cpu') ? 'CPU' : 'wall'} ms`,
        synthgraph: spread(a, '', 0),
        'scikit-learn': spread(b, '', 0),
        'ours / sklearn (medians)': `${(spreadOf(a).median / spreadOf(b).median).toFixed(2)}×`,
        target: '≤ 2×',
      });
    }
    const f1Ours = await runProbe<Record<string, number[]>>(PROBE, [file, 'f1', ...F1_SEEDS]);
    const f1Theirs = sklearn<Record<string, number[]>>([file, 'f1', ...F1_SEEDS]);
    for (const [name, a] of Object.entries(f1Ours)) {
      const b = f1Theirs[name];
      out.push({
        measure: `macro F1, ${name} (mean ± sd over ${F1_SEEDS.length} seeds)`,
        synthgraph: `${mean(a).toFixed(3)} ± ${sd(a).toFixed(3)}`,
        'scikit-learn': `${mean(b).toFixed(3)} ± ${sd(b).toFixed(3)}`,
        'ours / sklearn (medians)': `Δ ${(mean(a) - mean(b)).toFixed(3)}`,
        target: '|Δ| ≤ 0.01',
      });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
