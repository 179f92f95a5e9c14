import type { PairTrendScore } from '../validation/metrics/index.js';
import { type ChartSpec, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';
import { heatmapPanel } from './heatmap-panel.js';

/** Above this many columns the cells carry no printed value (it would not fit) and no aria-label (see HeatmapPanelOptions.ariaCells). */
const MAX_LABELLED_COLUMNS = 8;

interface Cell {
  a: string;
  b: string;
  value: number | null;
  measure: string;
}

/**
 * The column pair associations as three heatmaps: real, synthetic, and synthetic − real. Numeric
 * pairs show the correlation coefficient, other pairs Cramér's V (older reports without it leave
 * those cells empty). Null when the report has no pair.
 */
export function associationSpec(pairs: readonly PairTrendScore[], labels: readonly [string, string] = ['real', 'synthetic']): ChartSpec | null {
  if (!pairs.length) return null;
  const columns: string[] = [];
  for (const p of pairs) for (const c of p.columns) if (!columns.includes(c)) columns.push(c);
  const side = (p: PairTrendScore, which: 0 | 1): number | null => {
    const v = p.metric === 'CorrelationSimilarity' ? (which ? p.synthetic_correlation : p.real_correlation) : which ? p.synthetic_association : p.real_association;
    return v === undefined || v === null || !Number.isFinite(v) ? null : v;
  };
  const cells = (pick: (p: PairTrendScore) => number | null): Cell[] => {
    const out: Cell[] = columns.map((c) => ({ a: c, b: c, value: null, measure: '' }));
    for (const p of pairs) {
      const value = pick(p);
      const measure = p.metric === 'CorrelationSimilarity' ? 'correlation' : "Cramér's V";
      out.push({ a: p.columns[0], b: p.columns[1], value, measure }, { a: p.columns[1], b: p.columns[0], value, measure });
    }
    return out;
  };
  const diff = (p: PairTrendScore) => {
    const r = side(p, 0);
    const s = side(p, 1);
    return r === null || s === null ? null : s - r;
  };
  const size = Math.max(120, Math.min(360, columns.length * SIZE.cell));
  const labelled = columns.length <= MAX_LABELLED_COLUMNS;
  const panel = (title: string, values: Cell[], scheme: string, domain: [number, number]) =>
    heatmapPanel({
      title,
      size,
      values,
      x: { field: 'a', title: null },
      y: { field: 'b', title: null },
      order: columns,
      labelAngle: -45,
      color: { field: 'value', title, scale: { scheme, domain, domainMid: 0 }, legend: { orient: 'bottom', gradientLength: Math.min(size, 160) } },
      tooltip: [
        { field: 'a', type: 'nominal', title: 'column' },
        { field: 'b', type: 'nominal', title: 'with' },
        { field: 'measure', type: 'nominal' },
        { field: 'value', type: 'quantitative', format: '.3f' },
      ],
      text: labelled ? { fontSize: 9, format: '.2f' } : null,
      ariaCells: labelled,
    });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: "Column associations (correlation for numeric pairs, Cramér's V otherwise)", fontSize: 12 },
    hconcat: [
      panel(
        labels[0],
        cells((p) => side(p, 0)),
        'redblue',
        [-1, 1],
      ),
      panel(
        labels[1],
        cells((p) => side(p, 1)),
        'redblue',
        [-1, 1],
      ),
      panel(`${labels[1]} − ${labels[0]}`, cells(diff), 'purplegreen', [-0.5, 0.5]),
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
