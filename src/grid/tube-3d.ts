/**
 * Tube grid around a space curve γ(s) (DESIGN.md §4), in the rotation-minimising
 * frame (t̂, N₁, N₂) of frames.ts (holonomy of a closed curve removed by a
 * constant twist; see there).
 *
 * Square cross-section (default): ξ = (ν₁, ν₂, s), axes 0, 1 across (ν ∈ [−1, 1]),
 * axis 2 along (periodic when γ is closed); cell (i₀, i₁, j) has index
 * i₀ + n₁(i₁ + n₂ j).
 *   θ = γ(s) + w₁(s)ν₁N₁(s) + w₂(s)ν₂N₂(s)
 *   ∂θ/∂ν₁ = w₁N₁,  ∂θ/∂ν₂ = w₂N₂,
 *   ∂θ/∂s = γ′ + ν₁(w₁′N₁ + w₁N₁′) + ν₂(w₂′N₂ + w₂N₂′)
 *   √g = det J = w₁w₂|γ′| h,  h = 1 − k₁n₁ − k₂n₂,  n_a = w_a ν_a
 *   (the twist and w′ terms are normal to t̂ and drop out of the determinant).
 *
 * Disc cross-section: ξ = (r, φ, s), r ∈ [0, 1] (axis 0), φ ∈ [0, 2π) periodic (axis 1),
 *   θ = γ(s) + r w(s)(cos φ N₁ + sin φ N₂)
 *   ∂θ/∂r = w e,  ∂θ/∂φ = r w e⊥,  ∂θ/∂s = γ′ + r w′ e + r w (cos φ N₁′ + sin φ N₂′),
 *   e = cos φ N₁ + sin φ N₂,  e⊥ = −sin φ N₁ + cos φ N₂,
 *   √g = det J = r w²|γ′| (1 − r w (k₁ cos φ + k₂ sin φ)).
 *   The faces at r = 0 are degenerate (zero area; no flux crosses them).
 *
 * det J > 0 for both (right-handed). Cell volumes are exact in the cross-section
 * (bilinear in ν; polynomial × trigonometric in r, φ, integrated in closed form)
 * and Gauss–Legendre along s (`quadrature` points, default 6). The sum over a
 * full disc ring is π w² ∫|γ′| ds: exact to round-off for an ideal tube around a
 * helix (π w² × length).
 *
 * Validity: h > 0 over the whole cross-section — 1 − |k₁|w₁ − |k₂|w₂ > 0 (square,
 * corners) or 1 − w√(k₁² + k₂²) > 0 (disc) — checked at every along edge, centre
 * and quadrature point; otherwise GridSpecError on `grid.halfWidth`.
 */
import type { CurveParam } from '../landscape/types.js';
import type { StructuredGrid } from './types.js';
import { GridSpecError } from '../util/errors.js';
import { gaussLegendre } from './quadrature.js';
import { focusedEdges, gradedEdges, uniformEdges } from './grading.js';
import type { AlongFocus } from '../case/types.js';
import { RMF, RMF_SIZE, rotationMinimisingFrame, type RotationMinimisingFrame } from './frames.js';
import { checkCount, checkQuadrature, checkWidthValue, fmt, halfWidthFn, wrapPeriodic, type HalfWidth1, type HalfWidthFn } from './spec-checks.js';

export interface TubeSpec3d {
  /** Cells along Γ. */
  along: number;
  /**
   * Cells across: square — n (both axes) or [n₁, n₂]; disc — [n_r, n_φ], or n meaning
   * n_r = ⌈n/2⌉, n_φ = max(8, 4⌈π n_r / 2⌉) (cells of aspect ≈ 1 at the rim).
   */
  across: number | readonly [number, number];
  /** Half-width: one w (both directions / the disc radius) or [w₁, w₂] (square only). */
  halfWidth: HalfWidth1 | readonly [HalfWidth1, HalfWidth1];
  /** Exact derivatives of function half-widths (else centred differences, spec-checks.ts). */
  halfWidthDerivative?: ((s: number) => number) | readonly [((s: number) => number) | undefined, ((s: number) => number) | undefined];
  /** 'square' (default) or 'disc'. */
  crossSection?: 'square' | 'disc';
  /** Grading across: outer/inner cell width ratio (≥ 1; square: both axes from the centre; disc: in r from the axis). */
  grading?: number;
  /** Stations along Γ concentrated on a chart interval (grading.ts `focusedEdges`). */
  alongGrading?: AlongFocus;
  /** Gauss–Legendre points per along cell for volumes (1–16, default 6). */
  quadrature?: number;
  /** A frame to use (default: the cached `rotationMinimisingFrame(gamma)`, shared with `curveFrame3d`). */
  frame?: RotationMinimisingFrame;
}

