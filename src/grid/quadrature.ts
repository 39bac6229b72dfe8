/**
 * Gauss–Legendre quadrature on [−1, 1] (n points, exact for polynomials of
 * degree ≤ 2n − 1), used for the along-Γ part of cell volumes.
 *
 * Nodes are the roots of the Legendre polynomial Pₙ, found by Newton's method
 * from the Chebyshev-like guess cos(π(i + 3/4)/(n + 1/2)); weights
 * wᵢ = 2 / ((1 − xᵢ²) Pₙ′(xᵢ)²) (Abramowitz & Stegun 25.4.29).
 */
export interface GaussRule {
  /** Nodes on [−1, 1], increasing. */
  readonly nodes: Float64Array;
  /** Weights, summing to 2. */
  readonly weights: Float64Array;
}

const cache = new Map<number, GaussRule>();

/** The n-point Gauss–Legendre rule on [−1, 1] (1 ≤ n ≤ 64), cached. */
export function gaussLegendre(n: number): GaussRule {
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new RangeError(`gaussLegendre: n must be an integer in [1, 64], got ${n}`);
  const hit = cache.get(n);
  if (hit) return hit;
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      // Three-term recurrence: P_{k+1} = ((2k+1) x P_k − k P_{k−1}) / (k+1).
      let p0 = 1;
      let p1 = x;
      for (let k = 1; k < n; k++) {
        const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
        p0 = p1;
        p1 = p2;
      }
      const pn = n === 1 ? x : p1;
      const pm = n === 1 ? 1 : p0;
      dp = (n * (x * pn - pm)) / (x * x - 1);
      const dx = pn / dp;
      x -= dx;
      if (Math.abs(dx) < 1e-16) break;
    }
    // Recompute the derivative at the converged node for the weight.
    let p0 = 1;
    let p1 = x;
    for (let k = 1; k < n; k++) {
      const p2 = ((2 * k + 1) * x * p1 - k * p0) / (k + 1);
      p0 = p1;
      p1 = p2;
    }
    dp = n === 1 ? 1 : (n * (x * p1 - p0)) / (x * x - 1);
    nodes[n - 1 - i] = x;
    weights[n - 1 - i] = 2 / ((1 - x * x) * dp * dp);
  }
  const rule = { nodes, weights };
  cache.set(n, rule);
  return rule;
}
