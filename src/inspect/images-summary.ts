import path from 'node:path';
import { type Materialization, type ObjectStore, decodeValue } from '../engine/index.js';
import { ImageStatus, isImageManifest, type ImageManifestRow } from '../images/image-manifest.js';

/** A value and how many images have it, most frequent first. */
export interface Tally {
  value: string;
  count: number;
}

/** What `synth show` says of an images asset's latest manifest. */
export interface ImagesSummary {
  /** Manifest rows: images and refusals. */
  rows: number;
  images: number;
  refused: number;
  /** Real sizes (`WIDTHxHEIGHT` read from the bytes), formats and models that served the images. */
  sizes: Tally[];
  formats: Tally[];
  models: Tally[];
  /** Sum of the images' bytes. */
  total_bytes: number;
  /** The first refusals: row key, prompt and the server's message. */
  refusals: Array<{ row_key: string | null; prompt: string; reason: string }>;
  /** The first images: id, row key and the file's path from the project folder. */
  paths: Array<{ id: string; row_key: string | null; path: string }>;
}

function tally(values: Iterable<string>): Tally[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

/**
 * Counts, sizes, formats, models, bytes, the first refusals and the first paths of an images
 * asset's latest manifest; null when it is not an images manifest or not in the store.
 * @param stateDir The state folder (`.synth/`) the manifest's paths are relative to.
 * @param root The project folder, paths are shown from (e.g. `.synth/objects/ab/cd…`).
 * @param shown How many refusals and paths to list. Default 5.
 */
export function imagesSummary(store: ObjectStore, latest: Materialization | null, where: { stateDir: string; root: string }, shown = 5): ImagesSummary | null {
  if (latest?.kind !== 'images' || latest.format !== 'jsonl' || !latest.data_hash || !store.has(latest.data_hash)) return null;
  const manifest = decodeValue(store.getText(latest.data_hash), 'jsonl');
  if (!isImageManifest(manifest)) return null;
  const ok: ImageManifestRow[] = [];
  const refused: ImageManifestRow[] = [];
  for (const m of manifest) (m.status === ImageStatus.ok ? ok : refused).push(m);
  const base = path.relative(where.root, where.stateDir) || '.';
  return {
    rows: manifest.length,
    images: ok.length,
    refused: refused.length,
    sizes: tally(ok.map((m) => (m.width !== null && m.height !== null ? `${m.width}x${m.height}` : 'unknown'))),
    formats: tally(ok.map((m) => m.format ?? 'unknown')),
    models: tally(ok.map((m) => m.model)),
    total_bytes: ok.reduce((n, m) => n + (m.bytes ?? 0), 0),
    refusals: refused.slice(0, shown).map((m) => ({ row_key: m.row_key, prompt: m.prompt, reason: m.refusal ?? 'content_policy_violation' })),
    paths: ok.slice(0, shown).map((m) => ({ id: m.id, row_key: m.row_key, path: path.join(base, m.path!) })),
  };
}
