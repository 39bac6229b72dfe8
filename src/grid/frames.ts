/**
 * Frames along a curve γ(s) (s the curve's own parameter, not arclength).
 *
 * 2D — Frenet frame: t̂ = γ′/|γ′|, n̂ = rot₊₉₀(t̂) = (−t̂_y, t̂_x) (left normal),
 *   signed curvature κ = (γ′ₓγ″_y − γ′_yγ″ₓ)/|γ′|³, so dt̂/ds = κ|γ′| n̂, dn̂/ds = −κ|γ′| t̂
 *   and the scale factor of θ = γ(s) + n n̂(s) is h_s = 1 − κn.
 *
 * 3D — rotation-minimising frame (RMF, "Bishop frame") (t̂, N₁, N₂), N₂ = t̂ × N₁:
 *   dN₁/dσ = −k₁ t̂, dN₂/dσ = −k₂ t̂, dt̂/dσ = k₁N₁ + k₂N₂ (σ = arclength),
 *   so θ = γ + n₁N₁ + n₂N₂ has h = 1 − k₁n₁ − k₂n₂ and no twist cross terms.
 *   Construction: an analytic normal frame (U, V) from a fixed reference vector a,
 *     U = p/|p|, p = a − (a·t̂)t̂,   V = t̂ × U,
 *   (a is chosen among 128 directions to keep |t̂ × a| as large as possible),
 *   and N₁ = cos ψ U + sin ψ V, N₂ = −sin ψ U + cos ψ V. The RMF condition
 *   N₁′·N₂ = 0 is the scalar ODE ψ′ = −U′·V (U′, V′ exact from γ″), integrated
 *   from ψ(s₀) = 0 by 6-point Gauss–Legendre on a fine knot grid (default 2048
 *   intervals, error ~h¹²), then represented by the C² quintic Hermite interpolant
 *   of (ψ, ψ′, ψ″) at the knots (ψ″ by a fine difference of the exact ψ′); the
 *   twist it leaves, N₁′·N₂ ≠ 0, is ~h⁵ψ⁽⁶⁾ (measured ≤ 10⁻¹¹ on a trefoil). This is an
 *   exact reformulation of the RMF ODE N′ = −(N·t̂′)t̂; it plays the role of the
 *   double-reflection method of Wang, Jüttler, Zheng & Liu, "Computation of
 *   rotation minimizing frames", ACM Trans. Graph. 27(1), 2008 (which the tests
 *   use as an independent check). The map and its Jacobian use the same
 *   interpolant and its exact derivative, so ∂θ/∂s is the exact derivative of
 *   the map even where the frame deviates from the ideal RMF by ~10⁻¹³.
 *   Closed curves: the RMF does not close in general; the holonomy angle α (the
 *   frame's rotation after one loop, reduced mod 2π to |α| ≤ π) is removed linearly in
 *   arclength: ψ(s) = ψ_RMF(s) − α σ(s)/L. The frame then closes exactly and has
 *   a constant twist τ = N₁′·N₂/|γ′| = −α/L per unit length (giving small
 *   cross terms in the metric, which the exact Jacobian carries).
 */
import type { CurveParam } from '../landscape/types.js';
import { NumericalError, GridSpecError } from '../util/errors.js';
import { gaussLegendre } from './quadrature.js';
import { wrapPeriodic } from './spec-checks.js';

// ---------------------------------------------------------------- 2D Frenet

/** Layout of `frenetFrame2d` output: [t̂x, t̂y, n̂x, n̂y, κ, |γ′|]. */
export const FRENET2D_SIZE = 6;
const f2d1 = new Float64Array(2);
const f2d2 = new Float64Array(2);

/**
 * Frenet frame of a plane curve at s into out = [t̂x, t̂y, n̂x, n̂y, κ, |γ′|]
 * (n̂ = left normal, κ signed: > 0 when the curve turns towards n̂).
 */
export function frenetFrame2d(gamma: CurveParam, s: number, out: Float64Array): Float64Array {
  gamma.d1(s, f2d1);
  gamma.d2(s, f2d2);
  const sp = Math.hypot(f2d1[0], f2d1[1]);
  const tx = f2d1[0] / sp;
  const ty = f2d1[1] / sp;
  out[0] = tx;
  out[1] = ty;
  out[2] = -ty;
  out[3] = tx;
  out[4] = (f2d1[0] * f2d2[1] - f2d1[1] * f2d2[0]) / (sp * sp * sp);
  out[5] = sp;
  return out;
}

