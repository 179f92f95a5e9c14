// The chart room: plain functions from report data to Vega-Lite specs, and their server-side
// SVG rendering. The same specs are drawn live in the UI by vega-embed.
export { type Chart, type ChartSpec, VEGA_LITE_SCHEMA } from './chart-spec.js';
export { distributionSpec, type SideNames } from './distribution-chart.js';
export { associationSpec } from './association-chart.js';
export { psiSpec } from './psi-chart.js';
export { utilityBarsSpec, confusionSpec } from './utility-charts.js';
export { blendSpec, blendCharts } from './blend-chart.js';
export { historySpec } from './history-chart.js';
export { runTimelineSpec } from './run-timeline-chart.js';
export { reportCharts } from './report-charts.js';
export { renderSvg, renderSvgs, renderSvgAlone } from './svg-render.js';
