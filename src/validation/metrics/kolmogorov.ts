/*
 * p-values of the two-sided two-sample Kolmogorov–Smirnov test.
 *
 * - `exact`: probability that a random lattice path leaves the band |x/m − y/n| < D, computed
 *   as SciPy's `ks_2samp(method='exact')` does (Hodges 1958; for m ≠ n the "1 − p" recursion
 *   of Viehmann 2021, arXiv:2102.08037). Matches SciPy to rounding.
 * - `asymp`: the limiting Kolmogorov distribution, Q(√(mn/(m+n))·D). NOTE: SciPy's
 *   `method='asymp'` instead evaluates the finite-n one-sample distribution `kstwo` at
 *   n = round(mn/(m+n)); the two agree to within ~1/√n, and Q is what the test compares to
 *   (`scipy.stats.kstwobign.sf`).
 * - `auto` (default): exact when both samples have at most 10,000 values, as SciPy's `auto`.
 */

/** Which p-value computation to use (see the module comment). */
export const KsMethod = { auto: 'auto', exact: 'exact', asymp: 'asymp' } as const;
export type KsMethod = (typeof KsMethod)[keyof typeof KsMethod];

/** SciPy's threshold for `method='auto'`. */
const MAX_EXACT_N = 10_000;

/** Survival function of the Kolmogorov distribution: P(K > z), K = sup|Brownian bridge|. */
export function kolmogorovSf(z: number): number {
  if (!(z > 0)) return 1;
  if (z < 1.18) {
    // Jacobi-theta form converges fast for small z.
    const w = (Math.PI * Math.PI) / (8 * z * z);
    let s = 0;
    for (let k = 1; k <= 20; k++) {
      const t = Math.exp(-(2 * k - 1) * (2 * k - 1) * w);
      s += t;
      if (t < 1e-17) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / z) * s;
  }
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const t = Math.exp(-2 * k * k * z * z);
    s += k % 2 === 1 ? t : -t;
    if (t < 1e-17) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** Asymptotic two-sided p-value for statistic d with sample sizes n1, n2. */
export function ksAsymptoticPValue(d: number, n1: number, n2: number): number {
  const en = (n1 * n2) / (n1 + n2);
  return kolmogorovSf(Math.sqrt(en) * d);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Exact two-sided p-value, or NaN when the computation is out of floating-point range. */
export function ksExactPValue(d: number, n1: number, n2: number): number {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = Math.round(d * lcm);
  if (h === 0) return 1;
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  return p >= 0 && p <= 1 ? p : NaN;
}

/** P(D_{n,n} ≥ h/n) by the alternating binomial series, evaluated Horner-style to avoid cancellation. */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * Share of lattice paths (0,0)→(m,n) that touch |n·x − m·y|/g ≥ h, one column at a time over a
 * sliding window, each cell holding "1 − share of paths still inside" (numerically stable form).
 */
function probOutsideBand(a: number, b: number, g: number, h: number): number {
  const m = Math.max(a, b);
  const n = Math.min(a, b);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/** Two-sided p-value of statistic d by `method`; falls back to asymptotic when exact is out of range. */
export function ksPValue(d: number, n1: number, n2: number, method: KsMethod = 'auto'): { pvalue: number; method: 'exact' | 'asymp' } {
  const wantExact = method === 'exact' || (method === 'auto' && Math.max(n1, n2) <= MAX_EXACT_N);
  if (wantExact) {
    const p = ksExactPValue(d, n1, n2);
    if (!Number.isNaN(p)) return { pvalue: p, method: 'exact' };
  }
  return { pvalue: ksAsymptoticPValue(d, n1, n2), method: 'asymp' };
}