// ---------------------------------------------------------------- 3D RMF

/** A frame along a space curve at one s (allocated; for setup and theory code). */
export interface CurveFrame3d {
  /** Unit tangent t̂. */
  t: Float64Array;
  /** Normal frame vectors (N₂ = t̂ × N₁). */
  N1: Float64Array;
  N2: Float64Array;
  /** Curvature components dt̂/dσ = k₁N₁ + k₂N₂ (σ = arclength). */
  k1: number;
  k2: number;
  /** |γ′(s)|. */
  speed: number;
  /** N₁′·N₂ per unit arclength (0 for a true RMF; −holonomy/L on a closed curve). */
  twist: number;
}

/** Offsets into the buffer filled by `RotationMinimisingFrame.evalInto` (length RMF_SIZE). */
export const RMF = {
  D1: 0, // γ′ (3)
  T: 3, // t̂ (3)
  N1: 6, // N₁ (3)
  N2: 9, // N₂ (3)
  DN1: 12, // dN₁/ds (3), s = the curve parameter
  DN2: 15, // dN₂/ds (3)
  SPEED: 18, // |γ′|
  K1: 19,
  K2: 20,
  TWIST: 21, // N₁′·N₂/|γ′|
} as const;
export const RMF_SIZE = 22;

/** Offsets in RotationMinimisingFrame's private `base` buffer (t̂, U, V, U′, V′, t̂′ occupy 0–17). */
const BF = { SPEED: 18, DPHI: 19 } as const;

export interface RmfOptions {
  /** Knot intervals of the ψ interpolant over the range (default 2048). */
  knots?: number;
}

/** Directions on the unit sphere (Fibonacci lattice), candidates for the reference vector a. */
function fibonacciSphere(n: number): Float64Array {
  const out = new Float64Array(3 * n);
  const ga = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const z = 1 - (2 * i + 1) / n;
    const r = Math.sqrt(1 - z * z);
    out[3 * i] = r * Math.cos(ga * i);
    out[3 * i + 1] = r * Math.sin(ga * i);
    out[3 * i + 2] = z;
  }
  return out;
}

/** The rotation-minimising frame of a 3D curve (see the file comment for the construction). */
export class RotationMinimisingFrame {
  readonly gamma: CurveParam;
  /** Reference vector a of the analytic frame (U, V). */
  readonly reference: Float64Array;
  /** Holonomy angle removed on a closed curve (rad, in (−π, π]); 0 for an open curve. */
  readonly holonomy: number;
  /** Arclength of γ over its range. */
  readonly length: number;
  /** Constant twist per unit length added to close the frame (−holonomy/length). */
  readonly twistRate: number;
  private readonly s0: number;
  private readonly h: number;
  private readonly K: number;
  private readonly period: number;
  private readonly psi: Float64Array;
  private readonly dpsi: Float64Array;
  private readonly d2psi: Float64Array;
  // scratch (no allocation per call)
  private readonly d1 = new Float64Array(3);
  private readonly d2 = new Float64Array(3);
  private readonly base = new Float64Array(20);

