import type { Prng } from './prng.js';
import { admits, type ValueBounds } from './value-bounds.js';

/**
 * The values a numeric column can take: an interval (from the schema, hints, the reference and
 * rules) on a grid of `step` (1 for integers, 0.01 for two decimals, 25 for body masses in grams).
 * Snapping to the grid and checking bounds after snapping keeps `price > 0` with two decimals
 * from ever producing `0`.
 */
export class NumberGrid {
  /** Decimal places of `step`, to undo binary rounding noise (0.1 + 0.2). */
  private readonly places: number;
  private readonly scale: number;

  constructor(
    readonly step: number,
    readonly lo: number,
    readonly loInclusive: boolean,
    readonly hi: number,
    readonly hiInclusive: boolean,
  ) {
    this.places = decimalPlaces(step);
    this.scale = 10 ** this.places;
  }

  /** Nearest grid value. */
  snap(x: number): number {
    const r = Math.round(x / this.step) * this.step;
    return this.places > 0 ? Math.round(r * this.scale) / this.scale : r;
  }

  /** Whether a (snapped) value is within this grid's interval and the extra bounds. */
  admits(x: number, extra?: ValueBounds): boolean {
    if (!(x > this.lo || (x === this.lo && this.loInclusive))) return false;
    if (!(x < this.hi || (x === this.hi && this.hiInclusive))) return false;
    return !extra || admits(extra, x);
  }

  /**
   * A uniform grid value inside this interval ∩ `extra`, for when the distribution keeps
   * missing a narrow window. `around` and `spread` stand in for infinite ends.
   * Returns undefined when the intersection holds no grid value.
   */
  uniformWithin(rng: Prng, around: number, spread: number, extra?: ValueBounds): number | undefined {
    if (extra?.allowed) {
      const options = extra.allowed.filter((v): v is number => typeof v === 'number' && this.snap(v) === v && this.admits(v, extra));
      return options.length ? rng.pick(options) : undefined;
    }
    let lo = this.lo;
    let loIn = this.loInclusive;
    let hi = this.hi;
    let hiIn = this.hiInclusive;
    if (extra && (extra.lo > lo || (extra.lo === lo && !extra.loInclusive))) [lo, loIn] = [extra.lo, extra.loInclusive];
    if (extra && (extra.hi < hi || (extra.hi === hi && !extra.hiInclusive))) [hi, hiIn] = [extra.hi, extra.hiInclusive];
    if (!Number.isFinite(lo)) lo = Math.min(around - spread, Number.isFinite(hi) ? hi - spread : Infinity);
    if (!Number.isFinite(hi)) hi = Math.max(around + spread, lo + spread);
    let first = Math.ceil(lo / this.step);
    if (!loIn && this.snap(first * this.step) <= lo) first++;
    let last = Math.floor(hi / this.step);
    if (!hiIn && this.snap(last * this.step) >= hi) last--;
    for (let attempt = 0; attempt < 8 && first <= last; attempt++) {
      const x = this.snap(rng.int(first, last) * this.step);
      if (this.admits(x, extra)) return x;
    }
    return undefined;
  }
}

/** Decimal places of a step such as 0.01 (2) or 25 (0). */
export function decimalPlaces(step: number): number {
  for (let p = 0; p < 12; p++) {
    const scaled = step * 10 ** p;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9) return p;
  }
  return 12;
}
