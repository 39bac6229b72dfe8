/**
 * Graded cell edges across Γ: fine near Γ, coarse far away.
 *
 * Edges are ν_k = X(u_k) for uniform u_k, with the smooth odd stretching
 *   X(u) = sinh(βu) / sinh(β)      (X(u) = u when β = 0),
 * which has X(±1) = ±1, X′ increasing in |u|, so cells widen away from 0.
 * β is solved (bisection) so that the DISCRETE ratio of the outermost cell
 * width to the innermost one equals `grading` exactly:
 *   symmetric on [−1, 1], n cells:  (X(1) − X(1 − 2/n)) / (inner width),
 *     inner width = X(2/n) − X(0) for even n, X(1/n) − X(−1/n) for odd n;
 *   one-sided on [0, 1], n cells:   (1 − X(1 − 1/n)) / X(1/n).
 */
import { GridSpecError } from '../util/errors.js';

function stretch(u: number, beta: number): number {
  return beta === 0 ? u : Math.sinh(beta * u) / Math.sinh(beta);
}

function ratio(n: number, beta: number, symmetric: boolean): number {
  if (symmetric) {
    const outer = stretch(1, beta) - stretch(1 - 2 / n, beta);
    const inner = n % 2 === 0 ? stretch(2 / n, beta) : stretch(1 / n, beta) - stretch(-1 / n, beta);
    return outer / inner;
  }
  return (1 - stretch(1 - 1 / n, beta)) / stretch(1 / n, beta);
}

/**
 * Cell edges (length n + 1, strictly increasing) on [−1, 1] (symmetric) or
 * [0, 1] (one-sided), with outer/inner width ratio `grading` (≥ 1; 1 = uniform).
 * `field` names the case field in errors (e.g. "grid.grading").
 */
export function gradedEdges(n: number, grading: number, symmetric: boolean, field = 'grid.grading'): Float64Array {
  if (!Number.isFinite(grading) || grading < 1) {
    throw new GridSpecError(field, `grading ${grading} must be a finite number ≥ 1 (ratio of the outermost to the innermost cell width; 1 = uniform)`);
  }
  const lo = symmetric ? -1 : 0;
  const edges = new Float64Array(n + 1);
  let beta = 0;
  if (grading > 1) {
    const minCells = symmetric ? 3 : 2;
    if (n < minCells) {
      throw new GridSpecError(field, `grading ${grading} needs at least ${minCells} cells across, got ${n} — use grading 1 or more cells`);
    }
    // Bracket then bisect: ratio(β) increases from 1 (β = 0) without bound.
    let hi = 1;
    while (ratio(n, hi, symmetric) < grading) {
      hi *= 2;
      if (hi > 512) throw new GridSpecError(field, `grading ${grading} is too large to realise with ${n} cells`);
    }
    let a = 0;
    let b = hi;
    for (let it = 0; it < 200 && b - a > 1e-15 * b; it++) {
      const m = 0.5 * (a + b);
      if (ratio(n, m, symmetric) < grading) a = m;
      else b = m;
    }
    beta = 0.5 * (a + b);
  }
  for (let k = 0; k <= n; k++) {
    const u = symmetric ? -1 + (2 * k) / n : k / n;
    edges[k] = stretch(u, beta);
  }
  edges[0] = lo;
  edges[n] = 1;
  if (symmetric && n % 2 === 0) edges[n / 2] = 0;
  return edges;
}

/** Uniform edges on [a, b] with n cells (the last edge is exactly b). */
export function uniformEdges(n: number, a: number, b: number): Float64Array {
  const e = new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) e[k] = a + ((b - a) * k) / n;
  e[n] = b;
  return e;
}
