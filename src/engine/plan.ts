import { Catalog } from './catalog.js';
import { assetKind } from './asset-kind-registry.js';
import { effectiveSettings, type Overrides } from './cache-key.js';
import type { Project } from './project.js';
import { computeStatus } from './status.js';

/** What a run would do to one asset. */
export const PlannedAction = {
  /** Compute it (generator, checks, training...). */
  run: 'run',
  /** Reuse an earlier stored result with the same cache key. */
  cached: 'cached',
  /** Already fresh: nothing to do. */
  fresh: 'fresh',
  /** Its upstream is stale: it runs unless that upstream's new output is byte-identical (early cut-off). */
  maybe: 'maybe',
  /** Cannot run: an upstream outside the selection was never materialized, or a blocking check failed. */
  blocked: 'blocked',
} as const;
export type PlannedAction = (typeof PlannedAction)[keyof typeof PlannedAction];

export interface PlannedAsset {
  asset: string;
  kind: string;
  action: PlannedAction;
  reasons: string[];
  cache_key: string | null;
  /** For `cached`: the materialization whose result would be reused. */
  reuse: string | null;
  /** For assets that would run and whose kind estimates (datasets): what the generator expects to spend (requests, tokens, cost_usd), not counting cached responses. */
  estimate: Record<string, number> | null;
}

/** The plan of `synth materialize --dry-run`: computed from the catalog, writes nothing. */
export async function planRun(project: Project, selected: readonly string[], options: { force?: boolean; overrides?: Omit<Overrides, 'assets'> } = {}): Promise<PlannedAsset[]> {
  const catalog = new Catalog(project.stateDir);
  await catalog.load();
  const inRun = new Set(selected);
  const overrides = options.overrides ? { ...options.overrides, assets: inRun } : undefined;
  const status = computeStatus(project, catalog.lookup, overrides);
  const planned = new Map<string, PlannedAsset>();
  for (const name of project.graph.sort(selected)) {
    const s = status.get(name)!;
    const asset = project.assets.get(name)!;
    let action: PlannedAction;
    let reuse: string | null = null;
    const upstreamActions = asset.upstream.map((u) => (inRun.has(u) ? planned.get(u)!.action : status.get(u)!.latest ? 'fresh' : 'blocked'));
    const blockedBy = s.reasons.filter((r) => r.startsWith('blocked:'));
    if (upstreamActions.includes('blocked') || (blockedBy.length && !asset.upstream.some((u) => inRun.has(u)))) action = 'blocked';
    else if (options.force) action = 'run';
    else if (s.state === 'fresh') action = 'fresh';
    else if (s.cacheKey === null) action = upstreamActions.some((a) => a === 'run' || a === 'maybe' || a === 'cached') ? 'maybe' : 'run';
    else {
      const earlier = catalog.lookup.byCacheKey(name, s.cacheKey);
      if (earlier) {
        action = 'cached';
        reuse = earlier.id;
      } else action = 'run';
    }
    let estimate: Record<string, number> | null = null;
    const kind = assetKind(asset.kind, name);
    if (kind.estimate && (action === 'run' || action === 'maybe')) estimate = await kind.estimate({ project, asset, settings: effectiveSettings(asset, overrides) });
    planned.set(name, { asset: name, kind: asset.kind, action, reasons: s.reasons, cache_key: s.cacheKey, reuse, estimate });
  }
  return [...planned.values()];
}
