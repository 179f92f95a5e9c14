import { closest } from 'fastest-levenshtein';
import type { DatasetSpec } from '../generators/dataset-asset.js';
import type { SourceSpec } from '../kinds/source-asset.js';
import type { ValidationSpec } from '../validation/validation-asset.js';
import { decodeValue, resolveSourceFiles, UsageError, type Catalog, type Materialization, type ObjectStore, type Project, type Row } from '../engine/index.js';
import { isFeedbackSource, readFeedbackFile, type FeedbackRecord } from '../feedback/index.js';

/** Live rows from one asset. */
export interface LiveEvidence {
  asset: string;
  materialization: string;
  rows: Row[];
}

/** Columns a drift or fidelity report found drifted. */
export interface DriftEvidence {
  asset: string;
  check: string;
  materialization: string;
  /** Column → PSI (null when the report did not give one). */
  columns: Map<string, number | null>;
}

/** Everything `synth tune --from` gave. */
export interface TuneEvidence {
  live: LiveEvidence[];
  drift: DriftEvidence[];
  feedback: { asset: string; records: FeedbackRecord[] }[];
}

/** The stored value of an asset's latest successful materialization. @throws UsageError when it has none. */
export function latestValue(catalog: Catalog, store: ObjectStore, asset: string): { value: unknown; m: Materialization } {
  const m = catalog.lookup.latestSuccess(asset);
  if (!m?.data_hash || !store.has(m.data_hash)) {
    throw new UsageError({
      what: `"${asset}" has no stored value to tune from.`,
      why: 'synth tune reads the latest materialization of each --from asset (live rows, drift and fidelity reports).',
      fix: `Run \`synth materialize ${asset}\` first.`,
      asset,
    });
  }
  return { value: decodeValue(store.getText(m.data_hash), m.format ?? 'json'), m };
}

interface ReportLike {
  checks?: {
    name: string;
    details?: {
      kind?: string;
      drifted?: string[];
      columns?: { column: string; psi?: number | null }[];
      psi?: { drifted?: string[]; columns?: { column: string; psi?: number | null }[] };
    };
  }[];
}

/**
 * Reads the evidence of every `--from` asset: feedback sources (their files, checked record by
 * record), validations (drifted columns of their drift and fidelity checks, plus their live side's
 * rows), and any other asset with rows (live data). Datasets made from `promptId` are current
 * data, not evidence.
 * @throws UsageError for an unknown asset, one never materialized, or a malformed feedback file.
 */
export function collectEvidence(project: Project, catalog: Catalog, store: ObjectStore, names: readonly string[], promptId: string): TuneEvidence {
  const evidence: TuneEvidence = { live: [], drift: [], feedback: [] };
  const isOurs = (name: string) => {
    const spec = project.assets.get(name)?.def.spec;
    return spec?.kind === 'dataset' && (spec as DatasetSpec).prompt === promptId;
  };
  const addLive = (name: string) => {
    if (isOurs(name) || evidence.live.some((l) => l.asset === name)) return;
    const { value, m } = latestValue(catalog, store, name);
    if (Array.isArray(value)) evidence.live.push({ asset: name, materialization: m.id, rows: value as Row[] });
  };
  for (const name of names) {
    const asset = project.assets.get(name);
    if (!asset) {
      const guess = closest(name, [...project.assets.keys()]);
      throw new UsageError({
        what: `Unknown asset "${name}" in --from.`,
        why: 'synth tune reads evidence from assets of the project.',
        fix: guess ? `Did you mean "${guess}"? Run \`synth status\` to list assets.` : 'Run `synth status` to list assets.',
      });
    }
    if (isFeedbackSource(asset.def)) {
      const spec = asset.def.spec as SourceSpec;
      const files = spec.kind === 'source' && spec.files ? resolveSourceFiles(project.root, spec.files) : [];
      evidence.feedback.push({ asset: name, records: files.flatMap((f) => readFeedbackFile(f).map((r) => r.record)) });
      continue;
    }
    if (asset.kind === 'validation') {
      const { value, m } = latestValue(catalog, store, name);
      for (const check of (value as ReportLike).checks ?? []) {
        const d = check.details;
        const drifted = d?.kind === 'drift' ? d.drifted : d?.kind === 'fidelity' ? d.psi?.drifted : undefined;
        if (!drifted) continue;
        const psis = d?.kind === 'drift' ? d.columns : d?.psi?.columns;
        const columns = new Map(drifted.map((c) => [c, psis?.find((p) => p.column === c)?.psi ?? null] as const));
        evidence.drift.push({ asset: name, check: check.name, materialization: m.id, columns });
      }
      // The side of the comparison that is not made from this prompt is the live data.
      const spec = asset.def.spec as ValidationSpec;
      if (spec.kind === 'validation') for (const key of [spec.target, spec.reference]) if (key && asset.deps[key]) addLive(asset.deps[key]);
      continue;
    }
    if (isOurs(name)) continue;
    const { value } = latestValue(catalog, store, name);
    if (!Array.isArray(value))
      throw new UsageError({
        what: `"${name}" holds no rows, so it cannot be live data.`,
        fix: 'Give --from sources or datasets with rows, validations with drift or fidelity checks, or feedback sources.',
        asset: name,
      });
    addLive(name);
  }
  return evidence;
}
