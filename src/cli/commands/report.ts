import type { Command } from 'commander';
import { writeDocument } from '../output.js';
import { decodeValue, UsageError, type Project, type AssetStatus, computeStatus, ObjectStore, checkOutputPath } from '../../engine/index.js';
import { parseValidationReport, ReportFormat, renderValidationReport, type ReportMeta, type ValidationReport } from '../../validation/index.js';
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
    const text = renderValidationReport(found.report, found.meta, format);
    const file = await writeDocument(text, target);
    if (file && output.json) output.out(JSON.stringify({ asset: name, format, file, bytes: Buffer.byteLength(text), passed: found.report.passed }));
    else if (file) output.err(`wrote the ${format} report of ${name} (${found.report.passed ? 'passed' : 'failed'}) to ${file}`);
    setExit(0);
  });
}
