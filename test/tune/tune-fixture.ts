import { Mulberry32 } from '../../src/engine/index.js';

/** The first prompt version: prices around 40, three categories, two channels, no missing values. */
export const SHOP_V1 = `prompt_id: shop_v1   # the file name
domain: ecommerce
version: 1
template: >
  Generate {{rows}} orders with category, channel and price
rules:
  - price > 0
columns:
  category:
    categories: [Books, Toys, Home]
  channel:
    categories: [web, store]
  price:
    distribution: normal
    mean: 40
    std: 8
    min: 5
    max: 200
    decimals: 2
`;

export const DEFS = `import { z } from 'zod';
import { checks, dataset, feedback, source, validation } from 'synthgraph';
const Order = z.object({
  category: z.string(),
  channel: z.string().nullable(),
  price: z.number().positive(),
});
export const products = dataset({ name: 'products', schema: Order, prompt: 'shop_v1', rows: 600, seed: 11 });
export const live = source({ name: 'live', file: 'data/live/orders.jsonl' });
export const errors = feedback({ name: 'errors', file: 'data/feedback/errors.jsonl' });
export const live_drift = validation({ name: 'live_drift', deps: { products, live }, target: 'products', reference: 'live', checks: [checks.drift(), checks.rules()] });
`;

/**
 * Live orders that drifted from v1: prices around 70 (mean shifted), a new category (Garden),
 * 15% of channels missing, and every store order in Home (a pattern v1's data breaks).
 */
export function liveOrders(n = 600, seed = 5): Record<string, unknown>[] {
  const rng = new Mulberry32(seed);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const channel = r < 0.15 ? null : r < 0.4 ? 'store' : 'web';
    const c = rng.next();
    const category = channel === 'store' ? 'Home' : c < 0.3 ? 'Books' : c < 0.6 ? 'Toys' : c < 0.85 ? 'Garden' : 'Home';
    rows.push({ category, channel, price: Math.round((70 + 10 * rng.normal()) * 100) / 100 });
  }
  return rows;
}

export const jsonl = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
