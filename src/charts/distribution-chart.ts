import type { PsiEntry } from '../validation/psi-entries.js';
import { type ChartSpec, SIDE_COLOURS, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';

/** Names of the two sides of a comparison, in the order reference, current. */
export type SideNames = readonly [string, string];

/**
 * One column of both sides: overlaid histograms for numbers and dates (equal-width bins stored
 * with the report; older reports fall back to their PSI bins), side-by-side bars for categories.
 */
export function distributionSpec(entry: PsiEntry, sides: SideNames, title: string): ChartSpec {
  const scale = { domain: [...sides], range: [...SIDE_COLOURS] };
  const base = { $schema: VEGA_LITE_SCHEMA, title: { text: title, fontSize: 12 }, ...SIZE.column } as const;
  const h = entry.histogram;
  if (h) {
    const values = h.reference.flatMap((share, i) => [
      { side: sides[0], from: h.edges[i], to: h.edges[i + 1], share },
      { side: sides[1], from: h.edges[i], to: h.edges[i + 1], share: h.current[i] },
    ]);
    const type = h.date ? 'temporal' : 'quantitative';
    return {
      ...base,
      data: { values },
      mark: { type: 'bar', opacity: 0.55, binSpacing: 0 },
      encoding: {
        x: { field: 'from', type, title: entry.column, ...(h.date ? {} : { scale: { zero: false } }), axis: { labelOverlap: true } },
        x2: { field: 'to' },
        y: { field: 'share', type: 'quantitative', stack: null, title: 'share of rows', axis: { format: '.0%' } },
        y2: { datum: 0 },
        color: { field: 'side', type: 'nominal', scale, title: null, legend: { orient: 'top' } },
        tooltip: [
          { field: 'side', type: 'nominal' },
          { field: 'from', type, title: 'from', ...(h.date ? {} : { format: '.4~g' }) },
          { field: 'to', type, title: 'to', ...(h.date ? {} : { format: '.4~g' }) },
          { field: 'share', type: 'quantitative', format: '.1%' },
        ],
      },
    };
  }
  // Categories (and numeric columns of older reports): one bar per side and bin, in bin order.
  const order = entry.kind === 'categorical' ? [...entry.bins].sort((a, b) => b.reference_share - a.reference_share) : entry.bins;
  const values = order.flatMap((b, i) => [
    { side: sides[0], bin: b.label, order: i, share: b.reference_share },
    { side: sides[1], bin: b.label, order: i, share: b.current_share },
  ]);
  return {
    ...base,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'bin', type: 'nominal', sort: { field: 'order', op: 'min' }, title: entry.column, axis: { labelLimit: 80, labelAngle: -40 } },
      xOffset: { field: 'side', type: 'nominal', scale: { domain: [...sides] } },
      y: { field: 'share', type: 'quantitative', title: 'share of rows', axis: { format: '.0%' } },
      color: { field: 'side', type: 'nominal', scale, title: null, legend: { orient: 'top' } },
      tooltip: [
        { field: 'side', type: 'nominal' },
        { field: 'bin', type: 'nominal', title: entry.column },
        { field: 'share', type: 'quantitative', format: '.1%' },
      ],
    },
  };
}
