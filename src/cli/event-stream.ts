import type { EngineEvent } from '../engine/index.js';
import { AssetProgress } from './asset-progress.js';

/** At most this many progress lines per asset and second: a tool following the run needs no more. */
const PROGRESS_INTERVAL_MS = 200;

/**
 * `synth materialize --events`: the run as JSON Lines on stdout, one event per line
 * (`run-started`, `asset-started`, `progress`, `retry`, `warning`, `asset-finished`, `lock-wait`),
 * then one `result` line holding the document `--json` prints. Shapes: docs/cli-contract.md.
 */
export class EventStream {
  private readonly progress = new AssetProgress();
  private readonly lastSent = new Map<string, number>();

  constructor(private readonly write: (line: string) => void) {}

  private send(event: Record<string, unknown>): void {
    this.write(JSON.stringify(event));
  }

  handle(e: EngineEvent): void {
    switch (e.type) {
      case 'lock-wait':
        return this.send({ event: 'lock-wait', message: e.message, holder: e.owner ? { pid: e.owner.pid, host: e.owner.host, since: e.owner.since, purpose: e.owner.purpose } : null });
      case 'run-started':
        return this.send({ event: 'run-started', run_id: e.runId, trigger: e.trigger, assets: e.assets });
      case 'asset-started':
        this.progress.start(e.asset);
        return this.send({ event: 'asset-started', run_id: e.runId, asset: e.asset, kind: e.kind, reasons: e.reasons });
      case 'asset-progress': {
        const figures = this.progress.update(e.asset, e.done, e.total, e.detail);
        const now = performance.now();
        // The last step of an asset is always sent, so a follower sees it reach its total.
        if (e.done < e.total && now - (this.lastSent.get(e.asset) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
        this.lastSent.set(e.asset, now);
        return this.send({ event: 'progress', run_id: e.runId, ...figures });
      }
      case 'asset-retry':
        return this.send({ event: 'retry', run_id: e.runId, asset: e.asset, attempt: e.attempt, error: e.error });
      case 'asset-warning':
        return this.send({ event: 'warning', run_id: e.runId, asset: e.asset, message: e.message });
      case 'asset-finished':
        this.progress.finish(e.outcome.asset);
        this.lastSent.delete(e.outcome.asset);
        return this.send({ event: 'asset-finished', run_id: e.runId, ...e.outcome });
      case 'run-finished':
        return this.send({ event: 'run-finished', run_id: e.runId, ok: e.ok, counts: e.counts });
    }
  }

  /** The last line: what `synth materialize --json` prints, under `result`. */
  result(document: unknown): void {
    this.send({ event: 'result', result: document });
  }
}
