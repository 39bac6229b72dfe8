/**
 * The averaged generator along a curve Γ = γ([s0, s1]) (DESIGN.md §6), and the
 * coefficients of the averaged 1D problem in the curve's PARAMETER s.
 *
 * Geometry at s (γ′, γ″ exact from the CurveParam; g = |γ′|):
 *   speed g = |γ′|, unit tangent t̂ = γ′/g, g′ = dg/ds = t̂·γ″,
 *   curvature vector k = (γ″ − (t̂·γ″)t̂)/g² (= dt̂/dσ),
 *   2D: left normal ν = (−t̂₂, t̂₁) and signed curvature κ = k·ν
 *       (the tube grid's h_s = 1 − κn uses this ν);
 *   3D: a caller-given orthonormal normal pair (ν₁, ν₂), else the Frenet pair
 *       (k/|k|, t̂×k/|k|), else (when k = 0) any orthonormal pair ⟂ t̂.
 *
 * Averaged dynamics in arclength σ (DESIGN §6):
 *   ∂ₜp_σ = −∂σ(F p_σ) + ½∂σ²(D p_σ),  F = t̂·f̄,  D = t̂ᵀΣ̄t̂ = t̂ᵀΣt̂.
 *
 * Conversion to the parameter s (derivation). dσ/ds = g; the density per unit s
 * is p = p_σ g, and the flux J through a point is the same in both coordinates
 * (∂ₜp = g ∂ₜp_σ = −g ∂σJ = −∂ₛJ). With J = (F − ½∂σD)p_σ − ½D ∂σp_σ and
 * ∂σp_σ = g⁻¹∂ₛ(p/g) = p′/g² − p g′/g³:
 *
 *   J = b p − G ∂ₛp,   G = D/(2g²),
 *   b = (F − ½ dD/dσ)/g + ½ D g′/g³  =  (1/g)·[F − ½ ∂ₛ(D/g)].
 *
 * NOTE the + ½Dg′/g³ term: b is NOT (F − ½dD/dσ)/g unless the speed is constant.
 * (Check: F = 0, D = const gives J = 0 for p ∝ g, i.e. uniform in arclength.)
 * Equivalently the Itô drift in s is Bˢ = F/g − ½ D g′/g³ (= gˢˢ t̂·f̄ − ½Γˢₛₛ Σ̄ˢˢ
 * with Γˢₛₛ = g′/g, Σ̄ˢˢ = D/g²) and b = Bˢ − ∂ₛG.
 * ∂ₛ(D/g) is computed by a fourth-order finite difference in s
 * ((−f(s+2h) + 8f(s+h) − 8f(s−h) + f(s−2h))/(12h), h = 2e-4·(s1 − s0);
 * one-sided fourth-order stencils where an open curve's range would be left),
 * each f = D/g evaluated exactly from theoryAt. Truncation ~h⁴, round-off ~1e-13.
 */
import type { CurveParam, Landscape } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { InputError } from '../util/errors.js';
import { bilinear, dot } from './dense.js';
import { derivative4 } from './finite-difference.js';
import { theoryAt, type TheoryPoint } from './pointwise.js';

export type DriftFormula = 'li' | 'seed';

export interface CurveStationOptions {
  /** 3D only: orthonormal normals ν₁, ν₂ ⟂ t̂, flat [ν₁; ν₂] (length 6). */
  normals?: ArrayLike<number>;
  tol?: number;
}

export interface CurveStation {
  readonly s: number;
  readonly theta: Float64Array;
  /** |γ′(s)| */
  readonly speed: number;
  /** dg/ds = t̂·γ″ */
  readonly dSpeed: number;
  readonly tangent: Float64Array;
  /** k = dt̂/dσ (ambient) */
  readonly curvature: Float64Array;
  /** 2D: signed curvature k·ν (ν the left normal); 3D: |k|. */
  readonly kappa: number;
  /** Normal basis, flat (d−1)×d rows: 2D [ν], 3D [ν₁; ν₂]. */
  readonly normals: Float64Array;
  readonly P: Float64Array;
  readonly Omega: Float64Array;
  /** (d−1)×(d−1) block νₐᵀΩν_b in the normal basis above. */
  readonly omegaNormal: Float64Array;
  readonly driftLi: Float64Array;
  readonly driftSeed: Float64Array;
  readonly fLi_sigma: number;
  readonly fSeed_sigma: number;
  /** t̂ᵀΣ̄t̂ = t̂ᵀΣt̂ */
  readonly sigmaBar_sigmasigma: number;
  readonly point: TheoryPoint;
}

