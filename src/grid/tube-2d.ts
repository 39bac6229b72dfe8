/**
 * Tube grid around a plane curve γ(s) (DESIGN.md §4).
 *
 * Computational coordinates ξ = (ν, s): axis 0 = ν ∈ [−1, 1] across Γ (fastest),
 * axis 1 = s ∈ [s₀, s₁] along Γ (periodic when γ is closed). Cell (i, j) has
 * index i + n_ν·j.
 *
 * Map  θ = γ(s) + n n̂(s),  n = w(s) ν,
 * with the Frenet frame (t̂, n̂ = left normal, signed curvature κ; see frames.ts)
 * and half-width w(s). Exact Jacobian (jac[i*2 + a] = ∂θᵢ/∂ξₐ):
 *   ∂θ/∂ν = w n̂,
 *   ∂θ/∂s = γ′ + ν (w′ n̂ + w n̂′) = |γ′|(1 − κn) t̂ + ν w′ n̂,   n̂′ = −κ|γ′| t̂.
 * For constant w the coordinates are orthogonal (w′ = 0); a varying w adds the
 * cross term ν w′ n̂. det J = −w|γ′|(1 − κn) (ν, s is a left-handed pair with the
 * left normal), so √g = |det J| = w|γ′|(1 − κ w ν).
 *
 * Cell volumes: ∫∫ √g dν ds. In ν the integral is exact:
 *   ∫_{νa}^{νb} √g dν = w|γ′| (Δν − κ w (νb² − νa²)/2);
 * along s it is Gauss–Legendre with `quadrature` points per cell (default 6,
 * exact for polynomials of degree 11; error O(Δs¹²) per cell for smooth γ, w;
 * exact to round-off for a circle with constant w).
 *
 * Validity: h = 1 − κn > 0 across the whole tube, i.e. w(s)|κ(s)| < 1, checked at
 * every cell edge, centre and quadrature point along s; otherwise GridSpecError on
 * `grid.halfWidth` with the width, the limit 1/|κ| and the place s. (Global
 * injectivity of the map — a tube wide enough to reach another part of the
 * curve — is not checked.)
 */
import type { CurveParam } from '../landscape/types.js';
import type { StructuredGrid } from './types.js';
import { GridSpecError } from '../util/errors.js';
import { gaussLegendre } from './quadrature.js';
import { focusedEdges, gradedEdges } from './grading.js';
import type { AlongFocus } from '../case/types.js';
import { checkCount, checkQuadrature, checkWidthValue, fmt, halfWidthFn, wrapPeriodic, type HalfWidth1 } from './spec-checks.js';

export interface TubeSpec2d {
  /** Cells along Γ. */
  along: number;
  /** Cells across Γ (over ν ∈ [−1, 1]). */
  across: number;
  /** Half-width w: a constant (orthogonal coordinates) or a function of s (> 0). */
  halfWidth: HalfWidth1;
  /** Exact w′(s); without it a function's derivative is a centred difference (spec-checks.ts). */
  halfWidthDerivative?: (s: number) => number;
  /** Ratio of the outermost to the innermost cell width across (≥ 1, default 1). */
  grading?: number;
  /** Stations along Γ concentrated on a chart interval (grading.ts `focusedEdges`). */
  alongGrading?: AlongFocus;
  /** Gauss–Legendre points per along cell for the volumes (1–16, default 6). */
  quadrature?: number;
}

export interface TubeGrid2d extends StructuredGrid {
  readonly kind: 'tube';
  readonly dim: 2;
  readonly gamma: CurveParam;
  /** w(s). */
  halfWidthAt(s: number): number;
  /** Physical offset n = w(s_c) ν_c of each cell centre across Γ (length nCells). */
  readonly offsets: Float64Array;
}

