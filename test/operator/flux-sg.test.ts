import { describe, expect, it } from 'vitest';
import { bernoulli, sgCoefficients } from '../../src/operator/flux-sg.js';

describe('Scharfetter–Gummel flux', () => {
  it('B(x) = x/(eˣ−1) is accurate near 0 and in both tails, with B(−x) = B(x) + x', () => {
    for (const x of [-800, -50, -3, -1e-3, -1e-9, 0, 1e-9, 1e-3, 3, 50, 800]) {
      const exact = x === 0 ? 1 : x / Math.expm1(x);
      const ref = Number.isFinite(exact) ? exact : 0;
      expect(Math.abs(bernoulli(x) - ref)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(ref)));
      if (Math.abs(x) < 700) {
        expect(Math.abs(bernoulli(-x) - (bernoulli(x) + x))).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x)));
      }
    }
  });

  it('solves 1D steady convection–diffusion (D = 1, u = 10, 10 cells) exactly at the nodes', () => {
    // ∇·(Dφ′ + uφ) = 0 on [0, 10], φ(0) = 0, φ(10) = 1: the flux is J = −(Dφ′ + uφ), i.e. velocity −u, diffusion D.
    const D = 1;
    const u = 10;
    const Lx = 10;
    const N = 10;
    const h = Lx / N;
    const c = new Float64Array(2);
    sgCoefficients(D / h, -u, c); // F_{i+½} = c0 φ_i + c1 φ_{i+1}
    // Interior nodes 1..N−1: F_{i−½} − F_{i+½} = 0 → tridiagonal in φ_1..φ_{N−1}.
    const n = N - 1;
    const lo = new Float64Array(n);
    const di = new Float64Array(n);
    const up = new Float64Array(n);
    const rhs = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // F_{i−½} = c0 φ_{i−1} + c1 φ_i ; F_{i+½} = c0 φ_i + c1 φ_{i+1}
      lo[k] = c[0];
      di[k] = c[1] - c[0];
      up[k] = -c[1];
    }
    rhs[n - 1] -= up[n - 1] * 1; // φ_N = 1 moves to the right-hand side; φ_0 = 0 adds nothing
    // Thomas algorithm.
    for (let k = 1; k < n; k++) {
      const m = lo[k] / di[k - 1];
      di[k] -= m * up[k - 1];
      rhs[k] -= m * rhs[k - 1];
    }
    const phi = new Float64Array(n);
    phi[n - 1] = rhs[n - 1] / di[n - 1];
    for (let k = n - 2; k >= 0; k--) phi[k] = (rhs[k] - up[k] * phi[k + 1]) / di[k];
    let worst = 0;
    for (let k = 0; k < n; k++) {
      const x = (k + 1) * h;
      const exact = -Math.expm1((-u * x) / D) / -Math.expm1((-u * Lx) / D);
      worst = Math.max(worst, Math.abs(phi[k] - exact) / Math.abs(exact));
    }
    expect(worst).toBeLessThanOrEqual(1e-10);
  });

  it('is pure upwind when the diffusion vanishes (degenerate noise)', () => {
    const c = new Float64Array(2);
    sgCoefficients(0, 2.5, c);
    expect([c[0], c[1]]).toEqual([2.5, 0]);
    sgCoefficients(0, -1.5, c);
    expect([c[0], c[1]]).toEqual([0, -1.5]);
    sgCoefficients(1e-12, 3, c); // Pe = 3e12: the limit is upwind too
    expect(c[0]).toBeCloseTo(3, 12);
    expect(Math.abs(c[1])).toBeLessThan(1e-300);
  });
});
