/**
 * Long-time and closed-curve checks with isotropic noise (SDE).
 *   valley L = ½a(x)y², a = 1.5 + sin x: the stationary density is Gibbs
 *   ∝ exp(−2L/(ησ²)) for every η, so the marginal along Γ is ∝ a(x)^(−1/2).
 *   ring L = ⅛(r² − 1)²: the angle is a martingale (harmonic, dφ = σ/r dW), so
 *   the circular mean stays at the start and its variance grows by σ²E[1/r²]t,
 *   with w = r² ~ ∝ exp(−(w − 1)²/(4ησ²)) across Γ in the Gibbs state.
 */
import { describe, expect, it } from 'vitest';
import { simulateParticles } from '../../src/particles/simulate.js';
import { valleyMarginal } from '../../src/theory/exact-slow.js';
import { ringIso, valleyIso } from './fixtures.js';

describe('particles: isotropic noise', () => {
  it('valley, t = 8: the folded histogram along Γ matches ∝ a(x)^(−1/2) (χ² test, 16 bins)', async () => {
    const r = await simulateParticles(valleyIso, { mode: 'sde', n: 8192, seed: 3, times: [0, 8], workers: 2, bins: 80 });
    const h = r.histogram!;
    expect(h.outside[1]).toBe(0);
    // Fold five periods of 16 bins onto one period [−π, π).
    const counts = new Array(16).fill(0);
    const w = (10 * Math.PI) / 80;
    for (let j = 0; j < 80; j++) counts[j % 16] += h.p[1][j] * w * r.n;
    expect(counts.reduce((a, b) => a + b, 0)).toBeCloseTo(r.n, 6);
    // Exact bin probabilities (midpoint rule, 200 points per bin).
    const mass: number[] = [];
    for (let k = 0; k < 16; k++) {
      let m = 0;
      for (let i = 0; i < 200; i++) m += valleyMarginal(-Math.PI + (k + (i + 0.5) / 200) * (2 * Math.PI / 16));
      mass.push(m);
    }
    const tot = mass.reduce((a, b) => a + b, 0);
    let chi2 = 0;
    for (let k = 0; k < 16; k++) {
      const e = (mass[k] / tot) * r.n;
      chi2 += (counts[k] - e) ** 2 / e;
    }
    console.log(`valley χ² = ${chi2.toFixed(2)} (15 dof; 99.9 % point 37.7), wall ${r.wallSeconds.toFixed(1)} s`);
    expect(chi2).toBeLessThan(37.7);
    // …and it is not the uniform density (the test can tell them apart).
    let chiU = 0;
    for (let k = 0; k < 16; k++) chiU += (counts[k] - r.n / 16) ** 2 / (r.n / 16);
    expect(chiU).toBeGreaterThan(100);
  });

  it('ring (closed Γ, start next to the seam): circular mean stays at 0.05, variance grows by σ²E[1/r²]t', async () => {
    const r = await simulateParticles(ringIso, { mode: 'sde', n: 8192, seed: 4, times: [0, 0.25, 0.5], workers: 1 });
    for (let k = 0; k < 3; k++) expect(Math.abs(r.meanAlong[k] - 0.05)).toBeLessThan(3.5 * r.seAlong[k]);
    expect(Math.abs(r.varAlong[0] / 0.09 - 1)).toBeLessThan(0.06);
    // E[1/w] under ∝ exp(−(w − 1)²/(4η)), w > 0 (midpoint rule).
    let num = 0, den = 0;
    for (let i = 0; i < 20000; i++) {
      const w = 0.5 + (i + 0.5) * 1e-4;
      const g = Math.exp(-((w - 1) ** 2) / (4 * ringIso.eta));
      num += g / w;
      den += g;
    }
    const grow = r.varAlong[2] - r.varAlong[0];
    console.log(`ring: variance growth ${grow.toFixed(4)} vs σ²E[1/r²]t = ${(0.5 * num / den).toFixed(4)}`);
    expect(Math.abs(grow - (0.5 * num) / den)).toBeLessThan(0.04);
    const h = r.histogram!;
    expect(h.outside[2]).toBe(0);
    expect(h.p[2].length).toBe(32);
  });
});
