import type { CatalogIndex, CheckRecord, KeyInputs, Materialization } from './catalog.js';
import { type Overrides, cacheKeyOf, diffKeyInputs, keyInputsFor, observe } from './cache-key.js';
import { FileHashMemo } from './file-hash-memo.js';
import type { Project } from './project.js';
import { ObjectStore } from './store.js';

/** The state of an asset, as in the contract. */
export const AssetState = { fresh: 'fresh', stale: 'stale', missing: 'missing' } as const;
export type AssetState = (typeof AssetState)[keyof typeof AssetState];

/** Where an asset stands, and why. */
export interface AssetStatus {
  name: string;
  kind: string;
  group: string;
  state: AssetState;
  /** Reason codes: code, prompt, seed, generator, rows, data, dependencies, upstream:<name>, failed, blocked:<check>, object-corrupt, object-missing. */
  reasons: string[];
  /** The current cache key, when every upstream is fresh (else it is not known until they run). */
  cacheKey: string | null;
  keyInputs: KeyInputs | null;
  /** The latest successful materialization (the current value). */
  latest?: Materialization;
  /** The latest materialization of any status. */
  last?: Materialization;
  /** Content hash observed now (sources reading files). */
  observed: string | null;
}

/** Failed blocking checks of a validation materialization, as `asset.check` names. */
export function failedBlockingChecks(m: Materialization | undefined): { name: string; check: CheckRecord }[] {
  const checks = m?.checks;
  if (!checks?.length) return []; // most records: asked for every edge of the graph
  return checks.filter((c) => c.blocking && !c.passed).map((check) => ({ name: `${m!.asset}.${check.name}`, check }));
}

/**
 * Computes every asset's state and reasons, in topological order, against the catalog.
 * Staleness propagates: an asset below a stale or missing one is stale with `upstream:<name>`
 * (its key can only be known once that upstream has run; if it then produces the same bytes,
 * the asset turns out fresh after all: early cut-off). `store`: the object store whose checks
 * the caller reuses (the executor passes its own, so no object is hashed twice in one run).
 */
export function computeStatus(project: Project, index: CatalogIndex, overrides?: Overrides, store = ObjectStore.of(project.stateDir)): Map<string, AssetStatus> {
  const out = new Map<string, AssetStatus>();
  const memo = new FileHashMemo(project.stateDir);
  for (const name of project.graph.order) {
    const asset = project.assets.get(name)!;
    const latest = index.latestSuccess(name);
    const last = index.last(name);
    const upstream: Record<string, string> = Object.create(null); // keyed by user-given asset names
    const reasons: string[] = [];
    let known = true;
    for (const up of asset.upstream) {
      const s = out.get(up)!;
      if (s.state === 'fresh' && s.latest?.data_hash) upstream[up] = s.latest.data_hash;
      else {
        known = false;
        reasons.push(`upstream:${up}`);
      }
      for (const { name: check } of failedBlockingChecks(s.latest)) reasons.push(`blocked:${check}`);
    }
    const observed = observe(asset, project.root, memo);
    let keyInputs: KeyInputs | null = null;
    let cacheKey: string | null = null;
    if (known) {
      keyInputs = keyInputsFor(asset, upstream, observed, overrides);
      cacheKey = cacheKeyOf(keyInputs);
    }
    // Same key, same key inputs: nothing to explain (and the recorded inputs need not be read).
    if (latest && (cacheKey === null || cacheKey !== latest.cache_key) && latest.key_inputs) {
      const probe = keyInputs ?? keyInputsFor(asset, { ...latest.key_inputs.upstream, ...upstream }, observed, overrides);
      for (const r of diffKeyInputs(latest.key_inputs, probe)) if (!reasons.includes(r)) reasons.push(r);
    }
    if (last?.status === 'failed') reasons.push('failed');
    // The stored value must still be there and whole (size, and hash for small objects): a damaged one is rebuilt.
    const object = latest?.data_hash ? store.check(latest.data_hash, latest.bytes) : 'ok';
    if (object !== 'ok') reasons.push(`object-${object}`);
    let state: AssetState;
    if (!latest) state = 'missing';
    else if (cacheKey !== null && cacheKey === latest.cache_key && !reasons.includes('failed') && object === 'ok') state = 'fresh';
    else state = 'stale';
    // Blocked assets stay as they are until the check passes; say why they are not being rebuilt.
    out.set(name, {
      name,
      kind: asset.kind,
      group: asset.group,
      state,
      reasons: state === 'fresh' && reasons.length ? reasons.filter((r) => r.startsWith('blocked:')) : reasons,
      cacheKey,
      keyInputs,
      latest,
      last,
      observed,
    });
  }
  store.saveVerified();
  return out;
}
