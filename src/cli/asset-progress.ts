/** Where one running asset stands, with the figures a person or a tool following a run wants. */
export interface ProgressFigures {
  asset: string;
  /** Rows (or images) done and wanted. */
  done: number;
  total: number;
  /** Done per second since the asset started; null before anything is done. */
  rate: number | null;
  /** Seconds left at that rate; null when unknown. */
  eta_s: number | null;
  /** Generator details when it reports them (LLM generators: requests in flight, retries, spend so far). */
  requests_in_flight: number | null;
  retries: number | null;
  cost_usd: number | null;
}

/**
 * Progress of the running assets of a run: rate since each asset started and the ETA it implies.
 * Shared by the terminal bars and the `--events` stream so both say the same.
 */
export class AssetProgress {
  private readonly started = new Map<string, number>();
  private readonly figures = new Map<string, ProgressFigures>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  start(asset: string): void {
    this.started.set(asset, this.now());
  }

  update(asset: string, done: number, total: number, detail: Record<string, number> = {}): ProgressFigures {
    if (!this.started.has(asset)) this.start(asset);
    const seconds = (this.now() - this.started.get(asset)!) / 1000;
    const rate = done > 0 && seconds > 0 ? done / seconds : null;
    const pick = (k: string) => (typeof detail[k] === 'number' && Number.isFinite(detail[k]) ? detail[k] : null);
    const f: ProgressFigures = {
      asset,
      done,
      total,
      rate: rate === null ? null : Number(rate.toPrecision(4)),
      eta_s: rate === null ? null : Math.max(0, Math.round((total - done) / rate)),
      requests_in_flight: pick('requests_in_flight'),
      retries: pick('retries'),
      cost_usd: pick('cost_usd'),
    };
    this.figures.set(asset, f);
    return f;
  }

  finish(asset: string): void {
    this.started.delete(asset);
    this.figures.delete(asset);
  }

  running(): ProgressFigures[] {
    return [...this.figures.values()];
  }
}
