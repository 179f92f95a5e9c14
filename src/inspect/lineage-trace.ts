import type { CatalogIndex, Materialization, Project } from '../engine/index.js';
import { findMaterialization } from './find-materialization.js';
import { generatorAsRun } from './generator-as-run.js';

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
