import { type AssetOutcome, type EngineEvent, type MaterializeResult, shortHash } from '../engine/index.js';
import type { Output } from './output.js';

/**
 * Shows a run as it goes: on a terminal, a live line per running asset (rows done / total),
 * redrawn in place; otherwise one line per finished asset. Everything goes to stderr, so that
 * stdout stays clean for `--json`.
 */
export class ProgressView {
  private readonly running = new Map<string, string>();
  private drawn = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly output: Output,
    private readonly lines: boolean,
  ) {
    if (this.live) this.timer = setInterval(() => this.redraw(), 100);
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
        this.running.set(e.asset, 'starting');
        break;
      case 'asset-progress': {
        const extra = e.detail ? ' ' + Object.entries(e.detail).map(([k, v]) => `${k}=${v}`).join(' ') : '';
        this.running.set(e.asset, `${e.done}/${e.total}${extra}`);
        break;
      }
      case 'asset-retry':
        this.print(c.yellow(`  ↻ ${e.asset}: attempt ${e.attempt} failed (${e.error}); retrying`));
        break;
      case 'asset-warning':
        this.print(c.yellow(`  ! ${e.asset}: ${e.message}`));
        break;
      case 'asset-finished':
        this.running.delete(e.outcome.asset);
        if (this.lines) {
          this.clear();
          this.output.out(this.line(e.outcome));
        }
        break;
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

  private clear(): void {
    if (!this.live || this.drawn === 0) return;
    process.stderr.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }

  private redraw(): void {
    if (!this.live) return;
    this.clear();
    const c = this.output.color;
    const lines = [...this.running].map(([asset, p]) => c.dim(`  … ${asset} ${p}`));
    if (lines.length) process.stderr.write(lines.join('\n') + '\n');
    this.drawn = lines.length;
  }

  private print(text: string): void {
    this.clear();
    process.stderr.write(text + '\n');
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
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }
}
