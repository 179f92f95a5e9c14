import path from 'node:path';
import type { Command } from 'commander';
import { writeDocument } from '../output.js';
import { decodeValue, UsageError, type Project, type AssetStatus, computeStatus, ObjectStore, checkOutputPath, type OutputTarget, writeOutputFile } from '../../engine/index.js';
import { parseValidationReport, ReportFormat, renderValidationReport, type RenderedChart, type ReportMeta, type ValidationReport } from '../../validation/index.js';
import { reportCharts } from '../../charts/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';

/** The latest stored report of a validation asset and where it comes from; null when never materialized. */
export function latestValidationReport(project: Project, status: AssetStatus): { report: ValidationReport; meta: ReportMeta } | null {
  const name = status.name;
  const m = status.latest;
  const store = ObjectStore.of(project.stateDir);
  if (!m?.data_hash || !store.has(m.data_hash)) return null;
  const report = parseValidationReport(decodeValue(store.getText(m.data_hash), 'json'), name);
  const meta: ReportMeta = {
    asset: name,
    state: `${status.state}${status.reasons.length ? ` (${status.reasons.join(', ')})` : ''}`,
    materialized_at: m.finished_at,
    data_hash: m.data_hash,
    run_id: m.run_id,
    upstream: Object.fromEntries(Object.entries(m.upstream).map(([up, u]) => [up, u.data_hash])),
  };
  return { report, meta };
}

export function registerReport(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('report')
      .description("a validation asset's latest report as Markdown, HTML or JSON")
      .argument('<asset>', 'validation asset name')
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
    const kind = project.assets.get(name)!.kind;
    if (kind !== 'validation') {
      throw new UsageError({
        what: `"${name}" is a ${kind}, not a validation: it has no report.`,
        fix: `Use \`synth show ${name}\`, or name a validation asset (synth status kind:validation).`,
      });
    }
    const found = latestValidationReport(project, computeStatus(project, catalog.lookup).get(name)!);
    if (!found) throw new UsageError({ what: `"${name}" has never been materialized: there is no report yet.`, fix: `Run \`synth materialize +${name}\` first.` });
    const charts = reportCharts(found.report);
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
    const text = renderValidationReport(found.report, found.meta, format, rendered);
    const file = await writeDocument(text, target);
    const chartFiles = mdFiles ? [...mdFiles.values()].map((t) => t.target.file) : [];
    if (file && output.json)
      output.out(JSON.stringify({ asset: name, format, file, bytes: Buffer.byteLength(text), passed: found.report.passed, charts: rendered.length, chart_files: chartFiles }));
    else if (file)
      output.err(
        `wrote the ${format} report of ${name} (${found.report.passed ? 'passed' : 'failed'}) to ${file}${chartFiles.length ? ` and ${chartFiles.length} chart(s) to ${path.dirname(chartFiles[0])}` : ''}`,
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
