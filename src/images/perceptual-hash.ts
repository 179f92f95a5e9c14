import type { Bitmap } from './png-codec.js';

/** Side of the grey thumbnail a difference hash compares: 8 gives a 64-bit hash. */
export const DHASH_SIDE = 8;

/**
 * Difference hash (dHash): the image shrunk to a (side+1)×side grey thumbnail by box averaging,
 * one bit per horizontal neighbour pair (left brighter than right). Resizing, re-encoding and small
 * colour shifts keep most bits; different pictures differ in about half. Returned as hex.
 */
export function differenceHash(bitmap: Bitmap, side: number = DHASH_SIDE): string {
  const grey = thumbnail(bitmap, side + 1, side);
  let bits = '';
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) bits += grey[y * (side + 1) + x] > grey[y * (side + 1) + x + 1] ? '1' : '0';
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}

/** Bits that differ between two hashes of the same length. */
export function hammingDistance(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = parseInt(a[i], 16) ^ parseInt(b[i], 16);
    while (x) {
      d += x & 1;
      x >>= 1;
    }
  }
  return d;
}

/** Box-averaged luma thumbnail (BT.601 weights; alpha composited on white). */
function thumbnail(bitmap: Bitmap, w: number, h: number): Float64Array {
  const { width, height, channels, data } = bitmap;
  const out = new Float64Array(w * h);
  for (let ty = 0; ty < h; ty++) {
    const y0 = Math.floor((ty * height) / h);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * height) / h));
    for (let tx = 0; tx < w; tx++) {
      const x0 = Math.floor((tx * width) / w);
      const x1 = Math.max(x0 + 1, Math.floor(((tx + 1) * width) / w));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) sum += luma(data, (y * width + x) * channels, channels);
      }
      out[ty * w + tx] = sum / ((y1 - y0) * (x1 - x0));
    }
  }
  return out;
}

function luma(data: Uint8Array, p: number, channels: number): number {
  const l = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  if (channels !== 4) return l;
  const a = data[p + 3] / 255;
  return l * a + 255 * (1 - a);
}

/** Variance of luma over every pixel: near 0 for a blank (single-colour) image. */
export function lumaVariance(bitmap: Bitmap): number {
  const { width, height, channels, data } = bitmap;
  const n = width * height;
  if (n === 0) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let p = 0; p < n * channels; p += channels) {
    const l = luma(data, p, channels);
    sum += l;
    sumSq += l * l;
  }
  const mean = sum / n;
  return Math.max(0, sumSq / n - mean * mean);
}

/**
 * Share of pixels in each of `bins` hue bins (pixels with little saturation fall in one extra
 * "grey" bin at the end): a small colour feature for models that use images.
 */
export function hueHistogram(bitmap: Bitmap, bins = 12): number[] {
  const { width, height, channels, data } = bitmap;
  const counts = new Array<number>(bins + 1).fill(0);
  const n = width * height;
  for (let p = 0; p < n * channels; p += channels) {
    const r = data[p] / 255;
    const g = data[p + 1] / 255;
    const b = data[p + 2] / 255;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    const delta = max - min;
    if (delta < 0.15) {
      counts[bins]++;
      continue;
    }
    let hue: number;
    if (max === r) hue = ((g - b) / delta + 6) % 6;
    else if (max === g) hue = (b - r) / delta + 2;
    else hue = (r - g) / delta + 4;
    counts[Math.min(bins - 1, Math.floor((hue / 6) * bins))]++;
  }
  return counts.map((c) => (n === 0 ? 0 : c / n));
}
