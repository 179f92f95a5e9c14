import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicAsync } from '../../engine/index.js';

/** What is stored per request: the server's raw answer and a summary of what was asked (no key, no headers). */
export interface LlmCacheEntry {
  v: 1;
  key: string;
  request: { base_url: string; model: string; seed: number; batch: number; round: number; part: number; rows: number };
  /** The chat completion as the server sent it (JSON). */
  response: unknown;
  received_at: string;
}

/**
 * Per-request response cache under `<stateDir>/llm-cache/<aa>/<hash>.json`. Each response is
 * written as soon as it arrives, through a temp file and a rename, so a killed run leaves
 * only whole entries and the next run re-sends only what has none.
 */
export class LlmCache {
  readonly dir: string;
  private readonly madeDirs = new Set<string>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'llm-cache');
  }

  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /**
   * The entry, or null when missing or unreadable (a damaged entry is treated as never written).
   * Synchronous on purpose: entries are small, and one sync read costs a fraction of the four
   * thread-pool round trips of `fs.promises.readFile` (a 5,000-entry re-run: ~0.1 s against ~0.6 s).
   */
  read(key: string): LlmCacheEntry | null {
    let text: string;
    try {
      text = readFileSync(this.pathOf(key), 'utf8');
    } catch {
      return null;
    }
    try {
      const entry = JSON.parse(text) as LlmCacheEntry;
      return entry && entry.v === 1 && entry.key === key ? entry : null;
    } catch {
      return null;
    }
  }

  /**
   * Writes through a temp file and a rename, so readers never see half an entry: the engine's
   * `writeFileAtomicAsync` (asynchronous: a sync write costs ~1 ms of blocked event loop per
   * response here, which showed as the largest cost of a 5,000-request run).
   */
  async write(entry: LlmCacheEntry): Promise<void> {
    const sub = join(this.dir, entry.key.slice(0, 2));
    // One mkdir per shard folder per run, not one per entry.
    await writeFileAtomicAsync(this.pathOf(entry.key), JSON.stringify(entry), { madeDir: this.madeDirs.has(sub) });
    this.madeDirs.add(sub);
  }
}
