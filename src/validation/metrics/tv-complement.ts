import { toShares } from './column-data.js';

/**
 * SDMetrics' TVComplement: 1 − ½ Σ_c |p_syn(c) − p_real(c)| over the union of categories.
 * Inputs are counts per shared category code (missing values already left out); the shorter
 * array is read as zeros past its end. NaN when either side has no values.
 */
export function tvComplement(realCounts: Float64Array, syntheticCounts: Float64Array): number {
  const p = toShares(realCounts);
  const q = toShares(syntheticCounts);
  if (!hasMass(p) || !hasMass(q)) return NaN;
  const k = Math.max(p.length, q.length);
  let sum = 0;
  for (let i = 0; i < k; i++) sum += Math.abs((p[i] ?? 0) - (q[i] ?? 0));
  return 1 - sum / 2;
}

function hasMass(shares: Float64Array): boolean {
  for (let i = 0; i < shares.length; i++) if (shares[i] > 0) return true;
  return false;
}
