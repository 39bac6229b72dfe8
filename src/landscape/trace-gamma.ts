/**
 * Γ traced numerically when a case gives no parametrisation (curves in 2D and 3D).
 *
 * 1. Projection of a seed onto Γ: damped Newton steps x ← x − α H₊⁺∇L (H₊⁺ the
 *    pseudo-inverse over the eigenvalues λ > tol·λmax; the gradient −∇L when that is
 *    no descent direction), Armijo backtracking on L, then undamped steps while |∇L|
 *    still falls.
 * 2. Check at the point found: H must have exactly one eigenvalue |λ| ≤ tol·λmax
 *    (Γ is a curve) and no negative one; otherwise InputError naming the point and
 *    the eigenvalues.
 * 3. Continuation along ker H in both directions: predictor x + h t (t the unit
 *    kernel eigenvector), corrector x ← x − H_N⁺∇L (pseudo-inverse on the d − 1
 *    normal eigen-directions, i.e. the Gauss–Newton step in the normal space),
 *    step h halved when the corrector fails or the tangent turns by more than
 *    `maxAngle`, grown back when it turns little. A loop closing on the start point
 *    makes the curve closed (detected when the requested range in one direction is
 *    longer than the loop; a shorter range gives an open arc of the loop).
 * 4. The points are joined by a cubic spline per coordinate in the arclength
 *    coordinate s (clamped with the unit tangents at the ends, or periodic for a
 *    loop), so γ, γ′, γ″ are the spline's exact derivatives. Arclength between
 *    points is the chord times 1 + φ²/24 (φ the turn of the tangent: exact for a
 *    circular arc to O(φ⁴)), so |γ′| = 1 + O(h²).
 * s = 0 is the projection of the seed; the direction of increasing s is the kernel
 * eigenvector whose largest-magnitude component is positive (or the one along
 * `options.direction`).
 */
import { InputError, NumericalError, showValue } from '../util/errors.js';
import type { CurveParam, Landscape, Vec } from './types.js';
import { symEig } from './sym-eig.js';
import { formatPoint } from './formula.js';

export interface TraceCurveOptions {
  /** Arclength range [s0, s1] around the projected seed (s0 ≤ 0 ≤ s1, s0 < s1). */
  readonly range: readonly [number, number];
  /** Largest step in arclength (default min(0.02, (s1 − s0)/100)). */
  readonly step?: number;
  /** An eigenvalue |λ| ≤ kernelTol·λmax counts as zero (default 1e-6). */
  readonly kernelTol?: number;
  /** Largest turn of the tangent per step, radians (default 0.05). */
  readonly maxAngle?: number;
  /** Orientation: s increases along the kernel vector with positive dot product with this. */
  readonly direction?: Vec;
  /** JSON path for errors (default "gamma"). */
  readonly field?: string;
  /** Refuse (NumericalError) beyond this many points (default 20000). */
  readonly maxPoints?: number;
}

/** A traced Γ: a spline in arclength, plus the traced points themselves. */
export interface TracedCurve extends CurveParam {
  /** Arclength coordinate of each traced point (increasing). */
  readonly knots: Float64Array;
  /** Traced points, flat: points[k*d + i]. */
  readonly points: Float64Array;
  /** The projection of the seed onto Γ (s = 0). */
  readonly seedPoint: Float64Array;
}

/** Work arrays for one landscape dimension. */
class Work {
  readonly g: Float64Array;
  readonly h: Float64Array;
  readonly lam: Float64Array;
  readonly vec: Float64Array;
  readonly p: Float64Array;
  readonly y: Float64Array;
  constructor(readonly d: number) {
    this.g = new Float64Array(d);
    this.h = new Float64Array(d * d);
    this.lam = new Float64Array(d);
    this.vec = new Float64Array(d * d);
    this.p = new Float64Array(d);
    this.y = new Float64Array(d);
  }
}

const norm = (v: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
};

function eigAt(L: Landscape, x: Float64Array, w: Work): void {
  L.grad(x, w.g);
  L.hessian(x, w.h);
  symEig(w.h, w.d, w.lam, w.vec);
}

function lamMax(w: Work): number {
  let m = 0;
  for (let k = 0; k < w.d; k++) m = Math.max(m, Math.abs(w.lam[k]));
  return m;
}

