/**
 * Seeded pseudo-random numbers for splits and subsampling. Metrics must give the same
 * score on every run for the same inputs (SDMetrics' unseeded subsampling made its
 * quality score wobble between runs), so nothing here ever reads Math.random.
 */

/** A function returning uniform floats in [0, 1). */
export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for shuffles; any integer seed (taken mod 2^32). */
export function createRng(seed: number): Rng {
  let a = (Math.trunc(seed) >>> 0) || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
