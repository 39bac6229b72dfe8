import { describe, expect, it } from 'vitest';
import type { Landscape } from '../../src/landscape/types.js';
import type { NoiseModel } from '../../src/noise/types.js';
import { InputError } from '../../src/util/errors.js';
import { matMul, maxAbsDiff, symEigen } from '../../src/theory/dense.js';
import { theoryAt } from '../../src/theory/pointwise.js';
import { constantNoise } from '../../src/noise/constant.js';
import { landscapeFromFormula } from '../../src/landscape/from-formula.js';
import * as F from './fixtures.js';

interface Case {
  name: string;
  L: Landscape;
  noise: NoiseModel;
  k: 1 | 2;
  points: number[][];
}

const onHyperbola = (u: number) => [u, 1 / u];
const onTwisted = (x: number) => [x, Math.sin(x), 0];
const onNet = (a: number, b: number) => [Math.exp(a), Math.exp(b), Math.exp(-a - b)];

const cases: Case[] = [
  { name: 'valley', L: F.valley, noise: F.isotropic(0.7, 2), k: 1, points: [[0, 0], [1.3, 0], [-2.1, 0]] },
  { name: 'hyperbola-label', L: F.hyperbola, noise: F.hyperbolaLabel(1), k: 1, points: [onHyperbola(2), onHyperbola(0.6), onHyperbola(1.1)] },
  { name: 'hyperbola-iso', L: F.hyperbola, noise: F.isotropic(0.5, 2), k: 1, points: [onHyperbola(2), onHyperbola(0.6)] },
  { name: 'scalar-net-label', L: F.scalarNet, noise: F.scalarNetLabel(0.8), k: 2, points: [onNet(0.3, -0.2), onNet(-0.5, 0.1), onNet(0, 0)] },
  { name: 'scalar-net-iso', L: F.scalarNet, noise: F.isotropic(1.3, 3), k: 2, points: [onNet(0.3, -0.2)] },
  { name: 'twisted', L: F.twisted, noise: F.isotropic(0.9, 3), k: 1, points: [onTwisted(0.4), onTwisted(-2), onTwisted(3)] },
];

/** Spectral projector onto the k eigenvectors of smallest |λ| of H(x). */
function spectralP(L: Landscape, x: number[], k: number): Float64Array {
  const d = L.dim;
  const H = L.hessian(x, new Float64Array(d * d));
  const vals = new Float64Array(d);
  const V = new Float64Array(d * d);
  symEigen(H, d, vals, V);
  const idx = [...Array(d).keys()].sort((a, b) => Math.abs(vals[a]) - Math.abs(vals[b])).slice(0, k);
  const P = new Float64Array(d * d);
  for (const m of idx) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) P[i * d + j] += V[i * d + m] * V[j * d + m];
  return P;
}

describe('fixtures have consistent exact derivatives', () => {
  it.each(cases)('$name: Hessian and third tensor match finite differences', ({ L, points }) => {
    for (const x of points) {
      const off = x.map((v, i) => v + 0.1 * (i + 1));
      expect(F.fdHessianCheck(L, off)).toBeLessThan(1e-7);
      expect(F.fdThirdCheck(L, off)).toBeLessThan(1e-7);
    }
  });
});

