import type { NumberSpec } from './field-spec.js';
import { NumberGrid } from './number-grid.js';
import type { Prng } from './prng.js';
import type { ValueBounds } from './value-bounds.js';

/** How to draw one numeric column: the numeric part of a column hint, or an inferred one. */
export interface NumberRecipe {
  distribution?: 'normal' | 'uniform' | 'lognormal';
  mean?: number;
  std?: number;
  min?: number;
  max?: number;
  decimals?: number;
}

/** Draws values of one numeric column, inside the schema's bounds and optional rule bounds. */
export interface NumberSampler {
  sample(rng: Prng, bounds?: ValueBounds): number;
}

/** Draws from the distribution before falling back to a uniform draw in the allowed window. */
const DRAWS_BEFORE_FALLBACK = 24;

export function numberSampler(spec: NumberSpec, recipe: NumberRecipe): NumberSampler {
  let lo = spec.lo;
  let loIn = spec.loInclusive;
  let hi = spec.hi;
  let hiIn = spec.hiInclusive;
  if (recipe.min !== undefined && recipe.min >= lo) [lo, loIn] = [recipe.min, recipe.min > lo || loIn];
  if (recipe.max !== undefined && recipe.max <= hi) [hi, hiIn] = [recipe.max, recipe.max < hi || hiIn];
  let step = spec.multipleOf ?? 10 ** -(recipe.decimals ?? (spec.int ? 0 : 2));
  if (spec.int && step < 1) step = 1;
  const grid = new NumberGrid(step, lo, loIn, hi, hiIn);

  const finite = Number.isFinite(lo) && Number.isFinite(hi);
  const distribution = recipe.distribution ?? (recipe.mean !== undefined ? 'normal' : 'uniform');
  const mean = recipe.mean ?? (finite ? (lo + hi) / 2 : Number.isFinite(lo) ? lo + 50 : Number.isFinite(hi) ? hi - 50 : 50);
  const std = recipe.std ?? (finite ? (hi - lo) / 6 : Math.abs(mean) / 4 || 1);
  let draw: (rng: Prng) => number;
  if (distribution === 'normal') {
    draw = (rng) => mean + std * rng.normal();
  } else if (distribution === 'lognormal') {
    // Parameters from the arithmetic mean and std, so that `mean: 40` means an average of 40.
    const m = mean > 0 ? mean : 40;
    const sigma2 = Math.log(1 + (std / m) ** 2);
    const mu = Math.log(m) - sigma2 / 2;
    const sigma = Math.sqrt(sigma2);
    draw = (rng) => Math.exp(mu + sigma * rng.normal());
  } else {
    const a = finite ? lo : recipe.mean !== undefined || recipe.std !== undefined ? mean - std * Math.sqrt(3) : Number.isFinite(lo) ? lo : mean - 50;
    const b = finite ? hi : recipe.mean !== undefined || recipe.std !== undefined ? mean + std * Math.sqrt(3) : Number.isFinite(hi) ? hi : mean + 50;
    draw = (rng) => rng.uniform(a, b + (spec.int ? 1 : 0));
  }
  if (spec.int && distribution === 'uniform') {
    // Uniform integers: floor (not round) so both ends get their fair share.
    const inner = draw;
    draw = (rng) => Math.floor(inner(rng) / step) * step;
  }
  return {
    sample(rng, bounds) {
      for (let i = 0; i < DRAWS_BEFORE_FALLBACK; i++) {
        const x = grid.snap(draw(rng));
        if (grid.admits(x, bounds)) return x;
        if (bounds?.allowed) break;
      }
      const fallback = grid.uniformWithin(rng, mean, 3 * std, bounds);
      // No admissible value: return the best effort; the rule check rejects it and reports.
      return fallback ?? grid.snap(Math.min(Math.max(mean, lo), hi));
    },
  };
}
