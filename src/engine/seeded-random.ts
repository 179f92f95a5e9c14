import { sha256 } from './hashing.js';

/**
 * Seeded pseudo-random streams: the same seed gives the same numbers in every process, on every
 * machine, in every release. Stored data depends on them (the local generator's rows, the splits
 * and subsamples behind validation scores), so an algorithm's stream must never change: a change
 * would alter data hashes and invalidate every cache. Never `Math.random` where results are kept.
 * (V8's `Math.log`, `Math.cos` and `Math.exp` are its own fdlibm port, hence platform-independent.)
 */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal draw. */
  normal(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
  /** Index drawn from cumulative weights (last element = total), see {@link cumulate}. */
  pickCumulative(cumulative: readonly number[]): number;
}

/** The algorithms, each kept for the data that already depends on its stream. */
export const RandomAlgorithm = {
  /** sfc32 seeded through sha256 of the seed's text: any JS number or list of numbers. The local generator's. */
  sfc32: 'sfc32',
  /** mulberry32: any integer seed, taken mod 2^32. Splits and subsamples of validation models. */
  mulberry32: 'mulberry32',
} as const;
export type RandomAlgorithm = (typeof RandomAlgorithm)[keyof typeof RandomAlgorithm];

/** A seeded stream of the given algorithm. */
export function seededRandom(algorithm: RandomAlgorithm, seed: number): SeededRandom {
  return algorithm === RandomAlgorithm.sfc32 ? new Sfc32(seed) : new Mulberry32(seed);
}

/** Everything drawn from `next()`, shared by every algorithm (so a draw means the same in each). */
abstract class SeededStream implements SeededRandom {
  abstract next(): number;

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** Box-Muller; no cached second value, so the stream has no hidden state. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  pickCumulative(cumulative: readonly number[]): number {
    const x = this.next() * cumulative[cumulative.length - 1];
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** sfc32, a small fast PRNG; also serves as faker's randomizer (its `seed`/`next` contract), so one seed drives every choice. */
export class Sfc32 extends SeededStream {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number | number[]) {
    super();
    this.seed(seed);
  }

  /** Faker's randomizer contract: (re)seeds from a number or a list of numbers. */
  seed(seed: number | number[]): void {
    // Hashing the seed's text accepts any JS number (negative, > 2^32, fractional) and
    // decorrelates neighbouring seeds.
    const words = sha256(`prng:${Array.isArray(seed) ? seed.join(',') : String(seed)}`);
    this.a = parseInt(words.slice(0, 8), 16) | 0;
    this.b = parseInt(words.slice(8, 16), 16) | 0;
    this.c = parseInt(words.slice(16, 24), 16) | 0;
    this.d = parseInt(words.slice(24, 32), 16) | 0;
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
}

/** mulberry32: tiny, fast and good enough for shuffles; any integer seed (taken mod 2^32). */
export class Mulberry32 extends SeededStream {
  private a: number;

  constructor(seed: number) {
    super();
    this.a = Math.trunc(seed) >>> 0 || 0x9e3779b9;
  }

  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

/** Running sums of weights, for {@link SeededRandom.pickCumulative}. */
export function cumulate(weights: readonly number[]): number[] {
  const out: number[] = [];
  let total = 0;
  for (const w of weights) out.push((total += w));
  return out;
}
