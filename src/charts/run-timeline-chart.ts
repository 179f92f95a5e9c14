import type { TimelineRun } from '../inspect/run-timeline.js';
import { type ChartSpec, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';

/** Runs as bars from start to finish, one row per trigger (cli, schedule:…), coloured by result. Null when there is no run. */
export function runTimelineSpec(runs: readonly TimelineRun[], now = new Date().toISOString()): ChartSpec | null {
  if (!runs.length) return null;
  const values = runs.map((r) => {
    const assets = Object.values(r.counts).reduce((a, b) => a + b, 0);
    // A run shorter than a pixel would vanish: at least one second wide.
    const end = Math.max(Date.parse(r.finished_at ?? now), Date.parse(r.started_at) + 1000);
    return { run: r.id, trigger: r.trigger, start: r.started_at, end: new Date(end).toISOString(), result: r.result, assets, selection: r.selection.join(' ') || '(stale or missing)' };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Runs', fontSize: 12 },
    width: SIZE.wide.width,
    height: Math.max(40, new Set(values.map((v) => v.trigger)).size * 28),
    data: { values },
    mark: { type: 'bar', cornerRadius: 2, height: { band: 0.7 } },
    encoding: {
      y: { field: 'trigger', type: 'nominal', title: null },
      x: { field: 'start', type: 'temporal', title: null },
      x2: { field: 'end' },
      color: { field: 'result', type: 'nominal', scale: { domain: ['ok', 'failed', 'running'], range: ['#2e7d32', '#c62828', '#e69500'] }, title: null, legend: { orient: 'top' } },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'result', type: 'nominal' },
        { field: 'start', type: 'temporal', timeUnit: 'yearmonthdatehoursminutesseconds', title: 'started' },
        { field: 'end', type: 'temporal', timeUnit: 'yearmonthdatehoursminutesseconds', title: 'finished' },
        { field: 'assets', type: 'quantitative' },
        { field: 'selection', type: 'nominal' },
      ],
    },
  };
}
