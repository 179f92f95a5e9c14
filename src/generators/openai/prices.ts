import type { ModelPrice } from './config.js';

/**
 * Built-in list prices in USD per 1M tokens (standard tier, no cached-input discount), as
 * published by OpenAI. Dated snapshots that differ from their alias are listed explicitly.
 * Override or extend with the config's `prices`.
 */
export const BUILT_IN_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-2024-05-13': { input: 5, output: 15 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o1: { input: 15, output: 60 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
};

const DATE_SUFFIX = /-\d{4}-\d{2}-\d{2}$/;

/**
 * Price of a model: the config's override, else the built-in entry for the exact name, else
 * for the name without its date suffix. `null` when unknown (local models, fine-tunes).
 */
export function priceOf(model: string, overrides?: Record<string, ModelPrice>): ModelPrice | null {
  const base = model.replace(DATE_SUFFIX, '');
  return overrides?.[model] ?? overrides?.[base] ?? BUILT_IN_PRICES[model] ?? BUILT_IN_PRICES[base] ?? null;
}

/** Cost in USD of some usage at a price (0 when the price is unknown). */
export function costUsd(price: ModelPrice | null, promptTokens: number, completionTokens: number): number {
  if (!price) return 0;
  return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

const OPENAI_FAMILY = /^(gpt-|o\d|chatgpt-)/;

/**
 * True for OpenAI model aliases that move to newer snapshots over time (`gpt-4o` rather than
 * `gpt-4o-2024-08-06`), and for `:latest` tags of local servers: data made with them may drift.
 */
export function isFloatingModelAlias(model: string): boolean {
  if (model.endsWith(':latest')) return true;
  return OPENAI_FAMILY.test(model) && !DATE_SUFFIX.test(model) && !/-\d{4}$/.test(model);
}
