/**
 * Shell grid around a surface S(a, b) in 3D (DESIGN.md §4).
 *
 * Computational coordinates ξ = (ν, a, b): axis 0 = ν ∈ [−1, 1] across Γ
 * (fastest), axes 1, 2 = the chart parameters a, b along Γ (each optionally
 * periodic). Cell (i, ja, jb) has index i + n_ν(ja + n_a jb).
 *
 * Map  θ = S(a, b) + n N̂(a, b),  n = w(a, b) ν,  N̂ = m/|m|,  m = S_a × S_b.
 * Exact Jacobian (jac[i*3 + α] = ∂θᵢ/∂ξ_α), from the second derivatives:
 *   m_a = S_aa × S_b + S_a × S_ab,  m_b = S_ab × S_b + S_a × S_bb,
 *   N̂_a = (m_a − (m_a·N̂)N̂)/|m|,   N̂_b likewise  (Weingarten: N̂_a, N̂_b ⊥ N̂),
 *   ∂θ/∂ν = w N̂,  ∂θ/∂a = S_a + ν(w_a N̂ + w N̂_a),  ∂θ/∂b = S_b + ν(w_b N̂ + w N̂_b).
 * The in-surface coordinates need not be orthogonal; the Jacobian is exact anyway.
 *   √g = det J = w (c₀ + c₁ n + c₂ n²) = w|m|(1 − 2Hn + Kn²),
 *   c₀ = |m|, c₁ = N̂·(S_a × N̂_b + N̂_a × S_b) = −2H|m|, c₂ = N̂·(N̂_a × N̂_b) = K|m|
 * (H, K the mean and Gauss curvatures with respect to N̂; w_a, w_b terms are ∥ N̂
 * and drop out). det J > 0.
 *
 * Cell volumes: exact in ν, ∫ √g dν = w[c₀Δν + c₁wΔ(ν²)/2 + c₂w²Δ(ν³)/3], and a
 * tensor Gauss–Legendre rule (`quadrature`² points, default 4×4) over (a, b).
 *
 * Validity: 1 − 2Hn + Kn² > 0 for all |n| ≤ w — checked at the cell corners,
 * centres and quadrature points of the chart (at ν = ±1 and at the vertex of the
 * quadratic). Otherwise GridSpecError on `grid.halfWidth`, naming the focal
 * distance (the nearest root |n| of 1 − 2Hn + Kn², i.e. 1/max|principal curvature|).
 */
import type { SurfaceParam } from '../landscape/types.js';
import type { StructuredGrid } from './types.js';
import { GridSpecError } from '../util/errors.js';
import { gaussLegendre } from './quadrature.js';
import { focusedEdges, gradedEdges } from './grading.js';
import type { AlongFocus } from '../case/types.js';
import { checkCount, checkQuadrature, checkWidthValue, fmt, wrapPeriodic } from './spec-checks.js';

export interface ShellSpec {
  /** Cells along Γ: [n_a, n_b]. */
  along: readonly [number, number];
  /** Cells across Γ (over ν ∈ [−1, 1]). */
  across: number;
  /** Half-width w: a constant or a function of (a, b) (> 0). */
  halfWidth: number | ((a: number, b: number) => number);
  /**
   * Exact gradient (w_a, w_b) into out; without it a function's gradient is a
   * centred difference with step 6·10⁻⁶ × the range (one-sided at open ends).
   */
  halfWidthGradient?: (a: number, b: number, out: Float64Array) => void;
  /** Ratio of the outermost to the innermost cell width across (≥ 1, default 1). */
  grading?: number;
  /** Stations along each chart axis concentrated on an interval (grading.ts `focusedEdges`; null: uniform). */
  alongGrading?: [AlongFocus | null, AlongFocus | null];
  /** Periodic chart axes [a, b] (e.g. longitude); default [false, false]. */
  periodic?: readonly [boolean, boolean];
  /** Gauss–Legendre points per along direction per cell (1–16, default 4). */
  quadrature?: number;
}

export interface ShellGrid extends StructuredGrid {
  readonly kind: 'shell';
  readonly dim: 3;
  readonly surface: SurfaceParam;
  /** w(a, b). */
  halfWidthAt(a: number, b: number): number;
  /** Physical offset n = w ν of each cell centre along N̂ (length nCells). */
  readonly offsets: Float64Array;
}

function cross(ax: number, ay: number, az: number, bx: number, by: number, bz: number, out: Float64Array, o: number): void {
  out[o] = ay * bz - az * by;
  out[o + 1] = az * bx - ax * bz;
  out[o + 2] = ax * by - ay * bx;
}

