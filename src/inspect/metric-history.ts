import type { Materialization } from '../engine/index.js';
import { historyReasons } from './history-reasons.js';

/** Reasons drawn as marks on a history's time axis: what a person changed on purpose. */
export const MARKED_CHANGES = ['prompt', 'seed', 'generator'] as const;

/** One value of one metric at one successful materialization. */
export interface MetricPoint {
  /** ISO time the materialization finished. */
  at: string;
  metric: string;
  value: number;
}

/** A materialization made because of a marked change (prompt, seed or generator). */
export interface HistoryChange {
  at: string;
  /** The marked reasons, e.g. `['seed']`. */
  changes: string[];
}

/** Every number an asset recorded across its materializations, for the history charts. */
export interface MetricHistory {
  /** Metric names, the most useful first: headline scores (quality, check scores, max PSI...), then `rows`, `duration_s`, `cost_usd`, then the rest. */
  metrics: string[];
  points: MetricPoint[];
  changes: HistoryChange[];
}

const FIRST = ['quality', 'score', 'max_psi', 'ratio', 'accuracy', 'macro_f1', 'f1'];

/**
 * The numbers of each successful materialization of an asset, oldest first: its rows, duration,
 * cost and every numeric metadata entry (check scores such as `fidelity.quality`), plus the times
 * a prompt, seed or generator change caused a run.
 */
export function metricHistory(list: readonly Materialization[]): MetricHistory {
  const reasons = historyReasons(list);
  const points: MetricPoint[] = [];
  const changes: HistoryChange[] = [];
  const seen = new Map<string, number>();
  let recorded = new Set<string>();
  const add = (at: string, metric: string, value: unknown) => {
    // Validations record each check's score in their metadata too: one point per metric and run.
    if (typeof value !== 'number' || !Number.isFinite(value) || recorded.has(metric)) return;
    recorded.add(metric);
    points.push({ at, metric, value });
    seen.set(metric, (seen.get(metric) ?? 0) + 1);
  };
  for (const m of list) {
    if (m.status !== 'success') continue;
    const at = m.finished_at;
    recorded = new Set();
    add(at, 'rows', m.rows);
    add(at, 'duration_s', m.duration_ms / 1000);
    for (const [k, v] of Object.entries(m.metadata)) add(at, k, v);
    for (const c of m.checks ?? []) add(at, `${c.name}.score`, c.score);
    const marked = (reasons.get(m.id) ?? []).filter((r) => (MARKED_CHANGES as readonly string[]).includes(r));
    if (marked.length) changes.push({ at, changes: marked });
  }
  const rank = (k: string) => {
    const leaf = k.split('.').pop()!;
    const i = FIRST.indexOf(leaf);
    return i >= 0 ? i : k === 'rows' ? 20 : k === 'duration_s' ? 21 : k === 'cost_usd' ? 22 : 30;
  };
  const metrics = [...seen.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return { metrics, points, changes };
}
