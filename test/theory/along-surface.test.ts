import { describe, expect, it } from 'vitest';
import { averagedSurfaceCoefficients, averagedSurfacePoint, surfaceStation } from '../../src/theory/along-surface.js';
import { exactConservedDrift, scalarNetQ12, scalarNetQ23 } from '../../src/theory/exact-slow.js';
import type { SurfaceParam } from '../../src/landscape/types.js';
import { InputError } from '../../src/util/errors.js';
import * as F from './fixtures.js';

const S = F.scalarNetSurface;
const pts: [number, number][] = [[0.3, -0.2], [-0.5, 0.1], [0.2, 0.6], [0, 0], [-0.7, -0.7]];

function metricAt(a: number, b: number): number[] {
  const sa = S.da(a, b, new Float64Array(3));
  const sb = S.db(a, b, new Float64Array(3));
  const dt = (x: Float64Array, y: Float64Array) => x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
  return [dt(sa, sa), dt(sa, sb), dt(sb, sa), dt(sb, sb)];
}

describe('surface chart geometry', () => {
  it('Christoffel symbols agree with ½ gᵃᵈ(∂_b g_dc + ∂_c g_db − ∂_d g_bc) by finite differences', () => {
    const h = 1e-5;
    for (const [a, b] of pts) {
      const st = surfaceStation(F.scalarNet, F.scalarNetLabel(1), S, a, b);
      const dg = [0, 1].map((e) => {
        const p = e === 0 ? metricAt(a + h, b) : metricAt(a, b + h);
        const m = e === 0 ? metricAt(a - h, b) : metricAt(a, b - h);
        return p.map((v, i) => (v - m[i]) / (2 * h));
      });
      for (let aa = 0; aa < 2; aa++)
        for (let p = 0; p < 2; p++)
          for (let q = 0; q < 2; q++) {
            let s = 0;
            for (let e = 0; e < 2; e++) s += 0.5 * st.metricInv[aa * 2 + e] * (dg[p][e * 2 + q] + dg[q][e * 2 + p] - dg[e][p * 2 + q]);
            expect(Math.abs(st.christoffel[(aa * 2 + p) * 2 + q] - s)).toBeLessThan(1e-8);
          }
    }
  });

  it('Σ̄ in chart components reproduces PΣP = Sₐ Σ̄ᵃᵇ S_bᵀ', () => {
    for (const [a, b] of pts) {
      const st = surfaceStation(F.scalarNet, F.isotropic(0.9, 3), S, a, b);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          let s = 0;
          for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) s += st.basis[p * 3 + i] * st.sigmaBar[p * 2 + q] * st.basis[q * 3 + j];
          expect(Math.abs(s - st.point.SigmaPar[i * 3 + j])).toBeLessThan(1e-11);
        }
    }
  });

  it('refuses a chart that is not Γ', () => {
    const off: SurfaceParam = { ...S, point: (a, b, o) => (o.set([Math.exp(a), Math.exp(b), 2 * Math.exp(-a - b)]), o) };
    expect(() => surfaceStation(F.scalarNet, F.isotropic(1, 3), off, 0.1, 0.2)).toThrow(InputError);
  });
});

