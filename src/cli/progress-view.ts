import type * as CliProgress from 'cli-progress';
import type { MultiBar, SingleBar } from 'cli-progress';
// Single engine modules, not the index: a no-op run answered from the status snapshot shows its progress without loading the engine.
import type { AssetOutcome, EngineEvent } from '../engine/events.js';
import { shortHash } from '../engine/hashing.js';
import { lazyPackage } from '../engine/lazy-package.js';
import type { MaterializeResult } from '../engine/run-record.js';
import { AssetProgress, type ProgressFigures } from './asset-progress.js';
import type { Output } from './output.js';

// Only live bars on a terminal need it: `--json`, `--events` and piped runs do not load it.
const cliProgress = lazyPackage<typeof CliProgress>('cli-progress');

/**
 * Shows a run as it goes: on a terminal, a live bar per running asset (rows done / total, rate,
 * ETA, requests in flight, retries, spend so far) drawn by cli-progress; otherwise one line per
 * finished asset. Live bars go to stderr, so that stdout stays clean for `--json`.
 */
export class ProgressView {
  private readonly progress = new AssetProgress();
  private readonly bars = new Map<string, SingleBar>();
  private multibar?: MultiBar;

  constructor(
    private readonly output: Output,
    private readonly lines: boolean,
  ) {
    if (this.live) {
      this.multibar = new (cliProgress().MultiBar)({
        stream: process.stderr,
        format: (_options, params, payload: { text?: string }) => `  … ${payload.text ?? ''} ${bar(params.progress, 20)}`,
        hideCursor: true,
        clearOnComplete: true,
        fps: 10,
      });
    }
  }

  private get live(): boolean {
    return this.output.tty && !!process.stderr.isTTY && !this.output.json;
  }

  handle(e: EngineEvent): void {
    const c = this.output.color;
    switch (e.type) {
      case 'lock-wait':
        this.print(c.yellow(`waiting for the project lock: ${e.message}`));
        break;
      case 'asset-started':
        this.progress.start(e.asset);
        this.bars.set(e.asset, this.multibar?.create(1, 0, { text: `${e.asset} starting` }) as SingleBar);
        break;
      case 'asset-progress': {
        const f = this.progress.update(e.asset, e.done, e.total, e.detail);
        const b = this.bars.get(e.asset);
        if (b) {
          b.setTotal(Math.max(1, e.total));
          b.update(e.done, { text: describe(f) });
        }
        break;
      }
      case 'asset-retry':
        this.print(c.yellow(`  ↻ ${e.asset}: attempt ${e.attempt} failed (${e.error}); retrying`));
        break;
      case 'asset-warning':
        this.print(c.yellow(`  ! ${e.asset}: ${e.message}`));
        break;
      case 'asset-finished': {
        this.progress.finish(e.outcome.asset);
        if (this.lines) {
          // On a terminal the line goes above the bars (cli-progress prints its log on the next redraw,
          // which removing the bar forces), else to stdout as before.
          if (this.multibar) this.multibar.log(this.line(e.outcome) + '\n');
          else this.output.out(this.line(e.outcome));
        }
        const b = this.bars.get(e.outcome.asset);
        if (b) this.multibar?.remove(b);
        else this.multibar?.update();
        this.bars.delete(e.outcome.asset);
        break;
      }
      default:
        break;
    }
  }

  private line(o: AssetOutcome): string {
    const c = this.output.color;
    const mark = { materialized: c.green('✓'), cached: c.cyan('≡'), fresh: c.green('·'), failed: c.red('✗'), blocked: c.red('⊘'), skipped: c.dim('-') }[o.outcome];
    const colour = { materialized: c.green, cached: c.cyan, fresh: c.dim, failed: c.red, blocked: c.red, skipped: c.dim }[o.outcome];
    const parts = [`${mark} ${o.asset}`, colour(o.outcome)];
    if (o.rows !== null) parts.push(`${o.rows} rows`);
    if (o.outcome === 'materialized') parts.push(`${(o.duration_ms / 1000).toFixed(2)}s`);
    if (o.data_hash && o.outcome !== 'fresh') parts.push(c.dim(shortHash(o.data_hash)));
    if (o.reasons.length && o.outcome !== 'fresh') parts.push(c.dim(`(${o.reasons.join(', ')})`));
    if (o.error) parts.push(c.red(`: ${o.error}`));
    return parts.join('  ');
  }

  private print(text: string): void {
    if (this.multibar) this.multibar.log(text + '\n');
    else process.stderr.write(text + '\n');
  }

  summary(result: MaterializeResult): void {
    const c = this.output.color;
    const count = (o: string) => result.assets.filter((a) => a.outcome === o).length;
    const parts = ['materialized', 'cached', 'fresh', 'failed', 'blocked', 'skipped'].filter((o) => count(o) > 0).map((o) => `${count(o)} ${o}`);
    const warnings = result.assets.reduce((n, a) => n + a.warnings.length, 0);
    if (warnings) parts.push(`${warnings} warning${warnings > 1 ? 's' : ''}`);
    this.output.out(`${result.ok ? c.green('ok') : c.red('failed')}: ${parts.join(', ') || 'nothing selected'} (run ${result.run_id})`);
  }

  close(): void {
    // A last redraw flushes lines logged since the previous one.
    this.multibar?.update();
    this.multibar?.stop();
    this.multibar = undefined;
  }
}

/** `penguins_synth 120/344 rows · 35/s · ETA 6s · 4 in flight · 1 retry · $0.0123` */
function describe(f: ProgressFigures): string {
  const parts = [`${f.asset} ${f.done}/${f.total} rows`];
  if (f.rate !== null) parts.push(`${f.rate >= 10 ? Math.round(f.rate) : f.rate.toFixed(1)}/s`);
  if (f.eta_s !== null && f.done < f.total) parts.push(`ETA ${duration(f.eta_s)}`);
  if (f.requests_in_flight !== null) parts.push(`${f.requests_in_flight} in flight`);
  if (f.retries) parts.push(`${f.retries} retr${f.retries === 1 ? 'y' : 'ies'}`);
  if (f.cost_usd !== null) parts.push(`$${f.cost_usd.toFixed(4)}`);
  return parts.join(' · ');
}

function duration(s: number): string {
  return s < 90 ? `${s}s` : s < 5400 ? `${Math.round(s / 60)}m` : `${(s / 3600).toFixed(1)}h`;
}

/** A bar of `width` cells for a fraction in [0, 1]. */
function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}