function label(s: number): string {
  return `gamma (curve) at s = ${s}`;
}

/** The theory quantities at parameter s of the curve γ. */
export function curveStation(landscape: Landscape, noise: NoiseModel, gamma: CurveParam, s: number, opts: CurveStationOptions = {}): CurveStation {
  const d = landscape.dim;
  if (gamma.dim !== d) {
    throw new InputError('gamma.param', `curve has ${gamma.dim} components but the landscape has ${d} variables; give one formula per variable`);
  }
  const theta = gamma.point(s, new Float64Array(d));
  const g1 = gamma.d1(s, new Float64Array(d));
  const g2 = gamma.d2(s, new Float64Array(d));
  const speed = Math.sqrt(dot(g1, g1, d));
  if (!(speed > 0) || !Number.isFinite(speed)) {
    throw new InputError('gamma.param', `|γ′(${s})| = ${speed}: the parametrisation must be regular (nonzero, finite derivative) on its range`);
  }
  const tangent = new Float64Array(d);
  for (let i = 0; i < d; i++) tangent[i] = g1[i] / speed;
  const dSpeed = dot(tangent, g2, d);
  const curvature = new Float64Array(d);
  for (let i = 0; i < d; i++) curvature[i] = (g2[i] - dSpeed * tangent[i]) / (speed * speed);
  const kNorm = Math.sqrt(dot(curvature, curvature, d));

  const m = d - 1;
  const normals = new Float64Array(m * d);
  let kappa: number;
  if (d === 2) {
    normals[0] = -tangent[1];
    normals[1] = tangent[0];
    kappa = dot(curvature, normals, 2);
  } else {
    kappa = kNorm;
    if (opts.normals) {
      const nv = opts.normals;
      if (nv.length !== 6) throw new InputError('normals', `expected 6 numbers (ν₁; ν₂), got ${nv.length}`);
      for (let i = 0; i < 6; i++) normals[i] = nv[i];
      const n1 = normals.subarray(0, 3);
      const n2 = normals.subarray(3, 6);
      const err = Math.max(Math.abs(dot(n1, n1, 3) - 1), Math.abs(dot(n2, n2, 3) - 1), Math.abs(dot(n1, n2, 3)), Math.abs(dot(n1, tangent, 3)), Math.abs(dot(n2, tangent, 3)));
      if (err > 1e-8) {
        throw new InputError('normals', `normal basis at s = ${s} is not orthonormal and ⟂ t̂ (error ${err.toExponential(2)}); pass unit vectors orthogonal to each other and to γ′`);
      }
    } else {
      const n1 = new Float64Array(3);
      if (kNorm > 1e-10) {
        for (let i = 0; i < 3; i++) n1[i] = curvature[i] / kNorm;
      } else {
        // Any unit vector ⟂ t̂: Gram–Schmidt on the axis least aligned with t̂.
        let ax = 0;
        for (let i = 1; i < 3; i++) if (Math.abs(tangent[i]) < Math.abs(tangent[ax])) ax = i;
        n1[ax] = 1;
        const p = tangent[ax];
        for (let i = 0; i < 3; i++) n1[i] -= p * tangent[i];
        const nn = Math.sqrt(dot(n1, n1, 3));
        for (let i = 0; i < 3; i++) n1[i] /= nn;
      }
      normals.set(n1, 0);
      normals[3] = tangent[1] * n1[2] - tangent[2] * n1[1];
      normals[4] = tangent[2] * n1[0] - tangent[0] * n1[2];
      normals[5] = tangent[0] * n1[1] - tangent[1] * n1[0];
    }
  }

  const point = theoryAt(landscape, noise, theta, 1, { tol: opts.tol, label: label(s) });
  // γ′ must lie in ker H: |Q t̂| small.
  let off = 0;
  for (let i = 0; i < d; i++) {
    let r = 0;
    for (let j = 0; j < d; j++) r += point.Q[i * d + j] * tangent[j];
    off += r * r;
  }
  if (Math.sqrt(off) > 1e-6) {
    throw new InputError(
      'gamma.param',
      `at s = ${s}, θ = (${Array.from(theta, (v) => v.toPrecision(8)).join(', ')}) the curve's tangent is not in ker H (|Q t̂| = ${Math.sqrt(off).toExponential(2)}); the parametrisation must trace Γ`,
    );
  }
  const omegaNormal = new Float64Array(m * m);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      omegaNormal[a * m + b] = bilinear(normals.subarray(a * d, a * d + d), point.Omega, normals.subarray(b * d, b * d + d), d);
    }
  }
  return {
    s,
    theta,
    speed,
    dSpeed,
    tangent,
    curvature,
    kappa,
    normals,
    P: point.P,
    Omega: point.Omega,
    omegaNormal,
    driftLi: point.driftLi,
    driftSeed: point.driftSeed,
    fLi_sigma: dot(tangent, point.driftLi, d),
    fSeed_sigma: dot(tangent, point.driftSeed, d),
    sigmaBar_sigmasigma: bilinear(tangent, point.Sigma, tangent, d),
    point,
  };
}