function gradScale(w: Work, x: Float64Array): number {
  let hn = 0;
  for (let i = 0; i < w.h.length; i++) hn += w.h[i] * w.h[i];
  return Math.max(1, Math.sqrt(hn)) * Math.max(1, norm(x));
}

/** w.p ← −Σ_{k ∈ used} (eₖ·g/λₖ) eₖ; `used(k)` selects eigen-directions. */
function pinvStep(w: Work, used: (k: number) => boolean): void {
  const d = w.d;
  w.p.fill(0);
  for (let k = 0; k < d; k++) {
    if (!used(k)) continue;
    let c = 0;
    for (let i = 0; i < d; i++) c += w.vec[k * d + i] * w.g[i];
    c /= w.lam[k];
    for (let i = 0; i < d; i++) w.p[i] -= c * w.vec[k * d + i];
  }
}

/**
 * Move x onto a minimum manifold of L (in place); returns x.
 * Throws InputError(field) when no critical point is reached or values are not finite.
 */
export function projectOntoGamma(L: Landscape, x: Float64Array, kernelTol = 1e-6, field = 'gamma'): Float64Array {
  const d = L.dim;
  const w = new Work(d);
  const start = formatPoint(Array.from(x));
  const fail = (why: string) =>
    new InputError(`${field}.seed`, `cannot reach Γ from the seed ${start}: ${why}; give a seed closer to the minima`);
  let gn = Infinity;
  for (let it = 0; it < 2000; it++) {
    eigAt(L, x, w);
    gn = norm(w.g);
    if (!Number.isFinite(gn) || !w.lam.every(Number.isFinite)) throw fail(`the gradient or Hessian is not finite at ${formatPoint(Array.from(x), L.variables)}`);
    if (gn <= 1e-12 * gradScale(w, x)) break;
    const lm = lamMax(w);
    pinvStep(w, (k) => w.lam[k] > kernelTol * lm);
    let slope = 0;
    for (let i = 0; i < d; i++) slope += w.p[i] * w.g[i];
    if (!(slope < -1e-3 * gn * norm(w.p))) {
      const c = 1 / Math.max(lm, 1e-300);
      for (let i = 0; i < d; i++) w.p[i] = -c * w.g[i];
      slope = -c * gn * gn;
    }
    const f0 = L.value(x);
    let alpha = 1;
    let ok = false;
    for (let b = 0; b < 60; b++) {
      for (let i = 0; i < d; i++) w.y[i] = x[i] + alpha * w.p[i];
      const f1 = L.value(w.y);
      if (f1 <= f0 + 1e-4 * alpha * slope) { ok = true; break; }
      alpha *= 0.5;
    }
    if (!ok) break; // L can no longer decrease measurably: finish with undamped steps
    x.set(w.y);
  }
  // Undamped pseudo-inverse Newton steps while |∇L| still falls.
  for (let it = 0; it < 50; it++) {
    eigAt(L, x, w);
    gn = norm(w.g);
    if (gn === 0) break;
    const lm = lamMax(w);
    pinvStep(w, (k) => Math.abs(w.lam[k]) > kernelTol * lm);
    for (let i = 0; i < d; i++) w.y[i] = x[i] + w.p[i];
    L.grad(w.y, w.g);
    const gy = norm(w.g);
    if (!(gy < gn)) break;
    x.set(w.y);
  }
  eigAt(L, x, w);
  gn = norm(w.g);
  if (!(gn <= 1e-8 * gradScale(w, x)))
    throw fail(`the descent stopped at ${formatPoint(Array.from(x), L.variables)} with |∇L| = ${gn.toExponential(3)}`);
  return x;
}

/** Refuse unless H at x has exactly one zero eigenvalue (relative to the largest) and none negative. */
function checkCurveKernel(L: Landscape, x: Float64Array, w: Work, tol: number, field: string, where: string): number {
  const d = w.d;
  const lm = lamMax(w);
  let zeros = 0;
  let kz = -1;
  let negative = false;
  for (let k = 0; k < d; k++) {
    if (Math.abs(w.lam[k]) <= tol * lm) { zeros++; kz = k; }
    else if (w.lam[k] < 0) negative = true;
  }
  if (lm > 0 && zeros === 1 && !negative) return kz;
  const lams = Array.from(w.lam, (v) => Number(v.toPrecision(4)));
  const rel = Array.from(w.lam, (v) => Number((lm > 0 ? v / lm : 0).toPrecision(3)));
  const why = lm <= 1e-12
    ? 'the Hessian is numerically zero (a degenerate critical point)'
    : negative
    ? 'the Hessian has a negative eigenvalue (a saddle, not a minimum)'
    : zeros === 0
      ? 'the Hessian has no zero eigenvalue (an isolated minimum, not a curve)'
      : `the Hessian has ${zeros} zero eigenvalues (Γ is not a curve there: ${d - zeros === 0 ? 'flat landscape' : 'a zero eigenvalue normal to the curve'})`;
  throw new InputError(
    `${field}.seed`,
    `cannot trace Γ as a curve at ${where} x = ${formatPoint(Array.from(x), L.variables)}: ${why}; eigenvalues ${showValue(lams)}, relative to the largest ${showValue(rel)} (zero means ≤ ${tol}); give "gamma" with a parametrisation`,
  );
}

