import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import path from 'node:path';
import { Ajv } from 'ajv';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Chart, historySpec, psiSpec, renderSvg, renderSvgAlone, renderSvgs, reportCharts, runTimelineSpec } from '../../src/charts/index.js';
import { splitSpec } from '../../src/charts/chart-template.js';
import { Catalog, type CatalogIndex } from '../../src/engine/index.js';
import { metricHistory, runTimeline } from '../../src/inspect/index.js';
import type { DriftCheckDetails } from '../../src/validation/drift-check.js';
import { parseValidationReport } from '../../src/validation/index.js';
import { CHROMIUM } from '../cli/ui-helpers.js';
import { makeProject, REPO, removeProject, synth, writeProjectFile } from '../support/project.js';

// The JSON schema the vega-lite package ships: every spec we build must conform to it.
const schema = JSON.parse(readFileSync(path.join(REPO, 'node_modules', 'vega-lite', 'build', 'vega-lite-schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true }).compile(schema);

/** Every element of a parsed SVG tree, depth first, with its tag name. */
function elements(node: unknown, tag = 'svg', out: Array<{ tag: string; attrs: Record<string, string> }> = []) {
  if (Array.isArray(node)) {
    for (const n of node) elements(n, tag, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node)) if (k.startsWith('@_')) attrs[k.slice(2)] = String(v);
  out.push({ tag, attrs });
  for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_') && k !== '#text') elements(v, k, out);
  return out;
}

/** Parses an SVG (a real XML parser: the string must be well-formed) and returns the vega mark groups by type. */
function marksOf(svg: string): Map<string, number> {
  const doc = new XMLParser({ ignoreAttributes: false, preserveOrder: false }).parse(svg, true) as { svg: unknown };
  expect(doc.svg, 'an <svg> root').toBeTruthy();
  const marks = new Map<string, number>();
  for (const e of elements(doc.svg)) {
    const m = /\bmark-(\w+)\b/.exec(e.attrs.class ?? '');
    if (m && e.tag === 'g') marks.set(m[1], (marks.get(m[1]) ?? 0) + 1);
  }
  return marks;
}

/** How many drawn items (paths, rects, lines, texts) the SVG holds inside mark groups of `type`. */
function itemsIn(svg: string, type: string): number {
  // Data marks only (role-mark), not legend swatches or gradients drawn with the same mark types.
  const re = new RegExp(`<g[^>]*class="mark-${type} role-mark[^"]*"[^>]*>([\\s\\S]*?)</g>`, 'g');
  let n = 0;
  for (const m of svg.matchAll(re)) n += (m[1].match(/<(path|rect|line|text)\b/g) ?? []).length;
  return n;
}

describe('charts: Vega-Lite specs of real reports, valid against the schema and rendered to SVG without a browser', () => {
  let dir: string;
  let charts: Chart[] = [];
  let drift: DriftCheckDetails;
  let index: CatalogIndex;
  const reportOf = (name: string) => parseValidationReport(JSON.parse(synth(dir, ['report', name, '--format', 'json']).stdout).report, name);

  beforeAll(async () => {
    dir = makeProject({}, { examples: true });
    expect(synth(dir, ['materialize', '+penguins_fidelity', '+species_tstr']).code).toBe(0);
    // A second run with another seed: the history has two points and a seed change to mark.
    expect(synth(dir, ['materialize', '--seed', '7', 'penguins_synth', 'penguins_fidelity']).code).toBe(0);
    charts = [...reportCharts(reportOf('penguins_fidelity')), ...reportCharts(reportOf('species_tstr'))];
    // Live drift over the (synthetic) reference: PSI chart data from a real drift check of the repository's live batch.
    writeProjectFile(dir, 'data/live/2024-season-penguins.csv', readFileSync(path.join(REPO, 'data', 'live', '2024-season-penguins.csv'), 'utf8'));
    synth(dir, ['materialize', '+penguins_live_drift']);
    drift = reportOf('penguins_live_drift').checks[0].details as unknown as DriftCheckDetails;
    const catalog = new Catalog(path.join(dir, '.synth'));
    await catalog.load();
    index = catalog.lookup;
  }, 300_000);
  afterAll(() => removeProject(dir));

  it('builds a chart per fidelity column (score and PSI in the title), the association heatmaps, and the utility charts', () => {
    const ids = charts.map((c) => c.id);
    expect(ids).toContain('fidelity-body-mass-g');
    expect(ids).toContain('fidelity-species');
    expect(ids).toContain('fidelity-associations');
    expect(ids).toContain('utility-classes');
    expect(ids).toContain('utility-confusion');
    expect(new Set(ids).size).toBe(ids.length);
    expect(charts.find((c) => c.id === 'fidelity-body-mass-g')!.title).toMatch(/^Body Mass \(g\): score 0\.\d+, PSI 0\.\d+/);
  });

  it('every spec conforms to the Vega-Lite JSON schema shipped with vega-lite', () => {
    const timeline = runTimelineSpec(runTimeline(catalogIndex()));
    const history = historySpec(metricHistory(catalogIndex().history('penguins_fidelity')), ['fidelity.quality'], 'quality');
    const psi = psiSpec(drift.columns, 'PSI per column');
    for (const spec of [...charts.map((c) => c.spec), timeline, history, psi]) {
      expect(spec).not.toBeNull();
      const ok = validate(spec);
      expect(ok ? [] : validate.errors!.slice(0, 3), JSON.stringify(spec).slice(0, 200)).toEqual([]);
    }
    // The checker itself: a mark that Vega-Lite does not know is refused.
    expect(validate({ ...charts[0].spec, mark: 'pie-of-doom' })).toBe(false);
  });

  it('renders each kind to SVG: overlaid histograms, side-by-side bars, heatmaps, PSI bands, confusion matrices, history with change marks, run timeline', async () => {
    const byId = new Map(charts.map((c) => [c.id, c]));
    const numeric = await renderSvg(byId.get('fidelity-body-mass-g')!.spec);
    expect(marksOf(numeric).get('rect')).toBeGreaterThanOrEqual(1);
    // 20 bins per side, overlaid: 40 bars.
    expect(itemsIn(numeric, 'rect')).toBe(40);
    expect(numeric).toContain('Body Mass (g): score');

    const categorical = await renderSvg(byId.get('fidelity-species')!.spec);
    expect(itemsIn(categorical, 'rect')).toBe(6); // 3 species × real, synthetic

    const assoc = byId.get('fidelity-associations')!.spec as unknown as { hconcat: Array<{ data: { values: Array<{ value: number | null }> } }> };
    // 7 columns: 49 cells in each of real, synthetic and difference; one rect per cell with a value.
    expect(assoc.hconcat.map((p) => p.data.values.length)).toEqual([49, 49, 49]);
    const withValue = assoc.hconcat.reduce((n, p) => n + p.data.values.filter((v) => v.value !== null).length, 0);
    expect(withValue).toBeGreaterThan(3 * 30);
    const heatmaps = await renderSvg(assoc as never);
    expect(itemsIn(heatmaps, 'rect')).toBe(withValue);
    expect(heatmaps).toContain('synthetic − real');

    const confusion = await renderSvg(byId.get('utility-confusion')!.spec);
    expect(itemsIn(confusion, 'rect')).toBe(2 * 9); // 3 classes, two models
    const bars = await renderSvg(byId.get('utility-classes')!.spec);
    expect(itemsIn(bars, 'rect')).toBe(6);

    const psi = await renderSvg(psiSpec(drift.columns, 'PSI per column')!);
    expect(itemsIn(psi, 'rect')).toBe(2 + drift.columns.filter((c) => c.psi !== null).length); // two bands + one bar per column
    expect(psi).toContain('major (≥ 0.25)');

    // --seed 7, then the definition's seed again (the live drift run): two seed changes to mark.
    const synthHistory = metricHistory(catalogIndex().history('penguins_synth'));
    expect(synthHistory.changes.map((c) => c.changes)).toEqual([['seed'], ['seed']]);
    const historySvg = await renderSvg(historySpec(synthHistory, ['rows', 'duration_s'], 'rows and duration')!);
    expect(marksOf(historySvg).get('rule')).toBeGreaterThanOrEqual(1); // the seed change
    expect(marksOf(historySvg).get('line')).toBeGreaterThanOrEqual(1);

    const timeline = await renderSvg(runTimelineSpec(runTimeline(catalogIndex()))!);
    expect(itemsIn(timeline, 'rect')).toBe(catalogIndex().data.runs.length);
  });

  it('many charts at once (one view per chart shape, given each chart in turn) draw exactly what each chart drawn alone draws', async () => {
    // Titles a template must carry through signals and expression literals: quotes, markup, a token look-alike.
    const tricky = (c: Chart, title: string): Chart => {
      const spec = JSON.parse(JSON.stringify(c.spec).replaceAll(JSON.stringify(c.title), JSON.stringify(title))) as Chart['spec'];
      const x = (spec as { encoding: { x: { title: string } } }).encoding.x;
      x.title = `${title} (x)`;
      return { ...c, spec };
    };
    const numeric = charts.find((c) => c.id === 'fidelity-body-mass-g')!;
    const all = [
      ...charts,
      tricky(numeric, `Mass "kg" <b>it's</b>`),
      tricky(numeric, 'synth_text_0_ and synth_text_1_'),
      { id: 'psi', check: 'drift', title: 'psi', spec: psiSpec(drift.columns, 'PSI per column')! },
      // Layers with a change rule and two metrics (their titles merge), and the run timeline.
      { id: 'history', check: 'history', title: 'h', spec: historySpec(metricHistory(catalogIndex().history('penguins_synth')), ['rows', 'duration_s'], 'rows and duration')! },
      { id: 'runs', check: 'runs', title: 'r', spec: runTimelineSpec(runTimeline(catalogIndex()), '2030-01-01T00:00:00.000Z')! },
    ];
    // The set has charts of one shape (several numeric columns, several categorical ones): views are shared.
    const shapes = new Set(all.map((c) => splitSpec(c.spec).key));
    expect(shapes.size).toBeLessThan(all.length - 5);
    const together = await renderSvgs(all.map((c) => c.spec));
    // Gradient ids count up per process, whatever draws them.
    const same = (svg: string) => svg.replace(/gradient_\d+/g, 'gradient');
    for (const [i, c] of all.entries()) expect(same(together[i]), c.id).toBe(same(await renderSvgAlone(c.spec)));
    expect(together.find((s) => s.includes("Mass &quot;kg&quot; &lt;b&gt;it's&lt;/b&gt; (x)"))).toBeDefined();
  });

  it('text from the data is escaped in the SVG (a category cannot inject markup)', async () => {
    const spec = psiSpec([{ column: '<script>alert(1)</script>', psi: 0.3, level: 'major' }], 'x')!;
    const svg = await renderSvg(spec);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
  });

  it('synth report: HTML inlines every chart as SVG; Markdown links SVG files beside it (checked like --out); stdout Markdown has none', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'synth-report-'));
    try {
      const html = path.join(out, 'fidelity.html');
      const r = synth(dir, ['report', 'penguins_fidelity', '--format', 'html', '--out', html, '--json']);
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { charts: number; chart_files: string[] };
      const expected = reportCharts(reportOf('penguins_fidelity')).length;
      expect(doc).toMatchObject({ charts: expected, chart_files: [] });
      const page = readFileSync(html, 'utf8');
      expect(page.match(/<figure class="chart"[^>]*><svg /g)).toHaveLength(expected);
      expect(page).not.toMatch(/<script/);
      await screenshotReport(html);

      const md = path.join(out, 'tstr.md');
      const m = JSON.parse(synth(dir, ['report', 'species_tstr', '--format', 'md', '--out', md, '--json']).stdout) as { chart_files: string[] };
      expect(m.chart_files.map((f) => path.relative(out, f))).toEqual(['tstr.charts/utility-classes.svg', 'tstr.charts/utility-confusion.svg']);
      for (const f of m.chart_files) expect(marksOf(readFileSync(f, 'utf8')).get('rect')).toBeGreaterThan(0);
      expect(readFileSync(md, 'utf8')).toContain('![Confusion matrices](tstr.charts/utility-confusion.svg)');
      // The chart files follow --out's rules: an existing one is not replaced without --force.
      rmSync(md);
      const again = synth(dir, ['report', 'species_tstr', '--format', 'md', '--out', md]);
      expect(again.code).toBe(2);
      expect(again.stderr).toContain('utility-classes.svg already exists');
      expect(synth(dir, ['report', 'species_tstr', '--format', 'md', '--out', md, '--force']).code).toBe(0);
      expect(synth(dir, ['report', 'species_tstr', '--format', 'md']).stdout).not.toContain('![');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  /** The report page in headless Chromium, scrolled to its charts: .tmp/report-charts.png (docs/ with UPDATE_SCREENSHOTS=1). */
  async function screenshotReport(file: string): Promise<void> {
    const browser = await chromium.launch(CHROMIUM);
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      // Every inline SVG is laid out by the browser: the charts have a size.
      const sizes = await page.locator('figure.chart svg').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      expect(sizes.every((w) => w > 100)).toBe(true);
      await page.locator('figure.chart').first().scrollIntoViewIfNeeded();
      mkdirSync(path.join(REPO, '.tmp'), { recursive: true });
      await page.screenshot({ path: path.join(REPO, '.tmp', 'report-charts.png') });
      if (process.env.UPDATE_SCREENSHOTS === '1') copyFileSync(path.join(REPO, '.tmp', 'report-charts.png'), path.join(REPO, 'docs', 'report-charts.png'));
    } finally {
      await browser.close();
    }
  }

  function catalogIndex(): CatalogIndex {
    return index;
  }
});
