import { decodePng, sniffFormat, type Bitmap } from './png-codec.js';

/**
 * Decodes PNG, JPEG or WebP bytes to 8-bit RGB(A) pixels, or throws with the decoder's reason.
 * PNG goes through fast-png (plain JavaScript, the same pixels everywhere); JPEG and WebP through
 * sharp (libvips, prebuilt binaries installed from npm), loaded only when such an image is met.
 * sharp is told to fail on warnings, so a truncated JPEG or WebP is an error, not grey pixels.
 */
export async function decodeImage(bytes: Uint8Array): Promise<Bitmap> {
  const format = sniffFormat(bytes);
  if (format === 'png') return decodePng(bytes);
  if (format !== 'jpeg' && format !== 'webp') throw new Error(`not a PNG, JPEG or WebP image (${format})`);
  const { default: sharp } = await import('sharp');
  // Greyscale and CMYK JPEGs come out as sRGB, so every bitmap has 3 or 4 channels.
  const { data, info } = await sharp(bytes, { failOn: 'warning' }).toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 && info.channels !== 4) throw new Error(`decoded to ${info.channels} channels`);
  return { width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
