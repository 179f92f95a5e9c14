// The inspection room: the questions `synth status/lineage/history/show` and `synth ui` both answer
// (states with reasons, lineage walks, history and diffs, key metrics), as plain data over the project,
// the catalog and the store. The CLI and the UI only render what these return.
export { changedLines } from './changed-lines.js';
export { describeReasons } from './reason-sentences.js';
export { keyMetrics } from './key-metrics.js';
export { countStates } from './state-counts.js';
export { generatorAsRun } from './generator-as-run.js';
export { findMaterialization } from './find-materialization.js';
export { type LineageReport, type LineageStep, traceLineage } from './lineage-trace.js';
export { historyReasons } from './history-reasons.js';
export { type FieldChange, type MaterializationDiff, diffMaterializations } from './materialization-diff.js';
export { pickDiffPair } from './diff-pair.js';
export { type LatestContent, latestContent } from './latest-content.js';
export { type ImagesSummary, imagesSummary, type Tally } from './images-summary.js';
export { type HistoryChange, type MetricHistory, type MetricPoint, MARKED_CHANGES, metricHistory } from './metric-history.js';
export { type TimelineRun, runTimeline } from './run-timeline.js';
