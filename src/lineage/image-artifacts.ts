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

/** Characters of the first revised prompt quoted in the run's summary tag (MLflow tags hold 8,000; the whole list is an artifact). */
const QUOTED_CHARS = 300;

/** What an images run gets: its artifacts, and a one-line summary of the revised prompts for a tag (null when none was revised). */
export interface ImageRunExtras {
  artifacts: ImageArtifact[];
  revisedSummary: string | null;
}

/**
 * What an images materialization uploads to its MLflow run: a contact sheet of the first images
 * (`images/contact_sheet.png`), the first 16 images themselves, and every prompt with the prompt
 * the service drew from (`images/prompts.jsonl`: id, row key, prompt, revised prompt, model, status),
 * and, when the service rewrote prompts (dall-e-3 does), each distinct revised prompt once with how
 * many images it drew (`images/revised_prompts.jsonl`), summarised in a tag: revised prompts are as
 * many as the images and each can be long, too much for MLflow params (6,000 characters) or tags.
 * Null when the manifest is no longer in the local store.
 */
export async function imageArtifactsOf(dataHash: string, store: ObjectStore): Promise<ImageRunExtras | null> {
  let manifest: ImageManifestRow[];
  try {
    manifest = decodeJsonl(store.getText(dataHash)) as unknown as ImageManifestRow[];
  } catch {
    return null;
  }
  const read = (hash: string) => store.get(hash);
  const { contactSheet } = await import('../images/contact-sheet.js');
  const out: ImageArtifact[] = [];
  const sheet = await contactSheet(manifest, read);
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
  const revised = new Map<string, { revised_prompt: string; images: number; ids: string[]; prompt: string }>();
  for (const m of manifest) {
    if (!m.revised_prompt) continue;
    const seen = revised.get(m.revised_prompt);
    if (seen) {
      seen.images++;
      if (seen.ids.length < 10) seen.ids.push(m.id);
    } else revised.set(m.revised_prompt, { revised_prompt: m.revised_prompt, images: 1, ids: [m.id], prompt: m.prompt });
  }
  if (!revised.size) return { artifacts: out, revisedSummary: null };
  const lines = [...revised.values()].map((r) => JSON.stringify(r)).join('\n');
  out.push({ path: 'images/revised_prompts.jsonl', bytes: `${lines}\n`, contentType: 'application/x-ndjson' });
  const count = [...revised.values()].reduce((n, r) => n + r.images, 0);
  const first = revised.keys().next().value!;
  const quoted = first.length > QUOTED_CHARS ? `${first.slice(0, QUOTED_CHARS - 1)}…` : first;
  const revisedSummary = `${count} of ${manifest.length} prompts revised by the service, ${revised.size} distinct (images/revised_prompts.jsonl); first: "${quoted}"`;
  return { artifacts: out, revisedSummary };
}
