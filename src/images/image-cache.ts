import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256, writeFileAtomicAsync } from '../engine/index.js';
import { imageSize, sniffFormat } from './png-codec.js';

/** What the server answered to one image request (no key, no headers). */
export interface ImageCacheEntry {
  v: 1;
  key: string;
  /** What was asked: enough to tell what the image is, never the key. */
  request: { base_url: string; model: string; size: string; quality: string | null; style: string | null; background: string | null; prompt: string };
  /** `image`: bytes stored beside the entry; `refused`: the safety system declined the prompt (HTTP 400 content_policy_violation). */
  outcome: 'image' | 'refused';
  /** sha256 of the bytes file (images only). */
  sha256?: string;
  bytes?: number;
  /** Size and format read from the bytes when they arrived, so a re-run need not read them (absent in entries written before). */
  width?: number | null;
  height?: number | null;
  format?: string;
  /** How the bytes came: in the response (`b64_json`) or downloaded from its URL (`url`). */
  via?: 'b64_json' | 'url';
  /** The prompt the service actually drew from (dall-e-3 rewrites prompts), when it says. */
  revised_prompt?: string | null;
  /** The model the response names, when it names one. */
  model_served?: string | null;
  /** The server's refusal message. */
  refusal?: string;
  received_at: string;
}

/**
 * Per-request image cache under `<stateDir>/image-cache/<aa>/<key>.{bin,json}`. The bytes are
 * written first, then the entry naming their sha256, each through a temp file and a rename: a
 * run killed at any point leaves either nothing or a whole, verifiable image, so a re-run never
 * pays twice for an image that arrived. Bytes live here (not only in the object store) so that
 * `synth gc` cannot remove an image paid for by a run that was killed before recording it.
 */
export class ImageCache {
  readonly dir: string;
  private readonly madeDirs = new Set<string>();

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'image-cache');
  }

  private pathOf(key: string, ext: 'json' | 'bin'): string {
    return join(this.dir, key.slice(0, 2), `${key}.${ext}`);
  }

  /** The entry alone (its bytes not read), or null when missing, unreadable or not this key's. */
  readEntry(key: string): ImageCacheEntry | null {
    let entry: ImageCacheEntry;
    try {
      entry = JSON.parse(readFileSync(this.pathOf(key, 'json'), 'utf8')) as ImageCacheEntry;
    } catch {
      return null;
    }
    return entry && entry.v === 1 && entry.key === key ? entry : null;
  }

  /** An image entry's bytes, or null when missing or not matching the sha256 the entry names (a damaged file counts as never written). */
  readBytes(entry: ImageCacheEntry): Buffer | null {
    try {
      const bytes = readFileSync(this.pathOf(entry.key, 'bin'));
      return sha256(bytes) === entry.sha256 ? bytes : null;
    } catch {
      return null;
    }
  }

  /** The entry and its bytes (verified), or null when missing, unreadable or not matching its hash. */
  read(key: string): { entry: ImageCacheEntry; bytes: Buffer | null } | null {
    const entry = this.readEntry(key);
    if (!entry) return null;
    if (entry.outcome === 'refused') return { entry, bytes: null };
    const bytes = this.readBytes(entry);
    return bytes ? { entry, bytes } : null;
  }

  /**
   * Whether a whole entry is there, for estimates: the entry, and bytes of the size it names (one
   * `stat`, not a read and a hash; a damaged image of the right size is caught when the run reads it).
   */
  has(key: string): boolean {
    const entry = this.readEntry(key);
    if (!entry) return false;
    if (entry.outcome === 'refused') return true;
    try {
      return statSync(this.pathOf(key, 'bin')).size === entry.bytes;
    } catch {
      return false;
    }
  }

  /** Stores an image: bytes, then the entry. */
  async writeImage(entry: Omit<ImageCacheEntry, 'sha256' | 'bytes' | 'outcome' | 'width' | 'height' | 'format'>, bytes: Uint8Array): Promise<ImageCacheEntry> {
    const dims = imageSize(bytes);
    const full: ImageCacheEntry = {
      ...entry,
      outcome: 'image',
      sha256: sha256(bytes),
      bytes: bytes.length,
      width: dims?.width ?? null,
      height: dims?.height ?? null,
      format: sniffFormat(bytes),
    };
    await this.write(full.key, 'bin', bytes);
    await this.write(full.key, 'json', JSON.stringify(full));
    return full;
  }

  /** Records a refusal, so a re-run does not ask again (delete the entry to retry it). */
  async writeRefusal(entry: Omit<ImageCacheEntry, 'outcome'>): Promise<ImageCacheEntry> {
    const full: ImageCacheEntry = { ...entry, outcome: 'refused' };
    await this.write(full.key, 'json', JSON.stringify(full));
    return full;
  }

  private async write(key: string, ext: 'json' | 'bin', data: string | Uint8Array): Promise<void> {
    const sub = join(this.dir, key.slice(0, 2));
    await writeFileAtomicAsync(this.pathOf(key, ext), data, { madeDir: this.madeDirs.has(sub) });
    this.madeDirs.add(sub);
  }
}