  constructor(gamma: CurveParam, options: RmfOptions = {}) {
    if (gamma.dim !== 3) throw new GridSpecError('gamma.param', `a rotation-minimising frame needs a curve in 3D, got dim ${gamma.dim}`);
    const [s0, s1] = gamma.range;
    if (!(s1 > s0)) throw new GridSpecError('gamma.range', `range [${s0}, ${s1}] must have s1 > s0`);
    const K = options.knots ?? 2048;
    if (!Number.isInteger(K) || K < 8) throw new GridSpecError('grid.frameKnots', `frame knots ${K} must be an integer ≥ 8`);
    this.gamma = gamma;
    this.s0 = s0;
    this.K = K;
    this.h = (s1 - s0) / K;
    this.period = s1 - s0;
    this.reference = this.chooseReference();

    // Integrate φ′ = −U′·V and σ′ = |γ′| over each knot interval by Gauss–Legendre (6 points).
    const gl = gaussLegendre(6);
    const phi = new Float64Array(K + 1);
    const sig = new Float64Array(K + 1);
    const dphi = new Float64Array(K + 1);
    const speed = new Float64Array(K + 1);
    const b = this.base;
    for (let k = 0; k <= K; k++) {
      this.baseFrame(k === K ? s1 : s0 + k * this.h);
      dphi[k] = b[BF.DPHI];
      speed[k] = b[BF.SPEED];
    }
    for (let k = 0; k < K; k++) {
      const a = s0 + k * this.h;
      let ip = 0;
      let is = 0;
      for (let q = 0; q < gl.nodes.length; q++) {
        this.baseFrame(a + 0.5 * this.h * (gl.nodes[q] + 1));
        ip += gl.weights[q] * b[BF.DPHI];
        is += gl.weights[q] * b[BF.SPEED];
      }
      phi[k + 1] = phi[k] + 0.5 * this.h * ip;
      sig[k + 1] = sig[k] + 0.5 * this.h * is;
    }
    const L = sig[K];
    let alpha = 0;
    if (gamma.closed) {
      alpha = phi[K] - 2 * Math.PI * Math.round(phi[K] / (2 * Math.PI));
    }
    this.holonomy = alpha;
    this.length = L;
    this.twistRate = -alpha / L;
    this.psi = new Float64Array(K + 1);
    this.dpsi = new Float64Array(K + 1);
    this.d2psi = new Float64Array(K + 1);
    for (let k = 0; k <= K; k++) {
      this.psi[k] = phi[k] - (alpha * sig[k]) / L;
      this.dpsi[k] = dphi[k] - (alpha * speed[k]) / L;
    }
    // ψ″ at the knots by differences of the exact ψ′ (step δ = 10⁻³h: error ~10⁻⁶h²ψ⁗ + ε|ψ′|/δ;
    // one-sided second-order at the ends of an open curve, so γ is never evaluated outside its range).
    const d = 1e-3 * this.h;
    const dp = (s: number): number => {
      this.baseFrame(gamma.closed ? wrapPeriodic(s, s0, this.period) : s);
      return b[BF.DPHI] - (alpha * b[BF.SPEED]) / L;
    };
    for (let k = 0; k <= K; k++) {
      const s = k === K ? s1 : s0 + k * this.h;
      if (gamma.closed || (k > 0 && k < K)) this.d2psi[k] = (dp(s + d) - dp(s - d)) / (2 * d);
      else if (k === 0) this.d2psi[k] = (-3 * this.dpsi[k] + 4 * dp(s + d) - dp(s + 2 * d)) / (2 * d);
      else this.d2psi[k] = (3 * this.dpsi[k] - 4 * dp(s - d) + dp(s - 2 * d)) / (2 * d);
    }
  }

  /** Pick a among Fibonacci directions maximising min over samples of |t̂ × a|. */
  private chooseReference(): Float64Array {
    const cand = fibonacciSphere(128);
    const nc = 128;
    const score = new Float64Array(nc).fill(Infinity);
    const ns = Math.max(this.K, 512);
    const d1 = this.d1;
    for (let j = 0; j <= ns; j++) {
      this.gamma.d1(this.s0 + (this.period * j) / ns, d1);
      const sp = Math.hypot(d1[0], d1[1], d1[2]);
      if (!(sp > 0)) throw new GridSpecError('gamma.param', `curve is singular (γ′ = 0) at s = ${this.s0 + (this.period * j) / ns}`);
      const tx = d1[0] / sp;
      const ty = d1[1] / sp;
      const tz = d1[2] / sp;
      for (let c = 0; c < nc; c++) {
        const ax = cand[3 * c];
        const ay = cand[3 * c + 1];
        const az = cand[3 * c + 2];
        const cx = ty * az - tz * ay;
        const cy = tz * ax - tx * az;
        const cz = tx * ay - ty * ax;
        const m = Math.hypot(cx, cy, cz);
        if (m < score[c]) score[c] = m;
      }
    }
    let best = 0;
    for (let c = 1; c < nc; c++) if (score[c] > score[best]) best = c;
    if (!(score[best] > 0.05)) {
      throw new NumericalError(`rotation-minimising frame: the tangent of γ comes within ${score[best]} of every reference direction; cannot build a smooth normal frame`, { score: score[best] });
    }
    return cand.slice(3 * best, 3 * best + 3);
  }

