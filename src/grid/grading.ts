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
import type { AlongFocus } from '../case/types.js';

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

/** log cosh x without overflow. */
function logCosh(x: number): number {
  const a = Math.abs(x);
  return a + Math.log1p(Math.exp(-2 * a)) - Math.LN2;
}

/**
 * Stations along Γ concentrated on an interval (`grid.alongGrading`, AlongFocus in case/types.ts): cells
 * inside `focus` = [lo, hi] are `ratio` times narrower than far outside it. The station density is
 *   m(s) = 1 + (ratio − 1)·½[tanh((s − lo)/δ) − tanh((s − hi)/δ)],   δ = transition (default (hi − lo)/4),
 * and edges equidistribute it: W(e_k) = (k/n)·W(s₁) with W(s) = ∫_{s₀}^{s} m, which has the closed form
 * (s − s₀) + (ratio − 1)·δ/2·[lc((s − lo)/δ) − lc((s − hi)/δ)]_{s₀}^{s}, lc = log cosh. Widths vary smoothly
 * (by at most a factor 1 + (ratio − 1)·h/(2δ) from one cell to the next), so the upwind-biased face values,
 * whose weights are those of a uniform grid in the station index, stay second order.
 */
export function focusedEdges(n: number, s0: number, s1: number, spec: AlongFocus | null | undefined, field = 'grid.alongGrading'): Float64Array {
  if (!spec || spec.ratio === 1) return uniformEdges(n, s0, s1);
  const [lo, hi] = spec.focus;
  const r = spec.ratio;
  if (!Number.isFinite(r) || r < 1) throw new GridSpecError(`${field}.ratio`, `ratio ${r} must be a finite number ≥ 1 (outside cell width / inside cell width; 1 = uniform)`);
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
    throw new GridSpecError(`${field}.focus`, `focus [${lo}, ${hi}] must be a pair [lo, hi] with lo < hi`);
  }
  if (lo < s0 || hi > s1) {
    throw new GridSpecError(`${field}.focus`, `focus [${lo}, ${hi}] must lie inside Γ's chart range [${s0}, ${s1}]; shrink it to the part of Γ the density visits`);
  }
  const d = spec.transition ?? (hi - lo) / 4;
  if (!(Number.isFinite(d) && d > 0)) throw new GridSpecError(`${field}.transition`, `transition ${d} must be a number > 0 (the width of the change from fine to coarse cells)`);
  const c = ((r - 1) * d) / 2;
  const W = (s: number) => s - s0 + c * (logCosh((s - lo) / d) - logCosh((s - hi) / d) - logCosh((s0 - lo) / d) + logCosh((s0 - hi) / d));
  const m = (s: number) => 1 + 0.5 * (r - 1) * (Math.tanh((s - lo) / d) - Math.tanh((s - hi) / d));
  const total = W(s1);
  const e = new Float64Array(n + 1);
  e[0] = s0;
  e[n] = s1;
  let x = s0;
  for (let k = 1; k < n; k++) {
    const target = (total * k) / n;
    // Newton from the previous edge (W is increasing and convex/concave piecewise), kept inside a bracket.
    let a = e[k - 1];
    let b = s1;
    for (let it = 0; it < 100; it++) {
      const f = W(x) - target;
      if (f > 0) b = x;
      else a = x;
      let y = x - f / m(x);
      if (!(y > a && y < b)) y = 0.5 * (a + b);
      if (Math.abs(y - x) <= 1e-15 * (Math.abs(x) + (s1 - s0))) {
        x = y;
        break;
      }
      x = y;
    }
    e[k] = x;
  }
  for (let k = 1; k <= n; k++) {
    if (!(e[k] > e[k - 1])) throw new GridSpecError(field, `the graded stations are not increasing at ${k} (ratio ${r}, ${n} stations); use a smaller ratio or more stations`);
  }
  return e;
}
