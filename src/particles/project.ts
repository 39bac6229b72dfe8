/**
 * Position of a point θ along Γ: the chart parameter of the nearest point of
 * the parametrisation.
 *
 * Curve γ(s): minimise ½|θ − γ(s)|². Stationarity g(s) = (θ − γ(s))·γ′(s) = 0,
 * g′(s) = −|γ′|² + (θ − γ)·γ″. Start from the best s of a coarse table of
 * `tableSize` parameter values over the range, then Newton s ← s − g/g′; when
 * g′ ≥ 0 (not a local minimum of the distance) the Gauss–Newton slope −|γ′|²
 * is used instead, and steps are limited to a quarter of the range.
 * The iteration is not confined to the range: a formula that extends past the
 * range (e.g. eˢ) gives the true foot point, so a particle beyond an end of an
 * open curve gets s outside the range (the histogram counts it as outside).
 * Closed curves: s is wrapped into [s0, s0 + period).
 *
 * Surface S(a, b): the same with the 2×2 system
 *   g = [(θ−S)·S_a, (θ−S)·S_b],  J = [[−S_a·S_a + (θ−S)·S_aa, −S_a·S_b + (θ−S)·S_ab],
 *                                     [−S_a·S_b + (θ−S)·S_ab, −S_b·S_b + (θ−S)·S_bb]],
 * falling back to the Gauss–Newton matrix when J is not negative definite.
 *
 * Outputs: `param` (s, or a and b), the foot point γ(s*) and the squared
 * distance. No allocation per call.
 */
import type { CurveParam, GammaParam, SurfaceParam } from '../landscape/types.js';
import { NumericalError } from '../util/errors.js';

export interface Projector {
  /** 1 for a curve, 2 for a surface. */
  readonly alongDim: 1 | 2;
  /**
   * Nearest point of Γ to x: writes the parameter(s) into `param`, the foot
   * point into `foot`, and returns |x − foot|². Throws NumericalError if
   * Newton does not converge.
   */
  project(x: ArrayLike<number>, param: Float64Array, foot: Float64Array): number;
}

const MAX_IT = 60;

/** A projector onto Γ (curve or surface). `tableSize`: coarse start values per parameter. */
export function makeProjector(gamma: GammaParam, tableSize = 64): Projector {
  return gamma.kind === 'curve' ? curveProjector(gamma, tableSize) : surfaceProjector(gamma, Math.max(8, Math.round(Math.sqrt(tableSize) * 2)));
}

function curveProjector(gamma: CurveParam, m: number): Projector {
  const d = gamma.dim;
  const [s0, s1] = gamma.range;
  const period = s1 - s0;
  const n = gamma.closed ? m : m + 1;
  const ts = new Float64Array(n);
  const tp = new Float64Array(n * d);
  const p = new Float64Array(d);
  for (let k = 0; k < n; k++) {
    ts[k] = s0 + (period * k) / m;
    gamma.point(ts[k], p);
    for (let i = 0; i < d; i++) tp[k * d + i] = p[i];
  }
  const g1 = new Float64Array(d);
  const g2 = new Float64Array(d);
  const maxStep = 0.25 * period;
  return {
    alongDim: 1,
    project(x, param, foot) {
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < n; k++) {
        let q = 0;
        for (let i = 0; i < d; i++) {
          const r = x[i] - tp[k * d + i];
          q += r * r;
        }
        if (q < bestD) {
          bestD = q;
          best = k;
        }
      }
      let s = ts[best];
      let converged = false;
      for (let it = 0; it < MAX_IT; it++) {
        gamma.point(s, foot);
        gamma.d1(s, g1);
        gamma.d2(s, g2);
        let g = 0;
        let tt = 0;
        let rc = 0;
        for (let i = 0; i < d; i++) {
          const r = x[i] - foot[i];
          g += r * g1[i];
          tt += g1[i] * g1[i];
          rc += r * g2[i];
        }
        let slope = -tt + rc;
        if (!(slope < 0)) slope = -tt;
        if (!(tt > 0)) throw new NumericalError(`projection onto Γ: γ′(${s}) = 0, the parametrisation is singular there`, { s });
        let ds = -g / slope;
        if (ds > maxStep) ds = maxStep;
        else if (ds < -maxStep) ds = -maxStep;
        s += ds;
        if (Math.abs(ds) <= 1e-13 * (1 + Math.abs(s)) + 1e-15 * period) {
          converged = true;
          break;
        }
      }
      if (!converged || !Number.isFinite(s)) {
        throw new NumericalError(`projection onto Γ did not converge for the point (${Array.from(x as ArrayLike<number>, (v) => v.toPrecision(6)).join(', ')})`, { point: Array.from(x as ArrayLike<number>), s });
      }
      gamma.point(s, foot);
      if (gamma.closed) s = s0 + (((s - s0) % period) + period) % period;
      param[0] = s;
      let q = 0;
      for (let i = 0; i < d; i++) {
        const r = x[i] - foot[i];
        q += r * r;
      }
      return q;
    },
  };
}

