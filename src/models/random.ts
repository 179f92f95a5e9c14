/**
 * Seeded pseudo-random numbers for splits and subsampling. Metrics must give the same
 * score on every run for the same inputs (SDMetrics' unseeded subsampling made its
 * quality score wobble between runs), so nothing here ever reads Math.random.
 */
import { Mulberry32 } from '../engine/index.js';

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/** mulberry32 from the engine's seeded-random module (its stream is pinned: stored scores depend on it). */
export function createRng(seed: number): Rng {
  const stream = new Mulberry32(seed);
  return () => stream.next();
}

/** 0..n-1 in a seeded random order (Fisher–Yates). */
export function shuffledIndexes(n: number, seed: number): Uint32Array {
  const rng = createRng(seed);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}

/**
 * `k` distinct rows drawn without replacement with a fixed seed, kept in their original
 * order (so that a subsample of sorted data stays sorted). Returns `rows` itself when k ≥ n.
 */
export function seededSample<T>(rows: readonly T[], k: number, seed: number): readonly T[] {
  if (k >= rows.length) return rows;
  const picked = shuffledIndexes(rows.length, seed).subarray(0, k).sort();
  const out = new Array<T>(k);
  for (let i = 0; i < k; i++) out[i] = rows[picked[i]];
  return out;
}
