import type { ValidationReport } from './validation-asset.js';
import { type Block, type Cell, type ChartRef, checkSections, reportDocument, type ReportMeta } from './report-document.js';

/** Formats `synth report` writes. */
export const ReportFormat = { md: 'md', html: 'html', json: 'json' } as const;
export type ReportFormat = (typeof ReportFormat)[keyof typeof ReportFormat];

const text = (c: Cell) => (typeof c === 'string' ? c : c.text);

/** A chart drawn for a report: its SVG (inlined in HTML) and, for Markdown, the file it was written to. */
export interface RenderedChart extends ChartRef {
  svg: string;
  /** Path of the SVG file relative to the Markdown file, e.g. `report.charts/fidelity-price.svg`. */
  href?: string;
}

/** Blocks as GitHub-flavoured Markdown; chart blocks become images when `chartFiles` names their file. */
export function renderMarkdown(blocks: readonly Block[], chartFiles: ReadonlyMap<string, string> = new Map()): string {
  const mdCell = (c: Cell) => text(c).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const parts = blocks.map((b) => {
    switch (b.type) {
      case 'heading':
        return `${'#'.repeat(b.level)} ${b.text}`;
      case 'paragraph':
        return b.text;
      case 'fields':
        return b.items.map(([k, v]) => `- **${k}:** ${text(v)}`).join('\n');
      case 'table':
        return [`| ${b.headers.map(mdCell).join(' | ')} |`, `| ${b.headers.map(() => '---').join(' | ')} |`, ...b.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
      case 'list':
        return b.items.map((i) => `- ${i}`).join('\n');
      case 'code':
        return '```json\n' + b.text + '\n```';
      case 'chart': {
        const href = chartFiles.get(b.id);
        // Spaces and parentheses in a path would end the link: they are percent-encoded.
        return href ? `![${b.title.replace(/[[\]\\]/g, '\\$&')}](${encodeURI(href).replace(/\(/g, '%28').replace(/\)/g, '%29')})` : null;
      }
    }
  });
  return parts.filter((p) => p !== null).join('\n\n') + '\n';
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function htmlCell(c: Cell, tag: 'td' | 'dd'): string {
  return typeof c === 'string' ? `<${tag}>${escapeHtml(c)}</${tag}>` : `<${tag} class="${c.tone}">${escapeHtml(c.text)}</${tag}>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1d1d1f}
table{border-collapse:collapse;margin:.6em 0 1.2em}th,td{border:1px solid #d0d0d5;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f3f3f6}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}
.good{color:#137333;font-weight:600}.bad{color:#b3261e;font-weight:600}.warn{color:#a05a00;font-weight:600}
pre{background:#f6f6f8;padding:.8em;overflow:auto}figure.chart{display:inline-block;margin:.4em 1em .8em 0;vertical-align:top}h2{border-bottom:1px solid #e3e3e8;padding-bottom:.2em;margin-top:1.6em}`;

/** Blocks as a standalone HTML page (inline CSS and SVG charts, no script, no external resource). */
export function renderHtml(blocks: readonly Block[], title: string, chartSvgs: ReadonlyMap<string, string> = new Map()): string {
  const body = blocks.map((b) => {
    switch (b.type) {
      case 'heading':
        return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
      case 'paragraph':
        return `<p>${escapeHtml(b.text)}</p>`;
      case 'fields':
        return `<dl>${b.items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt>${htmlCell(v, 'dd')}`).join('')}</dl>`;
      case 'table':
        return `<table><thead><tr>${b.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${b.rows
          .map((r) => `<tr>${r.map((c) => htmlCell(c, 'td')).join('')}</tr>`)
          .join('\n')}</tbody></table>`;
      case 'list':
        return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
      case 'code':
        return `<pre><code>${escapeHtml(b.text)}</code></pre>`;
      case 'chart': {
        const svg = chartSvgs.get(b.id);
        return svg ? `<figure class="chart" id="chart-${escapeHtml(b.id)}" aria-label="${escapeHtml(b.title)}">${svg}</figure>` : '';
      }
    }
  });
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}

/**
 * A validation report in one of the `synth report` formats. `charts` (rendered by the caller) are
 * inlined as SVG in HTML and linked by `href` in Markdown; JSON holds the data, not pictures.
 */
export function renderValidationReport(report: ValidationReport, meta: ReportMeta, format: ReportFormat, charts: readonly RenderedChart[] = []): string {
  if (format === 'json') return JSON.stringify({ asset: meta.asset, ...metaFields(meta), report }, null, 2) + '\n';
  const blocks = reportDocument(report, meta, charts);
  if (format === 'html') return renderHtml(blocks, `Validation report: ${meta.asset}`, new Map(charts.map((c) => [c.id, c.svg])));
  return renderMarkdown(blocks, new Map(charts.filter((c) => c.href).map((c) => [c.id, c.href!])));
}

/** The per-check sections as Markdown, for `synth show` (which prints its own header and check table). */
export function renderCheckSections(report: ValidationReport): string {
  return renderMarkdown(checkSections(report));
}

function metaFields(meta: ReportMeta): Record<string, unknown> {
  return { state: meta.state ?? null, materialized_at: meta.materialized_at ?? null, data_hash: meta.data_hash ?? null, run_id: meta.run_id ?? null, upstream: meta.upstream ?? {} };
}