describe('theoryAt invariants', () => {
  it.each(cases)('$name: P² = P, PH = 0, HH† = Q, Lyapunov equation for Ω, Σ blocks', ({ L, noise, k, points }) => {
    for (const x of points) {
      const t = theoryAt(L, noise, x, k);
      const d = t.d;
      const dd = d * d;
      const PP = matMul(t.P, t.P, d, new Float64Array(dd));
      expect(maxAbsDiff(PP, t.P)).toBeLessThan(1e-13);
      expect(Math.max(...matMul(t.P, t.H, d, new Float64Array(dd)).map(Math.abs))).toBeLessThan(1e-12);
      expect(maxAbsDiff(matMul(t.H, t.Hpinv, d, new Float64Array(dd)), t.Q)).toBeLessThan(1e-12);
      let trP = 0;
      for (let i = 0; i < d; i++) trP += t.P[i * d + i];
      expect(trP).toBeCloseTo(k, 12);
      // HΩ + ΩH = Σ⊥
      const HO = matMul(t.H, t.Omega, d, new Float64Array(dd));
      const OH = matMul(t.Omega, t.H, d, new Float64Array(dd));
      const scale = Math.max(1, ...t.SigmaPerp.map(Math.abs));
      for (let i = 0; i < dd; i++) expect(Math.abs(HO[i] + OH[i] - t.SigmaPerp[i]) / scale).toBeLessThan(1e-12);
      expect(Math.max(...matMul(t.P, t.Omega, d, new Float64Array(dd)).map(Math.abs))).toBeLessThan(1e-13);
      // Σ = Σ∥ + Σ⊥ + Σ⊥∥ + Σ⊥∥ᵀ
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++)
          expect(Math.abs(t.SigmaPar[i * d + j] + t.SigmaPerp[i * d + j] + t.SigmaPerpPar[i * d + j] + t.SigmaPerpPar[j * d + i] - t.Sigma[i * d + j])).toBeLessThan(1e-12);
      expect(maxAbsDiff(t.sigmaBar, t.SigmaPar)).toBe(0);
    }
  });

  it.each(cases)('$name: ∂ₗP agrees with centred differences of the spectral projector (all directions)', ({ L, noise, k, points }) => {
    for (const x of points) {
      const t = theoryAt(L, noise, x, k);
      const d = t.d;
      const h = 1e-5;
      for (let l = 0; l < d; l++) {
        const xp = x.slice();
        const xm = x.slice();
        xp[l] += h;
        xm[l] -= h;
        const Pp = spectralP(L, xp, k);
        const Pm = spectralP(L, xm, k);
        for (let i = 0; i < d * d; i++) expect(Math.abs((Pp[i] - Pm[i]) / (2 * h) - t.dP[l * d * d + i])).toBeLessThan(1e-7);
      }
    }
  });

  it('∂P along Γ agrees with centred differences of P(γ(s)) (twisted curve)', () => {
    const noise = F.isotropic(1, 3);
    for (const s of [-1.1, 0.3, 2.5]) {
      const h = 1e-5;
      const Pp = theoryAt(F.twisted, noise, onTwisted(s + h), 1).P;
      const Pm = theoryAt(F.twisted, noise, onTwisted(s - h), 1).P;
      const t = theoryAt(F.twisted, noise, onTwisted(s), 1);
      const gp = [1, Math.cos(s), 0];
      for (let i = 0; i < 9; i++) {
        let dir = 0;
        for (let l = 0; l < 3; l++) dir += gp[l] * t.dP[l * 9 + i];
        expect(Math.abs((Pp[i] - Pm[i]) / (2 * h) - dir)).toBeLessThan(1e-8);
      }
    }
  });
});

