/**
 * The gradient-flow map Φ(θ) = lim_{τ→∞} θ(τ), θ′ = −∇L(θ): the point of Γ that
 * θ falls onto. The averaged generator describes the law of Φ(θₜ) (Li–Wang–
 * Arora's drift is ½∂²Φ[Σ]); the fibres Φ⁻¹(γ(s)) are the natural "stations"
 * for the conditional statistics across Γ: on a normal line, particles far
 * from Γ move along Γ at a different speed, which skews the conditional
 * variance on the flanks of a sharp marginal by O(η·∂ₛ log p); on a fibre of
 * Φ that speed difference is exactly compensated. Station index convention as in
 * along-gamma.ts (surface: j = i_a + n_a·i_b).
 */
import type { CurveParam, Landscape, SurfaceParam } from '../landscape/types.js';
import { NumericalError } from '../util/errors.js';
import type { StationBins, StationLayout } from './along-gamma.js';

/**
 * Φ(θ) by classical RK4 on θ′ = −∇L with step 1.2/λ, λ the Gershgorin bound of
 * the Hessian at the current point (RK4 is stable for hλ ≤ 2.78), until
 * |∇L| ≤ tol·(1 + |θ|). Writes into out.
 */
/**
 * Largest move of one RK4 step of flowToGamma, relative to 1 + |θ|, and h·λ_max below. Measured on
 * xyz = 1 from points up to 0.5 off Γ by the conserved x² − y², y² − z² (test/trackers): worst drift
 * 8.6e-5 at (0.02, 1.2), 1.3e-5 at (0.02, 0.6), 7.5e-7 at (0.02, 0.3), ≈ 5e-7 at (0.01, 0.25),
 * 0.01–0.02 ms a point.
 */
const FLOW_MOVE = 0.01;
/** h·λ_max of one RK4 step of flowToGamma (Gershgorin bound of the Hessian). */
const FLOW_STIFF = 0.25;

