import type { UtilityCheckDetails } from '../validation/utility-check.js';
import { type ChartSpec, SIDE_COLOURS, SIZE, VEGA_LITE_SCHEMA } from './chart-spec.js';
import { heatmapPanel } from './heatmap-panel.js';

const MODELS = ['TSTR (trained on synthetic)', 'TRTR (trained on real)'] as const;

/**
 * F1 of each class for the model trained on synthetic rows against the one trained on real rows,
 * both on the same real hold-out. Reports stored before per-class scores show accuracy and macro F1.
 */
export function utilityBarsSpec(d: UtilityCheckDetails): ChartSpec {
  const perClass = d.tstr.per_class && d.trtr.per_class;
  const values = perClass
    ? [...d.tstr.per_class!.map((c) => ({ model: MODELS[0], group: c.label, value: c.f1 })), ...d.trtr.per_class!.map((c) => ({ model: MODELS[1], group: c.label, value: c.f1 }))]
    : (['accuracy', 'macro_f1'] as const).flatMap((k) => [
        { model: MODELS[0], group: k, value: d.tstr[k] },
        { model: MODELS[1], group: k, value: d.trtr[k] },
      ]);
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: perClass ? 'F1 per class on the real hold-out: TSTR vs TRTR' : 'TSTR vs TRTR on the real hold-out', fontSize: 12 },
    width: Math.max(SIZE.column.width, values.length * 18),
    height: SIZE.column.height,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'group', type: 'nominal', title: perClass ? 'class' : null, axis: { labelAngle: -30, labelLimit: 100 } },
      xOffset: { field: 'model', type: 'nominal', scale: { domain: [...MODELS] } },
      y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: perClass ? 'F1' : 'score' },
      color: { field: 'model', type: 'nominal', scale: { domain: [...MODELS], range: [SIDE_COLOURS[1], SIDE_COLOURS[0]] }, title: null, legend: { orient: 'top' } },
      tooltip: [
        { field: 'model', type: 'nominal' },
        { field: 'group', type: 'nominal', title: perClass ? 'class' : 'metric' },
        { field: 'value', type: 'quantitative', format: '.3f' },
      ],
    },
  };
}

/** The hold-out confusion matrices of both models side by side; null for reports stored before them. */
export function confusionSpec(d: UtilityCheckDetails): ChartSpec | null {
  if (!d.tstr.confusion || !d.trtr.confusion) return null;
  // Both panels list the classes in one order, so the same cell sits at the same place.
  const order = [...new Set([...d.tstr.confusion.labels, ...d.trtr.confusion.labels])].sort();
  const size = Math.max(120, Math.min(300, order.length * 40));
  const panel = (title: string, c: NonNullable<UtilityCheckDetails['tstr']['confusion']>) =>
    heatmapPanel({
      title,
      size,
      values: c.labels.flatMap((truth, i) => c.labels.map((predicted, j) => ({ truth, predicted, rows: c.matrix[i][j] }))),
      x: { field: 'predicted', title: 'predicted' },
      y: { field: 'truth', title: 'true class' },
      order,
      labelAngle: -30,
      color: { field: 'rows', title: 'rows', scale: { scheme: 'blues' }, legend: null },
      tooltip: [
        { field: 'truth', type: 'nominal' },
        { field: 'predicted', type: 'nominal' },
        { field: 'rows', type: 'quantitative' },
      ],
      text: { fontSize: 10 },
    });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Confusion matrices on the real hold-out', fontSize: 12 },
    hconcat: [panel(MODELS[0], d.tstr.confusion), panel(MODELS[1], d.trtr.confusion)],
    resolve: { scale: { color: 'independent' } },
  } as ChartSpec;
}
