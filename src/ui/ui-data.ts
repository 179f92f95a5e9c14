import { manifestImages } from '../images/manifest-images.js';
import type { CatalogIndex, CheckRecord, Materialization, Project, AssetStatus, ObjectStore } from '../engine/index.js';
import { type LineageReport, countStates, describeReasons, historyReasons, keyMetrics, latestContent, metricHistory, traceLineage } from '../inspect/index.js';
import { blendCharts, type Chart, historySpec, reportCharts } from '../charts/index.js';
import { isBlendReport } from '../models/index.js';
import { ValidationReportSchema } from '../validation/report-schema.js';

/** A node of `GET /api/graph`. */
export interface UiNode {
  asset: string;
  kind: string;
  state: string;
  group: string;
  /** Reason codes, as in `synth status --json`. */
  reasons: string[];
  /** The same reasons as sentences ("seed 42 → 43"). */
  reason_text: string[];
  materialized_at: string | null;
  rows: number | null;
  /** A few key numbers ("checks 3/3", "accuracy=0.91"). */
  metrics: string;
}

/** `GET /api/graph`: every asset and dependency, with states. */
export interface UiGraph {
  project: string;
  generated_at: string;
  counts: Record<string, number>;
  nodes: UiNode[];
  edges: { from: string; to: string }[];
}

/** One row of an asset's history in `GET /api/asset/:name`. */
export interface UiHistoryRow {
  id: string;
  run_id: string;
  finished_at: string;
  outcome: string;
  status: string;
  reasons: string[];
  rows: number | null;
  data_hash: string | null;
  duration_ms: number;
  metrics: string;
  error: string | null;
}

/** `GET /api/asset/:name`: status, reasons, history and the latest report of one asset. */
export interface UiAsset extends UiNode {
  description: string | null;
  tags: Record<string, string>;
  upstream: string[];
  downstream: string[];
  cache_key: string | null;
  /** The latest successful materialization, in full. */
  latest: Materialization | null;
  /** The latest run's error, when it failed. */
  last_error: Materialization['error'];
  history: UiHistoryRow[];
  /** The latest report: check results, metrics and warnings, plus the stored report of a validation asset. */
  report: { checks: CheckRecord[]; metadata: Record<string, unknown>; warnings: string[]; document: unknown } | null;
  /** First rows of the latest data, for row-shaped assets. */
  preview: Record<string, unknown>[] | null;
  /** Images assets: the first images of the latest materialization, served by `/api/image/<asset>/<id>`. */
  images: Array<{ id: string; row_key: string | null; prompt: string; url: string }> | null;
  lineage: LineageReport;
  /** Vega-Lite charts of the latest report (validations) and of the asset's history, drawn by vega-embed. */
  charts: Chart[];
  /** Metrics the history chart can show (`GET /api/asset/:name/history?metric=`), most useful first. */
  history_metrics: string[];
}

const PREVIEW_ROWS = 20;
/** Thumbnails shown in the panel of an images asset. */
const THUMBNAILS = 24;
const HISTORY_ROWS = 50;

function nodeOf(project: Project, s: AssetStatus, status: ReadonlyMap<string, AssetStatus>, store: ObjectStore): UiNode {
  return {
    asset: s.name,
    kind: s.kind,
    state: s.state,
    group: s.group,
    reasons: s.reasons,
    reason_text: describeReasons(project, s.reasons, s, store, status),
    materialized_at: s.latest?.finished_at ?? null,
    rows: s.latest?.rows ?? null,
    metrics: keyMetrics(s.latest),
  };
}

export function graphData(project: Project, status: ReadonlyMap<string, AssetStatus>, store: ObjectStore): UiGraph {
  const nodes = project.graph.order.map((n) => nodeOf(project, status.get(n)!, status, store));
  return { project: project.root, generated_at: new Date().toISOString(), counts: countStates(project.graph.order, status), nodes, edges: project.graph.edges() };
}

export function assetData(project: Project, index: CatalogIndex, status: ReadonlyMap<string, AssetStatus>, store: ObjectStore, name: string): UiAsset {
  const s = status.get(name)!;
  const def = project.assets.get(name)!.def;
  const list = index.history(name);
  const reasons = historyReasons(list);
  const latest = s.latest ?? null;
  const { preview, document } = latestContent(store, latest, name, PREVIEW_ROWS);
  return {
    ...nodeOf(project, s, status, store),
    description: def.description ?? null,
    tags: { ...def.tags },
    upstream: project.graph.parents(name),
    downstream: project.graph.children(name),
    cache_key: s.cacheKey,
    latest,
    last_error: s.last?.status === 'failed' ? s.last.error : null,
    history: [...list]
      .reverse()
      .slice(0, HISTORY_ROWS)
      .map((m) => ({
        id: m.id,
        run_id: m.run_id,
        finished_at: m.finished_at,
        outcome: m.outcome,
        status: m.status,
        reasons: reasons.get(m.id) ?? [],
        rows: m.rows,
        data_hash: m.data_hash,
        duration_ms: m.duration_ms,
        metrics: keyMetrics(m),
        error: m.error?.what ?? null,
      })),
    report: latest ? { checks: latest.checks ?? [], metadata: latest.metadata, warnings: latest.warnings, document } : null,
    preview,
    images:
      s.kind === 'images'
        ? manifestImages(store, latest)
            .slice(0, THUMBNAILS)
            .map((m) => ({ id: m.id, row_key: m.row_key, prompt: m.prompt, url: `/api/image/${encodeURIComponent(name)}/${encodeURIComponent(m.id)}` }))
        : null,
    lineage: traceLineage(project, index, name),
    ...assetCharts(list, document),
  };
}

/** The report's charts (a validation's, or a blend's curve) and the history chart of the asset's first metric. */
function assetCharts(list: readonly Materialization[], document: unknown): { charts: Chart[]; history_metrics: string[] } {
  const parsed = ValidationReportSchema.safeParse(document);
  const charts = parsed.success ? reportCharts(parsed.data) : isBlendReport(document) ? blendCharts(document) : [];
  const history = metricHistory(list);
  const first = history.metrics[0];
  const spec = first ? historySpec(history, [first], `${first} across materializations`) : null;
  if (spec) charts.unshift({ id: 'history', check: 'history', title: `${first} across materializations`, spec });
  return { charts, history_metrics: history.metrics };
}

/** The history chart of one metric of an asset; null when it has fewer than two values. */
export function historyChart(index: CatalogIndex, name: string, metric: string): Chart | null {
  const history = metricHistory(index.history(name));
  const spec = historySpec(history, [metric], `${metric} across materializations`);
  return spec ? { id: 'history', check: 'history', title: `${metric} across materializations`, spec } : null;
}