describe('surface drift against exact facts', () => {
  it('scalar net label: chart generator of q = x²−y², y²−z² (Bᵃ∂ₐq + ½Σ̄ᵃᵇ∂ₐ∂_bq) equals ½tr(Σ∇²q) for Li', () => {
    const c = 0.8;
    const noise = F.scalarNetLabel(c);
    for (const [a, b] of pts) {
      const st = surfaceStation(F.scalarNet, noise, S, a, b);
      // q₁(S(a,b)) = e^{2a} − e^{2b}, q₂ = e^{2b} − e^{−2a−2b}
      const grads = [
        [2 * Math.exp(2 * a), -2 * Math.exp(2 * b)],
        [2 * Math.exp(-2 * a - 2 * b), 2 * Math.exp(2 * b) + 2 * Math.exp(-2 * a - 2 * b)],
      ];
      const hess = [
        [4 * Math.exp(2 * a), 0, 0, -4 * Math.exp(2 * b)],
        [-4 * Math.exp(-2 * a - 2 * b), -4 * Math.exp(-2 * a - 2 * b), -4 * Math.exp(-2 * a - 2 * b), 4 * Math.exp(2 * b) - 4 * Math.exp(-2 * a - 2 * b)],
      ];
      [scalarNetQ12, scalarNetQ23].forEach((q, k) => {
        const exact = exactConservedDrift(noise, q, st.theta);
        const gen = (B: Float64Array) =>
          B[0] * grads[k][0] + B[1] * grads[k][1] + 0.5 * (st.sigmaBar[0] * hess[k][0] + 2 * st.sigmaBar[1] * hess[k][1] + st.sigmaBar[3] * hess[k][3]);
        expect(Math.abs(gen(st.chartDriftLi) - exact)).toBeLessThan(1e-12);
        expect(Math.abs(gen(st.chartDriftSeed) - 2 * exact)).toBeLessThan(1e-12);
      });
    }
  });

  it('scalar net isotropic: J = 0 for the Gibbs marginal p ∝ √det g / |∇f| with the Li coefficients (not with seed)', () => {
    const noise = F.isotropic(0.7, 3);
    const logp = (a: number, b: number) => {
      const x = S.point(a, b, new Float64Array(3));
      const gf = Math.hypot(x[1] * x[2], x[0] * x[2], x[0] * x[1]);
      const g = metricAt(a, b);
      return 0.5 * Math.log(g[0] * g[3] - g[1] * g[2]) - Math.log(gf);
    };
    const aP = Float64Array.from(pts.map((p) => p[0]));
    const bP = Float64Array.from(pts.map((p) => p[1]));
    const li = averagedSurfaceCoefficients(F.scalarNet, noise, S, aP, bP, 'li');
    const seed = averagedSurfaceCoefficients(F.scalarNet, noise, S, aP, bP, 'seed');
    const h = 1e-4;
    let seedResidual = 0;
    for (let q = 0; q < pts.length; q++) {
      const [a, b] = pts[q];
      const dl = [(logp(a + h, b) - logp(a - h, b)) / (2 * h), (logp(a, b + h) - logp(a, b - h)) / (2 * h)];
      for (let aa = 0; aa < 2; aa++) {
        const flux = (c: typeof li) => c.velocity[2 * q + aa] - (c.G[4 * q + aa * 2] * dl[0] + c.G[4 * q + aa * 2 + 1] * dl[1]);
        expect(Math.abs(flux(li))).toBeLessThan(1e-7);
        seedResidual = Math.max(seedResidual, Math.abs(flux(seed)));
      }
    }
    expect(seedResidual).toBeGreaterThan(0.05);
  });

  it('normal part of the Li drift equals ½ N·S_bc Σ̄ᵇᶜ (second fundamental form)', () => {
    for (const noise of [F.isotropic(1.3, 3), F.scalarNetLabel(1)]) {
      for (const [a, b] of pts) {
        const st = surfaceStation(F.scalarNet, noise, S, a, b);
        const nf = st.normal[0] * st.driftLi[0] + st.normal[1] * st.driftLi[1] + st.normal[2] * st.driftLi[2];
        expect(Math.abs(nf - st.normalDriftGeometric)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('averaged surface coefficients for both formulas at once', () => {
  it('averagedSurfacePoint gives, bit for bit, the velocities of each formula and G of averagedSurfaceCoefficients', () => {
    let formulasDiffer = false;
    for (const noise of [F.scalarNetLabel(0.8), F.isotropic(0.9, 3)]) {
      const point = averagedSurfacePoint(F.scalarNet, noise, S);
      const aP = Float64Array.from(pts, (p) => p[0]);
      const bP = Float64Array.from(pts, (p) => p[1]);
      const li = averagedSurfaceCoefficients(F.scalarNet, noise, S, aP, bP, 'li');
      const seed = averagedSurfaceCoefficients(F.scalarNet, noise, S, aP, bP, 'seed');
      const out = new Float64Array(8);
      pts.forEach(([a, b], q) => {
        point(a, b, out);
        expect([...out]).toEqual([...li.velocity.subarray(2 * q, 2 * q + 2), ...seed.velocity.subarray(2 * q, 2 * q + 2), ...li.G.subarray(4 * q, 4 * q + 4)]);
        expect([...seed.G.subarray(4 * q, 4 * q + 4)]).toEqual([...li.G.subarray(4 * q, 4 * q + 4)]);
        formulasDiffer ||= out[0] !== out[2] || out[1] !== out[3];
      });
    }
    // The two formulas' slots hold different numbers (label noise: Li's drift is not the seed's).
    expect(formulasDiffer).toBe(true);
  });
});

