/**
 * The tables our random forest is compared with scikit-learn's on (test/models/forest-vs-sklearn
 * and bench/forest.bench.ts): the realism benchmark's public tables, split 70/30 with seed 7 and
 * encoded once by our feature encoder, so both learners see the very same numeric inputs; and a
 * seeded 20,000-row table for speed.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from '../../src/engine/index.js';
import { readSourceRows } from '../../src/engine/source-files.js';
import { createRng, encodeRows, fitEncoder, isLabel, splitRows } from '../../src/models/index.js';
import { classifyColumns } from '../../src/validation/metrics/index.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const data = (f: string) => path.join(repo, 'node_modules/vega-datasets/data', f);

/** A table as a numeric matrix: x[i] is the encoded input row i, y[i] its class index. */
export interface EncodedTable {
  name: string;
  train: { x: number[][]; y: number[] };
  test: { x: number[][]; y: number[] };
  classes: number;
}

export const BENCHMARK_TABLES = [
  { name: 'cars', file: data('cars.json'), target: 'Origin' },
  { name: 'seattle_weather', file: data('seattle-weather.csv'), target: 'weather' },
  { name: 'gapminder', file: data('gapminder.json'), target: 'cluster' },
  { name: 'movies', file: data('movies.json'), target: 'MPAA Rating' },
] as const;

/** Encodes real rows: identifiers and free text left out (as the utility check does), categories one-hot, missing numbers → train mean. */
export function encodeTable(name: string, rows: readonly Row[], target: string, split = { test: 0.3, seed: 7 }): EncodedTable {
  const labelled = rows.filter((r) => isLabel(r[target]));
  const { train, test } = splitRows(labelled, split);
  const skipped = new Set(classifyColumns(labelled).skipped.map((c) => c.column));
  const features = Object.keys(labelled[0]).filter((k) => k !== target && !skipped.has(k));
  const encoding = fitEncoder(train, { target, features });
  const labels = [...new Set(labelled.map((r) => String(r[target])))].sort();
  const y = (rs: readonly Row[]) => rs.map((r) => labels.indexOf(String(r[target])));
  return { name, train: { x: encodeRows(encoding, train), y: y(train) }, test: { x: encodeRows(encoding, test), y: y(test) }, classes: labels.length };
}

export async function benchmarkTables(): Promise<EncodedTable[]> {
  const out: EncodedTable[] = [];
  for (const t of BENCHMARK_TABLES) {
    const { rows } = await readSourceRows([t.file]);
    out.push(encodeTable(t.name, rows, t.target));
  }
  return out;
}

/**
 * `n` seeded rows: 8 numeric inputs (some noise-only) and a 12-value category; 4 classes from
 * thresholds on a non-linear mix, 10% labels flipped. Big enough to time, hard enough to need depth.
 */
export function syntheticTable(n = 20_000, seed = 3): EncodedTable {
  const rng = createRng(seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const v = Array.from({ length: 8 }, () => rng() * 10);
    const cat = `c${Math.floor(rng() * 12)}`;
    const s = v[0] * v[1] * 0.1 + Math.sin(v[2]) * 3 + (Number(cat.slice(1)) % 4) + v[3] * 0.3;
    let label = s < 3 ? 'a' : s < 6 ? 'b' : s < 9 ? 'c' : 'd';
    if (rng() < 0.1) label = ['a', 'b', 'c', 'd'][Math.floor(rng() * 4)];
    rows.push({ v0: v[0], v1: v[1], v2: v[2], v3: v[3], v4: v[4], v5: v[5], v6: v[6], v7: v[7], cat, label });
  }
  return encodeTable('synthetic_20k', rows, 'label', { test: 0.2, seed: 1 });
}

/** The matrix back as rows `{ x0, x1, …, y }` for trainClassifier (numeric inputs: encoded as they are). */
export function matrixRows(x: number[][], y: number[]): Row[] {
  return x.map((row, i) => {
    const r: Row = { y: y[i] };
    row.forEach((v, f) => (r[`x${f}`] = v));
    return r;
  });
}