/** Unit kernel vector into t (row kz of the eigenvector matrix), sign matching `ref` if given. */
function kernelVector(w: Work, kz: number, t: Float64Array, ref?: ArrayLike<number>): void {
  const d = w.d;
  for (let i = 0; i < d; i++) t[i] = w.vec[kz * d + i];
  let sgn = 0;
  if (ref) {
    for (let i = 0; i < d; i++) sgn += t[i] * ref[i];
  } else {
    let im = 0;
    for (let i = 1; i < d; i++) if (Math.abs(t[i]) > Math.abs(t[im]) + 1e-12) im = i;
    sgn = t[im];
  }
  if (sgn < 0) for (let i = 0; i < d; i++) t[i] = -t[i];
}

/**
 * Trace Γ (a curve of minima) from `seed` over the arclength range `options.range`
 * around the seed's projection. Returns a spline CurveParam in arclength.
 */
export function traceCurve(L: Landscape, seed: Vec, options: TraceCurveOptions): TracedCurve {
  const field = options.field ?? 'gamma';
  const d = L.dim;
  if (seed.length !== d || !Array.from(seed).every(Number.isFinite))
    throw new InputError(`${field}.seed`, `expected ${d} finite numbers (${L.variables.join(', ')}), got ${showValue(Array.from(seed))}`);
  const range = options.range;
  if (!(Number.isFinite(range[0]) && Number.isFinite(range[1]) && range[0] <= 0 && range[1] >= 0 && range[0] < range[1]))
    throw new InputError(`${field}.range`, `expected an arclength range [s0, s1] with s0 ≤ 0 ≤ s1 and s0 < s1, got ${showValue(range)}`);
  const tol = options.kernelTol ?? 1e-6;
  const maxAngle = options.maxAngle ?? 0.05;
  const hMax = options.step ?? Math.min(0.02, (range[1] - range[0]) / 100);
  const maxPoints = options.maxPoints ?? 20000;
  const w = new Work(d);

  const x0 = projectOntoGamma(L, Float64Array.from(seed), tol, field);
  eigAt(L, x0, w);
  const k0 = checkCurveKernel(L, x0, w, tol, field, 'the projection of the seed');
  const normalMin = (kz: number): number => {
    let m = Infinity;
    for (let k = 0; k < d; k++) if (k !== kz) m = Math.min(m, w.lam[k]);
    return m;
  };
  const lamN0 = normalMin(k0);
  const t0 = new Float64Array(d);
  kernelVector(w, k0, t0, options.direction);

  const x = new Float64Array(d);
  const xp = new Float64Array(d);
  const t = new Float64Array(d);
  const tn = new Float64Array(d);

  /** Corrector from xp (in place): Gauss–Newton in the normal space. True when converged. */
  const correct = (): boolean => {
    for (let it = 0; it < 12; it++) {
      eigAt(L, xp, w);
      if (!w.g.every(Number.isFinite) || !w.lam.every(Number.isFinite)) return false;
      let kmin = 0;
      for (let k = 1; k < d; k++) if (Math.abs(w.lam[k]) < Math.abs(w.lam[kmin])) kmin = k;
      pinvStep(w, (k) => k !== kmin);
      for (let i = 0; i < d; i++) xp[i] += w.p[i];
      if (norm(w.p) <= 1e-13 * (1 + norm(xp))) return true;
    }
    return false;
  };

  let closedLength = -1;
  const march = (sign: 1 | -1): { pts: number[][]; s: number[] } => {
    const target = sign > 0 ? range[1] : -range[0];
    const pts: number[][] = [];
    const ss: number[] = [];
    x.set(x0);
    for (let i = 0; i < d; i++) t[i] = sign * t0[i];
    let s = 0;
    let h = hMax;
    // (s, smallest normal eigenvalue) at the last three accepted points, to catch a
    // normal eigenvalue that touches zero between points (e.g. where two branches of Γ cross).
    const hs = [NaN, NaN, 0];
    const hl = [NaN, NaN, lamN0];
    let lamNew = lamN0;
    while (s < target + 3 * hMax) {
      if (pts.length > maxPoints)
        throw new NumericalError(`tracing Γ needed more than ${maxPoints} points; raise the step or shorten the range`, { field, s });
      for (let i = 0; i < d; i++) xp[i] = x[i] + h * t[i];
      let ok = correct();
      let phi = 0;
      if (ok) {
        let dev = 0;
        for (let i = 0; i < d; i++) dev += (xp[i] - x[i] - h * t[i]) ** 2;
        ok = Math.sqrt(dev) <= 0.25 * h;
      }
      if (ok) {
        eigAt(L, xp, w);
        const kz = checkCurveKernel(L, xp, w, tol, field, `arclength s ≈ ${(sign * (s + h)).toPrecision(4)},`);
        kernelVector(w, kz, tn, t);
        lamNew = normalMin(kz);
        let c = 0;
        for (let i = 0; i < d; i++) c += tn[i] * t[i];
        phi = Math.acos(Math.min(1, c));
        ok = phi <= maxAngle;
      }
      if (!ok) {
        h *= 0.5;
        if (h < 1e-9 * hMax)
          throw new NumericalError(`tracing Γ stalled at ${formatPoint(Array.from(x), L.variables)} (s ≈ ${sign * s}): the corrector does not converge`, { field, s: sign * s });
        continue;
      }
      let chord = 0;
      for (let i = 0; i < d; i++) chord += (xp[i] - x[i]) ** 2;
      chord = Math.sqrt(chord);
      const sNew = s + chord * (1 + (phi * phi) / 24);
      if (s > 3 * hMax) {
        // Loop closure: the step crosses the plane through x0 normal to the start direction, near x0.
        let before = 0, after = 0, dist = 0;
        for (let i = 0; i < d; i++) {
          before += sign * (x[i] - x0[i]) * t0[i];
          after += sign * (xp[i] - x0[i]) * t0[i];
          dist += (xp[i] - x0[i]) ** 2;
        }
        if (before < 0 && after >= 0 && Math.sqrt(dist) < 2 * h) {
          let cl = 0, dot = 0;
          for (let i = 0; i < d; i++) { cl += (x0[i] - x[i]) ** 2; dot += sign * t[i] * t0[i]; }
          const ph = Math.acos(Math.max(-1, Math.min(1, dot)));
          closedLength = s + Math.sqrt(cl) * (1 + (ph * ph) / 24);
          return { pts, s: ss };
        }
      }
      x.set(xp);
      t.set(tn);
      s = sNew;
      pts.push(Array.from(x));
      ss.push(s);
      hs.shift(); hs.push(s);
      hl.shift(); hl.push(lamNew);
      if (hl[1] < hl[0] && hl[1] <= hl[2]) {
        // Parabola through the three samples; its vertex value estimates min λ_normal.
        const [s1, s2, s3] = hs, [l1, l2, l3] = hl;
        const d12 = (l2 - l1) / (s2 - s1), d23 = (l3 - l2) / (s3 - s2);
        const c2 = (d23 - d12) / (s3 - s1);
        const c1 = d12 - c2 * (s1 + s2);
        const c0 = l1 - c1 * s1 - c2 * s1 * s1;
        const sv = c2 > 0 ? -c1 / (2 * c2) : s2;
        const lv = c2 > 0 ? c0 + c1 * sv + c2 * sv * sv : l2;
        if (lv <= tol * Math.max(l1, l3))
          throw new InputError(
            `${field}.seed`,
            `cannot trace Γ as a curve: near arclength s ≈ ${(sign * sv).toPrecision(4)}, around x = ${formatPoint(pts[pts.length - 2].map((v) => Number(v.toPrecision(6))), L.variables)}, the Hessian's smallest normal eigenvalue falls from ${l1.toPrecision(4)} to ${l2.toPrecision(4)} and extrapolates to ${lv.toPrecision(3)} (a zero eigenvalue normal to Γ, e.g. branches of Γ crossing); give "gamma" with a parametrisation or a shorter range`,
          );
      }
      if (phi < maxAngle / 4) h = Math.min(hMax, 1.5 * h);
    }
    return { pts, s: ss };
  };

  const plus = march(1);
  let knots: number[];
  let pts: number[][];
  let tanStart: Float64Array, tanEnd: Float64Array;
  if (closedLength > 0) {
    knots = [0, ...plus.s];
    pts = [Array.from(x0), ...plus.pts];
    tanStart = tanEnd = t0;
  } else {
    const tEnd = Float64Array.from(t);
    const minus = march(-1);
    const tBeg = Float64Array.from(t, (v) => -v);
    if (closedLength > 0) {
      // The loop closed going backwards: p_k at −s_k is at closedLength − s_k going forwards.
      knots = [0, ...minus.s.map((v) => closedLength - v).reverse()];
      pts = [Array.from(x0), ...minus.pts.reverse()];
    } else {
      knots = [...minus.s.map((v) => -v).reverse(), 0, ...plus.s];
      pts = [...minus.pts.reverse(), Array.from(x0), ...plus.pts];
    }
    tanStart = tBeg;
    tanEnd = tEnd;
  }
  const n = knots.length;
  const K = Float64Array.from(knots);
  const P = new Float64Array(n * d);
  pts.forEach((p, k) => P.set(p, k * d));
  const closed = closedLength > 0;
  const spline = closed ? periodicSpline(K, P, d, closedLength) : clampedSpline(K, P, d, tanStart, tanEnd);
  return {
    kind: 'curve',
    dim: d as 2 | 3,
    range: closed ? [0, closedLength] : [range[0], range[1]],
    closed,
    knots: K,
    points: P,
    seedPoint: Float64Array.from(x0),
    point: (s, out) => spline.eval(s, out, 0),
    d1: (s, out) => spline.eval(s, out, 1),
    d2: (s, out) => spline.eval(s, out, 2),
  };
}