  /**
   * The analytic frame (U, V) and its s-derivatives at s into this.base:
   * [t̂(3), U(3), V(3), U′(3), V′(3), t̂′(3), |γ′|, φ′ = −U′·V]; γ′ stays in this.d1.
   */
  private baseFrame(s: number): void {
    const g = this.gamma;
    const d1 = this.d1;
    const d2 = this.d2;
    const b = this.base;
    g.d1(s, d1);
    g.d2(s, d2);
    const sp = Math.hypot(d1[0], d1[1], d1[2]);
    if (!(sp > 0)) throw new GridSpecError('gamma.param', `curve is singular (γ′ = 0) at s = ${s}`);
    const tx = d1[0] / sp;
    const ty = d1[1] / sp;
    const tz = d1[2] / sp;
    // dt̂/ds = (γ″ − (γ″·t̂)t̂)/|γ′|
    const d2t = d2[0] * tx + d2[1] * ty + d2[2] * tz;
    const tpx = (d2[0] - d2t * tx) / sp;
    const tpy = (d2[1] - d2t * ty) / sp;
    const tpz = (d2[2] - d2t * tz) / sp;
    const a = this.reference;
    const at = a[0] * tx + a[1] * ty + a[2] * tz;
    const px = a[0] - at * tx;
    const py = a[1] - at * ty;
    const pz = a[2] - at * tz;
    const pn = Math.hypot(px, py, pz);
    if (!(pn > 1e-3)) throw new NumericalError(`rotation-minimising frame: tangent nearly parallel to the reference direction at s = ${s}`, { s, pn });
    const ux = px / pn;
    const uy = py / pn;
    const uz = pz / pn;
    // p′ = −(a·t̂′)t̂ − (a·t̂)t̂′ ;  U′ = (p′ − (p′·U)U)/|p|
    const atp = a[0] * tpx + a[1] * tpy + a[2] * tpz;
    const ppx = -atp * tx - at * tpx;
    const ppy = -atp * ty - at * tpy;
    const ppz = -atp * tz - at * tpz;
    const ppu = ppx * ux + ppy * uy + ppz * uz;
    const upx = (ppx - ppu * ux) / pn;
    const upy = (ppy - ppu * uy) / pn;
    const upz = (ppz - ppu * uz) / pn;
    // V = t̂ × U ;  V′ = t̂′ × U + t̂ × U′
    const vx = ty * uz - tz * uy;
    const vy = tz * ux - tx * uz;
    const vz = tx * uy - ty * ux;
    const vpx = tpy * uz - tpz * uy + (ty * upz - tz * upy);
    const vpy = tpz * ux - tpx * uz + (tz * upx - tx * upz);
    const vpz = tpx * uy - tpy * ux + (tx * upy - ty * upx);
    b[0] = tx; b[1] = ty; b[2] = tz;
    b[3] = ux; b[4] = uy; b[5] = uz;
    b[6] = vx; b[7] = vy; b[8] = vz;
    b[9] = upx; b[10] = upy; b[11] = upz;
    b[12] = vpx; b[13] = vpy; b[14] = vpz;
    b[15] = tpx; b[16] = tpy; b[17] = tpz;
    b[BF.SPEED] = sp;
    b[BF.DPHI] = -(upx * vx + upy * vy + upz * vz);
  }

