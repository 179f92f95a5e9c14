import { sha256 } from '../../engine/index.js';

/**
 * A small, fast, seedable PRNG (sfc32) that also serves as faker's randomizer, so that one
 * seed drives every random choice of the local generator. Never `Math.random`: the same seed
 * must give the same bytes in every process and on every machine (V8's `Math.log`, `Math.cos`
 * and `Math.exp` are its own fdlibm port, hence platform-independent).
 */
export class Prng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed: number | number[]) {
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

  /** Uniform float in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform integer in [lo, hi] (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + this.next() * (hi - lo);
  }

  /** Standard normal draw (Box-Muller; no cached second value, so the stream has no hidden state). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.next() < p;
  }

  /** A uniformly chosen element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Index drawn from cumulative weights (last element = total). */
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

/** Running sums of weights, for {@link Prng.pickCumulative}. */
export function cumulate(weights: readonly number[]): number[] {
  const out: number[] = [];
  let total = 0;
  for (const w of weights) out.push((total += w));
  return out;
}
