import path from 'node:path';
import type { Command } from 'commander';
import { writeDocument } from '../output.js';
import { decodeValue, UsageError, type Project, type AssetStatus, computeStatus, ObjectStore, checkOutputPath, type OutputTarget, writeOutputFile } from '../../engine/index.js';
import { isBlendReport } from '../../models/index.js';
import { parseValidationReport, renderBlendReport, ReportFormat, renderValidationReport, type RenderedChart, type ReportMeta, type ValidationReport } from '../../validation/index.js';
import { blendCharts, type Chart, reportCharts } from '../../charts/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';

/** The latest stored value of an asset and where it comes from; null when never materialized (or no longer stored). */
function latestValue(project: Project, status: AssetStatus): { value: unknown; meta: ReportMeta } | null {
  const m = status.latest;
  const store = ObjectStore.of(project.stateDir);
  if (!m?.data_hash || !store.has(m.data_hash)) return null;
  const meta: ReportMeta = {
    asset: status.name,
    state: `${status.state}${status.reasons.length ? ` (${status.reasons.join(', ')})` : ''}`,
    materialized_at: m.finished_at,
    data_hash: m.data_hash,
    run_id: m.run_id,
    upstream: Object.fromEntries(Object.entries(m.upstream).map(([up, u]) => [up, u.data_hash])),
  };
  return { value: decodeValue(store.getText(m.data_hash), 'json'), meta };
}

/** The latest stored report of a validation asset and where it comes from; null when never materialized. */
export function latestValidationReport(project: Project, status: AssetStatus): { report: ValidationReport; meta: ReportMeta } | null {
  const found = latestValue(project, status);
  return found && { report: parseValidationReport(found.value, status.name), meta: found.meta };
}

/** What `synth report` renders: a validation's report or a blend's curve, with its charts. */
interface ReportSource {
  charts: Chart[];
  passed: boolean | null;
  render(format: ReportFormat, charts: readonly RenderedChart[]): string;
}

/** The report of a validation or blend asset. @throws UsageError for another kind, or one never materialized. */
function reportSource(project: Project, status: AssetStatus): ReportSource {
  const name = status.name;
  const kind = project.assets.get(name)!.kind;
  const notYet = () => new UsageError({ what: `"${name}" has never been materialized: there is no report yet.`, fix: `Run \`synth materialize +${name}\` first.` });
  if (kind === 'validation') {
    const found = latestValidationReport(project, status);
    if (!found) throw notYet();
    return { charts: reportCharts(found.report), passed: found.report.passed, render: (format, charts) => renderValidationReport(found.report, found.meta, format, charts) };
  }
  // A blend is a plain asset: its stored value says what it is.
  const found = status.latest?.format === 'json' ? latestValue(project, status) : null;
  if (found && isBlendReport(found.value)) {
    const report = found.value;
    return { charts: blendCharts(report), passed: null, render: (format, charts) => renderBlendReport(report, found.meta, format, charts) };
  }
  // A plain asset never materialized may be a blend: it has no report yet.
  if (kind === 'asset' && !status.latest) throw notYet();
  throw new UsageError({
    what: kind === 'asset' ? `"${name}" has no report: its value is not a blend's.` : `"${name}" is a ${kind}, not a validation or blend: it has no report.`,
    why: 'Only validation assets and blend() assets have a report.',
    fix: `Use \`synth show ${name}\`, or name a validation or blend asset (synth status kind:validation).`,
  });
}

export function registerReport(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('report')
      .description("a validation or blend asset's latest report as Markdown, HTML or JSON")
      .argument('<asset>', 'validation or blend asset name')
      .option('--format <format>', 'md | html | json', 'md')
      .option('--out <file>', 'output file, `-` for standard output (default: standard output); never inside .synth/, never a device or directory')
      .option('--force', 'replace the --out file if it exists'),
  ).action(async (name: string, flags: CommonOptions & { format: string; out?: string; force?: boolean }) => {
    const { project, catalog, output } = await openSession(flags);
    requireAsset(project, name);
    // Checked before any work: a refused --out path costs nothing and writes nothing.
    const target = flags.out === undefined ? undefined : checkOutputPath(flags.out, { force: flags.force });
    const format = flags.format as ReportFormat;
    if (!Object.values(ReportFormat).includes(format)) {
      throw new UsageError({ what: `Unknown report format "${flags.format}".`, fix: 'Use --format md, html or json.' });
    }
    const source = reportSource(project, computeStatus(project, catalog.lookup).get(name)!);
    const charts = source.charts;
    // Markdown has no inline pictures: its charts are SVG files beside it, so only a file report gets them.
    const mdFiles =
      format === 'md' && target?.kind === 'file'
        ? chartTargets(
            target.file,
            charts.map((c) => c.id),
            flags.force,
          )
        : undefined;
    let rendered: RenderedChart[] = [];
    if (format === 'html' || mdFiles) {
      const { renderSvgs } = await import('../../charts/svg-render.js');
      const svgs = await renderSvgs(charts.map((c) => c.spec));
      rendered = charts.map((c, i) => ({ id: c.id, check: c.check, title: c.title, svg: svgs[i], href: mdFiles?.get(c.id)?.href }));
    }
    for (const c of rendered) {
      const t = mdFiles?.get(c.id);
      if (t) writeOutputFile(t.target, c.svg);
    }
    const text = source.render(format, rendered);
    const file = await writeDocument(text, target);
    const chartFiles = mdFiles ? [...mdFiles.values()].map((t) => t.target.file) : [];
    if (file && output.json)
      output.out(JSON.stringify({ asset: name, format, file, bytes: Buffer.byteLength(text), passed: source.passed, charts: rendered.length, chart_files: chartFiles }));
    else if (file)
      output.err(
        `wrote the ${format} report of ${name}${source.passed === null ? '' : ` (${source.passed ? 'passed' : 'failed'})`} to ${file}${chartFiles.length ? ` and ${chartFiles.length} chart(s) to ${path.dirname(chartFiles[0])}` : ''}`,
      );
    setExit(0);
  });
}

/**
 * The SVG files of a Markdown report's charts: `<name>.charts/<chart id>.svg` beside the report,
 * each checked by the same rules as `--out` (never in .synth/, never replaced without --force).
 */
function chartTargets(reportFile: string, ids: readonly string[], force: boolean | undefined): Map<string, { href: string; target: Extract<OutputTarget, { kind: 'file' }> }> {
  const folder = `${path.basename(reportFile).replace(/\.[^.]*$/, '')}.charts`;
  const out = new Map<string, { href: string; target: Extract<OutputTarget, { kind: 'file' }> }>();
  for (const id of ids) {
    const href = `${folder}/${id}.svg`;
    const target = checkOutputPath(path.join(path.dirname(reportFile), href), { force, flag: '--out' });
    if (target.kind === 'file') out.set(id, { href, target });
  }
  return out;
}
