import { describe, expect, it } from 'vitest';
import {
  averagedDriftOf,
  exactConservedDrift,
  hyperbolaLabelQDriftOnGamma,
  hyperbolaQ,
  scalarNetQ12,
  scalarNetQ23,
  valleySlowDrift,
  type SlowQuantity,
} from '../../src/theory/exact-slow.js';
import { theoryAt } from '../../src/theory/pointwise.js';
import type { Landscape } from '../../src/landscape/types.js';
import * as F from './fixtures.js';

const onNet = (a: number, b: number) => [Math.exp(a), Math.exp(b), Math.exp(-a - b)];

function conservedCheck(L: Landscape, q: SlowQuantity, pts: number[][]): number {
  const d = L.dim;
  let m = 0;
  for (const x of pts) {
    const g = L.grad(x, new Float64Array(d));
    const gq = q.grad(x, new Float64Array(d));
    let s = 0;
    for (let i = 0; i < d; i++) s += g[i] * gq[i];
    m = Math.max(m, Math.abs(s));
  }
  return m;
}

describe('conserved quantities and their exact Itô drifts', () => {
  it('q are conserved by the gradient flow (∇q·∇L = 0 off Γ too)', () => {
    expect(conservedCheck(F.hyperbola, hyperbolaQ, [[0.3, 2.2], [1.7, -0.4], [2, 0.5]])).toBeLessThan(1e-14);
    for (const q of [scalarNetQ12, scalarNetQ23]) expect(conservedCheck(F.scalarNet, q, [[0.3, 2.2, 1.1], [1.7, -0.4, 0.8]])).toBeLessThan(1e-14);
  });

  it('hyperbola label: ½tr(Σ∇²q) = −c q everywhere (so E[q] = E[q]₀ e^(−ct)) and = −c(u²−1)(u²+1)/u² on Γ', () => {
    const c = 0.7;
    const noise = F.hyperbolaLabel(c);
    for (const x of [[0.3, 2.2], [1.7, -0.4]]) expect(exactConservedDrift(noise, hyperbolaQ, x)).toBeCloseTo(-c * hyperbolaQ.value(x), 14);
    for (const u of [0.5, 1, 2.5]) expect(exactConservedDrift(noise, hyperbolaQ, [u, 1 / u])).toBeCloseTo(hyperbolaLabelQDriftOnGamma(c, u), 12);
  });
});

describe('Li drift against exact slow facts', () => {
  it('valley: Li drift along Γ equals −σ²a′/(4a); seed gives exactly twice', () => {
    for (const sigma2 of [1, 0.35]) {
      for (const x of [-2.5, -1, 0, 0.7, 2]) {
        const t = theoryAt(F.valley, F.isotropic(sigma2, 2), [x, 0], 1);
        expect(Math.abs(t.driftLi[0] - valleySlowDrift(sigma2, x))).toBeLessThan(1e-14);
        expect(Math.abs(t.driftLi[1])).toBeLessThan(1e-14);
        expect(Math.abs(t.driftSeed[0] - 2 * valleySlowDrift(sigma2, x))).toBeLessThan(1e-14);
      }
    }
  });

  it('hyperbola label: ∇q·f̄_Li = ½tr(Σ∇²q) on Γ; ∇q·f̄_seed is twice it', () => {
    for (const c of [1, 0.4]) {
      const noise = F.hyperbolaLabel(c);
      for (const u of [0.4, 0.8, 1, 1.6, 3]) {
        const x = [u, 1 / u];
        const t = theoryAt(F.hyperbola, noise, x, 1);
        const exact = exactConservedDrift(noise, hyperbolaQ, x);
        expect(Math.max(...t.sigmaBar.map(Math.abs))).toBeLessThan(1e-14);
        expect(Math.abs(averagedDriftOf(hyperbolaQ, x, t.driftLi, t.sigmaBar) - exact)).toBeLessThan(1e-12 * Math.max(1, Math.abs(exact)));
        expect(Math.abs(averagedDriftOf(hyperbolaQ, x, t.driftSeed, t.sigmaBar) - 2 * exact)).toBeLessThan(1e-12 * Math.max(1, Math.abs(exact)));
      }
    }
  });

  it('hyperbola iso: the averaged drift of q, ∇q·f̄_Li + ½tr(Σ̄∇²q), is 0 (∇q·f̄_Li alone is not)', () => {
    const sigma2 = 0.6;
    const noise = F.isotropic(sigma2, 2);
    for (const u of [0.5, 1.3, 2]) {
      const x = [u, 1 / u];
      const t = theoryAt(F.hyperbola, noise, x, 1);
      expect(exactConservedDrift(noise, hyperbolaQ, x)).toBe(0);
      expect(Math.abs(averagedDriftOf(hyperbolaQ, x, t.driftLi, t.sigmaBar))).toBeLessThan(1e-13);
      // Closed form of the part ∇q·f̄_Li = −σ²(u²−v²)/(u²+v²).
      const v = 1 / u;
      const g = t.driftLi[0] * 2 * u - t.driftLi[1] * 2 * v;
      expect(g).toBeCloseTo((-sigma2 * (u * u - v * v)) / (u * u + v * v), 13);
      // Seed: ∇q·f̄_seed = 2∇q·f̄_Li, so its averaged drift of q is −σ²(u²−v²)/(u²+v²) ≠ 0 away from u = 1.
      const gs = averagedDriftOf(hyperbolaQ, x, t.driftSeed, t.sigmaBar);
      expect(gs).toBeCloseTo(g, 13);
    }
  });

  it('scalar net label: ∇q·f̄_Li = ½tr(Σ∇²q) for q = x²−y² and y²−z² on Γ; seed gives twice', () => {
    const c = 0.8;
    const noise = F.scalarNetLabel(c);
    for (const [a, b] of [[0.3, -0.2], [-0.5, 0.1], [0.2, 0.6], [0, 0]]) {
      const x = onNet(a, b);
      const t = theoryAt(F.scalarNet, noise, x, 2);
      for (const q of [scalarNetQ12, scalarNetQ23]) {
        const exact = exactConservedDrift(noise, q, x);
        expect(Math.abs(averagedDriftOf(q, x, t.driftLi, t.sigmaBar) - exact)).toBeLessThan(1e-12);
        expect(Math.abs(averagedDriftOf(q, x, t.driftSeed, t.sigmaBar) - 2 * exact)).toBeLessThan(1e-12);
      }
      // closed form on Γ: c(1/x² − 1/y²)
      expect(exactConservedDrift(noise, scalarNetQ12, x)).toBeCloseTo(c * (1 / x[0] ** 2 - 1 / x[1] ** 2), 12);
    }
  });
});