  /**
   * The frame and its s-derivatives at s into out (length RMF_SIZE, offsets RMF).
   * s is wrapped into the range for a closed curve. Allocation-free.
   */
  evalInto(s: number, out: Float64Array): Float64Array {
    if (this.gamma.closed) s = wrapPeriodic(s, this.s0, this.period);
    this.baseFrame(s);
    const b = this.base;
    // Quintic Hermite interpolant of ψ (values, ψ′, ψ″ at the knots) and its exact derivative.
    let k = Math.floor((s - this.s0) / this.h);
    if (k < 0) k = 0;
    if (k > this.K - 1) k = this.K - 1;
    const h = this.h;
    const x = (s - this.s0 - k * h) / h;
    const x2 = x * x;
    const x3 = x2 * x;
    const x4 = x3 * x;
    const x5 = x4 * x;
    const p0 = this.psi[k];
    const p1 = this.psi[k + 1];
    const m0 = h * this.dpsi[k];
    const m1 = h * this.dpsi[k + 1];
    const a0 = h * h * this.d2psi[k];
    const a1 = h * h * this.d2psi[k + 1];
    const psi =
      p0 * (1 - 10 * x3 + 15 * x4 - 6 * x5) +
      m0 * (x - 6 * x3 + 8 * x4 - 3 * x5) +
      a0 * (0.5 * x2 - 1.5 * x3 + 1.5 * x4 - 0.5 * x5) +
      p1 * (10 * x3 - 15 * x4 + 6 * x5) +
      m1 * (-4 * x3 + 7 * x4 - 3 * x5) +
      a1 * (0.5 * x3 - x4 + 0.5 * x5);
    const dpsi =
      ((p1 - p0) * (30 * x2 - 60 * x3 + 30 * x4) +
        m0 * (1 - 18 * x2 + 32 * x3 - 15 * x4) +
        a0 * (x - 4.5 * x2 + 6 * x3 - 2.5 * x4) +
        m1 * (-12 * x2 + 28 * x3 - 15 * x4) +
        a1 * (1.5 * x2 - 4 * x3 + 2.5 * x4)) /
      h;
    const c = Math.cos(psi);
    const sn = Math.sin(psi);
    const sp = b[BF.SPEED];
    for (let i = 0; i < 3; i++) {
      const u = b[3 + i];
      const v = b[6 + i];
      const up = b[9 + i];
      const vp = b[12 + i];
      const n1 = c * u + sn * v;
      const n2 = -sn * u + c * v;
      out[RMF.D1 + i] = this.d1[i];
      out[RMF.T + i] = b[i];
      out[RMF.N1 + i] = n1;
      out[RMF.N2 + i] = n2;
      // N₁′ = ψ′N₂ + cos ψ U′ + sin ψ V′ ;  N₂′ = −ψ′N₁ − sin ψ U′ + cos ψ V′
      out[RMF.DN1 + i] = dpsi * n2 + c * up + sn * vp;
      out[RMF.DN2 + i] = -dpsi * n1 - sn * up + c * vp;
    }
    out[RMF.SPEED] = sp;
    // κ-vector dt̂/dσ = t̂′/|γ′|; k_i = κvec·N_i.
    let k1 = 0;
    let k2 = 0;
    let tw = 0;
    for (let i = 0; i < 3; i++) {
      k1 += b[15 + i] * out[RMF.N1 + i];
      k2 += b[15 + i] * out[RMF.N2 + i];
      tw += out[RMF.DN1 + i] * out[RMF.N2 + i];
    }
    out[RMF.K1] = k1 / sp;
    out[RMF.K2] = k2 / sp;
    out[RMF.TWIST] = tw / sp;
    return out;
  }

  /** The frame at s as a plain object (allocates; for setup and theory code). */
  frame(s: number): CurveFrame3d {
    const o = new Float64Array(RMF_SIZE);
    this.evalInto(s, o);
    return {
      t: o.slice(RMF.T, RMF.T + 3),
      N1: o.slice(RMF.N1, RMF.N1 + 3),
      N2: o.slice(RMF.N2, RMF.N2 + 3),
      k1: o[RMF.K1],
      k2: o[RMF.K2],
      speed: o[RMF.SPEED],
      twist: o[RMF.TWIST],
    };
  }
}

const rmfCache = new WeakMap<CurveParam, RotationMinimisingFrame>();

/**
 * The rotation-minimising frame of γ with default options, built once per
 * CurveParam object and cached, so the tube grid and the theory share one frame.
 * With options, a new (uncached) frame is built.
 */
export function rotationMinimisingFrame(gamma: CurveParam, options?: RmfOptions): RotationMinimisingFrame {
  if (options && options.knots !== undefined) return new RotationMinimisingFrame(gamma, options);
  let f = rmfCache.get(gamma);
  if (!f) {
    f = new RotationMinimisingFrame(gamma);
    rmfCache.set(gamma, f);
  }
  return f;
}

/**
 * The frame of a space curve at s: {t, N1, N2, k1, k2, speed, twist}, from the
 * cached default rotation-minimising frame (the same one `tubeGrid3d` uses by default).
 * dt̂/dσ = k₁N₁ + k₂N₂; the normal block of a 3×3 tensor A in this frame is
 * [[N₁ᵀAN₁, N₁ᵀAN₂], [N₂ᵀAN₁, N₂ᵀAN₂]].
 */
export function curveFrame3d(gamma: CurveParam, s: number): CurveFrame3d {
  return rotationMinimisingFrame(gamma).frame(s);
}
