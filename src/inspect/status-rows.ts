import type { AssetState, AssetStatus, ObjectStore, Project } from '../engine/index.js';
import { keyMetrics } from './key-metrics.js';
import { describeReasons } from './reason-sentences.js';

/** One asset's line of `synth status`: what `--json` prints, and what the table shows. */
export interface StatusRow {
  asset: string;
  kind: string;
  group: string;
  state: AssetState;
  /** Reason codes (see AssetStatus.reasons). */
  reasons: string[];
  /** The reasons as the table says them ("seed 42 → 43"). */
  sentences: string[];
  cache_key: string | null;
  data_hash: string | null;
  /** When the current value was made (ISO), or null. */
  materialized_at: string | null;
  rows: number | null;
  /** Key metrics as the table shows them (check scores, model metrics). */
  metrics: string;
}

/** The status lines of the named assets, in the order given. */
export function statusRows(project: Project, status: ReadonlyMap<string, AssetStatus>, names: readonly string[], store: ObjectStore): StatusRow[] {
  return names.map((n) => {
    const s = status.get(n)!;
    return {
      asset: n,
      kind: s.kind,
      group: s.group,
      state: s.state,
      reasons: s.reasons,
      sentences: describeReasons(project, s.reasons, s, store, status),
      cache_key: s.cacheKey,
      data_hash: s.latest?.data_hash ?? null,
      materialized_at: s.latest?.finished_at ?? null,
      rows: s.latest?.rows ?? null,
      metrics: keyMetrics(s.latest),
    };
  });
}
