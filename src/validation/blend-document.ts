import type { BlendReport } from '../models/index.js';
import type { Block, Cell, ReportMeta } from './report-document.js';
import { type ReportFormat, type RenderedChart, renderHtml, renderMarkdown } from './report-render.js';

const VERDICT_TONE = { helps: 'good', hurts: 'bad', neutral: 'warn', 'no baseline': 'warn' } as const;

/** The blend report as format-neutral blocks: verdict, the curve chart, then the curve as a table. */
export function blendDocument(report: BlendReport, meta: ReportMeta, charts: readonly { id: string; title: string }[] = []): Block[] {
  const base = report.curve.find((p) => p.ratio === 0);
  const fields: Array<[string, Cell]> = [
    ['Verdict', { text: `synthetic data ${report.verdict === 'no baseline' ? 'has no real-only baseline (add ratio 0)' : report.verdict}`, tone: VERDICT_TONE[report.verdict] }],
    ['Best ratio', `${report.best_ratio} synthetic rows per real row${report.gain === null ? '' : ` (${signed(report.gain)} ${report.metric} over real only)`}`],
    ['Metric', `${report.metric} on ${report.holdout_rows} real hold-out rows, over seeds ${report.seeds.join(', ')}`],
    ['Synthetic weight', String(report.weight_synthetic)],
  ];
  if (meta.materialized_at) fields.push(['Materialized', meta.materialized_at]);
  if (meta.run_id) fields.push(['Run', meta.run_id]);
  for (const [name, hash] of Object.entries(meta.upstream ?? {})) fields.push([`Input ${name}`, hash]);
  const rows = report.curve.map((p): Cell[] => [
    String(p.ratio),
    String(p.real_rows),
    String(p.synthetic_rows),
    `${p.mean.toFixed(4)} ± ${p.std.toFixed(4)}`,
    `${p.min.toFixed(4)} – ${p.max.toFixed(4)}`,
    base && p !== base ? { text: signed(p.mean - base.mean), tone: p.mean - base.mean > base.std + p.std ? 'good' : base.mean - p.mean > base.std + p.std ? 'bad' : 'warn' } : '',
  ]);
  return [
    { type: 'heading', level: 1, text: `Blend report: ${meta.asset}` },
    { type: 'fields', items: fields },
    ...charts.map((c): Block => ({ type: 'chart', id: c.id, title: c.title })),
    { type: 'heading', level: 2, text: 'Curve' },
    { type: 'table', headers: ['synthetic per real', 'real rows', 'synthetic rows', `${report.metric} mean ± sd`, 'min – max', 'vs real only'], rows },
  ];
}

/** A blend report in one of the `synth report` formats, charts inlined (HTML) or linked (Markdown). */
export function renderBlendReport(report: BlendReport, meta: ReportMeta, format: ReportFormat, charts: readonly RenderedChart[] = []): string {
  if (format === 'json') return JSON.stringify({ asset: meta.asset, materialized_at: meta.materialized_at ?? null, run_id: meta.run_id ?? null, report }, null, 2) + '\n';
  const blocks = blendDocument(report, meta, charts);
  if (format === 'html') return renderHtml(blocks, `Blend report: ${meta.asset}`, new Map(charts.map((c) => [c.id, c.svg])));
  return renderMarkdown(blocks, new Map(charts.filter((c) => c.href).map((c) => [c.id, c.href!])));
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}
