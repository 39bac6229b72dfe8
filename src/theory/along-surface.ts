/**
 * The averaged generator on a surface Γ = S([a0,a1]×[b0,b1]) ⊂ ℝ³ in chart
 * coordinates ξ = (ξ⁰, ξ¹) = (a, b) (DESIGN.md §6).
 *
 * Geometry (Sₐ = ∂S/∂ξᵃ, S_bc = ∂²S/∂ξᵇ∂ξᶜ, exact from the SurfaceParam):
 *   metric gₐ_b = Sₐ·S_b, inverse gᵃᵇ, area element √det g,
 *   Christoffel symbols Γᵃ_bc = gᵃᵈ (S_d·S_bc)  (Levi-Civita of the induced metric),
 *   unit normal N = (S₀ × S₁)/|S₀ × S₁|.
 *   Flat layouts: g[a*2+b], christoffel[(a*2+b)*2+c] = Γᵃ_bc, sigmaBar[a*2+b] = Σ̄ᵃᵇ.
 *
 * Chart components of the slow dynamics dY = f̄ dt + (noise with covariance
 * Σ̄ = PΣP) on Γ, Y = S(ξ): by Itô, f̄ = Sₐ Bᵃ + ½ S_bc Σ̄ᵇᶜ (ambient), so
 *   Σ̄ᵃᵇ = gᵃᶜ g^{bd} (S_c·Σ S_d)                  (PΣP = Sₐ Σ̄ᵃᵇ S_bᵀ),
 *   f̄ᵃ = gᵃᵇ (S_b·f̄)                           (tangential drift: g·f = [S₀·f̄, S₁·f̄]),
 *   Bᵃ = f̄ᵃ − ½ Γᵃ_bc Σ̄ᵇᶜ                      (chart drift).
 * The normal part N·f̄ is not used by the chart dynamics; for a consistent
 * drift it equals ½ N·S_bc Σ̄ᵇᶜ (second fundamental form), reported as
 * `normalDriftGeometric` for comparison.
 *
 * The PDE discretised, for p = density per unit chart area da db:
 *   ∂ₜp = −∂ₐ(Bᵃ p) + ½ ∂ₐ∂_b(Σ̄ᵃᵇ p)  ⇔  ∂ₜp + ∂ₐJᵃ = 0,
 *   Jᵃ = vᵃ p − Gᵃᵇ ∂_b p,   vᵃ = Bᵃ − ½ ∂_b Σ̄ᵃᵇ,   Gᵃᵇ = ½ Σ̄ᵃᵇ.
 * ∂_b Σ̄ᵃᵇ is computed with fourth-order finite differences in a and b (step
 * 2e-4 × the range width, one-sided at the chart's edges) of the exact Σ̄ᵃᵇ.
 * (p per unit surface area is p/√det g.)
 */
import type { Landscape, SurfaceParam } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { InputError } from '../util/errors.js';
import { bilinear, dot, inverse2 } from './dense.js';
import { derivative4 } from './finite-difference.js';
import type { DriftFormula } from './along-curve.js';
import { theoryAt, type TheoryPoint } from './pointwise.js';

export interface SurfaceStationOptions {
  tol?: number;
}

export interface SurfaceStation {
  readonly a: number;
  readonly b: number;
  readonly theta: Float64Array;
  /** Rows S₀, S₁ (flat 2×3). */
  readonly basis: Float64Array;
  readonly metric: Float64Array;
  readonly metricInv: Float64Array;
  readonly sqrtDetG: number;
  readonly christoffel: Float64Array;
  readonly normal: Float64Array;
  readonly P: Float64Array;
  readonly Omega: Float64Array;
  /** NᵀΩN (1×1) */
  readonly omegaNormal: number;
  readonly driftLi: Float64Array;
  readonly driftSeed: Float64Array;
  /** Σ̄ᵃᵇ */
  readonly sigmaBar: Float64Array;
  /** f̄ᵃ = gᵃᵇ S_b·f̄ */
  readonly fLiChart: Float64Array;
  readonly fSeedChart: Float64Array;
  /** Bᵃ = f̄ᵃ − ½Γᵃ_bc Σ̄ᵇᶜ */
  readonly chartDriftLi: Float64Array;
  readonly chartDriftSeed: Float64Array;
  /** ½ N·S_bc Σ̄ᵇᶜ: the normal drift the Itô chart dynamics implies. */
  readonly normalDriftGeometric: number;
  readonly point: TheoryPoint;
}

