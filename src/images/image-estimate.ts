import { resolveEndpoint } from '../generators/openai/server-endpoint.js';
import { DEFAULT_IMAGE_MODEL, type ImageGeneratorConfig } from './image-generator-config.js';
import { ImageCache } from './image-cache.js';
import type { ImageJob } from './image-job.js';
import { imagePriceOf } from './image-prices.js';

// Kept apart from openai-images.ts, which imports the openai SDK: keys and estimates never load it.

/** The server every image request of an asset goes to (part of each request key: another server draws other pictures). */
export function imageServerOf(config: ImageGeneratorConfig, asset: string, env: NodeJS.ProcessEnv = process.env): string {
  return resolveEndpoint({ baseURL: config.baseURL, apiKeyEnv: config.apiKeyEnv } as never, asset, { ...env, [config.apiKeyEnv ?? 'OPENAI_API_KEY']: 'x' }).baseURL;
}

/** What `--dry-run` shows: images not cached yet, and their price. */
export function estimateImages(request: { asset: string; size: string; config: ImageGeneratorConfig; stateDir: string }, jobs: readonly ImageJob[]): Record<string, number> {
  const { config } = request;
  const cache = new ImageCache(request.stateDir);
  const price = imagePriceOf(config.model ?? DEFAULT_IMAGE_MODEL, config.quality, request.size, config.prices);
  const cached = config.imageCache ? jobs.filter((j) => cache.has(j.key)).length : 0;
  const toSend = jobs.length - cached;
  return { images: jobs.length, requests: toSend, cached_requests: cached, cost_usd: Math.round(toSend * (price ?? 0) * 1e6) / 1e6 };
}
