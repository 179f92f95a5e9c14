/**
 * Writes test/models/fixtures/sklearn-forest-f1.json: scikit-learn's macro F1 on the benchmark
 * tables (forest_sklearn.py, seeds 0–19), the reference test/models/forest-vs-sklearn.test.ts
 * compares our forest with. Re-run after changing the tables or the parameters:
 *   bash bench/setup-forest-venv.sh && npx tsx bench/forest-reference.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { benchmarkTables } from '../test/support/forest-tables.js';
import { REPO } from '../test/support/project.js';

const seeds = Array.from({ length: 20 }, (_, i) => String(i));
const python = path.join(REPO, '.venv-forest', 'bin', 'python');
const dir = mkdtempSync(path.join(tmpdir(), 'synth-forest-ref-'));
try {
  const file = path.join(dir, 'tables.json');
  writeFileSync(file, JSON.stringify({ tables: await benchmarkTables() }));
  const r = spawnSync(python, [path.join(REPO, 'bench', 'forest_sklearn.py'), file, 'f1', ...seeds], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const version = spawnSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).stdout.trim();
  const fixture = {
    command: 'bash bench/setup-forest-venv.sh && npx tsx bench/forest-reference.ts',
    scikit_learn: version,
    model: 'RandomForestClassifier(n_estimators=30, max_features="sqrt", max_depth=12, min_samples_split=4, bootstrap=True, random_state=seed, n_jobs=1)',
    seeds: seeds.map(Number),
    macro_f1: JSON.parse(r.stdout) as Record<string, number[]>,
  };
  writeFileSync(path.join(REPO, 'test/models/fixtures/sklearn-forest-f1.json'), JSON.stringify(fixture, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
