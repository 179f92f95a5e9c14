import { shuffledIndexes } from './random.js';

/** Options of `splitRows`. */
export interface SplitOptions {
  /** Share of rows in the test part, in (0, 1). Default: 0.25. */
  test?: number;
  /** Seed of the shuffle: the same rows and seed always give the same split. Default: 42. */
  seed?: number;
}

/** A seeded train/test split of rows (same rows + seed → same split, on every machine). */
export function splitRows<T>(rows: readonly T[], options: SplitOptions = {}): { train: T[]; test: T[] } {
  const share = options.test ?? 0.25;
  const order = shuffledIndexes(rows.length, options.seed ?? 42);
  const nTest = Math.round(rows.length * share);
  const test: T[] = [];
  const train: T[] = [];
  order.forEach((idx, i) => (i < nTest ? test : train).push(rows[idx]));
  return { train, test };
}
