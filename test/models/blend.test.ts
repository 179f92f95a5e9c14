import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BlendReport } from '../../src/models/index.js';
import { makeProject, removeProject, synth, writeProjectFile } from '../support/project.js';

const defs = (seed: number) => `export * from './assets/index.js';
import { asset, blend, dataset, splitRows } from 'synthgraph';
import { Penguin, penguins, penguinsTrain } from './assets/penguins.js';
// The real rows the generator never saw (the same split as the penguins pipeline's hold-out).
export const penguinsTest = asset({ name: 'penguins_test', deps: { penguins }, materialize: (_c, { penguins }) => splitRows(penguins, { test: 0.3, seed: 7 }).test });
export const blendSynth = dataset({ name: 'blend_synth', schema: Penguin, prompt: 'penguins_v1', rows: 600, seed: ${seed}, reference: penguinsTrain });
export const speciesBlend = blend({
  name: 'species_blend', real: penguinsTrain, synthetic: blendSynth, holdoutSet: penguinsTest,
  ratios: [0, 0.5, 1, 2], seeds: [1, 2, 3],
  model: { target: 'Species', features: ['Island', 'Beak Length (mm)', 'Beak Depth (mm)', 'Flipper Length (mm)', 'Body Mass (g)'], options: { nEstimators: 10 } },
});
`;

let dirs: string[] = [];
afterEach(() => {
  dirs.forEach(removeProject);
  dirs = [];
});
function project(seed = 42): string {
  const dir = makeProject({ 'src/blend-defs.ts': defs(seed) }, { examples: true });
  dirs.push(dir);
  return dir;
}
const run = (dir: string) => {
  const r = synth(dir, ['materialize', '+species_blend', '--defs', 'src/blend-defs.ts']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(synth(dir, ['export', 'species_blend', '--format', 'json', '--defs', 'src/blend-defs.ts']).stdout) as BlendReport;
};
const cached = (dir: string) => readdirSync(path.join(dir, '.synth', 'blend-cache', 'species_blend')).length;

describe('blend(): real + synthetic mixtures on the penguins pipeline', () => {
  it('reports the curve with its spread over seeds, deterministic for its seeds, and re-runs only the ratios whose inputs changed', () => {
    const a = project();
    const first = run(a);
    expect(first.curve.map((p) => p.ratio)).toEqual([0, 0.5, 1, 2]);
    expect(first.curve[0]).toMatchObject({ real_rows: 241, synthetic_rows: 0 });
    expect(first.curve[3]).toMatchObject({ real_rows: 241, synthetic_rows: 482 });
    for (const p of first.curve) {
      expect(p.scores).toHaveLength(3);
      expect(p.min).toBeLessThanOrEqual(p.mean);
      expect(p.max).toBeGreaterThanOrEqual(p.mean);
      expect(p.mean).toBeGreaterThan(0.8);
    }
    expect(['helps', 'hurts', 'neutral']).toContain(first.verdict);
    expect(first.holdout_rows).toBe(103);
    expect(cached(a)).toBe(4);

    // Another fresh project, same seeds: the same curve to the last digit.
    expect(run(project())).toEqual(first);

    // New synthetic data: ratio 0 (real only) is reused from its cache, the other three re-run.
    writeProjectFile(a, 'src/blend-defs.ts', defs(43));
    const second = run(a);
    expect(cached(a)).toBe(4 + 3);
    expect(second.curve[0]).toEqual(first.curve[0]);
    expect(second.curve.slice(1)).not.toEqual(first.curve.slice(1));
  });
});
