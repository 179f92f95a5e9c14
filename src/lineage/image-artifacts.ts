import { decodeJsonl, type ObjectStore } from '../engine/index.js';
import type { ImageManifestRow } from '../images/image-manifest.js';

/** Images uploaded one by one with a run (the contact sheet shows more). */
const IMAGES_UPLOADED = 16;

/** One artifact of an images run: its path below the run's artifacts, bytes and content type. */
export interface ImageArtifact {
  path: string;
  bytes: Uint8Array | string;
  contentType: string;
}

/**
 * What an images materialization uploads to its MLflow run: a contact sheet of the first images
 * (`images/contact_sheet.png`), the first 16 images themselves, and every prompt with the prompt
 * the service drew from (`images/prompts.jsonl`: id, row key, prompt, revised prompt, model, status).
 * Null when the manifest is no longer in the local store.
 */
export async function imageArtifactsOf(dataHash: string, store: ObjectStore): Promise<ImageArtifact[] | null> {
  let manifest: ImageManifestRow[];
  try {
    manifest = decodeJsonl(store.getText(dataHash)) as unknown as ImageManifestRow[];
  } catch {
    return null;
  }
  const read = (hash: string) => store.get(hash);
  const { contactSheet } = await import('../images/contact-sheet.js');
  const out: ImageArtifact[] = [];
  const sheet = contactSheet(manifest, read);
  if (sheet) out.push({ path: 'images/contact_sheet.png', bytes: sheet, contentType: 'image/png' });
  for (const m of manifest.filter((r) => r.status === 'ok' && r.sha256).slice(0, IMAGES_UPLOADED)) {
    try {
      out.push({ path: `images/${m.id}.${m.format === 'jpeg' ? 'jpg' : (m.format ?? 'bin')}`, bytes: read(m.sha256!), contentType: `image/${m.format ?? 'png'}` });
    } catch {
      // a collected image is left out; the sheet and the prompts still go
    }
  }
  const prompts = manifest.map((m) => JSON.stringify({ id: m.id, row_key: m.row_key, prompt: m.prompt, revised_prompt: m.revised_prompt, model: m.model, status: m.status })).join('\n');
  out.push({ path: 'images/prompts.jsonl', bytes: prompts ? `${prompts}\n` : '', contentType: 'application/x-ndjson' });
  return out;
}
