import { describe, expect, it } from 'vitest';
import { tvComplement } from '../../../src/validation/metrics/index.js';

describe('TVComplement', () => {
  it('hand-worked two-category case', () => {
    // real: A 60%, B 40%; synthetic: A 30%, B 70% -> ½(|0.3−0.6| + |0.7−0.4|) = 0.3 -> 0.7
    expect(tvComplement(Float64Array.of(6, 4), Float64Array.of(3, 7))).toBeCloseTo(0.7, 12);
  });

  it('is 1 for identical shares whatever the counts, 0 for disjoint categories', () => {
    expect(tvComplement(Float64Array.of(2, 1), Float64Array.of(200, 100))).toBeCloseTo(1, 12);
    expect(tvComplement(Float64Array.of(5, 0), Float64Array.of(0, 5))).toBe(0);
  });

  it('counts a category present on one side only over the union (shorter array = zeros)', () => {
    // real: A 50%, B 50%; synthetic: A 50%, B 25%, C 25% -> ½(0 + 0.25 + 0.25) = 0.25
    expect(tvComplement(Float64Array.of(1, 1), Float64Array.of(2, 1, 1))).toBeCloseTo(0.75, 12);
  });

  it('is NaN when a side has no value', () => {
    expect(tvComplement(Float64Array.of(0, 0), Float64Array.of(1, 1))).toBeNaN();
  });
});
