import { type AssetStatus, assetKind, Catalog, type CatalogIndex, computeStatus, keyInputsFor, ObjectStore, type Project, sha256 } from '../engine/index.js';
import { projectFingerprint } from '../engine/project-fingerprint.js';
import { type StatusRow, statusRows } from './status-rows.js';
import { dropStatusSnapshot, readStatusSnapshot, type SnapshotRow, statusCatalogStamp, type StatusSnapshot, writeStatusSnapshot } from './status-snapshot.js';

/**
 * The snapshot of a status just computed in full, for `synth status` to reuse while nothing it
 * depends on changes (see reuseStatusSnapshot); undefined when it could not be checked without
 * loading the definitions: they were not loaded from files, their fingerprint is unknown (they
 * read the whole environment), they read the clock, a random source, another program or the network, or an asset observes
 * something other than files.
 * `catalog`: the stamp taken before the catalog was read, so that a run recorded meanwhile makes
 * the snapshot stale rather than wrong.
 */
export function statusSnapshotOf(
  project: Project,
  status: ReadonlyMap<string, AssetStatus>,
  rows: readonly StatusRow[],
  catalog: string,
): Omit<StatusSnapshot, 'format' | 'volatile'> | undefined {
  // Definitions that read the clock, another program or the network may say something else on the next load.
  if (!project.loaded || project.loaded.volatile) return undefined;
  const fingerprint = projectFingerprint(project, project.loaded.env, project.loaded.files);
  if (!fingerprint) return undefined;
  const described: unknown[] = [];
  const out: SnapshotRow[] = [];
  for (const row of rows) {
    const asset = project.assets.get(row.asset)!;
    const s = status.get(row.asset)!;
    const kind = assetKind(asset.kind, asset.name);
    const files = kind.observedFiles?.(asset);
    if (!files && kind.observe) return undefined;
    // The key inputs computeStatus made (when its upstream was fresh), else made now: their upstream
    // data and observed hash are not part of the description (the catalog and the files say those).
    const { upstream: _upstream, observed: _observed, ...keyParts } = s.keyInputs ?? keyInputsFor(asset, {}, null);
    described.push([asset.name, asset.kind, asset.group, asset.upstream, keyParts, files ?? null]);
    const latest = s.latest;
    const objectState = s.reasons.includes('object-missing') ? 'missing' : s.reasons.includes('object-corrupt') ? 'corrupt' : 'ok';
    out.push({
      ...row,
      object: latest?.data_hash ? { hash: latest.data_hash, bytes: latest.bytes ?? null, state: objectState } : null,
      observes: files ? { files: [...files], hash: s.observed ?? '' } : null,
      materialization_id: latest?.id ?? null,
    });
  }
  // Plain JSON, not canonical: the same definitions build these objects in the same order, and a
  // difference in key order alone would only cost a full computation (0.1 s less at 10,000 assets).
  return { fingerprint, env: project.loaded.env, files: project.loaded.files, catalog, description: sha256(JSON.stringify(described)), rows: out };
}

/**
 * Every asset's status line, computed in full from the definitions and the catalog, in graph order;
 * keeps the snapshot of it for the next `synth status` (or drops one that could not be checked).
 * `stamp`: the catalog's stamp (statusCatalogStamp) taken before `lookup` was read; `before`: the
 * header of the snapshot there, when the caller has read it already.
 */
export function computeStatusRows(project: Project, lookup: CatalogIndex, stamp: string, before?: StatusSnapshot): StatusRow[] {
  const status = computeStatus(project, lookup);
  const rows = statusRows(project, status, project.graph.order, ObjectStore.of(project.stateDir));
  const snapshot = statusSnapshotOf(project, status, rows, stamp);
  if (snapshot) writeStatusSnapshot(project, snapshot, before);
  else dropStatusSnapshot(project);
  return rows;
}

/**
 * After a run: the snapshot the next `synth status` answers from, made while the definitions are
 * loaded anyway (nothing to do when the one there still holds for this catalog and these
 * definitions). Failures are ignored (it is only a cache; a damaged catalog is reported by that status).
 */
export async function refreshStatusSnapshot(project: Project): Promise<void> {
  try {
    const stamp = statusCatalogStamp(project);
    const current = readStatusSnapshot(project, { rows: false });
    if (current && project.loaded && current.catalog === stamp && current.fingerprint === projectFingerprint(project, project.loaded.env, project.loaded.files)) return;
    const catalog = new Catalog(project.stateDir);
    await catalog.load();
    computeStatusRows(project, catalog.lookup, stamp, current);
  } catch {
    // the next status computes in full
  }
}
