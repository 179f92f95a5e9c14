import type { Prng } from './prng.js';

/**
 * A multivariate normal fitted to a few numeric columns: mean vector and the Cholesky factor
 * of the covariance. A hand-written Cholesky (d is the number of numeric columns, a handful)
 * avoids depending on ml-matrix, which is only a transitive dependency here.
 */
export interface MultivariateNormal {
  mean: number[];
  /** Lower-triangular L with L·Lᵀ = covariance. */
  chol: number[][];
}

/** Fits mean and (unbiased) covariance of complete observations `x[i][j]`. */
export function fitMultivariateNormal(x: readonly number[][], d: number): MultivariateNormal {
  const n = x.length;
  const mean = new Array<number>(d).fill(0);
  for (const row of x) for (let j = 0; j < d; j++) mean[j] += row[j] / n;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const row of x) {
    for (let i = 0; i < d; i++) {
      const di = row[i] - mean[i];
      for (let j = 0; j <= i; j++) cov[i][j] += (di * (row[j] - mean[j])) / Math.max(1, n - 1);
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[j][i] = cov[i][j];
  return { mean, chol: cholesky(cov) };
}

/**
 * Fits mean and covariance of observations with missing coordinates (NaN): each mean over the
 * values present, each covariance over the rows where both are present (pairwise-complete), so a
 * column missing in most rows does not throw away the others. The matrix may then not be
 * positive definite; {@link cholesky} adds a ridge or falls back to the diagonal.
 */
export function fitMultivariateNormalPairwise(x: readonly number[][], d: number): MultivariateNormal {
  const mean = new Array<number>(d).fill(0);
  const count = new Array<number>(d).fill(0);
  for (const row of x)
    for (let j = 0; j < d; j++)
      if (!Number.isNaN(row[j])) {
        mean[j] += row[j];
        count[j]++;
      }
  for (let j = 0; j < d; j++) mean[j] = count[j] ? mean[j] / count[j] : 0;
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const pairs = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (const row of x) {
    for (let i = 0; i < d; i++) {
      if (Number.isNaN(row[i])) continue;
      const di = row[i] - mean[i];
      for (let j = 0; j <= i; j++) {
        if (Number.isNaN(row[j])) continue;
        cov[i][j] += di * (row[j] - mean[j]);
        pairs[i][j]++;
      }
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      cov[i][j] = pairs[i][j] > 1 ? cov[i][j] / (pairs[i][j] - 1) : 0;
      cov[j][i] = cov[i][j];
    }
  }
  return { mean, chol: cholesky(cov) };
}

/**
 * Cholesky factor of a covariance matrix. Sample covariances can be singular (a constant
 * column, fewer rows than columns): add a growing ridge to the diagonal until it factors,
 * and fall back to the diagonal (independent columns) as a last resort.
 */
export function cholesky(cov: readonly number[][]): number[][] {
  const d = cov.length;
  const scale = cov.reduce((s, r, i) => s + Math.abs(r[i]), 0) / Math.max(1, d) || 1;
  for (const ridge of [0, 1e-10, 1e-8, 1e-6, 1e-4]) {
    const l = tryCholesky(cov, ridge * scale);
    if (l) return l;
  }
  return cov.map((r, i) => r.map((_, j) => (i === j ? Math.sqrt(Math.max(0, r[i])) : 0)));
}

function tryCholesky(a: readonly number[][], ridge: number): number[][] | undefined {
  const d = a.length;
  const l = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j] + (i === j ? ridge : 0);
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0)) {
          // A zero-variance column (every value equal) is fine: it stays at its mean.
          if (sum === 0 && a[i][i] === 0) continue;
          return undefined;
        }
        l[i][i] = Math.sqrt(sum);
      } else l[i][j] = l[j][j] === 0 ? 0 : sum / l[j][j];
    }
  }
  return l;
}

/** One draw: mean + L·z with z standard normal. */
export function sampleMultivariateNormal(mvn: MultivariateNormal, rng: Prng, out: number[]): number[] {
  const d = mvn.mean.length;
  const z = new Array<number>(d);
  for (let i = 0; i < d; i++) z[i] = rng.normal();
  for (let i = 0; i < d; i++) {
    let v = mvn.mean[i];
    const li = mvn.chol[i];
    for (let k = 0; k <= i; k++) v += li[k] * z[k];
    out[i] = v;
  }
  return out;
}
