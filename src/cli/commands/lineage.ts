import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { mlflowRunLinks } from '../../lineage/index.js';
import { type LineagePushFlags, lineagePushAction } from './lineage-push.js';
import { shortHash } from '../../engine/index.js';
import { type LineageReport, type LineageStep, traceLineage } from '../../inspect/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';

/** One line of versions for a step: what would have to be the same to reproduce it. */
export function describeStep(s: LineageStep, c: ChalkInstance): string {
  const parts = [`data ${shortHash(s.data_hash)}`, `key ${shortHash(s.cache_key)}`];
  if (s.prompt_id) parts.push(`prompt ${s.prompt_id}@${shortHash(s.prompt_hash)}`);
  if (s.seed !== null) parts.push(`seed ${s.seed}`);
  if (s.generator) {
    const g = s.generator;
    parts.push(`generator ${[g.provider, g.model].filter(Boolean).join(':')}${g.version ? ` (${String(g.version)})` : ''}`);
  }
  if (s.rows !== null) parts.push(`${s.rows} rows`);
  if (s.mlflow) parts.push(`mlflow ${s.mlflow.url ?? s.mlflow.run_id}`);
  const outcome = s.status === 'failed' ? c.red('failed') : s.outcome === 'cached' ? c.cyan(`cached from ${s.reused_from}`) : s.outcome;
  return `${c.bold(s.asset)} ${c.dim(`(${s.kind})`)} ${s.materialization_id} ${c.dim(s.finished_at.replace('T', ' ').slice(0, 19))} ${outcome}\n${c.dim(parts.join(' · '))}`;
}

/** The report as two trees around the traced materialization: what fed it, and what it fed. */
export function renderLineage(r: LineageReport, c: ChalkInstance): string {
  if (!r.materialization) return `${c.bold(r.asset)} ${c.dim(`(${r.kind})`)}\n${c.dim(`never materialized: run \`synth materialize +${r.asset}\``)}`;
  const byId = new Map([r.materialization, ...r.upstream, ...r.downstream].map((s) => [s.materialization_id, s]));
  const children = new Map<string, string[]>();
  for (const s of r.downstream) {
    for (const id of Object.values(s.inputs)) {
      if (!byId.has(id)) continue;
      children.set(id, [...(children.get(id) ?? []), s.materialization_id]);
    }
  }
  const lines: string[] = [];
  const indent = (text: string, prefix: string, branch: string, cont: string) =>
    text
      .split('\n')
      .map((l, i) => (i === 0 ? prefix + branch + l : prefix + cont + l))
      .join('\n');
  const tree = (ids: string[], prefix: string, next: (s: LineageStep) => string[], printed: Set<string>) => {
    ids.forEach((id, i) => {
      const last = i === ids.length - 1;
      const s = byId.get(id);
      const branch = last ? '└─ ' : '├─ ';
      const cont = last ? '   ' : '│  ';
      if (!s) {
        lines.push(prefix + branch + c.red(`${id} (not in the catalog)`));
        return;
      }
      if (printed.has(id)) {
        lines.push(prefix + branch + `${s.asset} ${s.materialization_id} ${c.dim('↑ (shown above)')}`);
        return;
      }
      printed.add(id);
      lines.push(indent(describeStep(s, c), prefix, branch, cont));
      tree(next(s), prefix + cont, next, printed);
    });
  };
  lines.push(describeStep(r.materialization, c));
  lines.push('', c.bold('upstream') + c.dim(' (the exact materializations that fed it)'));
  const ups = Object.values(r.materialization.inputs);
  if (ups.length) tree(ups, '', (s) => Object.values(s.inputs), new Set());
  else lines.push(c.dim('  none'));
  lines.push('', c.bold('downstream') + c.dim(' (materializations that consumed it)'));
  const downs = children.get(r.materialization.materialization_id) ?? [];
  if (downs.length) tree(downs, '', (s) => children.get(s.materialization_id) ?? [], new Set());
  else lines.push(c.dim('  none'));
  return lines.join('\n');
}

export function registerLineage(program: Command, setExit: (code: number) => void): void {
  withCommonOptions(
    program
      .command('lineage')
      .description('the exact upstream and downstream materializations of an asset (which data trained this model?)')
      .argument('<asset>', 'asset name, or `push` to deliver pending lineage events to MLflow')
      .option('--at <materialization>', 'trace this materialization (id or unique prefix, see `synth history`) instead of the latest')
      .option('--retry-failed', 'with `push`: requeue events MLflow rejected before and try them again')
      .option('--timeout <ms>', 'with `push`: time budget in ms'),
  ).action(async (name: string, flags: CommonOptions & LineagePushFlags & { at?: string }) => {
    if (name === 'push') return lineagePushAction(flags, setExit);
    const { project, catalog, output } = await openSession(flags);
    // An asset removed from the definitions keeps its recorded lineage.
    if (!catalog.lookup.history(name).length) requireAsset(project, name);
    const report = traceLineage(project, catalog.lookup, name, flags.at);
    // MLflow runs of each step, once lineage delivery has recorded them (the run links are read once).
    const linkOf = mlflowRunLinks(project);
    for (const step of [report.materialization, ...report.upstream, ...report.downstream]) {
      if (step) step.mlflow = linkOf(step.materialization_id);
    }
    report.mlflow = report.materialization?.mlflow ?? null;
    output.out(output.json ? JSON.stringify(report) : renderLineage(report, output.color));
    setExit(0);
  });
}
