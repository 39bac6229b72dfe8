import { describe, expect, it } from 'vitest';
import type { CurveParam, Landscape } from '../../src/landscape/types.js';
import type { NoiseModel } from '../../src/noise/types.js';
import { averagedCurveCoefficients, curveStation, type DriftFormula } from '../../src/theory/along-curve.js';
import { twistedMarginal, valleyMarginal } from '../../src/theory/exact-slow.js';
import { InputError } from '../../src/util/errors.js';
import * as F from './fixtures.js';

/**
 * Stationary density of J = b p − G ∂ₛp = 0: ln p(s) − ln p(s₀) = ∫ b/G ds,
 * by composite Simpson on the (uniform, odd-count) face values.
 */
function stationaryLogDensity(L: Landscape, noise: NoiseModel, gamma: CurveParam, s: Float64Array, formula: DriftFormula): Float64Array {
  const c = averagedCurveCoefficients(L, noise, gamma, s, formula);
  const r = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) r[i] = c.b[i] / c.G[i];
  const out = new Float64Array((s.length - 1) / 2 + 1);
  const h = s[1] - s[0];
  for (let m = 1; m < out.length; m++) out[m] = out[m - 1] + (h / 3) * (r[2 * m - 2] + 4 * r[2 * m - 1] + r[2 * m]);
  return out;
}

function uniform(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
}

/** max over the Simpson nodes of |ln p − ln p_exact| after matching at s₀. */
function logError(logp: Float64Array, s: Float64Array, exact: (x: number) => number): number {
  let m = 0;
  for (let k = 0; k < logp.length; k++) m = Math.max(m, Math.abs(logp[k] - (Math.log(exact(s[2 * k])) - Math.log(exact(s[0])))));
  return m;
}

describe('averaged 1D coefficients: stationary density of J = b p − G∂ₛp', () => {
  const s = uniform(-3, 3, 801);

  it('valley (isotropic): Li gives the exact marginal a^(−1/2); seed gives a^(−1)', () => {
    for (const sigma2 of [1, 0.3]) {
      const noise = F.isotropic(sigma2, 2);
      expect(logError(stationaryLogDensity(F.valley, noise, F.valleyCurve, s, 'li'), s, valleyMarginal)).toBeLessThan(1e-9);
      expect(logError(stationaryLogDensity(F.valley, noise, F.valleyCurve, s, 'seed'), s, (x) => valleyMarginal(x) ** 2)).toBeLessThan(1e-9);
    }
  });

  it('twisted curve (non-constant speed): Li gives the exact marginal (2 + cos x)^(−1/2); seed does not', () => {
    const noise = F.isotropic(0.8, 3);
    expect(logError(stationaryLogDensity(F.twisted, noise, F.twistedCurve, s, 'li'), s, twistedMarginal)).toBeLessThan(1e-9);
    const seedErr = logError(stationaryLogDensity(F.twisted, noise, F.twistedCurve, s, 'seed'), s, twistedMarginal);
    expect(seedErr).toBeGreaterThan(0.3);
  });

  it('hyperbola iso with γ = (eˢ, e⁻ˢ): Li gives the Gibbs marginal per unit s, which is uniform', () => {
    const sh = uniform(-1.2, 1.2, 201);
    const logp = stationaryLogDensity(F.hyperbola, F.isotropic(0.5, 2), F.hyperbolaCurve, sh, 'li');
    expect(Math.max(...logp.map(Math.abs))).toBeLessThan(1e-9);
  });

  it('without the ½Dg′/g³ term the twisted-curve check would fail (the conversion matters)', () => {
    const noise = F.isotropic(1, 3);
    const c = averagedCurveCoefficients(F.twisted, noise, F.twistedCurve, s, 'li');
    let maxTerm = 0;
    for (let i = 0; i < s.length; i++) {
      const st = curveStation(F.twisted, noise, F.twistedCurve, s[i]);
      const naive = (c.fSigma[i] - 0.5 * 0) / c.speed[i]; // D const ⇒ dD/dσ = 0
      maxTerm = Math.max(maxTerm, Math.abs(c.b[i] - naive));
      // exact: ∂ₛ(D/g) = −D g′/g²
      expect(Math.abs(c.dDoverG[i] + (st.sigmaBar_sigmasigma * st.dSpeed) / st.speed ** 2)).toBeLessThan(1e-10);
    }
    expect(maxTerm).toBeGreaterThan(0.1);
  });

  it('hyperbola label: D = 0 on Γ so G = 0 and b = F/g; seed F is twice Li F', () => {
    const sh = uniform(-1.2, 1.2, 9);
    const li = averagedCurveCoefficients(F.hyperbola, F.hyperbolaLabel(1), F.hyperbolaCurve, sh, 'li');
    const seed = averagedCurveCoefficients(F.hyperbola, F.hyperbolaLabel(1), F.hyperbolaCurve, sh, 'seed');
    for (let i = 0; i < sh.length; i++) {
      expect(Math.abs(li.G[i])).toBeLessThan(1e-14);
      expect(Math.abs(li.b[i] - li.fSigma[i] / li.speed[i])).toBeLessThan(1e-10);
      expect(Math.abs(seed.fSigma[i] - 2 * li.fSigma[i])).toBeLessThan(1e-12);
      // q = e^{2s} − e^{−2s}: dq/ds · b = exact drift −c(u²−1)(u²+1)/u² (u = eˢ)
      const u = Math.exp(sh[i]);
      const dq = 2 * u * u + 2 / (u * u);
      expect(dq * li.b[i]).toBeCloseTo((-(u * u - 1) * (u * u + 1)) / (u * u), 9);
    }
  });
});

