import type { MetricHistory } from '../inspect/metric-history.js';
import { type ChartSpec, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';

/**
 * Metrics of an asset across its materializations (time on x), with a vertical rule at each run
 * a prompt, seed or generator change caused. Null when none of `metrics` has two points.
 */
export function historySpec(history: MetricHistory, metrics: readonly string[], title: string): ChartSpec | null {
  const values = history.points.filter((p) => metrics.includes(p.metric));
  if (!metrics.some((m) => values.filter((p) => p.metric === m).length >= 2)) return null;
  const x = { field: 'at', type: 'temporal', title: null, axis: { labelOverlap: true } } as const;
  const changes = history.changes.map((c) => ({ at: c.at, change: c.changes.join(' + ') }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: title, fontSize: 12 },
    width: SIZE.wide.width,
    height: SIZE.column.height,
    layer: [
      ...(changes.length
        ? [
            {
              data: { values: changes },
              mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
              encoding: {
                x,
                stroke: { field: 'change', type: 'nominal', title: 'changed', scale: { scheme: 'dark2' }, legend: { orient: 'top' } },
                tooltip: [
                  { field: 'at', type: 'temporal', timeUnit: 'yearmonthdatehoursminutesseconds', title: 'run at' },
                  { field: 'change', type: 'nominal' },
                ],
              },
            },
          ]
        : []),
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x,
          y: { field: 'value', type: 'quantitative', title: metrics.length === 1 ? metrics[0] : 'value', scale: { zero: false } },
          color: { field: 'metric', type: 'nominal', title: null, legend: { orient: 'top' } },
          tooltip: [
            { field: 'metric', type: 'nominal' },
            { field: 'at', type: 'temporal', timeUnit: 'yearmonthdatehoursminutesseconds', title: 'finished' },
            { field: 'value', type: 'quantitative', format: '.4~g' },
          ],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