// ---------------------------------------------------------------------------
// Cubic splines (per coordinate) in the second-derivative form:
// on [sₖ, sₖ₊₁], hₖ = sₖ₊₁ − sₖ, A = (sₖ₊₁ − s)/hₖ, B = 1 − A,
//   y = A yₖ + B yₖ₊₁ + ((A³ − A) Mₖ + (B³ − B) Mₖ₊₁) hₖ²/6,
// M the second derivatives from the C² conditions
//   hₖ₋₁Mₖ₋₁ + 2(hₖ₋₁ + hₖ)Mₖ + hₖMₖ₊₁ = 6[(yₖ₊₁ − yₖ)/hₖ − (yₖ − yₖ₋₁)/hₖ₋₁].

interface Spline {
  eval(s: number, out: Float64Array, order: 0 | 1 | 2): Float64Array;
}

function makeEval(K: Float64Array, Y: Float64Array, M: Float64Array, d: number, period: number): Spline {
  const n = K.length;
  const segs = period > 0 ? n : n - 1; // periodic: segment n−1 closes onto point 0 at K[0] + period
  const knotAt = (k: number) => (k < n ? K[k] : K[0] + period);
  const idx = (k: number) => (k < n ? k : 0);
  return {
    eval(s, out, order) {
      if (period > 0) {
        s = K[0] + ((((s - K[0]) % period) + period) % period);
      }
      let lo = 0, hi = segs - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (knotAt(mid) <= s) lo = mid; else hi = mid - 1;
      }
      const k = lo;
      const s0 = knotAt(k), s1 = knotAt(k + 1);
      const h = s1 - s0;
      const A = (s1 - s) / h;
      const B = 1 - A;
      const a = idx(k) * d, b = idx(k + 1) * d;
      for (let i = 0; i < d; i++) {
        const yk = Y[a + i], yk1 = Y[b + i], mk = M[a + i], mk1 = M[b + i];
        if (order === 0) out[i] = A * yk + B * yk1 + ((A * A * A - A) * mk + (B * B * B - B) * mk1) * (h * h) / 6;
        else if (order === 1) out[i] = (yk1 - yk) / h - ((3 * A * A - 1) * h * mk) / 6 + ((3 * B * B - 1) * h * mk1) / 6;
        else out[i] = A * mk + B * mk1;
      }
      return out;
    },
  };
}

