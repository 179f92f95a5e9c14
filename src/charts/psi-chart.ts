import type { PsiEntry } from '../validation/psi-entries.js';
import { type ChartSpec, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';

/** PSI levels (see `psiLevel`): moderate from 0.1, major from 0.25. */
const MODERATE = 0.1;
const MAJOR = 0.25;

/** PSI of each column as horizontal bars over the moderate and major bands. Null when no column has a PSI. */
export function psiSpec(columns: readonly Pick<PsiEntry, 'column' | 'psi' | 'level'>[], title: string): ChartSpec | null {
  const values = columns.filter((c) => c.psi !== null).map((c) => ({ column: c.column, psi: c.psi as number, level: c.level ?? 'stable' }));
  if (!values.length) return null;
  const top = Math.max(MAJOR * 1.6, ...values.map((v) => v.psi)) * 1.05;
  const x = { type: 'quantitative' as const, scale: { domain: [0, top], nice: false }, title: 'PSI' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, fontSize: 12 },
    width: SIZE.wide.width,
    height: Math.max(60, values.length * 18),
    layer: [
      {
        data: {
          values: [
            { from: MODERATE, to: MAJOR, band: 'moderate (0.1–0.25)' },
            { from: MAJOR, to: top, band: 'major (≥ 0.25)' },
          ],
        },
        mark: { type: 'rect', opacity: 0.18 },
        encoding: {
          x: { field: 'from', ...x },
          x2: { field: 'to' },
          color: {
            field: 'band',
            type: 'nominal',
            scale: { domain: ['moderate (0.1–0.25)', 'major (≥ 0.25)'], range: ['#e6a700', '#c62828'] },
            title: 'band',
            legend: { orient: 'top' },
          },
        },
      },
      {
        data: { values },
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y: { field: 'column', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 140 } },
          x: { field: 'psi', ...x },
          fill: { field: 'level', type: 'nominal', scale: { domain: ['stable', 'moderate', 'major'], range: ['#4c78a8', '#e6a700', '#c62828'] }, title: 'level', legend: null },
          tooltip: [
            { field: 'column', type: 'nominal' },
            { field: 'psi', type: 'quantitative', format: '.3f', title: 'PSI' },
            { field: 'level', type: 'nominal' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
