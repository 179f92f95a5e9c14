import { ImageStatus, type ImageManifestRow } from './image-manifest.js';
import { decodeImage } from './image-decode.js';
import { encodePng, type Bitmap } from './png-codec.js';

/** Layout of a contact sheet. */
export interface ContactSheetOptions {
  /** Thumbnails per row. Default: `8`. */
  columns?: number;
  /** Side of each square thumbnail, in pixels. Default: `96`. */
  thumb?: number;
  /** Most images shown (the first ones of the manifest). Default: `64`. */
  max?: number;
}

const GAP = 4;
const BACKGROUND = 255;

/**
 * One PNG showing the first images of a manifest as a grid of thumbnails (nearest-neighbour
 * scaled, letterboxed on white): what lineage attaches to a run so an image asset can be judged
 * at a glance. Non-PNG images and refusals are skipped. Null when there is nothing to show.
 */
export async function contactSheet(manifest: readonly ImageManifestRow[], readObject: (hash: string) => Uint8Array, options: ContactSheetOptions = {}): Promise<Uint8Array | null> {
  const columns = options.columns ?? 8;
  const thumb = options.thumb ?? 96;
  const shown: Bitmap[] = [];
  for (const m of manifest) {
    if (shown.length >= (options.max ?? 64)) break;
    if (m.status !== ImageStatus.ok || !m.sha256) continue;
    try {
      shown.push(await decodeImage(readObject(m.sha256)));
    } catch {
      // an unreadable image is the checks' business; the sheet shows the others
    }
  }
  if (shown.length === 0) return null;
  const cols = Math.min(columns, shown.length);
  const rows = Math.ceil(shown.length / cols);
  const width = cols * thumb + (cols + 1) * GAP;
  const height = rows * thumb + (rows + 1) * GAP;
  const data = new Uint8Array(width * height * 3).fill(BACKGROUND);
  shown.forEach((image, i) => {
    const scale = Math.min(thumb / image.width, thumb / image.height);
    const w = Math.max(1, Math.floor(image.width * scale));
    const h = Math.max(1, Math.floor(image.height * scale));
    const left = GAP + (i % cols) * (thumb + GAP) + Math.floor((thumb - w) / 2);
    const top = GAP + Math.floor(i / cols) * (thumb + GAP) + Math.floor((thumb - h) / 2);
    for (let y = 0; y < h; y++) {
      const sy = Math.min(image.height - 1, Math.floor(y / scale));
      for (let x = 0; x < w; x++) {
        const sx = Math.min(image.width - 1, Math.floor(x / scale));
        const s = (sy * image.width + sx) * image.channels;
        const d = ((top + y) * width + left + x) * 3;
        const alpha = image.channels === 4 ? image.data[s + 3] / 255 : 1;
        for (let c = 0; c < 3; c++) data[d + c] = Math.round(image.data[s + c] * alpha + BACKGROUND * (1 - alpha));
      }
    }
  });
  return encodePng({ width, height, channels: 3, data });
}
