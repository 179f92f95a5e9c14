import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../engine/atomic-write.js';

/** What is stored per request: the server's raw answer and a summary of what was asked (no key, no headers). */
export interface LlmCacheEntry {
  v: 1;
  key: string;
  request: { base_url: string; model: string; seed: number; batch: number; round: number; rows: number };
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

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'llm-cache');
  }

  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  has(key: string): boolean {
    return existsSync(this.pathOf(key));
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

  /** Writes through a temp file and a rename (the engine's atomic write): readers never see half an entry. */
  write(entry: LlmCacheEntry): void {
    writeFileAtomic(this.pathOf(entry.key), JSON.stringify(entry));
  }
}
