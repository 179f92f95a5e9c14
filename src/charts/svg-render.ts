import type { View } from 'vega';
import type { ChartSpec } from './chart-spec.js';
import { splitSpec, textToken, vegaTemplate } from './chart-template.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

/**
 * vega and vega-lite are loaded on the first render only. The build bundles both into one chunk
 * (scripts/build.mjs): loading them as ~100 separate ES modules cost four times as long.
 */
function load(): Promise<{ vega: Vega; vegaLite: VegaLite }> {
  libraries ??= Promise.all([import('vega'), import('vega-lite')]).then(([vega, vegaLite]) => ({ vega, vegaLite }));
  return libraries;
}

/**
 * A chart as a standalone SVG string, rendered headless by vega's View (no browser, no canvas:
 * text widths are estimated, so labels are kept short). The spec's data is inline, so nothing
 * is loaded from anywhere.
 */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  return (await renderSvgs([spec]))[0];
}

/**
 * Several charts as SVG strings, in order. Charts of one shape (the numeric columns of a report,
 * its categorical ones...) share one compiled spec and one View that is given each chart's data
 * and titles in turn: the SVG is the same as each rendered alone, at about half the cost.
 */
export async function renderSvgs(specs: readonly ChartSpec[]): Promise<string[]> {
  const { compile, view } = await runtime();
  const shapes = new Map<string, { view: View; datasets: Map<string, number> } | null>();
  const out: string[] = [];
  try {
    for (const spec of specs) {
      const split = splitSpec(spec);
      let shape = shapes.get(split.key);
      if (shape === undefined) {
        const template = vegaTemplate(compile(split.skeleton), split);
        shape = template && { view: view(template.spec), datasets: template.datasets };
        shapes.set(split.key, shape);
      }
      if (!shape) {
        out.push(await renderAlone(view(compile(spec))));
        continue;
      }
      // Titles first, then a run with no data: every mark item (axis ticks too) is then new and
      // drawn in the order a view of this chart alone draws it, at the same size, so the SVG
      // does not depend on the chart drawn before (the test compares both).
      split.texts.forEach((text, i) => shape.view.signal(textToken(i), text));
      for (const name of shape.datasets.keys()) shape.view.data(name, []);
      await shape.view.runAsync();
      // Copies: vega marks the rows it ingests, and a spec's rows may be drawn again elsewhere.
      for (const [name, i] of shape.datasets)
        shape.view.data(
          name,
          split.data[i].map((row) => (row !== null && typeof row === 'object' ? { ...row } : row)),
        );
      // The size is fitted to this chart's axes and legends, not kept from the one before.
      out.push(await shape.view.resize().toSVG());
    }
  } finally {
    for (const shape of shapes.values()) shape?.view.finalize();
  }
  return out;
}

/**
 * The SVG of a spec compiled and drawn on its own, without templates: what `renderSvgs` must
 * equal (its test compares them).
 */
export async function renderSvgAlone(spec: ChartSpec): Promise<string> {
  const { compile, view } = await runtime();
  return renderAlone(view(compile(spec)));
}

/** Compiling a Vega-Lite spec and making a headless View of a Vega spec, quietly and offline. */
async function runtime() {
  const { vega, vegaLite } = await load();
  // A loader that refuses everything: a spec never reaches the network or the disk.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('charts read inline data only'));
  return {
    // Warnings of the compiler and the view would land on the command's stderr: only errors throw.
    compile: (spec: ChartSpec) => vegaLite.compile(spec, { logger: vega.logger(vega.Error) }).spec as unknown as Record<string, unknown>,
    view: (vegaSpec: object) => new vega.View(vega.parse(vegaSpec), { renderer: 'none', loader, logLevel: vega.Error }),
  };
}

/** Draws a view once and lets it go. */
async function renderAlone(view: View): Promise<string> {
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