describe('curveStation geometry and normal-space quantities', () => {
  it('2D: left normal, signed curvature, omegaNormal = νᵀΩν = σ²/(2λ) (isotropic hyperbola)', () => {
    const sigma2 = 0.5;
    for (const s of [-1, 0, 0.7]) {
      const st = curveStation(F.hyperbola, F.isotropic(sigma2, 2), F.hyperbolaCurve, s);
      const [u, v] = [Math.exp(s), Math.exp(-s)];
      expect(st.speed).toBeCloseTo(Math.hypot(u, v), 14);
      expect(st.normals[0] * st.tangent[1] - st.normals[1] * st.tangent[0]).toBeCloseTo(-1, 14);
      // signed curvature of (eˢ, e⁻ˢ) w.r.t. the left normal: (x′y″ − y′x″)/g³ = 2/g³
      expect(st.kappa).toBeCloseTo(2 / st.speed ** 3, 13);
      expect(st.omegaNormal[0]).toBeCloseTo(sigma2 / (2 * (u * u + v * v)), 14);
    }
  });

  it('normal part of the Li drift equals ½ D k (Itô curvature drift of motion on Γ); seed (eq. 10, isotropic σ²I) gives the same ½ D k', () => {
    for (const [L, noise, gamma] of [
      [F.twisted, F.isotropic(0.6, 3), F.twistedCurve],
      [F.hyperbola, F.isotropic(0.6, 2), F.hyperbolaCurve],
    ] as const) {
      for (const s of [-1, 0.4]) {
        const st = curveStation(L, noise, gamma, s);
        const d = L.dim;
        const D = st.sigmaBar_sigmasigma;
        for (let i = 0; i < d; i++) {
          let qLi = 0;
          let qSeed = 0;
          for (let j = 0; j < d; j++) {
            qLi += st.point.Q[i * d + j] * st.driftLi[j];
            qSeed += st.point.Q[i * d + j] * st.driftSeed[j];
          }
          expect(Math.abs(qLi - 0.5 * D * st.curvature[i])).toBeLessThan(1e-12);
          expect(Math.abs(qSeed - 0.5 * D * st.curvature[i])).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('3D: Frenet normals by default, a given orthonormal pair is used, a bad one refused', () => {
    const noise = F.isotropic(2, 3);
    const st = curveStation(F.twisted, noise, F.twistedCurve, 0.8);
    const tr = st.omegaNormal[0] + st.omegaNormal[3];
    const lam = st.point.eigenvalues;
    expect(tr).toBeCloseTo((2 / 2) * (1 / lam[1] + 1 / lam[2]), 13);
    expect(st.omegaNormal[1]).toBeCloseTo(st.omegaNormal[2], 15);
    const given = curveStation(F.twisted, noise, F.twistedCurve, 0.8, { normals: [0, 0, 1, ...st.normals.subarray(0, 3)] });
    expect(given.omegaNormal[0]).toBeCloseTo(1 / (2 + Math.cos(0.8)), 13); // νᵀΩν for ν = e_z: σ²/(2·(2 + cos x))
    expect(() => curveStation(F.twisted, noise, F.twistedCurve, 0.8, { normals: [1, 0, 0, 0, 0, 1] })).toThrow(InputError);
  });

  it('refuses a curve that is not Γ', () => {
    const off: CurveParam = { ...F.hyperbolaCurve, point: (s, o) => (o.set([Math.exp(s), 2 * Math.exp(-s)]), o) };
    expect(() => curveStation(F.hyperbola, F.isotropic(1, 2), off, 0.3)).toThrow(InputError);
    const slid: CurveParam = { ...F.valleyCurve, d1: (_s, o) => (o.set([1, 0.5]), o) };
    expect(() => curveStation(F.valley, F.isotropic(1, 2), slid, 0.3)).toThrow(/not in ker H/);
  });
});