/** Clamped cubic spline through (K[k], Y[k*d..]) with end derivatives d0, d1. */
function clampedSpline(K: Float64Array, Y: Float64Array, d: number, d0: ArrayLike<number>, dn: ArrayLike<number>): Spline {
  const n = K.length;
  const M = new Float64Array(n * d);
  const lower = new Float64Array(n), diag = new Float64Array(n), upper = new Float64Array(n), rhs = new Float64Array(n), sol = new Float64Array(n);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < n; k++) {
      const hp = k > 0 ? K[k] - K[k - 1] : 0;
      const hn = k < n - 1 ? K[k + 1] - K[k] : 0;
      lower[k] = hp;
      upper[k] = hn;
      diag[k] = 2 * (hp + hn);
      const sp = k > 0 ? (Y[k * d + i] - Y[(k - 1) * d + i]) / hp : d0[i];
      const sn = k < n - 1 ? (Y[(k + 1) * d + i] - Y[k * d + i]) / hn : dn[i];
      rhs[k] = 6 * (sn - sp);
    }
    thomas(lower, diag, upper, rhs, sol, n);
    for (let k = 0; k < n; k++) M[k * d + i] = sol[k];
  }
  return makeEval(K, Y, M, d, 0);
}

/** Periodic cubic spline through n points, the last segment closing onto point 0 over K[0] + period. */
function periodicSpline(K: Float64Array, Y: Float64Array, d: number, period: number): Spline {
  const n = K.length;
  const M = new Float64Array(n * d);
  const hAt = (k: number) => (k < n - 1 ? K[k + 1] - K[k] : K[0] + period - K[n - 1]);
  const lower = new Float64Array(n), diag = new Float64Array(n), upper = new Float64Array(n), rhs = new Float64Array(n), sol = new Float64Array(n);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < n; k++) {
      const hp = hAt((k - 1 + n) % n);
      const hn = hAt(k);
      lower[k] = hp; // coefficient of M[k−1] (for k = 0: M[n−1], the corner)
      upper[k] = hn; // coefficient of M[k+1] (for k = n−1: M[0], the corner)
      diag[k] = 2 * (hp + hn);
      const yPrev = Y[((k - 1 + n) % n) * d + i], y = Y[k * d + i], yNext = Y[((k + 1) % n) * d + i];
      rhs[k] = 6 * ((yNext - y) / hn - (y - yPrev) / hp);
    }
    cyclicThomas(lower, diag, upper, rhs, sol, n);
    for (let k = 0; k < n; k++) M[k * d + i] = sol[k];
  }
  return makeEval(K, Y, M, d, period);
}

