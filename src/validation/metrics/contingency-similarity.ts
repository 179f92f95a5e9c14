/** A categorical (or binned numeric) column as row-aligned codes 0..size-1, -1 = missing. */
export interface CodedColumn {
  codes: Int32Array;
  size: number;
}

/**
 * SDMetrics' ContingencySimilarity: 1 − ½ Σ_{a,b} |P_real(a,b) − P_syn(a,b)| over the joint
 * table of two coded columns. Rows missing either value are left out of that pair's table.
 * Both sides must use the same codes (a shared dictionary / the same bin edges).
 * NaN when a side has no complete row.
 */
export function contingencySimilarity(real: readonly [CodedColumn, CodedColumn], synthetic: readonly [CodedColumn, CodedColumn]): number {
  const ka = Math.max(real[0].size, synthetic[0].size);
  const kb = Math.max(real[1].size, synthetic[1].size);
  if (ka * kb > DENSE_LIMIT) return sparseSimilarity(real, synthetic, kb);
  const p = jointShares(real[0].codes, real[1].codes, ka, kb);
  const q = jointShares(synthetic[0].codes, synthetic[1].codes, ka, kb);
  if (!p || !q) return NaN;
  let sum = 0;
  for (let i = 0; i < p.length; i++) sum += Math.abs(p[i] - q[i]);
  return 1 - sum / 2;
}

/** Above this many cells the joint table is kept sparse (high-cardinality columns, e.g. names). */
const DENSE_LIMIT = 1 << 22;

function sparseSimilarity(real: readonly [CodedColumn, CodedColumn], synthetic: readonly [CodedColumn, CodedColumn], kb: number): number {
  const p = sparseCounts(real[0].codes, real[1].codes, kb);
  const q = sparseCounts(synthetic[0].codes, synthetic[1].codes, kb);
  if (p.total === 0 || q.total === 0) return NaN;
  let sum = 0;
  for (const [cell, c] of p.counts) sum += Math.abs(c / p.total - (q.counts.get(cell) ?? 0) / q.total);
  for (const [cell, c] of q.counts) if (!p.counts.has(cell)) sum += c / q.total;
  return 1 - sum / 2;
}

function sparseCounts(a: Int32Array, b: Int32Array, kb: number): { counts: Map<number, number>; total: number } {
  const counts = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] < 0 || b[i] < 0) continue;
    const cell = a[i] * kb + b[i];
    counts.set(cell, (counts.get(cell) ?? 0) + 1);
    total++;
  }
  return { counts, total };
}

function jointShares(a: Int32Array, b: Int32Array, ka: number, kb: number): Float64Array | null {
  const table = new Float64Array(ka * kb);
  let total = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x < 0 || y < 0) continue;
    table[x * kb + y]++;
    total++;
  }
  if (total === 0) return null;
  for (let i = 0; i < table.length; i++) table[i] /= total;
  return table;
}
