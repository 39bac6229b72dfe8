/**
 * Particles against the FPE: the W1 distance between binned densities (exact
 * answers), and the z-scores of compareParticles on a synthetic result.
 */
import { describe, expect, it } from 'vitest';
import { compareParticles, w1Binned } from '../../src/particles/compare.js';
import type { ParticleResult } from '../../src/particles/types.js';

const uniformEdges = (a: number, b: number, n: number) => Array.from({ length: n + 1 }, (_, k) => a + ((b - a) * k) / n);

describe('w1Binned', () => {
  it('a uniform density shifted by δ, on unrelated bin grids: W1 = δ exactly', () => {
    for (const delta of [0.013, 0.25, 0.7]) {
      const eA = uniformEdges(0, 1, 37);
      const eB = uniformEdges(delta, 1 + delta, 23);
      const w = w1Binned(eA, eA.slice(1).map(() => 1), eB, eB.slice(1).map(() => 1));
      expect(w).toBeCloseTo(delta, 12);
    }
  });

  it('identical densities on different grids: 0; symmetric in its arguments', () => {
    const eA = uniformEdges(-1, 1, 40);
    const eB = uniformEdges(-1, 1, 20);
    // A density piecewise constant on the coarse grid, written on both.
    const coarse = eB.slice(1).map((_, j) => 1 + 0.5 * Math.sin(j));
    const norm = coarse.reduce((s, v) => s + v * 0.1, 0);
    const pB = coarse.map((v) => v / norm);
    const pA = eA.slice(1).map((_, i) => pB[i >> 1]);
    expect(w1Binned(eA, pA, eB, pB)).toBeLessThan(1e-14);
    const q = pA.map((v, i) => v * (1 + 0.3 * Math.cos(i)));
    expect(w1Binned(eA, q, eB, pB)).toBeCloseTo(w1Binned(eB, pB, eA, q), 14);
  });

  it('two point masses (narrow bins) at distance d: W1 = d·mass; a crossing difference is integrated exactly', () => {
    const e = uniformEdges(0, 10, 1000);
    const a = e.slice(1).map((_, j) => (j === 100 ? 100 : 0)); // unit mass in [1, 1.01]
    const b = e.slice(1).map((_, j) => (j === 450 ? 100 : 0)); // unit mass in [4.5, 4.51]
    expect(w1Binned(e, a, e, b)).toBeCloseTo(3.5, 12);
    // Half the mass in [3, 3.01], half in [5, 5.01], against all of it in [4, 4.01]: by quantiles,
    // W1 = ∫₀^½ (1 − 0.01p) dp + ∫_½^1 (0.99 + 0.01p) dp = 0.9975 (the CDF difference changes sign in [4, 4.01]).
    const c = e.slice(1).map((_, j) => (j === 300 || j === 500 ? 50 : 0));
    const dd = e.slice(1).map((_, j) => (j === 400 ? 100 : 0));
    expect(w1Binned(e, c, e, dd)).toBeCloseTo(0.9975, 12);
  });

  it('on a loop: a bump moved across the seam costs its shift, not the long way round', () => {
    const e = uniformEdges(0, 1, 100);
    const a = e.slice(1).map((_, j) => (j === 98 ? 100 : 0)); // near the right end
    const b = e.slice(1).map((_, j) => (j === 1 ? 100 : 0)); // just past the seam
    expect(w1Binned(e, a, e, b, false)).toBeCloseTo(0.97, 12);
    expect(w1Binned(e, a, e, b, true)).toBeCloseTo(0.03, 12);
  });
});

describe('compareParticles', () => {
  const base: ParticleResult = {
    case: 'synthetic', mode: 'sde', n: 10000, eta: 0.01, seed: 1, dt: 1e-4, dtOverEta: 0.01, lambdaMax: 1,
    t: [0, 0.5, 1], steps: [0, 5000, 10000],
    meanAlong: [0, 0.1, 0.2], seAlong: [0.01, 0.01, 0.02], varAlong: [1, 1.1, 1.2], seVarAlong: [0.01, 0.02, 0.05],
    across: { meanSq: [0, 0, 0] },
    histogram: { s: [0.25, 0.75], p: [[1, 1], [1, 1], [0.5, 1.5]], outside: [0, 0, 0] },
    slow: { name: 'q', mean: [3, 2, 1], se: [0.1, 0.1, 0.1], var: [1, 1, 1] },
    blockSize: 4096, blocks: 3, workers: 1, wallSeconds: 0,
  };
  const edges = [0, 0.5, 1];
  it('z = (particles − X)/SE per time, W1 between the histograms, the end figures', () => {
    const fpe = { edges, p: [[1, 1], [1, 1], [1, 1]], mean: [0, 0.13, 0.2], var: [1, 1.0, 1.3] };
    const li = { edges, p: [[1, 1], [1, 1], [0.5, 1.5]], mean: [0, 0.1, 0.26], var: [1, 1, 1] };
    const c = compareParticles(base, [0, 0.5, 1], fpe, { li }, false, [3, 2.05, 1]);
    expect(c.zMeanFpe.map((z) => Number(z.toFixed(10)))).toEqual([0, -3, 0]);
    expect(c.zVarFpe!.map((z) => Number(z.toFixed(10)))).toEqual([0, 5, -2]);
    expect(c.zMeanLi!.map((z) => Number(z.toFixed(10)))).toEqual([0, 0, -3]);
    // Histogram (0.5, 1.5) against uniform on [0, 1]: F differs by −x/2 on [0, ½], back to 0 at 1: W1 = ½·1·¼ = 1/8.
    expect(c.w1Fpe![2]).toBeCloseTo(1 / 8, 14);
    expect(c.w1Li![2]).toBeCloseTo(0, 14);
    expect(c.slow!.zFpe!.map((z) => Number(z.toFixed(10)))).toEqual([0, -0.5, 0]);
    expect(c.end.maxAbsZMeanFpe).toBeCloseTo(3, 12);
    expect(c.end.zMeanFpe).toBeCloseTo(0, 12);
    expect(c.zMeanSeed).toBeNull();
    expect(() => compareParticles(base, [0, 1], fpe, {}, false)).toThrow(/particle times/);
  });
});
