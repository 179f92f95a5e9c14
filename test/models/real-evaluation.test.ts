import { afterEach, describe, expect, it } from 'vitest';
import { makeProject, removeProject, synth, synthJson, writeProjectFile } from '../support/project.js';

const defs = (seed: number) => `export * from './assets/index.js';
import { asset, dataset, evaluateClassifier, modelWithRealEvaluation, splitRows, trainClassifier } from 'synthgraph';
import { Penguin, penguins, penguinsTrain } from './assets/penguins.js';
export const penguinsTest = asset({ name: 'penguins_test', deps: { penguins }, materialize: (_c, { penguins }) => splitRows(penguins, { test: 0.3, seed: 7 }).test });
export const synthRows = dataset({ name: 'gap_synth', schema: Penguin, prompt: 'penguins_v1', rows: 400, seed: ${seed}, reference: penguinsTrain });
const trainer = { target: 'Species', features: ['Island', 'Beak Length (mm)', 'Flipper Length (mm)'], options: { nEstimators: 10 } };
export const gapModel = modelWithRealEvaluation({
  name: 'gap_model', deps: { synthRows }, realEvaluation: penguinsTest,
  train: ({ synthRows }) => trainClassifier(splitRows(synthRows, { test: 0.25, seed: 1 }).train, trainer),
  evaluate: (m, { synthRows }) => { const e = evaluateClassifier(m, splitRows(synthRows, { test: 0.25, seed: 1 }).test); return { accuracy: e.accuracy, macro_f1: e.macro_f1 }; },
});
`;

interface HistoryEntry {
  metadata: Record<string, number>;
}

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});

describe('a model with a real evaluation set', () => {
  it('records synthetic-validation and real-evaluation metrics side by side with their gap, run after run', () => {
    const dir = makeProject({ 'src/gap-defs.ts': defs(42) }, { examples: true });
    dirs.push(dir);
    const args = ['--defs', 'src/gap-defs.ts'];
    expect(synth(dir, ['materialize', '+gap_model', ...args]).code).toBe(0);
    writeProjectFile(dir, 'src/gap-defs.ts', defs(43));
    expect(synth(dir, ['materialize', '+gap_model', ...args]).code).toBe(0);
    const history = synthJson<HistoryEntry[]>(dir, ['history', 'gap_model', ...args]).json;
    expect(history).toHaveLength(2);
    for (const { metadata: m } of history) {
      expect(m['real.rows']).toBe(103);
      for (const k of ['accuracy', 'macro_f1']) {
        expect(m[`real.${k}`]).toBeGreaterThan(0.5);
        expect(m[`gap.${k}`]).toBeCloseTo(m[k] - m[`real.${k}`], 12);
      }
    }
    // The two runs are different data, so different gaps over time.
    expect(history[0].metadata).not.toEqual(history[1].metadata);
    const text = synth(dir, ['history', 'gap_model', ...args]).stdout;
    expect(text).toMatch(/macro_f1 synthetic=\d\.\d{3} real=\d\.\d{3} gap=-?\d\.\d{3}/);
  });
});
