import type { ChalkInstance } from 'chalk';
import type { Command } from 'commander';
import { mlflowRunLinks } from '../../lineage/index.js';
import { type LineagePushFlags, lineagePushAction } from './lineage-push.js';
import { type CatalogIndex, type Materialization, UsageError, shortHash, type Project } from '../../engine/index.js';
import { type CommonOptions, openSession, requireAsset, withCommonOptions } from '../common.js';

/**
 * One materialization on a lineage path, with the exact versions that made it:
 * what a reader needs to reproduce or audit that step.
 */
export interface LineageStep {
  asset: string;
  kind: string;
  materialization_id: string;
  run_id: string;
  status: Materialization['status'];
  outcome: Materialization['outcome'];
  finished_at: string;
  data_hash: string | null;
  cache_key: string | null;
  /** Code version part of the cache key (`v:<codeVersion>`, `schema:<hash>`, `fn:<hash>`...). */
  code: string | null;
  prompt_id: string | null;
  prompt_hash: string | null;
  seed: number | null;
  /** Generator settings as run (provider, model, sampling options), plus its `version` from the cache key. */
  generator: Record<string, unknown> | null;
  rows: number | null;
  /** For `cached` outcomes: the materialization whose stored result was reused. */
  reused_from: string | null;
  /** The materializations that fed this one, by upstream asset name. */
  inputs: Record<string, string>;
  /** Hops from the materialization asked about (0 for itself). */
  depth: number;
  /** MLflow run of this materialization, once lineage delivery records it (null until then). */
  mlflow: { run_id: string; url: string | null } | null;
}

/** What `synth lineage ASSET --json` prints. */
export interface LineageReport {
  asset: string;
  kind: string;
  /** The materialization traced (`--at`, default the latest successful one); null when never materialized. */
  materialization: LineageStep | null;
  /** Every materialization upstream of it, nearest first. */
  upstream: LineageStep[];
  /** Every materialization that consumed it, directly or through others, nearest first. */
  downstream: LineageStep[];
  /** Input materializations named in the records but absent from the catalog (pruned or lost). */
  missing: string[];
  /** MLflow run of the traced materialization (null until lineage delivery records it). */
  mlflow: { run_id: string; url: string | null } | null;
}

/** The generator as it ran, plus the `version` its cache key recorded (so a model update shows). */
export function generatorAsRun(m: Materialization): Record<string, unknown> | null {
  const version = m.key_inputs?.generator?.version;
  return m.generator ? { ...m.generator, ...(version !== undefined && m.generator.version === undefined ? { version } : {}) } : null;
}

function stepOf(m: Materialization, depth: number): LineageStep {
  return {
    asset: m.asset,
    kind: m.kind,
    materialization_id: m.id,
    run_id: m.run_id,
    status: m.status,
    outcome: m.outcome,
    finished_at: m.finished_at,
    data_hash: m.data_hash,
    cache_key: m.cache_key,
    code: m.key_inputs?.code ?? null,
    prompt_id: m.prompt_id,
    prompt_hash: m.prompt_hash,
    seed: m.seed,
    generator: generatorAsRun(m),
    rows: m.rows,
    reused_from: m.reused_from,
    inputs: Object.fromEntries(Object.entries(m.upstream).map(([name, u]) => [name, u.materialization_id])),
    depth,
    mlflow: null,
  };
}

/** Finds a materialization of an asset by full id or unique id prefix. */
export function findMaterialization(index: CatalogIndex, asset: string, id: string): Materialization {
  const list = index.history(asset);
  const exact = list.find((m) => m.id === id);
  if (exact) return exact;
  const matches = list.filter((m) => m.id.startsWith(id));
  if (matches.length === 1) return matches[0];
  const other = index.get(id);
  throw new UsageError({
    what: `No materialization "${id}" of "${asset}".`,
    why: other
      ? `${id} is a materialization of "${other.asset}", not of "${asset}".`
      : matches.length > 1
        ? `"${id}" matches ${matches.length} materializations; give more of the id.`
        : `"${asset}" has ${list.length} materialization${list.length === 1 ? '' : 's'} and none has that id.`,
    fix: `Run \`synth history ${asset}\` to list its materialization ids.`,
  });
}

/**
 * Traces a materialization's lineage through the catalog's recorded facts, not the current definitions:
 * upstream by following each record's `upstream[...].materialization_id`, downstream by finding the
 * records whose `upstream` points at it. So it answers "which dataset trained this model" even after
 * the definitions, seeds or prompts have moved on.
 */
export function traceLineage(project: Project, index: CatalogIndex, asset: string, at?: string): LineageReport {
  const kind = project.assets.get(asset)?.kind ?? index.last(asset)?.kind ?? 'asset';
  const focus = at ? findMaterialization(index, asset, at) : (index.latestSuccess(asset) ?? index.last(asset));
  const report: LineageReport = { asset, kind, materialization: null, upstream: [], downstream: [], missing: [], mlflow: null };
  if (!focus) return report;
  report.materialization = stepOf(focus, 0);

  const seen = new Set([focus.id]);
  let frontier = [focus];
  for (let depth = 1; frontier.length; depth++) {
    const next: Materialization[] = [];
    for (const m of frontier) {
      for (const { materialization_id: id } of Object.values(m.upstream)) {
        if (seen.has(id)) continue;
        seen.add(id);
        const up = index.get(id);
        if (!up) report.missing.push(id);
        else {
          report.upstream.push(stepOf(up, depth));
          next.push(up);
        }
      }
    }
    frontier = next;
  }

  // The inverse of the `upstream` pointers, built once: consumers by materialization id.
  const consumers = new Map<string, Materialization[]>();
  for (const m of index.data.materializations) {
    for (const { materialization_id: id } of Object.values(m.upstream)) {
      let list = consumers.get(id);
      if (!list) consumers.set(id, (list = []));
      list.push(m);
    }
  }
  const down = new Set([focus.id]);
  frontier = [focus];
  for (let depth = 1; frontier.length; depth++) {
    const next: Materialization[] = [];
    for (const m of frontier) {
      for (const c of consumers.get(m.id) ?? []) {
        if (down.has(c.id)) continue;
        down.add(c.id);
        report.downstream.push(stepOf(c, depth));
        next.push(c);
      }
    }
    frontier = next;
  }
  return report;
}

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
    text.split('\n').map((l, i) => (i === 0 ? prefix + branch + l : prefix + cont + l)).join('\n');
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