/** Build the 2D tube grid (see the file comment for coordinates, map and checks). */
export function tubeGrid2d(gamma: CurveParam, spec: TubeSpec2d): TubeGrid2d {
  if (gamma.dim !== 2) throw new GridSpecError('gamma.param', `tubeGrid2d needs a curve in 2D, got dim ${gamma.dim}`);
  const [s0, s1] = gamma.range;
  if (!(Number.isFinite(s0) && Number.isFinite(s1) && s1 > s0)) throw new GridSpecError('gamma.range', `range [${s0}, ${s1}] must be finite with s1 > s0`);
  const nA = checkCount('grid.along', spec.along, gamma.closed ? 3 : 1);
  const nX = checkCount('grid.across', spec.across);
  const nq = checkQuadrature(spec.quadrature, 6);
  const closed = gamma.closed;
  const period = s1 - s0;
  const W = halfWidthFn('grid.halfWidth', spec.halfWidth, spec.halfWidthDerivative, [s0, s1], closed);

  const eNu = gradedEdges(nX, spec.grading ?? 1, true);
  const eS = focusedEdges(nA, s0, s1, spec.alongGrading);
  const nCells = nX * nA;

  const d1 = new Float64Array(2);
  const d2 = new Float64Array(2);
  const P = new Float64Array(2);

  // ---- validity (w|κ| < 1) and volumes, along-cell by along-cell
  const gl = gaussLegendre(nq);
  const volumes = new Float64Array(nCells);
  let worst = -Infinity;
  let worstS = s0;
  let worstW = 0;
  let worstK = 0;
  const probe = (s: number): { sp: number; kappa: number; w: number } => {
    gamma.d1(s, d1);
    gamma.d2(s, d2);
    const sp = Math.hypot(d1[0], d1[1]);
    if (!(sp > 0) || !Number.isFinite(sp)) throw new GridSpecError('gamma.param', `curve is singular (|γ′| = ${sp}) at s = ${fmt(s)}`);
    const kappa = (d1[0] * d2[1] - d1[1] * d2[0]) / (sp * sp * sp);
    const w = W.value(s);
    checkWidthValue('grid.halfWidth', w, `s = ${fmt(s)}`);
    const r = w * Math.abs(kappa);
    if (r > worst) {
      worst = r;
      worstS = s;
      worstW = w;
      worstK = kappa;
    }
    return { sp, kappa, w };
  };
  for (let j = 0; j <= nA; j++) probe(eS[j]);
  for (let j = 0; j < nA; j++) {
    const a = eS[j];
    const hs = eS[j + 1] - a;
    probe(a + 0.5 * hs);
    for (let q = 0; q < nq; q++) {
      const { sp, kappa, w } = probe(a + 0.5 * hs * (gl.nodes[q] + 1));
      const f = 0.5 * hs * gl.weights[q] * w * sp;
      for (let i = 0; i < nX; i++) {
        const na = eNu[i];
        const nb = eNu[i + 1];
        volumes[i + nX * j] += f * (nb - na - 0.5 * kappa * w * (nb * nb - na * na));
      }
    }
  }
  if (worst >= 1) {
    const msg = W.constant
      ? `tube half-width ${fmt(worstW)} exceeds 1/max|κ| = ${fmt(1 / Math.abs(worstK))} at s = ${fmt(worstS)} — reduce halfWidth or eta`
      : `tube half-width ${fmt(worstW)} at s = ${fmt(worstS)} exceeds 1/|κ| = ${fmt(1 / Math.abs(worstK))} there — reduce halfWidth or eta`;
    throw new GridSpecError('grid.halfWidth', msg);
  }

  const map = (xi: ArrayLike<number>, theta: Float64Array, jac: Float64Array | null): void => {
    const nu = xi[0];
    const s = closed ? wrapPeriodic(xi[1], s0, period) : xi[1];
    gamma.point(s, P);
    gamma.d1(s, d1);
    const sp = Math.hypot(d1[0], d1[1]);
    const tx = d1[0] / sp;
    const ty = d1[1] / sp;
    const nx = -ty;
    const ny = tx;
    const w = W.value(s);
    theta[0] = P[0] + nu * w * nx;
    theta[1] = P[1] + nu * w * ny;
    if (jac) {
      gamma.d2(s, d2);
      const ks = (d1[0] * d2[1] - d1[1] * d2[0]) / (sp * sp); // κ|γ′|
      const wp = W.deriv(s);
      jac[0] = w * nx;
      jac[2] = w * ny;
      jac[1] = d1[0] + nu * (wp * nx - w * ks * tx);
      jac[3] = d1[1] + nu * (wp * ny - w * ks * ty);
    }
  };

  const centres = new Float64Array(2 * nCells);
  const xiCentres = new Float64Array(2 * nCells);
  const offsets = new Float64Array(nCells);
  const xi = new Float64Array(2);
  const th = new Float64Array(2);
  for (let j = 0; j < nA; j++) {
    const s = 0.5 * (eS[j] + eS[j + 1]);
    const w = W.value(s);
    for (let i = 0; i < nX; i++) {
      const c = i + nX * j;
      xi[0] = 0.5 * (eNu[i] + eNu[i + 1]);
      xi[1] = s;
      map(xi, th, null);
      centres[2 * c] = th[0];
      centres[2 * c + 1] = th[1];
      xiCentres[2 * c] = xi[0];
      xiCentres[2 * c + 1] = s;
      offsets[c] = w * xi[0];
    }
  }

  return {
    kind: 'tube',
    dim: 2,
    shape: [nX, nA],
    periodic: [false, closed],
    edges: [eNu, eS],
    alongAxes: [1],
    acrossAxes: [0],
    nCells,
    centres,
    xiCentres,
    volumes,
    map,
    gamma,
    halfWidthAt: (s: number) => W.value(closed ? wrapPeriodic(s, s0, period) : s),
    offsets,
  };
}
