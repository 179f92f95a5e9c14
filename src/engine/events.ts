import type { Materialization } from './catalog.js';
import type { LockOwner } from './lock.js';

/** What happened to an asset in a run (the contract's `outcome`). */
export const Outcome = {
  materialized: 'materialized',
  cached: 'cached',
  fresh: 'fresh',
  failed: 'failed',
  blocked: 'blocked',
  skipped: 'skipped',
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

/** One asset's result in a run, as printed by `synth materialize --json`. */
export interface AssetOutcome {
  asset: string;
  kind: string;
  outcome: Outcome;
  cache_key: string | null;
  data_hash: string | null;
  rows: number | null;
  duration_ms: number;
  error: string | null;
  /** Why it ran (reason codes), or why it was blocked/skipped. */
  reasons: string[];
  materialization_id: string | null;
  /** Warnings raised while it ran (failed non-blocking checks, undated model aliases...). */
  warnings: string[];
  /** Failed assets: the exit code their error asks for (2 = bad input the user must fix, e.g. a malformed source file). */
  exit_code?: number;
}

/** An asset's outcome: nothing known beyond `fields` (no key, data, error, reason or warning). */
export function assetOutcome(asset: string, kind: string, outcome: Outcome, fields: Partial<AssetOutcome> = {}): AssetOutcome {
  return { asset, kind, outcome, cache_key: null, data_hash: null, rows: null, duration_ms: 0, error: null, reasons: [], materialization_id: null, warnings: [], ...fields };
}

/**
 * Events are the one way the CLI, the daemon, the UI and lineage learn what the executor did.
 * Listeners must not throw (errors are reported, not propagated).
 */
export type EngineEvent =
  | { type: 'lock-wait'; owner?: LockOwner; /** Who holds the lock, or that it was left by a killed process and when it is taken. */ message: string }
  | { type: 'run-started'; runId: string; trigger: string; assets: string[] }
  | { type: 'asset-started'; runId: string; asset: string; kind: string; reasons: string[] }
  | { type: 'asset-progress'; runId: string; asset: string; done: number; total: number; detail?: Record<string, number> }
  | { type: 'asset-retry'; runId: string; asset: string; attempt: number; error: string }
  | { type: 'asset-warning'; runId: string; asset: string; message: string }
  | { type: 'asset-finished'; runId: string; outcome: AssetOutcome; record?: Materialization }
  | { type: 'run-finished'; runId: string; ok: boolean; counts: Record<Outcome, number> };

export type EventListener = (event: EngineEvent) => void;
