/**
 * Run by forest.bench.ts in fresh processes: our random forest on a table of the JSON file the
 * bench wrote, with the parameters forest_sklearn.py gives scikit-learn.
 *   forest-probe.ts TABLES.json time NAME      fit twice on NAME in this process: cold, warm
 *   forest-probe.ts TABLES.json f1 SEEDS...    macro F1 on each table's test split per seed
 */
import { readFileSync } from 'node:fs';
import { evaluateClassifier, trainClassifier } from '../src/models/index.js';
import { matrixRows, type EncodedTable } from '../test/support/forest-tables.js';

const [file, mode, ...rest] = process.argv.slice(2);
const tables = (JSON.parse(readFileSync(file, 'utf8')) as { tables: EncodedTable[] }).tables;
const options = { nEstimators: 30, maxDepth: 12, minNumSamples: 3 };

if (mode === 'time') {
  const t = tables.find((x) => x.name === rest[0])!;
  const rows = matrixRows(t.train.x, t.train.y);
  const out: Record<string, number> = {};
  for (const [phase, seed] of [
    ['cold', 0],
    ['warm', 1],
  ] as const) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    trainClassifier(rows, { target: 'y', seed, options });
    out[`${phase}_ms`] = performance.now() - start;
    const used = process.cpuUsage(cpu);
    out[`${phase}_cpu_ms`] = (used.user + used.system) / 1000;
  }
  process.stdout.write(JSON.stringify(out));
} else {
  const out: Record<string, number[]> = {};
  for (const t of tables) {
    const train = matrixRows(t.train.x, t.train.y);
    const test = matrixRows(t.test.x, t.test.y);
    out[t.name] = rest.map((s) => evaluateClassifier(trainClassifier(train, { target: 'y', seed: Number(s), options }), test).macro_f1);
  }
  process.stdout.write(JSON.stringify(out));
}