/** Coefficients of the averaged 1D problem in s, one entry per face value. */
export interface CurveCoefficients {
  readonly formula: DriftFormula;
  readonly s: Float64Array;
  /** g = |γ′| */
  readonly speed: Float64Array;
  /** F = t̂·f̄ (the chosen formula) */
  readonly fSigma: Float64Array;
  /** D = t̂ᵀΣ̄t̂ */
  readonly sigmaBarSS: Float64Array;
  /** ∂ₛ(D/g) (4th-order finite difference) */
  readonly dDoverG: Float64Array;
  /** Velocity in s-units: b = (1/g)[F − ½∂ₛ(D/g)]. */
  readonly b: Float64Array;
  /** Diffusion in s-units: G = D/(2g²). Flux per unit s: J = b p − G ∂ₛp. */
  readonly G: Float64Array;
  /** How ∂ₛ(D/g) was computed. */
  readonly derivative: string;
}

/**
 * Face coefficients for the averaged problem ∂ₜp + ∂ₛJ = 0, J = b p − G ∂ₛp,
 * with p the density per unit PARAMETER s (see the module comment for the
 * derivation from the arclength equation). Setup-time: a handful of theoryAt
 * calls per face.
 */
export function averagedCurveCoefficients(
  landscape: Landscape,
  noise: NoiseModel,
  gamma: CurveParam,
  sFaces: Float64Array,
  formula: DriftFormula,
  opts: CurveStationOptions = {},
): CurveCoefficients {
  if (formula !== 'li' && formula !== 'seed') {
    throw new InputError('formula', `unknown drift formula ${JSON.stringify(formula)}; use "li" or "seed"`);
  }
  const n = sFaces.length;
  const [s0, s1] = gamma.range;
  const span = s1 - s0;
  const h = 2e-4 * (span > 0 ? span : 1);
  const d = landscape.dim;
  const g1 = new Float64Array(d);
  const stOpts = { tol: opts.tol };
  // D/g at s: only the point's Σ and the tangent are needed.
  const dOverG = (s: number): number => {
    const theta = gamma.point(s, new Float64Array(d));
    gamma.d1(s, g1);
    const g = Math.sqrt(dot(g1, g1, d));
    const Sigma = noise.sigma(theta, new Float64Array(d * d));
    return bilinear(g1, Sigma, g1, d) / (g * g * g);
  };
  const out = {
    formula,
    s: Float64Array.from(sFaces),
    speed: new Float64Array(n),
    fSigma: new Float64Array(n),
    sigmaBarSS: new Float64Array(n),
    dDoverG: new Float64Array(n),
    b: new Float64Array(n),
    G: new Float64Array(n),
    derivative: `4th-order finite difference of D/g in s, h = ${h.toExponential(3)} (one-sided near open ends)`,
  };
  for (let q = 0; q < n; q++) {
    const s = sFaces[q];
    // Ensures the point is on Γ with the right kernel (throws otherwise).
    const st = curveStation(landscape, noise, gamma, s, stOpts);
    const deriv = derivative4(dOverG, s, h, s0, s1, gamma.closed);
    const g = st.speed;
    const F = formula === 'li' ? st.fLi_sigma : st.fSeed_sigma;
    const D = st.sigmaBar_sigmasigma;
    out.speed[q] = g;
    out.fSigma[q] = F;
    out.sigmaBarSS[q] = D;
    out.dDoverG[q] = deriv;
    out.b[q] = (F - 0.5 * deriv) / g;
    out.G[q] = D / (2 * g * g);
  }
  return out;
}
