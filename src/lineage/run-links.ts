import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { appendLineDurably } from '../engine/atomic-write.js';

/** Where a delivered materialization lives in MLflow. */
export const RunLinkSchema = z.object({
  materialization_id: z.string(),
  run_id: z.string(),
  experiment_id: z.string(),
  /** Tracking URI it was delivered to (without credentials). */
  tracking_uri: z.string(),
  model_id: z.string().nullable().optional(),
  delivered_at: z.string(),
});
export type RunLink = z.infer<typeof RunLinkSchema>;

/**
 * The MLflow run of each delivered materialization: `.synth/lineage/runs.jsonl`, append-only.
 * Delivery reads it to tag runs with their upstream runs; `synth lineage` shows it as a link.
 * It is a cache of what MLflow holds (runs carry `synthgraph.materialization_id`), so losing it only
 * costs searches.
 */
export class RunLinks {
  readonly file: string;
  private cache?: Map<string, RunLink>;

  constructor(stateDir: string) {
    this.file = path.join(stateDir, 'lineage', 'runs.jsonl');
  }

  /** The latest link of a materialization delivered to `trackingUri` (any server when omitted). */
  get(materializationId: string, trackingUri?: string): RunLink | undefined {
    return this.load().get(key(materializationId, trackingUri));
  }

  add(link: RunLink): void {
    appendLineDurably(this.file, JSON.stringify(link));
    const map = this.load();
    map.set(key(link.materialization_id, link.tracking_uri), link);
    map.set(key(link.materialization_id), link);
  }

  private load(): Map<string, RunLink> {
    if (this.cache) return this.cache;
    const map = new Map<string, RunLink>();
    if (existsSync(this.file)) {
      for (const line of readFileSync(this.file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          const link = RunLinkSchema.parse(JSON.parse(line));
          map.set(key(link.materialization_id, link.tracking_uri), link);
          map.set(key(link.materialization_id), link);
        } catch {
          // a line torn by a crash
        }
      }
    }
    this.cache = map;
    return map;
  }
}

function key(materializationId: string, trackingUri?: string): string {
  return trackingUri === undefined ? materializationId : `${trackingUri}\u0000${materializationId}`;
}
