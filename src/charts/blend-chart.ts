import type { BlendReport } from '../models/index.js';
import { type Chart, type ChartSpec, fmt, SIDE_COLOURS, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';

const METRIC_TITLES = { macro_f1: 'macro F1', accuracy: 'accuracy' } as const;

/**
 * A blend's curve: the metric on the real hold-out against the synthetic rows mixed in per real
 * row, its mean over seeds as a line, mean ± sd as a band and error bars, every seed's score as a
 * dot, and the real-only score (ratio 0, TRTR) as a dashed reference line across, so "helps" is
 * the line above the reference by more than the band.
 */
export function blendSpec(report: BlendReport): ChartSpec {
  const metric = METRIC_TITLES[report.metric];
  const values = report.curve.map((p) => ({
    ratio: p.ratio,
    mean: p.mean,
    lo: p.mean - p.std,
    hi: p.mean + p.std,
    std: p.std,
    share: p.real_rows + p.synthetic_rows ? p.synthetic_rows / (p.real_rows + p.synthetic_rows) : 0,
    real_rows: p.real_rows,
    synthetic_rows: p.synthetic_rows,
  }));
  const seeds = report.curve.flatMap((p) => p.scores.map((score, i) => ({ ratio: p.ratio, score, seed: report.seeds[i] ?? i + 1 })));
  const base = report.curve.find((p) => p.ratio === 0);
  const lows = [...values.map((v) => v.lo), ...seeds.map((s) => s.score)];
  const highs = [...values.map((v) => v.hi), ...seeds.map((s) => s.score)];
  // A y range around the data (never past [0, 1]): differences of a few points stay visible.
  const pad = Math.max(0.02, (Math.max(...highs) - Math.min(...lows)) * 0.15);
  const domain = [Math.max(0, Math.min(...lows) - pad), Math.min(1, Math.max(...highs) + pad)];
  const x = { field: 'ratio', type: 'quantitative', title: 'synthetic rows per real training row', axis: { values: values.map((v) => v.ratio) } } as const;
  const y = { type: 'quantitative', scale: { domain, zero: false }, title: `${metric} on the real hold-out` } as const;
  const layers: unknown[] = [
    { data: { values }, mark: { type: 'area', opacity: 0.2, color: SIDE_COLOURS[1] }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
    { data: { values }, mark: { type: 'rule', color: SIDE_COLOURS[1] }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
    { data: { values: seeds }, mark: { type: 'point', size: 18, opacity: 0.5, color: '#888', filled: true }, encoding: { x, y: { ...y, field: 'score' }, tooltip: seedTooltip } },
    {
      data: { values },
      mark: { type: 'line', point: { size: 50 }, color: SIDE_COLOURS[1] },
      encoding: {
        x,
        y: { ...y, field: 'mean' },
        tooltip: [
          { field: 'ratio', type: 'quantitative', title: 'synthetic per real' },
          { field: 'share', type: 'quantitative', title: 'synthetic share', format: '.0%' },
          { field: 'mean', type: 'quantitative', title: `mean ${metric}`, format: '.3f' },
          { field: 'std', type: 'quantitative', title: 'sd over seeds', format: '.3f' },
          { field: 'real_rows', type: 'quantitative', title: 'real rows' },
          { field: 'synthetic_rows', type: 'quantitative', title: 'synthetic rows' },
        ],
      },
    },
  ];
  if (base) {
    const reference = [{ mean: base.mean, label: `real only (TRTR) ${fmt(base.mean)}` }];
    layers.push(
      { data: { values: reference }, mark: { type: 'rule', strokeDash: [6, 4], color: SIDE_COLOURS[0] }, encoding: { y: { ...y, field: 'mean' } } },
      {
        data: { values: reference },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, fontSize: 10, color: SIDE_COLOURS[0] },
        encoding: { x: { value: 0 }, y: { ...y, field: 'mean' }, text: { field: 'label' } },
      },
    );
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: `${metric} vs synthetic rows mixed in: ${report.verdict} (mean ± sd over ${report.seeds.length} seeds)`, fontSize: 12 },
    width: SIZE.wide.width,
    height: SIZE.wide.height,
    layer: layers,
  } as ChartSpec;
}

const seedTooltip = [
  { field: 'ratio', type: 'quantitative', title: 'synthetic per real' },
  { field: 'seed', type: 'quantitative' },
  { field: 'score', type: 'quantitative', format: '.3f' },
];

/** The charts of a blend asset's report (one: its curve). */
export function blendCharts(report: BlendReport): Chart[] {
  return [{ id: 'blend-curve', check: 'blend', title: `${METRIC_TITLES[report.metric]} vs synthetic share`, spec: blendSpec(report) }];
}
