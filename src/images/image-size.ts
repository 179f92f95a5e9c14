import { UsageError } from '../engine/index.js';

/** Largest side the offline painter draws (a bigger one is a typo, and would take seconds per image). */
export const MAX_LOCAL_SIDE = 4096;

/** Default size of offline images: small, since they are drawn on the CPU in JavaScript. */
export const DEFAULT_LOCAL_SIZE = '256x256';
/** Default size of OpenAI images (every image model accepts it). */
export const DEFAULT_OPENAI_SIZE = '1024x1024';

/** `WIDTHxHEIGHT` to numbers; null for `auto`. @throws UsageError for anything else. */
export function parseImageSize(size: string, asset: string): { width: number; height: number } | null {
  if (size === 'auto') return null;
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  const width = match ? Number(match[1]) : 0;
  const height = match ? Number(match[2]) : 0;
  if (!match || width < 1 || height < 1) {
    throw new UsageError({
      what: `Images asset '${asset}' has an invalid size '${size}'`,
      why: "A size is WIDTHxHEIGHT in pixels (or 'auto' for gpt-image-1).",
      fix: "Use e.g. size: '1024x1024' (dall-e-3 also takes '1792x1024' and '1024x1792'; gpt-image-1 '1536x1024', '1024x1536').",
      asset,
    });
  }
  return { width, height };
}