function surfaceProjector(S: SurfaceParam, m: number): Projector {
  const [a0, a1] = S.rangeA;
  const [b0, b1] = S.rangeB;
  const n = (m + 1) * (m + 1);
  const ta = new Float64Array(n);
  const tb = new Float64Array(n);
  const tp = new Float64Array(n * 3);
  const p = new Float64Array(3);
  for (let j = 0; j <= m; j++)
    for (let i = 0; i <= m; i++) {
      const k = j * (m + 1) + i;
      ta[k] = a0 + ((a1 - a0) * i) / m;
      tb[k] = b0 + ((b1 - b0) * j) / m;
      S.point(ta[k], tb[k], p);
      tp.set(p, 3 * k);
    }
  const Sa = new Float64Array(3);
  const Sb = new Float64Array(3);
  const Saa = new Float64Array(3);
  const Sab = new Float64Array(3);
  const Sbb = new Float64Array(3);
  const maxA = 0.25 * (a1 - a0);
  const maxB = 0.25 * (b1 - b0);
  return {
    alongDim: 2,
    project(x, param, foot) {
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < n; k++) {
        const r0 = x[0] - tp[3 * k];
        const r1 = x[1] - tp[3 * k + 1];
        const r2 = x[2] - tp[3 * k + 2];
        const q = r0 * r0 + r1 * r1 + r2 * r2;
        if (q < bestD) {
          bestD = q;
          best = k;
        }
      }
      let a = ta[best];
      let b = tb[best];
      let converged = false;
      for (let it = 0; it < MAX_IT; it++) {
        S.point(a, b, foot);
        S.da(a, b, Sa);
        S.db(a, b, Sb);
        S.daa(a, b, Saa);
        S.dab(a, b, Sab);
        S.dbb(a, b, Sbb);
        let ga = 0, gb = 0, aa = 0, ab = 0, bb = 0, raa = 0, rab = 0, rbb = 0;
        for (let i = 0; i < 3; i++) {
          const r = x[i] - foot[i];
          ga += r * Sa[i];
          gb += r * Sb[i];
          aa += Sa[i] * Sa[i];
          ab += Sa[i] * Sb[i];
          bb += Sb[i] * Sb[i];
          raa += r * Saa[i];
          rab += r * Sab[i];
          rbb += r * Sbb[i];
        }
        let j11 = -aa + raa, j12 = -ab + rab, j22 = -bb + rbb;
        if (!(j11 < 0 && j11 * j22 - j12 * j12 > 0)) {
          j11 = -aa;
          j12 = -ab;
          j22 = -bb;
        }
        const det = j11 * j22 - j12 * j12;
        if (!(det > 0)) throw new NumericalError(`projection onto Γ: the surface chart is singular at (a, b) = (${a}, ${b})`, { a, b });
        let da = -(j22 * ga - j12 * gb) / det;
        let db = -(-j12 * ga + j11 * gb) / det;
        da = Math.max(-maxA, Math.min(maxA, da));
        db = Math.max(-maxB, Math.min(maxB, db));
        a += da;
        b += db;
        if (Math.abs(da) <= 1e-13 * (1 + Math.abs(a)) && Math.abs(db) <= 1e-13 * (1 + Math.abs(b))) {
          converged = true;
          break;
        }
      }
      if (!converged || !Number.isFinite(a) || !Number.isFinite(b)) {
        throw new NumericalError(`projection onto Γ did not converge for the point (${Array.from(x as ArrayLike<number>, (v) => v.toPrecision(6)).join(', ')})`, { point: Array.from(x as ArrayLike<number>), a, b });
      }
      S.point(a, b, foot);
      param[0] = a;
      param[1] = b;
      const r0 = x[0] - foot[0];
      const r1 = x[1] - foot[1];
      const r2 = x[2] - foot[2];
      return r0 * r0 + r1 * r1 + r2 * r2;
    },
  };
}
