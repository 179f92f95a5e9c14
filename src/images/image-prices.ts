/**
 * List prices in USD per image, by model, then quality, then size, as OpenAI publishes them
 * (gpt-image-1 is billed by tokens; these are its per-image equivalents at each quality).
 * Override or extend with the generator's `prices`.
 */
export const BUILT_IN_IMAGE_PRICES: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, number>>>>>> = {
  'dall-e-3': {
    standard: { '1024x1024': 0.04, '1792x1024': 0.08, '1024x1792': 0.08 },
    hd: { '1024x1024': 0.08, '1792x1024': 0.12, '1024x1792': 0.12 },
  },
  'dall-e-2': {
    standard: { '256x256': 0.016, '512x512': 0.018, '1024x1024': 0.02 },
  },
  'gpt-image-1': {
    low: { '1024x1024': 0.011, '1536x1024': 0.016, '1024x1536': 0.016 },
    medium: { '1024x1024': 0.042, '1536x1024': 0.063, '1024x1536': 0.063 },
    high: { '1024x1024': 0.167, '1536x1024': 0.25, '1024x1536': 0.25 },
  },
};

/** Quality a model bills at when none is given. */
const DEFAULT_QUALITY: Readonly<Record<string, string>> = { 'dall-e-3': 'standard', 'dall-e-2': 'standard', 'gpt-image-1': 'high' };

/** Price table: model → quality → size → USD per image. */
export type ImagePriceTable = Record<string, Record<string, Record<string, number>>>;

const DATE_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/**
 * USD per image for a model, quality and size: the override table first, then the built-in one
 * (a dated snapshot falls back to its alias). `auto` quality or size is priced at the most
 * expensive listed entry, so budgets err on the safe side. Null when unknown.
 */
export function imagePriceOf(model: string, quality: string | undefined, size: string, overrides?: ImagePriceTable): number | null {
  const alias = model.replace(DATE_SUFFIX, '');
  const table = overrides?.[model] ?? overrides?.[alias] ?? BUILT_IN_IMAGE_PRICES[model] ?? BUILT_IN_IMAGE_PRICES[alias];
  if (!table) return null;
  const q = quality === 'auto' ? undefined : (quality ?? DEFAULT_QUALITY[alias]);
  const qualities = q ? (table[q] ? [table[q]] : []) : Object.values(table);
  const prices = qualities.flatMap((bySize) => (size === 'auto' ? Object.values(bySize) : bySize[size] !== undefined ? [bySize[size]] : []));
  return prices.length ? Math.max(...prices) : null;
}