interface ChartGeometry {
  theta: Float64Array;
  basis: Float64Array;
  second: Float64Array; // rows S₀₀, S₀₁, S₁₁ (flat 3×3)
  metric: Float64Array;
  metricInv: Float64Array;
  sqrtDetG: number;
}

function chartGeometry(S: SurfaceParam, a: number, b: number): ChartGeometry {
  const theta = S.point(a, b, new Float64Array(3));
  const basis = new Float64Array(6);
  S.da(a, b, basis.subarray(0, 3));
  S.db(a, b, basis.subarray(3, 6));
  const second = new Float64Array(9);
  S.daa(a, b, second.subarray(0, 3));
  S.dab(a, b, second.subarray(3, 6));
  S.dbb(a, b, second.subarray(6, 9));
  const s0 = basis.subarray(0, 3);
  const s1 = basis.subarray(3, 6);
  const metric = new Float64Array([dot(s0, s0, 3), dot(s0, s1, 3), dot(s0, s1, 3), dot(s1, s1, 3)]);
  const det = metric[0] * metric[3] - metric[1] * metric[2];
  if (!(det > 1e-14 * metric[0] * metric[3]) || !Number.isFinite(det)) {
    throw new InputError('gamma.param', `at (a, b) = (${a}, ${b}) the surface chart is singular (det g = ${det}); ∂S/∂a and ∂S/∂b must be independent`);
  }
  const metricInv = inverse2(metric, new Float64Array(4));
  return { theta, basis, second, metric, metricInv, sqrtDetG: Math.sqrt(det) };
}

/** Σ̄ᵃᵇ = gᵃᶜ g^{bd} (S_c·Σ S_d) into out[a*2+b]. */
function chartSigmaBar(geo: ChartGeometry, Sigma: Float64Array, out: Float64Array): Float64Array {
  const m = new Float64Array(4);
  for (let c = 0; c < 2; c++) for (let e = 0; e < 2; e++) m[c * 2 + e] = bilinear(geo.basis.subarray(c * 3, c * 3 + 3), Sigma, geo.basis.subarray(e * 3, e * 3 + 3), 3);
  const gi = geo.metricInv;
  for (let a = 0; a < 2; a++) {
    for (let b = 0; b < 2; b++) {
      let s = 0;
      for (let c = 0; c < 2; c++) for (let e = 0; e < 2; e++) s += gi[a * 2 + c] * gi[b * 2 + e] * m[c * 2 + e];
      out[a * 2 + b] = s;
    }
  }
  return out;
}

