import type * as FastPng from 'fast-png';
import { lazyPackage } from '../engine/index.js';

// Loaded when an image is encoded or decoded: the images kind is registered by every command.
const fastPng = lazyPackage<typeof FastPng>('fast-png');

/** An 8-bit RGB or RGBA bitmap, rows top to bottom. */
export interface Bitmap {
  width: number;
  height: number;
  /** 3 (RGB) or 4 (RGBA). */
  channels: 3 | 4;
  data: Uint8Array;
}

/**
 * Encodes a bitmap as PNG. fast-png deflates with fflate, which is plain JavaScript: the same
 * pixels give the same bytes on every machine and Node version (Node's own zlib may change its
 * output between releases, so it is not used for images whose hash is stored).
 */
export function encodePng(bitmap: Bitmap): Uint8Array {
  return fastPng().encode({ width: bitmap.width, height: bitmap.height, channels: bitmap.channels, depth: 8, data: bitmap.data });
}

/** PNG files begin with these eight bytes. */
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Image formats recognised by their first bytes. */
export const ImageFormat = { png: 'png', jpeg: 'jpeg', webp: 'webp', unknown: 'unknown' } as const;
export type ImageFormat = (typeof ImageFormat)[keyof typeof ImageFormat];

/** The format of image bytes, from their signature. */
export function sniffFormat(bytes: Uint8Array): ImageFormat {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  return 'unknown';
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** Width and height from an image's header (PNG IHDR, WebP VP8/VP8L/VP8X, JPEG SOFn), or null. */
export function imageSize(bytes: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = sniffFormat(bytes);
  if (format === 'png' && bytes.length >= 24) return { width: view.getUint32(16), height: view.getUint32(20) };
  if (format === 'webp' && bytes.length >= 30) {
    const chunk = ascii(bytes, 12, 16);
    if (chunk === 'VP8X') return { width: 1 + (bytes[24] | (bytes[25] << 8) | (bytes[26] << 16)), height: 1 + (bytes[27] | (bytes[28] << 8) | (bytes[29] << 16)) };
    if (chunk === 'VP8L') {
      const b = view.getUint32(21, true);
      return { width: (b & 0x3fff) + 1, height: ((b >> 14) & 0x3fff) + 1 };
    }
    if (chunk === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff };
  }
  if (format === 'jpeg') {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1];
      const length = view.getUint16(i + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
      }
      i += 2 + length;
    }
  }
  return null;
}

/**
 * Decodes a PNG to 8-bit RGB(A) pixels (palette and 16-bit images converted), or throws with
 * fast-png's reason. Only PNG is decoded: other formats are checked by header only.
 */
export function decodePng(bytes: Uint8Array): Bitmap {
  const image = fastPng().decode(bytes);
  let data: Uint8Array;
  let channels = image.channels;
  if (image.palette) {
    data = fastPng().convertIndexedToRgb(image);
    channels = image.palette[0]?.length === 4 ? 4 : 3;
  } else if (image.depth === 16) {
    const src = image.data as Uint16Array;
    data = new Uint8Array(src.length);
    for (let i = 0; i < src.length; i++) data[i] = src[i] >> 8;
  } else if (image.depth === 8) {
    data = image.data as Uint8Array;
  } else {
    throw new Error(`unsupported PNG bit depth ${image.depth}`);
  }
  // Grey (1 channel) and grey+alpha (2) are widened to RGB(A), so checks see one layout.
  if (channels === 1 || channels === 2) {
    const out = new Uint8Array(image.width * image.height * (channels + 2));
    for (let p = 0, q = 0; p < data.length; p += channels) {
      out[q++] = data[p];
      out[q++] = data[p];
      out[q++] = data[p];
      if (channels === 2) out[q++] = data[p + 1];
    }
    return { width: image.width, height: image.height, channels: channels === 2 ? 4 : 3, data: out };
  }
  return { width: image.width, height: image.height, channels: channels as 3 | 4, data };
}
