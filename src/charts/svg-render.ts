import type { ChartSpec } from './chart-spec.js';

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

let libraries: Promise<{ vega: Vega; vegaLite: VegaLite }> | undefined;

/** vega and vega-lite weigh about 0.3 s to import: loaded on the first render only. */
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
  const { vega, vegaLite } = await load();
  // Warnings of the compiler and the view would land on the command's stderr: only errors throw.
  const compiled = vegaLite.compile(spec, { logger: quietLogger(vega) }).spec;
  // A loader that refuses everything: a spec never reaches the network or the disk.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error('charts read inline data only'));
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', loader, logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** vega's logger at level Error: warnings and infos are dropped, errors still throw where they happen. */
function quietLogger(vega: Vega) {
  return vega.logger(vega.Error);
}