/** Build the shell grid (see the file comment for coordinates, map and checks). */
export function shellGrid(surface: SurfaceParam, spec: ShellSpec): ShellGrid {
  const [a0, a1] = surface.rangeA;
  const [b0, b1] = surface.rangeB;
  if (!(Number.isFinite(a0) && Number.isFinite(a1) && a1 > a0)) throw new GridSpecError('gamma.range[0]', `range [${a0}, ${a1}] must be finite with a1 > a0`);
  if (!(Number.isFinite(b0) && Number.isFinite(b1) && b1 > b0)) throw new GridSpecError('gamma.range[1]', `range [${b0}, ${b1}] must be finite with b1 > b0`);
  if (!Array.isArray(spec.along) || spec.along.length !== 2) throw new GridSpecError('grid.along', 'around a surface `along` must be a pair [na, nb]');
  const per = spec.periodic ?? [false, false];
  const perA = !!per[0];
  const perB = !!per[1];
  const nA = checkCount('grid.along[0]', spec.along[0], perA ? 3 : 1);
  const nB = checkCount('grid.along[1]', spec.along[1], perB ? 3 : 1);
  const nX = checkCount('grid.across', spec.across);
  const nq = checkQuadrature(spec.quadrature, 4);
  const pA = a1 - a0;
  const pB = b1 - b0;

  // ---- half-width and its gradient
  const hw = spec.halfWidth;
  let wConst = false;
  let wv: (a: number, b: number) => number;
  let wg: (a: number, b: number, out: Float64Array) => void;
  if (typeof hw === 'number') {
    if (!Number.isFinite(hw) || hw <= 0) throw new GridSpecError('grid.halfWidth', `half-width ${hw} must be a finite number > 0`);
    wConst = true;
    wv = () => hw;
    wg = (_a, _b, out) => {
      out[0] = 0;
      out[1] = 0;
    };
  } else if (typeof hw === 'function') {
    const wf = hw;
    wv = (a, b) => wf(perA ? wrapPeriodic(a, a0, pA) : a, perB ? wrapPeriodic(b, b0, pB) : b);
    const da = 6e-6 * pA;
    const db = 6e-6 * pB;
    const diff = (f: (x: number) => number, x: number, x0: number, x1: number, d: number, periodic: boolean): number => {
      if (periodic || (x - d >= x0 && x + d <= x1)) return (f(x + d) - f(x - d)) / (2 * d);
      if (x - d < x0) return (-3 * f(x) + 4 * f(x + d) - f(x + 2 * d)) / (2 * d);
      return (3 * f(x) - 4 * f(x - d) + f(x - 2 * d)) / (2 * d);
    };
    wg =
      spec.halfWidthGradient ??
      ((a, b, out) => {
        out[0] = diff((x) => wv(x, b), a, a0, a1, da, perA);
        out[1] = diff((y) => wv(a, y), b, b0, b1, db, perB);
      });
  } else {
    throw new GridSpecError('grid.halfWidth', `half-width must be a number or a function of (a, b), got ${typeof hw}`);
  }

  const eNu = gradedEdges(nX, spec.grading ?? 1, true);
  const eA = focusedEdges(nA, a0, a1, spec.alongGrading?.[0], 'grid.alongGrading[0]');
  const eB = focusedEdges(nB, b0, b1, spec.alongGrading?.[1], 'grid.alongGrading[1]');
  const nCells = nX * nA * nB;

  // scratch: S, Sa, Sb, Saa, Sab, Sbb, and the geometry G = [N̂(3), N̂_a(3), N̂_b(3), |m|, c1, c2]
  const S = new Float64Array(3);
  const Sa = new Float64Array(3);
  const Sb = new Float64Array(3);
  const Saa = new Float64Array(3);
  const Sab = new Float64Array(3);
  const Sbb = new Float64Array(3);
  const T = new Float64Array(12);
  const G = new Float64Array(12);
  const grad = new Float64Array(2);

  /** Normal, its derivatives, |m|, c₁, c₂ at (a, b) into G (needs the second derivatives). */
  const geometry = (a: number, b: number): void => {
    surface.da(a, b, Sa);
    surface.db(a, b, Sb);
    surface.daa(a, b, Saa);
    surface.dab(a, b, Sab);
    surface.dbb(a, b, Sbb);
    cross(Sa[0], Sa[1], Sa[2], Sb[0], Sb[1], Sb[2], T, 0); // m
    const mn = Math.hypot(T[0], T[1], T[2]);
    if (!(mn > 0) || !Number.isFinite(mn)) throw new GridSpecError('gamma.param', `surface chart is singular (|S_a × S_b| = ${mn}) at (a, b) = (${fmt(a)}, ${fmt(b)})`);
    const nx = T[0] / mn;
    const ny = T[1] / mn;
    const nz = T[2] / mn;
    // m_a, m_b
    cross(Saa[0], Saa[1], Saa[2], Sb[0], Sb[1], Sb[2], T, 3);
    cross(Sa[0], Sa[1], Sa[2], Sab[0], Sab[1], Sab[2], T, 6);
    const max = T[3] + T[6];
    const may = T[4] + T[7];
    const maz = T[5] + T[8];
    cross(Sab[0], Sab[1], Sab[2], Sb[0], Sb[1], Sb[2], T, 3);
    cross(Sa[0], Sa[1], Sa[2], Sbb[0], Sbb[1], Sbb[2], T, 6);
    const mbx = T[3] + T[6];
    const mby = T[4] + T[7];
    const mbz = T[5] + T[8];
    const pa = max * nx + may * ny + maz * nz;
    const pb = mbx * nx + mby * ny + mbz * nz;
    const nax = (max - pa * nx) / mn;
    const nay = (may - pa * ny) / mn;
    const naz = (maz - pa * nz) / mn;
    const nbx = (mbx - pb * nx) / mn;
    const nby = (mby - pb * ny) / mn;
    const nbz = (mbz - pb * nz) / mn;
    G[0] = nx; G[1] = ny; G[2] = nz;
    G[3] = nax; G[4] = nay; G[5] = naz;
    G[6] = nbx; G[7] = nby; G[8] = nbz;
    G[9] = mn;
    // c₁ = N̂·(S_a × N̂_b + N̂_a × S_b), c₂ = N̂·(N̂_a × N̂_b)
    cross(Sa[0], Sa[1], Sa[2], nbx, nby, nbz, T, 0);
    cross(nax, nay, naz, Sb[0], Sb[1], Sb[2], T, 3);
    cross(nax, nay, naz, nbx, nby, nbz, T, 6);
    G[10] = nx * (T[0] + T[3]) + ny * (T[1] + T[4]) + nz * (T[2] + T[5]);
    G[11] = nx * T[6] + ny * T[7] + nz * T[8];
  };

  // ---- validity and volumes
  let worstH = Infinity;
  let worstA = a0;
  let worstB = b0;
  let worstW = 0;
  let worstFocal = Infinity;
  /** min over |ν| ≤ 1 of (c₀ + c₁wν + c₂w²ν²)/c₀ at (a, b); updates the worst place. */
  const probe = (a: number, b: number): void => {
    geometry(a, b);
    const w = wv(a, b);
    checkWidthValue('grid.halfWidth', w, `(a, b) = (${fmt(a)}, ${fmt(b)})`);
    const l1 = G[10] / G[9]; // −2H
    const l2 = G[11] / G[9]; // K
    const hq = (n: number): number => 1 + l1 * n + l2 * n * n;
    let h = Math.min(hq(w), hq(-w));
    if (l2 !== 0) {
      const nv = -l1 / (2 * l2);
      if (Math.abs(nv) < w) h = Math.min(h, hq(nv));
    }
    if (h < worstH) {
      worstH = h;
      worstA = a;
      worstB = b;
      worstW = w;
      // focal distance: the smallest |n| with 1 + l1 n + l2 n² = 0
      let focal = Infinity;
      if (Math.abs(l2) < 1e-300) {
        if (l1 !== 0) focal = 1 / Math.abs(l1);
      } else {
        const disc = l1 * l1 - 4 * l2;
        if (disc >= 0) {
          const sq = Math.sqrt(disc);
          const qq = -0.5 * (l1 + (l1 >= 0 ? sq : -sq));
          const r1 = qq / l2;
          const r2 = qq !== 0 ? 1 / qq : Infinity;
          focal = Math.min(Math.abs(r1), Math.abs(r2));
        }
      }
      worstFocal = focal;
    }
  };
  for (let jb = 0; jb <= nB; jb++) for (let ja = 0; ja <= nA; ja++) probe(eA[ja], eB[jb]);
  const gl = gaussLegendre(nq);
  const volumes = new Float64Array(nCells);
  const dNu = new Float64Array(nX);
  const dNu2 = new Float64Array(nX);
  const dNu3 = new Float64Array(nX);
  for (let i = 0; i < nX; i++) {
    const p = eNu[i];
    const q = eNu[i + 1];
    dNu[i] = q - p;
    dNu2[i] = 0.5 * (q * q - p * p);
    dNu3[i] = (q * q * q - p * p * p) / 3;
  }
  for (let jb = 0; jb < nB; jb++) {
    const bl = eB[jb];
    const hb = eB[jb + 1] - bl;
    for (let ja = 0; ja < nA; ja++) {
      const al = eA[ja];
      const ha = eA[ja + 1] - al;
      probe(al + 0.5 * ha, bl + 0.5 * hb);
      const base = nX * (ja + nA * jb);
      for (let qb = 0; qb < nq; qb++) {
        const b = bl + 0.5 * hb * (gl.nodes[qb] + 1);
        for (let qa = 0; qa < nq; qa++) {
          const a = al + 0.5 * ha * (gl.nodes[qa] + 1);
          probe(a, b); // leaves geometry at (a, b) in G
          const w = wv(a, b);
          const f = 0.25 * ha * hb * gl.weights[qa] * gl.weights[qb] * w;
          const c0 = G[9];
          const c1w = G[10] * w;
          const c2w = G[11] * w * w;
          for (let i = 0; i < nX; i++) volumes[base + i] += f * (c0 * dNu[i] + c1w * dNu2[i] + c2w * dNu3[i]);
        }
      }
    }
  }
  if (worstH <= 0) {
    const where = `(a, b) = (${fmt(worstA)}, ${fmt(worstB)})`;
    const msg = wConst
      ? `shell half-width ${fmt(worstW)} exceeds the focal distance 1/max|k| = ${fmt(worstFocal)} at ${where} — reduce halfWidth or eta`
      : `shell half-width ${fmt(worstW)} at ${where} exceeds the focal distance 1/max|k| = ${fmt(worstFocal)} there — reduce halfWidth or eta`;
    throw new GridSpecError('grid.halfWidth', msg);
  }

  const map = (xi: ArrayLike<number>, theta: Float64Array, jac: Float64Array | null): void => {
    const nu = xi[0];
    const a = perA ? wrapPeriodic(xi[1], a0, pA) : xi[1];
    const b = perB ? wrapPeriodic(xi[2], b0, pB) : xi[2];
    const w = wv(a, b);
    surface.point(a, b, S);
    if (!jac) {
      surface.da(a, b, Sa);
      surface.db(a, b, Sb);
      cross(Sa[0], Sa[1], Sa[2], Sb[0], Sb[1], Sb[2], T, 0);
      const mn = Math.hypot(T[0], T[1], T[2]);
      for (let i = 0; i < 3; i++) theta[i] = S[i] + (nu * w * T[i]) / mn;
      return;
    }
    geometry(a, b);
    wg(a, b, grad);
    const nw = nu * w;
    for (let i = 0; i < 3; i++) {
      const N = G[i];
      theta[i] = S[i] + nw * N;
      jac[3 * i] = w * N;
      jac[3 * i + 1] = Sa[i] + nu * grad[0] * N + nw * G[3 + i];
      jac[3 * i + 2] = Sb[i] + nu * grad[1] * N + nw * G[6 + i];
    }
  };

  const centres = new Float64Array(3 * nCells);
  const xiCentres = new Float64Array(3 * nCells);
  const offsets = new Float64Array(nCells);
  const xi = new Float64Array(3);
  const th = new Float64Array(3);
  for (let jb = 0; jb < nB; jb++) {
    const b = 0.5 * (eB[jb] + eB[jb + 1]);
    for (let ja = 0; ja < nA; ja++) {
      const a = 0.5 * (eA[ja] + eA[ja + 1]);
      const w = wv(a, b);
      for (let i = 0; i < nX; i++) {
        const c = i + nX * (ja + nA * jb);
        xi[0] = 0.5 * (eNu[i] + eNu[i + 1]);
        xi[1] = a;
        xi[2] = b;
        map(xi, th, null);
        for (let k = 0; k < 3; k++) {
          centres[3 * c + k] = th[k];
          xiCentres[3 * c + k] = xi[k];
        }
        offsets[c] = w * xi[0];
      }
    }
  }

  return {
    kind: 'shell',
    dim: 3,
    shape: [nX, nA, nB],
    periodic: [false, perA, perB],
    edges: [eNu, eA, eB],
    alongAxes: [1, 2],
    acrossAxes: [0],
    nCells,
    centres,
    xiCentres,
    volumes,
    map,
    surface,
    halfWidthAt: (a: number, b: number) => wv(a, b),
    offsets,
  };
}
