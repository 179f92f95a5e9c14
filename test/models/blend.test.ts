import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { blendSpec, renderSvg } from '../../src/charts/index.js';
import type { BlendReport } from '../../src/models/index.js';
import { makeProject, REPO, removeProject, synth, writeProjectFile } from '../support/project.js';
import { startUi } from '../cli/ui-helpers.js';

// The JSON schema the vega-lite package ships (as in test/charts/chart-specs.test.ts).
const schema = JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'vega-lite', 'build', 'vega-lite-schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
/** Drawn items inside the data mark groups of `type` in an SVG. */
const itemsIn = (svg: string, type: string) =>
  [...svg.matchAll(new RegExp(`<g[^>]*class="mark-${type} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g'))].reduce((n, m) => n + (m[1].match(/<(path|line|text)\b/g) ?? []).length, 0);

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

  it('synth report draws the curve (mean ± sd per ratio, every seed, the real-only reference) in HTML, beside Markdown and in the UI panel', async () => {
    const dir = project();
    const report = run(dir);
    // The spec conforms to Vega-Lite's schema and renders: a band, an error bar per ratio, 4 × 3 seed dots, the mean line with its points, the reference rule.
    const spec = blendSpec(report);
    expect(validate(spec), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const svg = await renderSvg(spec);
    expect(itemsIn(svg, 'area')).toBe(1);
    expect(itemsIn(svg, 'rule')).toBe(4 + 1);
    expect(itemsIn(svg, 'symbol')).toBe(12 + 4); // the seeds' dots and the mean line's points
    expect(itemsIn(svg, 'line')).toBe(1);
    expect(svg).toContain(`real only (TRTR) ${Number(report.curve[0].mean.toPrecision(3))}`);

    const html = synth(dir, ['report', 'species_blend', '--format', 'html', '--defs', 'src/blend-defs.ts']);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain('Blend report: species_blend');
    expect(html.stdout).toContain(`synthetic data ${report.verdict}`);
    expect(html.stdout.match(/<svg/g)?.length).toBeGreaterThanOrEqual(1);
    for (const p of report.curve) expect(html.stdout).toContain(`${p.mean.toFixed(4)} ± ${p.std.toFixed(4)}`);

    const md = synth(dir, ['report', 'species_blend', '--format', 'md', '--out', 'blend.md', '--defs', 'src/blend-defs.ts']);
    expect(md.code, md.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'blend.md'), 'utf8')).toContain('](blend.charts/blend-curve.svg)');
    expect(existsSync(path.join(dir, 'blend.charts', 'blend-curve.svg'))).toBe(true);

    // The UI's asset panel gets the same chart.
    const started = await startUi(dir, ['--defs', 'src/blend-defs.ts', '--read-only']);
    try {
      const api = (await (await fetch(started.url + 'api/asset/species_blend')).json()) as { charts: { id: string; spec: unknown }[] };
      expect(api.charts.map((c) => c.id)).toContain('blend-curve');
      expect(api.charts.find((c) => c.id === 'blend-curve')!.spec).toEqual(JSON.parse(JSON.stringify(spec)));
    } finally {
      started.ui.child.kill('SIGTERM');
      await started.ui.done;
    }

    // An asset whose value is not a blend has no report (exit 2).
    const other = synth(dir, ['report', 'penguins_test', '--defs', 'src/blend-defs.ts']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('"penguins_test" has no report: its value is not a blend');
    expect(other.stderr).toContain('Only validation assets and blend() assets have a report.');
  });
});
