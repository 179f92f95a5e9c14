import type { CatalogIndex } from '../engine/index.js';

/** One run on the timeline. */
export interface TimelineRun {
  id: string;
  trigger: string;
  started_at: string;
  /** null while running, or when its process died. */
  finished_at: string | null;
  /** `ok`, `failed`, or `running` (not finished). */
  result: 'ok' | 'failed' | 'running';
  selection: string[];
  counts: Record<string, number>;
}

/** The latest `limit` runs of the catalog, oldest first. */
export function runTimeline(index: CatalogIndex, limit = 40): TimelineRun[] {
  return index.data.runs.slice(-limit).map((r) => ({
    id: r.id,
    trigger: r.trigger,
    started_at: r.started_at,
    finished_at: r.finished_at,
    result: r.finished_at === null ? 'running' : r.ok ? 'ok' : 'failed',
    selection: r.selection,
    counts: r.counts,
  }));
}