describe('acceptance numbers', () => {
  it('hyperbola, label noise c = 1, (u, v) = (2, ½): Li drift (−15/17, 15/68)', () => {
    const t = theoryAt(F.hyperbola, F.hyperbolaLabel(1), [2, 0.5], 1);
    expect(t.driftLi[0]).toBeCloseTo(-0.882353, 6);
    expect(t.driftLi[1]).toBeCloseTo(0.220588, 6);
    expect(Math.abs(t.driftLi[0] + 15 / 17)).toBeLessThan(1e-14);
    expect(Math.abs(t.driftLi[1] - 15 / 68)).toBeLessThan(1e-14);
  });

  it('hyperbola, label noise: the seed projector term is zero (ΣP = 0), so the seed drift is −P T[Ω], twice Li along Γ', () => {
    const t = theoryAt(F.hyperbola, F.hyperbolaLabel(1), [2, 0.5], 1);
    for (let k = 0; k < 2; k++) expect(Math.abs(t.seedProjectorTerm[k])).toBeLessThan(1e-15);
    for (let k = 0; k < 2; k++) expect(Math.abs(t.driftSeed[k] + t.liTerms.pTOmega[k])).toBeLessThan(1e-15);
    const Pf = [0, 1].map((i) => t.P[i * 2] * t.driftSeed[0] + t.P[i * 2 + 1] * t.driftSeed[1]);
    expect(Math.abs(Pf[0] - 2 * t.driftLi[0])).toBeLessThan(1e-13);
    expect(Math.abs(Pf[1] - 2 * t.driftLi[1])).toBeLessThan(1e-13);
    // −P T[Ω] at (2, ½): the tangential (−1.764706, 0.441176) = 2·(−15/17, 15/68), nothing normal.
    expect(Math.abs(t.driftSeed[0] + 30 / 17)).toBeLessThan(1e-13);
    expect(Math.abs(t.driftSeed[1] - 30 / 68)).toBeLessThan(1e-13);
  });

  it('hyperbola with constant correlated Σ = [[1, ½], [½, 1]] at (2, ½): seed, its projector term and Li as printed (issue 16)', () => {
    // Σ mixes tangent and normal directions here (QΣP ≠ 0), where the Σ-free readings of eq. 10 differed.
    const t = theoryAt(F.hyperbola, constantNoise([[1, 0.5], [0.5, 1]]), [2, 0.5], 1);
    const near = (x: ArrayLike<number>, y: number[]) => y.forEach((v, i) => expect(Math.abs(x[i] - v)).toBeLessThan(1e-5));
    near(t.seedProjectorTerm, [0.070018, 0.072461]);
    near(t.driftSeed, [-0.442907, 0.200692]);
    near(t.driftLi, [-0.137594, 0.124364]);
    // The term is ½ Σⱼ (∂_{Peⱼ}P)ᵀ Σ eⱼ: the same number from directional derivatives of P along the tangent.
    const d = 2;
    const g = [0, 0];
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < d; k++) {
        for (let i = 0; i < d; i++) {
          let dirP = 0; // (∂_{Peⱼ}P)ᵢₖ = Σₗ Pₗⱼ ∂ₗPᵢₖ
          for (let l = 0; l < d; l++) dirP += t.P[l * d + j] * t.dP[(l * d + i) * d + k];
          g[k] += 0.5 * dirP * t.Sigma[i * d + j];
        }
      }
    }
    for (let k = 0; k < d; k++) expect(Math.abs(g[k] - t.seedProjectorTerm[k])).toBeLessThan(1e-15);
  });

  it('along Γ the seed term is half of Li\'s cross term, for any Σ: P g = −½ P T[H†Σ⊥∥] (so seed∥ = −P T[Ω] − ½ P T[H†Σ⊥∥])', () => {
    // Derivation: for tangent v, P ∂_v P = −P (∂_v H) H† (PH† = 0), so Pg = −½ Σⱼ P (∂_{Peⱼ}H) H† Σ eⱼ
    // = −½ P T[H†ΣP] and H†ΣP = H†Σ⊥∥. Checked on a curve in 2D, a surface and a curve in 3D with full Σ.
    const S3 = constantNoise([[1.3, 0.4, -0.2], [0.4, 0.9, 0.3], [-0.2, 0.3, 0.7]]);
    const S2 = constantNoise([[1, 0.5], [0.5, 1]]);
    const pts: [Landscape, NoiseModel, number[], 1 | 2][] = [
      [F.hyperbola, S2, onHyperbola(2), 1],
      [F.hyperbola, S2, onHyperbola(0.7), 1],
      [F.scalarNet, S3, onNet(0.3, -0.2), 2],
      [F.scalarNet, S3, onNet(-0.5, 0.4), 2],
      [F.twisted, S3, onTwisted(0.4), 1],
    ];
    for (const [L, noise, x, k] of pts) {
      const t = theoryAt(L, noise, x, k);
      const d = L.dim;
      const Pg = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => t.P[i * d + j] * t.seedProjectorTerm[j]).reduce((a, b) => a + b));
      let size = 0;
      for (let i = 0; i < d; i++) {
        expect(Math.abs(Pg[i] + 0.5 * t.liTerms.pTHpinvSigmaPerpPar[i])).toBeLessThan(1e-13);
        size = Math.max(size, Math.abs(Pg[i]));
      }
      expect(size).toBeGreaterThan(1e-3); // the identity is not 0 = 0
    }
  });

  it('unit circle L = ½(r − 1)², Σ = [[1, ½], [½, 1]]: seed along Γ −½ nᵀΣt = −¼ cos 2s, Li −nᵀΣt', () => {
    const circle = landscapeFromFormula('0.5*(sqrt(x^2 + y^2) - 1)^2', ['x', 'y']);
    const noise = constantNoise([[1, 0.5], [0.5, 1]]);
    for (const s of [0, 0.3, 1.1, 2.5, -2]) {
      const t = theoryAt(circle, noise, [Math.cos(s), Math.sin(s)], 1);
      const tan = [-Math.sin(s), Math.cos(s)];
      const along = (f: Float64Array) => tan[0] * f[0] + tan[1] * f[1];
      expect(Math.abs(along(t.driftSeed) + 0.25 * Math.cos(2 * s))).toBeLessThan(1e-12);
      expect(Math.abs(along(t.driftLi) + 0.5 * Math.cos(2 * s))).toBeLessThan(1e-12);
    }
  });

  it('valley at x = 0, σ² = 1: Li −1/6, seed −1/3; with σ² = 2 the seed projector term doubles and stays normal', () => {
    const t = theoryAt(F.valley, F.isotropic(1, 2), [0, 0], 1);
    expect(Math.abs(t.driftLi[0] + 1 / 6)).toBeLessThan(1e-14);
    expect(Math.abs(t.driftSeed[0] + 1 / 3)).toBeLessThan(1e-14);
    const t2 = theoryAt(F.hyperbola, F.isotropic(2, 2), [2, 0.5], 1);
    const t1 = theoryAt(F.hyperbola, F.isotropic(1, 2), [2, 0.5], 1);
    for (let k = 0; k < 2; k++) expect(Math.abs(t2.seedProjectorTerm[k] - 2 * t1.seedProjectorTerm[k])).toBeLessThan(1e-14);
    expect(Math.hypot(t1.seedProjectorTerm[0], t1.seedProjectorTerm[1])).toBeGreaterThan(0.05);
    const Pg = [0, 1].map((i) => t2.P[i * 2] * t2.seedProjectorTerm[0] + t2.P[i * 2 + 1] * t2.seedProjectorTerm[1]);
    expect(Math.hypot(Pg[0], Pg[1])).toBeLessThan(1e-14);
  });

  it('the removed seedReading option is refused with a message naming it', () => {
    const opts = { seedReading: 'literal' } as unknown as Parameters<typeof theoryAt>[4];
    let err: unknown;
    try {
      theoryAt(F.hyperbola, F.hyperbolaLabel(1), [2, 0.5], 1, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as Error).message)).toMatch(/seedReading.*removed|removed/);
  });
});

describe('theoryAt refuses points that are not on a manifold of minima of the stated dimension', () => {
  it('names the point and all eigenvalues', () => {
    let err: unknown;
    try {
      theoryAt(F.hyperbola, F.hyperbolaLabel(1), [2, 1], 1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect(String((err as Error).message)).toMatch(/θ = \(2, 1\).*eigenvalues \[-0\.8\d+, 5\.8\d+\]/);
  });
  it('wrong tangent dimension', () => {
    expect(() => theoryAt(F.scalarNet, F.scalarNetLabel(1), onNet(0, 0), 1)).toThrow(/kernel has dimension 2.*expected 1/);
  });
  it('normal eigenvalue not clearly positive (saddle line)', () => {
    const saddle: Landscape = {
      ...F.valley,
      name: 'neg',
      hessian: (_x, o) => (o.set([0, 0, 0, -1]), o),
      third: (_x, o) => (o.fill(0), o),
    };
    expect(() => theoryAt(saddle, F.isotropic(1, 2), [0, 0], 1)).toThrow(/not clearly positive/);
  });
});
