import type { Row } from '../engine/index.js';
import { ImageStatus, type ImageManifestRow } from './image-manifest.js';
import { hueHistogram } from './perceptual-hash.js';
import { decodePng } from './png-codec.js';

/** Hue bins of the colour feature (plus one for greys). */
export const HUE_BINS = 12;

/**
 * Joins each upstream row with a colour feature of its first image: the share of pixels in each
 * of 12 hue bins (`hue_0` … `hue_11`) and of grey pixels (`hue_grey`), added to the row's own
 * fields. Rows whose image was refused, or is not a PNG, are left out. `readObject` reads an image
 * by its sha256 (a model's `ctx.readObject`).
 * @example train: ({ products, images }, ctx) => trainClassifier(imageFeatureRows(products, images, ctx.readObject), { target: 'category', features: ['price', ...HUE_FEATURES] })
 */
export function imageFeatureRows<R extends Row>(rows: readonly R[], manifest: readonly ImageManifestRow[], readObject: (hash: string) => Uint8Array): Array<R & Record<string, number>> {
  const firstImage = new Map<number, ImageManifestRow>();
  for (const m of manifest) if (m.status === ImageStatus.ok && m.row !== null && m.format === 'png' && !firstImage.has(m.row)) firstImage.set(m.row, m);
  const out: Array<R & Record<string, number>> = [];
  rows.forEach((row, position) => {
    const image = firstImage.get(position);
    if (!image) return;
    const histogram = hueHistogram(decodePng(readObject(image.sha256!)), HUE_BINS);
    const features: Record<string, number> = {};
    histogram.forEach((share, i) => (features[i < HUE_BINS ? `hue_${i}` : 'hue_grey'] = Math.round(share * 1e4) / 1e4));
    out.push({ ...row, ...features });
  });
  return out;
}

/** Names of the colour features {@link imageFeatureRows} adds. */
export const HUE_FEATURES: readonly string[] = [...Array.from({ length: HUE_BINS }, (_, i) => `hue_${i}`), 'hue_grey'];
