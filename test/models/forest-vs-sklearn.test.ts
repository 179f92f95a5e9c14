import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateClassifier, trainClassifier } from '../../src/models/index.js';
import { utilityReport } from '../../src/validation/metrics/index.js';
import { benchmarkTables, matrixRows, syntheticTable } from '../support/forest-tables.js';

/** scikit-learn's figures, with the command that produced them (bench/forest-reference.ts). */
const reference = JSON.parse(readFileSync(new URL('./fixtures/sklearn-forest-f1.json', import.meta.url), 'utf8')) as {
  command: string;
  seeds: number[];
  macro_f1: Record<string, number[]>;
};
const options = { nEstimators: 30, maxDepth: 12, minNumSamples: 3 };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('random forest: histogram splits, against scikit-learn', () => {
  it('scores the macro F1 of scikit-learn RandomForest on the benchmark tables (same inputs, same parameters)', async () => {
    const seeds = reference.seeds.slice(0, 10);
    const deltas: number[] = [];
    for (const table of await benchmarkTables()) {
      const train = matrixRows(table.train.x, table.train.y);
      const test = matrixRows(table.test.x, table.test.y);
      const ours = mean(seeds.map((seed) => evaluateClassifier(trainClassifier(train, { target: 'y', seed, options }), test).macro_f1));
      const theirs = mean(reference.macro_f1[table.name]);
      // One table's mean over 10 seeds moves by ~0.01 with the seeds (sd of a forest's F1: 0.01–0.03).
      expect(Math.abs(ours - theirs), `${table.name}: ours ${ours.toFixed(4)} vs scikit-learn ${theirs.toFixed(4)}`).toBeLessThan(0.03);
      deltas.push(ours - theirs);
    }
    expect(deltas).toHaveLength(4);
    expect(Math.abs(mean(deltas))).toBeLessThan(0.01);
  });

  it('is deterministic for a seed on binned inputs (more than 256 distinct values), and differs across seeds', () => {
    const table = syntheticTable(3000, 5);
    const rows = matrixRows(table.train.x, table.train.y);
    const a = JSON.stringify(trainClassifier(rows, { target: 'y', seed: 3, options: { nEstimators: 5 } }).toJSON());
    const b = JSON.stringify(trainClassifier(rows, { target: 'y', seed: 3, options: { nEstimators: 5 } }).toJSON());
    const c = JSON.stringify(trainClassifier(rows, { target: 'y', seed: 4, options: { nEstimators: 5 } }).toJSON());
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    // Splits on bin edges still learn: the forest beats always answering the most common class.
    const test = matrixRows(table.test.x, table.test.y);
    const counts = new Map<unknown, number>();
    for (const r of test) counts.set(r.y, (counts.get(r.y) ?? 0) + 1);
    const majority = Math.max(...counts.values()) / test.length;
    expect(trainClassifier(rows, { target: 'y', seed: 3, options: { nEstimators: 5 } }).score(test)).toBeGreaterThan(majority + 0.1);
  });

  it('reports TSTR and TRTR as mean ± sd over model seeds', () => {
    const table = syntheticTable(1500, 9);
    const real = matrixRows(table.train.x, table.train.y).map((r) => ({ ...r, y: `k${r.y as number}` }));
    const report = utilityReport(real, real, { target: 'y', seed: 2, repeats: 4, options: { nEstimators: 5 } });
    expect(report.model_seeds).toEqual([2, 3, 4, 5]);
    for (const side of [report.tstr, report.trtr]) {
      expect(side.macro_f1).toBeGreaterThan(0.4);
      expect(side.sd.macro_f1).toBeGreaterThan(0);
      expect(side.sd.macro_f1).toBeLessThan(0.1);
      expect(side.sd.accuracy).toBeGreaterThan(0);
    }
    const single = utilityReport(real, real, { target: 'y', seed: 2, repeats: 1, options: { nEstimators: 5 } });
    expect(single.model_seeds).toEqual([2]);
    expect(single.tstr.sd).toEqual({ accuracy: 0, macro_f1: 0 });
  });
});
