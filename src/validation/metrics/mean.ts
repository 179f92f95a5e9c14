/** Mean of the finite values (NaN scores are "not applicable" and left out, as SDMetrics does); NaN if none. */
export function meanOfFinite(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? NaN : sum / n;
}