/** Theory quantities at chart point (a, b) of the surface S. */
export function surfaceStation(landscape: Landscape, noise: NoiseModel, S: SurfaceParam, a: number, b: number, opts: SurfaceStationOptions = {}): SurfaceStation {
  if (landscape.dim !== 3) {
    throw new InputError('gamma', `a surface Γ needs a landscape in 3 variables, got ${landscape.dim}`);
  }
  const geo = chartGeometry(S, a, b);
  const point = theoryAt(landscape, noise, geo.theta, 2, { tol: opts.tol, label: `gamma (surface) at (a, b) = (${a}, ${b})` });
  const { basis, second, metricInv: gi } = geo;
  // Tangent check: Q Sₐ ≈ 0.
  for (let c = 0; c < 2; c++) {
    let off = 0;
    let nrm = 0;
    for (let i = 0; i < 3; i++) {
      let r = 0;
      for (let j = 0; j < 3; j++) r += point.Q[i * 3 + j] * basis[c * 3 + j];
      off += r * r;
      nrm += basis[c * 3 + i] ** 2;
    }
    if (Math.sqrt(off / nrm) > 1e-6) {
      throw new InputError(
        'gamma.param',
        `at (a, b) = (${a}, ${b}) the chart's tangent ∂S/∂${c === 0 ? 'a' : 'b'} is not in ker H (relative |Q·| = ${Math.sqrt(off / nrm).toExponential(2)}); the parametrisation must trace Γ`,
      );
    }
  }
  // Christoffel symbols Γᵃ_bc = gᵃᵈ (S_d·S_bc); S_bc row index: 00→0, 01/10→1, 11→2.
  const christoffel = new Float64Array(8);
  const sIdx = (p: number, q: number) => p + q;
  for (let aa = 0; aa < 2; aa++) {
    for (let p = 0; p < 2; p++) {
      for (let q = 0; q < 2; q++) {
        const r = sIdx(p, q);
        let s = 0;
        for (let e = 0; e < 2; e++) s += gi[aa * 2 + e] * dot(basis.subarray(e * 3, e * 3 + 3), second.subarray(r * 3, r * 3 + 3), 3);
        christoffel[(aa * 2 + p) * 2 + q] = s;
      }
    }
  }
  const s0 = basis.subarray(0, 3);
  const s1 = basis.subarray(3, 6);
  const normal = new Float64Array([s0[1] * s1[2] - s0[2] * s1[1], s0[2] * s1[0] - s0[0] * s1[2], s0[0] * s1[1] - s0[1] * s1[0]]);
  const nn = Math.sqrt(dot(normal, normal, 3));
  for (let i = 0; i < 3; i++) normal[i] /= nn;

  const sigmaBar = chartSigmaBar(geo, point.Sigma, new Float64Array(4));
  const chartOf = (f: Float64Array) => {
    const r0 = dot(s0, f, 3);
    const r1 = dot(s1, f, 3);
    return new Float64Array([gi[0] * r0 + gi[1] * r1, gi[2] * r0 + gi[3] * r1]);
  };
  const withChristoffel = (fa: Float64Array) => {
    const out = new Float64Array(2);
    for (let aa = 0; aa < 2; aa++) {
      let s = 0;
      for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) s += christoffel[(aa * 2 + p) * 2 + q] * sigmaBar[p * 2 + q];
      out[aa] = fa[aa] - 0.5 * s;
    }
    return out;
  };
  const fLiChart = chartOf(point.driftLi);
  const fSeedChart = chartOf(point.driftSeed);
  let normalDriftGeometric = 0;
  for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) normalDriftGeometric += 0.5 * dot(normal, second.subarray(sIdx(p, q) * 3, sIdx(p, q) * 3 + 3), 3) * sigmaBar[p * 2 + q];

  return {
    a,
    b,
    theta: geo.theta,
    basis,
    metric: geo.metric,
    metricInv: gi,
    sqrtDetG: geo.sqrtDetG,
    christoffel,
    normal,
    P: point.P,
    Omega: point.Omega,
    omegaNormal: bilinear(normal, point.Omega, normal, 3),
    driftLi: point.driftLi,
    driftSeed: point.driftSeed,
    sigmaBar,
    fLiChart,
    fSeedChart,
    chartDriftLi: withChristoffel(fLiChart),
    chartDriftSeed: withChristoffel(fSeedChart),
    normalDriftGeometric,
    point,
  };
}

/** FV coefficients of the averaged problem on a surface, per point (see the module comment). */
export interface SurfaceCoefficients {
  readonly formula: DriftFormula;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly sqrtDetG: Float64Array;
  /** Bᵃ, flat n×2 */
  readonly B: Float64Array;
  /** Σ̄ᵃᵇ, flat n×4 */
  readonly sigmaBar: Float64Array;
  /** vᵃ = Bᵃ − ½∂_bΣ̄ᵃᵇ, flat n×2 */
  readonly velocity: Float64Array;
  /** Gᵃᵇ = ½Σ̄ᵃᵇ, flat n×4. Flux per unit chart length: Jᵃ = vᵃp − Gᵃᵇ∂_bp. */
  readonly G: Float64Array;
  readonly derivative: string;
}

/** Steps of the finite differences of Σ̄ᵃᵇ: 2e-4 of the chart's width along each axis. */
function divergenceSteps(S: SurfaceParam): { ha: number; hb: number } {
  return { ha: 2e-4 * (S.rangeA[1] - S.rangeA[0] || 1), hb: 2e-4 * (S.rangeB[1] - S.rangeB[0] || 1) };
}

/**
 * (a, b, out) ↦ out[a] = Σ_b ∂_b Σ̄ᵃᵇ (a = 0, 1) at a chart point: fourth-order finite differences of the exact
 * Σ̄ᵃᵇ (steps `divergenceSteps`, one-sided at the chart's edges).
 */
