import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification (the JSON the `vega-lite` package compiles and `vega-embed` draws). */
export type ChartSpec = TopLevelSpec;

/** One chart of a report or an asset panel: built once, rendered to SVG on the server or drawn live in the UI. */
export interface Chart {
  /** Stable id, unique within its report, safe as a file name: `column-price`, `association`, `psi`. */
  id: string;
  /** The check it illustrates (`fidelity`, `drift`, `utility`), or `history`. */
  check: string;
  /** One line saying what the chart shows. */
  title: string;
  spec: ChartSpec;
}

/** The schema every spec declares: the Vega-Lite major the `vega-lite` package ships. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Colours of the two sides of every comparison: real / reference in blue, synthetic / current in orange. */
export const SIDE_COLOURS = ['#4c78a8', '#f58518'] as const;

/** Chart sizes in pixels: small multiples for per-column charts, wider for overviews. */
export const SIZE = { column: { width: 260, height: 150 }, wide: { width: 520, height: 220 }, cell: 22 } as const;

/** A number in a title: 3 significant digits, `–` when unknown. */
export function fmt(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '–' : String(Number(x.toPrecision(3)));
}

/** A chart id from a column name: lower-case letters, digits and dashes, unique with a numeric suffix. */
export function chartId(prefix: string, name: string, taken: Set<string>): string {
  const base = `${prefix}-${
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'column'
  }`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  taken.add(id);
  return id;
}