export interface TubeGrid3d extends StructuredGrid {
  readonly kind: 'tube';
  readonly dim: 3;
  readonly gamma: CurveParam;
  readonly crossSection: 'square' | 'disc';
  readonly frame: RotationMinimisingFrame;
  /** [w₁(s), w₂(s)] into out (equal for the disc). */
  halfWidthAt(s: number, out: Float64Array): Float64Array;
  /** Physical offsets (n₁, n₂) of each cell centre in the frame (N₁, N₂), flat nCells×2. */
  readonly offsets: Float64Array;
}

/** Build the 3D tube grid (see the file comment for coordinates, maps and checks). */
export function tubeGrid3d(gamma: CurveParam, spec: TubeSpec3d): TubeGrid3d {
  if (gamma.dim !== 3) throw new GridSpecError('gamma.param', `tubeGrid3d needs a curve in 3D, got dim ${gamma.dim}`);
  const [s0, s1] = gamma.range;
  if (!(Number.isFinite(s0) && Number.isFinite(s1) && s1 > s0)) throw new GridSpecError('gamma.range', `range [${s0}, ${s1}] must be finite with s1 > s0`);
  const cross = spec.crossSection ?? 'square';
  if (cross !== 'square' && cross !== 'disc') throw new GridSpecError('grid.crossSection', `crossSection ${String(cross)} must be "square" or "disc"`);
  const disc = cross === 'disc';
  const closed = gamma.closed;
  const period = s1 - s0;
  const nA = checkCount('grid.along', spec.along, closed ? 3 : 1);
  const nq = checkQuadrature(spec.quadrature, 6);

  let n0: number;
  let n1: number;
  if (Array.isArray(spec.across)) {
    if (spec.across.length !== 2) throw new GridSpecError('grid.across', `across must be a number or a pair, got ${spec.across.length} entries`);
    n0 = checkCount('grid.across[0]', spec.across[0]);
    n1 = checkCount('grid.across[1]', spec.across[1], disc ? 3 : 1);
  } else {
    const n = checkCount('grid.across', spec.across);
    if (disc) {
      n0 = Math.ceil(n / 2);
      n1 = Math.max(8, 4 * Math.ceil((Math.PI * n0) / 2));
    } else {
      n0 = n;
      n1 = n;
    }
  }

  let W1: HalfWidthFn;
  let W2: HalfWidthFn;
  const dws = spec.halfWidthDerivative;
  const dw1 = Array.isArray(dws) ? dws[0] : (dws as ((s: number) => number) | undefined);
  const dw2 = Array.isArray(dws) ? dws[1] : (dws as ((s: number) => number) | undefined);
  if (Array.isArray(spec.halfWidth)) {
    if (disc) throw new GridSpecError('grid.halfWidth', 'a disc cross-section takes one half-width (the radius), not a pair');
    if (spec.halfWidth.length !== 2) throw new GridSpecError('grid.halfWidth', `half-width must be one value or a pair, got ${spec.halfWidth.length} entries`);
    W1 = halfWidthFn('grid.halfWidth[0]', spec.halfWidth[0], dw1, [s0, s1], closed);
    W2 = halfWidthFn('grid.halfWidth[1]', spec.halfWidth[1], dw2, [s0, s1], closed);
  } else {
    W1 = halfWidthFn('grid.halfWidth', spec.halfWidth as HalfWidth1, dw1, [s0, s1], closed);
    W2 = W1;
  }

  const frame = spec.frame ?? rotationMinimisingFrame(gamma);
  if (frame.gamma !== gamma) throw new GridSpecError('grid.frame', 'the frame given was built for another curve');

  const grading = spec.grading ?? 1;
  const e0 = disc ? gradedEdges(n0, grading, false) : gradedEdges(n0, grading, true);
  const e1 = disc ? uniformEdges(n1, 0, 2 * Math.PI) : gradedEdges(n1, grading, true);
  const eS = focusedEdges(nA, s0, s1, spec.alongGrading);
  const nCells = n0 * n1 * nA;
  const F = new Float64Array(RMF_SIZE);
  const P = new Float64Array(3);

  // ---- validity and volumes
  const gl = gaussLegendre(nq);
  const volumes = new Float64Array(nCells);
  let worstH = Infinity;
  let worstS = s0;
  let worstW1 = 0;
  let worstW2 = 0;
  let worstK = 0;
  const probe = (s: number): void => {
    frame.evalInto(s, F);
    const w1 = W1.value(s);
    const w2 = W2.value(s);
    checkWidthValue('grid.halfWidth', w1, `s = ${fmt(s)}`);
    checkWidthValue('grid.halfWidth', w2, `s = ${fmt(s)}`);
    const k1 = F[RMF.K1];
    const k2 = F[RMF.K2];
    const h = disc ? 1 - w1 * Math.hypot(k1, k2) : 1 - Math.abs(k1) * w1 - Math.abs(k2) * w2;
    if (h < worstH) {
      worstH = h;
      worstS = s;
      worstW1 = w1;
      worstW2 = w2;
      worstK = Math.hypot(k1, k2);
    }
  };
  for (let j = 0; j <= nA; j++) probe(eS[j]);
  // Per-cell cross-section integrals that do not depend on s.
  const d0 = new Float64Array(n0); // Δν₁ or Δ(r²)/2
  const q0 = new Float64Array(n0); // Δ(ν₁²)/2 or Δ(r³)/3
  const d1a = new Float64Array(n1); // Δν₂ or Δφ
  const q1 = new Float64Array(n1); // Δ(ν₂²)/2 (square)
  const cs = new Float64Array(n1); // sin φb − sin φa (disc)
  const cc = new Float64Array(n1); // cos φb − cos φa (disc)
  for (let i = 0; i < n0; i++) {
    const a = e0[i];
    const b = e0[i + 1];
    if (disc) {
      d0[i] = 0.5 * (b * b - a * a);
      q0[i] = (b * b * b - a * a * a) / 3;
    } else {
      d0[i] = b - a;
      q0[i] = 0.5 * (b * b - a * a);
    }
  }
  for (let i = 0; i < n1; i++) {
    const a = e1[i];
    const b = e1[i + 1];
    d1a[i] = b - a;
    q1[i] = 0.5 * (b * b - a * a);
    cs[i] = Math.sin(b) - Math.sin(a);
    cc[i] = Math.cos(b) - Math.cos(a);
  }
  for (let j = 0; j < nA; j++) {
    const a = eS[j];
    const hs = eS[j + 1] - a;
    probe(a + 0.5 * hs);
    for (let q = 0; q < nq; q++) {
      const s = a + 0.5 * hs * (gl.nodes[q] + 1);
      probe(s); // leaves the frame at s in F
      const w1 = W1.value(s);
      const w2 = W2.value(s);
      const k1 = F[RMF.K1];
      const k2 = F[RMF.K2];
      const f = 0.5 * hs * gl.weights[q] * w1 * w2 * F[RMF.SPEED];
      for (let i1 = 0; i1 < n1; i1++) {
        for (let i0 = 0; i0 < n0; i0++) {
          const v = disc
            ? d1a[i1] * d0[i0] - w1 * q0[i0] * (k1 * cs[i1] - k2 * cc[i1])
            : d0[i0] * d1a[i1] - k1 * w1 * q0[i0] * d1a[i1] - k2 * w2 * d0[i0] * q1[i1];
          volumes[i0 + n0 * (i1 + n1 * j)] += f * v;
        }
      }
    }
  }
  if (worstH <= 0) {
    let msg: string;
    if (disc) {
      msg = W1.constant
        ? `tube half-width ${fmt(worstW1)} exceeds 1/max|κ| = ${fmt(1 / worstK)} at s = ${fmt(worstS)} — reduce halfWidth or eta`
        : `tube half-width ${fmt(worstW1)} at s = ${fmt(worstS)} exceeds 1/|κ| = ${fmt(1 / worstK)} there — reduce halfWidth or eta`;
    } else {
      msg = `tube half-widths (${fmt(worstW1)}, ${fmt(worstW2)}) give h = 1 − k₁n₁ − k₂n₂ = ${fmt(worstH)} ≤ 0 at a corner at s = ${fmt(worstS)} (|κ| = ${fmt(worstK)}, 1/|κ| = ${fmt(1 / worstK)}; need |k₁|w₁ + |k₂|w₂ < 1) — reduce halfWidth or eta`;
    }
    throw new GridSpecError('grid.halfWidth', msg);
  }

  const map = (xi: ArrayLike<number>, theta: Float64Array, jac: Float64Array | null): void => {
    const s = closed ? wrapPeriodic(xi[2], s0, period) : xi[2];
    gamma.point(s, P);
    frame.evalInto(s, F);
    if (disc) {
      const r = xi[0];
      const c = Math.cos(xi[1]);
      const sn = Math.sin(xi[1]);
      const w = W1.value(s);
      const rw = r * w;
      for (let i = 0; i < 3; i++) {
        const e = c * F[RMF.N1 + i] + sn * F[RMF.N2 + i];
        theta[i] = P[i] + rw * e;
      }
      if (jac) {
        const wp = W1.deriv(s);
        for (let i = 0; i < 3; i++) {
          const e = c * F[RMF.N1 + i] + sn * F[RMF.N2 + i];
          const ep = -sn * F[RMF.N1 + i] + c * F[RMF.N2 + i];
          jac[3 * i] = w * e;
          jac[3 * i + 1] = rw * ep;
          jac[3 * i + 2] = F[RMF.D1 + i] + r * wp * e + rw * (c * F[RMF.DN1 + i] + sn * F[RMF.DN2 + i]);
        }
      }
    } else {
      const v1 = xi[0];
      const v2 = xi[1];
      const w1 = W1.value(s);
      const w2 = W2.value(s);
      for (let i = 0; i < 3; i++) theta[i] = P[i] + v1 * w1 * F[RMF.N1 + i] + v2 * w2 * F[RMF.N2 + i];
      if (jac) {
        const w1p = W1.deriv(s);
        const w2p = W2.deriv(s);
        for (let i = 0; i < 3; i++) {
          jac[3 * i] = w1 * F[RMF.N1 + i];
          jac[3 * i + 1] = w2 * F[RMF.N2 + i];
          jac[3 * i + 2] =
            F[RMF.D1 + i] + v1 * (w1p * F[RMF.N1 + i] + w1 * F[RMF.DN1 + i]) + v2 * (w2p * F[RMF.N2 + i] + w2 * F[RMF.DN2 + i]);
        }
      }
    }
  };

  const centres = new Float64Array(3 * nCells);
  const xiCentres = new Float64Array(3 * nCells);
  const offsets = new Float64Array(2 * nCells);
  const xi = new Float64Array(3);
  const th = new Float64Array(3);
  for (let j = 0; j < nA; j++) {
    const s = 0.5 * (eS[j] + eS[j + 1]);
    const w1 = W1.value(s);
    const w2 = W2.value(s);
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i0 = 0; i0 < n0; i0++) {
        const c = i0 + n0 * (i1 + n1 * j);
        xi[0] = 0.5 * (e0[i0] + e0[i0 + 1]);
        xi[1] = 0.5 * (e1[i1] + e1[i1 + 1]);
        xi[2] = s;
        map(xi, th, null);
        for (let k = 0; k < 3; k++) {
          centres[3 * c + k] = th[k];
          xiCentres[3 * c + k] = xi[k];
        }
        if (disc) {
          offsets[2 * c] = xi[0] * w1 * Math.cos(xi[1]);
          offsets[2 * c + 1] = xi[0] * w1 * Math.sin(xi[1]);
        } else {
          offsets[2 * c] = xi[0] * w1;
          offsets[2 * c + 1] = xi[1] * w2;
        }
      }
    }
  }

  return {
    kind: 'tube',
    dim: 3,
    shape: [n0, n1, nA],
    periodic: [false, disc, closed],
    edges: [e0, e1, eS],
    alongAxes: [2],
    acrossAxes: [0, 1],
    nCells,
    centres,
    xiCentres,
    volumes,
    map,
    gamma,
    crossSection: cross,
    frame,
    halfWidthAt: (s: number, out: Float64Array) => {
      const ss = closed ? wrapPeriodic(s, s0, period) : s;
      out[0] = W1.value(ss);
      out[1] = W2.value(ss);
      return out;
    },
    offsets,
  };
}