export function flowToGamma(L: Landscape, theta: ArrayLike<number>, out: Float64Array, tol = 1e-11, maxSteps = 100_000): Float64Array {
  const d = L.dim;
  const x = out;
  for (let i = 0; i < d; i++) x[i] = theta[i];
  const g = new Float64Array(d);
  const k2 = new Float64Array(d);
  const k3 = new Float64Array(d);
  const k4 = new Float64Array(d);
  const y = new Float64Array(d);
  const H = new Float64Array(d * d);
  for (let step = 0; step < maxSteps; step++) {
    L.grad(x, g);
    let gn = 0;
    let xn = 0;
    for (let i = 0; i < d; i++) {
      gn += g[i] * g[i];
      xn += x[i] * x[i];
    }
    if (Math.sqrt(gn) <= tol * (1 + Math.sqrt(xn))) return x;
    L.hessian(x, H);
    let lam = 0;
    for (let i = 0; i < d; i++) {
      let r = 0;
      for (let j = 0; j < d; j++) r += Math.abs(H[i * d + j]);
      lam = Math.max(lam, r);
    }
    // Step from the local Gershgorin bound; far from Γ the Hessian there can be much smaller than
    // on the way in, so a step that does not lower L (the flow's Lyapunov function) is halved.
    // The move per step is also capped (h|∇L| ≤ MOVE·(1 + |θ|)) so the endpoint is the flow's, not a far jump's.
    let h = Math.min(FLOW_STIFF / Math.max(lam, 1e-12), (FLOW_MOVE * (1 + Math.sqrt(xn))) / Math.sqrt(gn));
    const L0 = L.value(x);
    for (let tries = 0; ; tries++) {
      for (let i = 0; i < d; i++) y[i] = x[i] - 0.5 * h * g[i];
      L.grad(y, k2);
      for (let i = 0; i < d; i++) y[i] = x[i] - 0.5 * h * k2[i];
      L.grad(y, k3);
      for (let i = 0; i < d; i++) y[i] = x[i] - h * k3[i];
      L.grad(y, k4);
      for (let i = 0; i < d; i++) y[i] = x[i] - (h / 6) * (g[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      const L1 = L.value(y);
      // "Does not lower L" up to rounding: where the minimum value of L is not 0 (a task whose data the model
      // does not interpolate: L = ¼ + ½b²w² on task-phase) the last steps change L by less than its ulps, and
      // a strict L1 ≤ L0 halved them into a stall (the flow never met the gradient tolerance).
      if ((L1 - L0 <= 8 * Number.EPSILON * Math.abs(L0) && Number.isFinite(L1)) || tries >= 40) break;
      h *= 0.5;
    }
    x.set(y);
  }
  throw new NumericalError(`the gradient flow from (${Array.from(theta).join(', ')}) did not reach Γ in ${maxSteps} steps`);
}

/** Chart parameter of a point on (or next to) the curve: Newton on (γ(s) − p)·γ′(s) = 0 from s0. */
export function curveParameterOf(gamma: CurveParam, p: ArrayLike<number>, s0: number): number {
  const d = gamma.dim;
  const g = new Float64Array(d);
  const g1 = new Float64Array(d);
  const g2 = new Float64Array(d);
  let s = s0;
  for (let it = 0; it < 50; it++) {
    gamma.point(s, g);
    gamma.d1(s, g1);
    gamma.d2(s, g2);
    let f = 0;
    let fp = 0;
    for (let i = 0; i < d; i++) {
      f += (g[i] - p[i]) * g1[i];
      fp += g1[i] * g1[i] + (g[i] - p[i]) * g2[i];
    }
    const ds = f / fp;
    s -= ds;
    if (Math.abs(ds) < 1e-14 * (1 + Math.abs(s))) break;
  }
  return s;
}

/**
 * Each cell's shares of the stations around the Γ-parameter of Φ(θ_c): K = 2
 * entries per cell on a curve (linear weights between the two nearest station
 * centres), K = 4 on a surface (bilinear); idx[c*K + q] gets weight w[c*K + q].
 */
export type FibreBins = StationBins;

/** Linear weights of s between sorted centres c0 (clamped at open ends, wrapped on a closed axis): [lo, hi, wLo]. */
function linearShare(c0: Float64Array, s: number, closed: boolean, period: number): [number, number, number] {
  const nS = c0.length;
  if (s <= c0[0] || s >= c0[nS - 1]) {
    if (closed) {
      const gap = c0[0] + period - c0[nS - 1];
      return [nS - 1, 0, s >= c0[nS - 1] ? 1 - (s - c0[nS - 1]) / gap : (c0[0] - s) / gap];
    }
    const e = s <= c0[0] ? 0 : nS - 1;
    return [e, e, 1];
  }
  let j = 0;
  let k = nS - 1;
  while (k - j > 1) {
    const m = (j + k) >> 1;
    if (c0[m] <= s) j = m;
    else k = m;
  }
  return [j, k, (c0[k] - s) / (c0[k] - c0[j])];
}

export function fibreBins(L: Landscape, gamma: CurveParam, layout: StationLayout, centres: Float64Array): FibreBins {
  const d = L.dim;
  const n = centres.length / d;
  const idx = new Int32Array(2 * n);
  const w = new Float64Array(2 * n);
  const phi = new Float64Array(d);
  const [r0, r1] = layout.range;
  const period = r1 - r0;
  for (let c = 0; c < n; c++) {
    flowToGamma(L, centres.subarray(c * d, c * d + d), phi);
    let s = curveParameterOf(gamma, phi, layout.centre[Math.floor(c / layout.nX)]);
    if (!Number.isFinite(s)) s = layout.centre[Math.floor(c / layout.nX)];
    if (layout.closed) s = r0 + ((((s - r0) % period) + period) % period);
    const [lo, hi, wl] = linearShare(layout.centre, s, layout.closed, period);
    idx[2 * c] = lo;
    idx[2 * c + 1] = hi;
    w[2 * c] = wl;
    w[2 * c + 1] = 1 - wl;
  }
  return { K: 2, idx, w };
}

/** Chart parameters (a, b) of a point on (or next to) a surface: Gauss–Newton on |S(a,b) − p|², from (a0, b0). */
export function surfaceParameterOf(S: SurfaceParam, p: ArrayLike<number>, a0: number, b0: number): [number, number] {
  const x = new Float64Array(3);
  const Sa = new Float64Array(3);
  const Sb = new Float64Array(3);
  let a = a0;
  let b = b0;
  for (let it = 0; it < 50; it++) {
    S.point(a, b, x);
    S.da(a, b, Sa);
    S.db(a, b, Sb);
    let gaa = 0, gab = 0, gbb = 0, ra = 0, rb = 0;
    for (let i = 0; i < 3; i++) {
      const r = x[i] - p[i];
      gaa += Sa[i] * Sa[i];
      gab += Sa[i] * Sb[i];
      gbb += Sb[i] * Sb[i];
      ra += Sa[i] * r;
      rb += Sb[i] * r;
    }
    const det = gaa * gbb - gab * gab;
    const da = (gbb * ra - gab * rb) / det;
    const db = (gaa * rb - gab * ra) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-14 * (1 + Math.abs(a) + Math.abs(b))) break;
  }
  return [a, b];
}

/** Fibre bins on a surface chart: bilinear shares of the four stations around (a, b) of Φ(θ_c). */
export function fibreBinsSurface(L: Landscape, S: SurfaceParam, grid: { shape: readonly number[]; edges: readonly Float64Array[]; alongAxes: readonly number[]; periodic: readonly boolean[] }, layout: StationLayout, centres: Float64Array): FibreBins {
  const n = centres.length / 3;
  const [axA, axB] = grid.alongAxes;
  const na = grid.shape[axA];
  const nb = grid.shape[axB];
  const centreOf = (e: Float64Array) => Float64Array.from({ length: e.length - 1 }, (_, i) => 0.5 * (e[i] + e[i + 1]));
  const cA = centreOf(grid.edges[axA]);
  const cB = centreOf(grid.edges[axB]);
  const pA = grid.edges[axA][na] - grid.edges[axA][0];
  const pB = grid.edges[axB][nb] - grid.edges[axB][0];
  const idx = new Int32Array(4 * n);
  const w = new Float64Array(4 * n);
  const phi = new Float64Array(3);
  for (let c = 0; c < n; c++) {
    flowToGamma(L, centres.subarray(3 * c, 3 * c + 3), phi);
    const j = Math.floor(c / layout.nX);
    let [a, b] = surfaceParameterOf(S, phi, layout.centre[2 * j], layout.centre[2 * j + 1]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      // Gauss–Newton failed (far outside the chart): keep the cell on its own station.
      a = layout.centre[2 * j];
      b = layout.centre[2 * j + 1];
    }
    const [a0, a1, wa] = linearShare(cA, a, grid.periodic[axA], pA);
    const [b0, b1, wb] = linearShare(cB, b, grid.periodic[axB], pB);
    const q = 4 * c;
    idx[q] = a0 + na * b0;
    w[q] = wa * wb;
    idx[q + 1] = a1 + na * b0;
    w[q + 1] = (1 - wa) * wb;
    idx[q + 2] = a0 + na * b1;
    w[q + 2] = wa * (1 - wb);
    idx[q + 3] = a1 + na * b1;
    w[q + 3] = (1 - wa) * (1 - wb);
  }
  return { K: 4, idx, w };
}