function surfaceDivergence(noise: NoiseModel, S: SurfaceParam): (a: number, b: number, out: Float64Array) => void {
  const [a0, a1] = S.rangeA;
  const [b0, b1] = S.rangeB;
  const { ha, hb } = divergenceSteps(S);
  const Sig = new Float64Array(9);
  // Σ̄ at the stencil's points, all four components: the a = 0 and a = 1 rows use the same points (eight, not
  // sixteen, evaluations per chart point; the same numbers). Keyed by the exact coordinates.
  const memo: { a: number; b: number; v: Float64Array }[] = Array.from({ length: 16 }, () => ({ a: NaN, b: NaN, v: new Float64Array(4) }));
  let used = 0;
  const sigmaBarAt = (a: number, b: number, comp: number): number => {
    for (let k = 0; k < used; k++) if (memo[k].a === a && memo[k].b === b) return memo[k].v[comp];
    if (used === memo.length) used = 0;
    const m = memo[used++];
    const geo = chartGeometry(S, a, b);
    noise.sigma(geo.theta, Sig);
    chartSigmaBar(geo, Sig, m.v);
    m.a = a;
    m.b = b;
    return m.v[comp];
  };
  return (a, b, out) => {
    used = 0;
    for (let aa = 0; aa < 2; aa++) {
      const dA = derivative4((x) => sigmaBarAt(x, b, aa * 2 + 0), a, ha, a0, a1, false);
      const dB = derivative4((y) => sigmaBarAt(a, y, aa * 2 + 1), b, hb, b0, b1, false);
      out[aa] = dA + dB;
    }
  };
}

/**
 * The averaged problem's coefficients at one chart point for both drift formulas from one station:
 * out = [v_Liᵃ (2), v_seedᵃ (2), Gᵃᵇ (4)], vᵃ = Bᵃ − ½∂_bΣ̄ᵃᵇ, Gᵃᵇ = ½Σ̄ᵃᵇ — the same numbers
 * `averagedSurfaceCoefficients` gives per formula. Returns a function bound to the models (its scratch reused).
 */
export function averagedSurfacePoint(landscape: Landscape, noise: NoiseModel, S: SurfaceParam): (a: number, b: number, out: Float64Array) => void {
  const div = surfaceDivergence(noise, S);
  const dv = new Float64Array(2);
  return (a, b, out) => {
    const st = surfaceStation(landscape, noise, S, a, b);
    div(a, b, dv);
    for (let aa = 0; aa < 2; aa++) {
      out[aa] = st.chartDriftLi[aa] - 0.5 * dv[aa];
      out[2 + aa] = st.chartDriftSeed[aa] - 0.5 * dv[aa];
    }
    for (let k = 0; k < 4; k++) out[4 + k] = 0.5 * st.sigmaBar[k];
  };
}

/**
 * Coefficients at the chart points (aPts[q], bPts[q]) (e.g. face centres) for
 * ∂ₜp + ∂ₐJᵃ = 0, Jᵃ = vᵃp − Gᵃᵇ∂_bp, p per unit (a,b)-area. Setup-time only.
 */
export function averagedSurfaceCoefficients(
  landscape: Landscape,
  noise: NoiseModel,
  S: SurfaceParam,
  aPts: Float64Array,
  bPts: Float64Array,
  formula: DriftFormula,
  opts: SurfaceStationOptions = {},
): SurfaceCoefficients {
  if (formula !== 'li' && formula !== 'seed') {
    throw new InputError('formula', `unknown drift formula ${JSON.stringify(formula)}; use "li" or "seed"`);
  }
  if (aPts.length !== bPts.length) {
    throw new InputError('bPts', `length ${bPts.length} differs from aPts length ${aPts.length}`);
  }
  const n = aPts.length;
  const { ha, hb } = divergenceSteps(S);
  const div = surfaceDivergence(noise, S);
  const dv = new Float64Array(2);
  const out = {
    formula,
    a: Float64Array.from(aPts),
    b: Float64Array.from(bPts),
    sqrtDetG: new Float64Array(n),
    B: new Float64Array(2 * n),
    sigmaBar: new Float64Array(4 * n),
    velocity: new Float64Array(2 * n),
    G: new Float64Array(4 * n),
    derivative: `4th-order finite differences of Σ̄ᵃᵇ in a (h = ${ha.toExponential(3)}) and b (h = ${hb.toExponential(3)}), one-sided at the chart's edges`,
  };
  for (let q = 0; q < n; q++) {
    const a = aPts[q];
    const b = bPts[q];
    const st = surfaceStation(landscape, noise, S, a, b, opts);
    const B = formula === 'li' ? st.chartDriftLi : st.chartDriftSeed;
    out.sqrtDetG[q] = st.sqrtDetG;
    for (let k = 0; k < 4; k++) {
      out.sigmaBar[4 * q + k] = st.sigmaBar[k];
      out.G[4 * q + k] = 0.5 * st.sigmaBar[k];
    }
    div(a, b, dv);
    for (let aa = 0; aa < 2; aa++) {
      out.B[2 * q + aa] = B[aa];
      out.velocity[2 * q + aa] = B[aa] - 0.5 * dv[aa];
    }
  }
  return out;
}
