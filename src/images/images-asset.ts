import { type AnyAssetDef, type AssetDef, type CommonOptions, COMMON_OPTION_KEYS, defineAsset, type Deps } from '../engine/index.js';
import type { ImageGeneratorConfigInput } from './image-generator-config.js';
import type { ImageManifestRow } from './image-manifest.js';

/** What an `images()` definition carries. */
export interface ImagesSpec {
  kind: 'images';
  prompt: string;
  /** Dep key of the rows images are made for, or null (a fixed count). */
  input: string | null;
  /** Images per row (0 with `count`). */
  perRow: number;
  count: number;
  size?: string;
  seed: number;
  rowKey?: string;
  generator: ImageGeneratorConfigInput;
}

/** Options of an images asset. */
export interface ImagesOptions<D extends Deps> extends CommonOptions<D> {
  /** Prompt id: `prompts/<prompt>.yaml`, whose `template` is filled from each row (`{{name}}`, `{{category}}`; `{{image}}` is the image's number in its row). Example: `'product_photo_v1'`. */
  prompt: string;
  /**
   * One image per upstream row (`true`), or that many per row (a number). The rows are the first
   * dep's (or `input`'s). Default: `true` when the asset has deps. @example perRow: 2
   */
  perRow?: boolean | number;
  /** Images from the template alone, without upstream rows. Default: none. @example count: 12 */
  count?: number;
  /** Dep key of the rows to draw, when the asset has several deps. Default: the first dep. @example input: 'products' */
  input?: keyof D & string;
  /** `WIDTHxHEIGHT`. Default: `'256x256'` offline, `'1024x1024'` for openai. @example '1792x1024' */
  size?: string;
  /** Column holding each row's key, recorded as `row_key` in the manifest. Default: the row's position. @example 'name' */
  rowKey?: string;
  /** Seed: with the same seed, rows and settings the offline painter draws the same bytes (and the cache returns the same images). Default: `42`. */
  seed?: number;
  /**
   * Where images come from: `{ provider: 'local' }` (default: offline label cards, no key) or
   * `{ provider: 'openai', model: 'dall-e-3' | 'gpt-image-1', quality, style, background, ... }`.
   * @example { provider: 'openai', model: 'dall-e-3', quality: 'hd', style: 'natural' }
   */
  generator?: ImageGeneratorConfigInput;
}

const IMAGES_OPTION_KEYS = [...COMMON_OPTION_KEYS, 'prompt', 'perRow', 'count', 'input', 'size', 'rowKey', 'seed', 'generator'];

/**
 * Declares images made from a prompt file: one or more per upstream row, or a fixed count. Its value
 * is a manifest (one row per image: id, row key, prompt, revised prompt, model, size, bytes, sha256,
 * path); the images themselves are objects of the store.
 */
export function images<D extends Deps = Record<never, never>>(options: ImagesOptions<D>): AssetDef<ImageManifestRow[]> {
  const depKeys = Object.keys(options.deps ?? {});
  const input = options.input ?? (options.count === undefined ? depKeys[0] : undefined) ?? null;
  const perRow = options.perRow === undefined ? (input && options.count === undefined ? 1 : 0) : options.perRow === true ? 1 : options.perRow === false ? 0 : options.perRow;
  const spec: ImagesSpec = {
    kind: 'images',
    prompt: options.prompt,
    input: perRow > 0 ? input : null,
    perRow,
    count: options.count ?? 0,
    size: options.size,
    seed: options.seed ?? 42,
    rowKey: options.rowKey,
    generator: options.generator ?? { provider: 'local' },
  };
  return defineAsset<ImageManifestRow[], ImagesSpec>(options as CommonOptions<Deps>, spec, IMAGES_OPTION_KEYS);
}

export type { AnyAssetDef };