/** Tridiagonal solve: lower[k] x[k−1] + diag[k] x[k] + upper[k] x[k+1] = r[k] (lower[0], upper[n−1] ignored). */
function thomas(lower: Float64Array, diag: Float64Array, upper: Float64Array, r: Float64Array, x: Float64Array, n: number): void {
  const c = new Float64Array(n);
  let beta = diag[0];
  x[0] = r[0] / beta;
  for (let k = 1; k < n; k++) {
    c[k] = upper[k - 1] / beta;
    beta = diag[k] - lower[k] * c[k];
    x[k] = (r[k] - lower[k] * x[k - 1]) / beta;
  }
  for (let k = n - 2; k >= 0; k--) x[k] -= c[k + 1] * x[k + 1];
}

/**
 * Cyclic tridiagonal solve (corners lower[0] at (0, n−1) and upper[n−1] at (n−1, 0))
 * by the Sherman–Morrison correction of a plain tridiagonal solve.
 */
function cyclicThomas(lower: Float64Array, diag: Float64Array, upper: Float64Array, r: Float64Array, x: Float64Array, n: number): void {
  const alpha = upper[n - 1]; // A[n−1][0]
  const beta = lower[0]; // A[0][n−1]
  const gamma = -diag[0];
  const dd = Float64Array.from(diag);
  dd[0] -= gamma;
  dd[n - 1] -= (alpha * beta) / gamma;
  const u = new Float64Array(n);
  u[0] = gamma;
  u[n - 1] = alpha;
  const z = new Float64Array(n);
  thomas(lower, dd, upper, r, x, n);
  thomas(lower, dd, upper, u, z, n);
  const fact = (x[0] + (beta * x[n - 1]) / gamma) / (1 + z[0] + (beta * z[n - 1]) / gamma);
  for (let k = 0; k < n; k++) x[k] -= fact * z[k];
}
