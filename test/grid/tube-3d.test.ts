import { describe, expect, it } from 'vitest';
import { tubeGrid3d } from '../../src/grid/tube-3d.js';
import { curveFrame3d, rotationMinimisingFrame } from '../../src/grid/frames.js';
import { gaussLegendre } from '../../src/grid/quadrature.js';
import { GridSpecError } from '../../src/util/errors.js';
import type { CurveParam } from '../../src/landscape/types.js';
import { boxVolumeFromJacobian, helix, jacobianFdError, rng, trefoil } from './tube-fixtures.js';

const sum = (v: Float64Array): number => v.reduce((a, b) => a + b, 0);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Double-reflection RMF (Wang, Jüttler, Zheng & Liu, ACM TOG 27(1), 2008): propagate a
 * normal vector r from s0 to s1 in n steps; an independent check of frames.ts.
 */
function doubleReflection(g: CurveParam, s0: number, s1: number, r0: ArrayLike<number>, n: number): Float64Array {
  const x0 = new Float64Array(3);
  const x1 = new Float64Array(3);
  const t0 = new Float64Array(3);
  const t1 = new Float64Array(3);
  const unit = (v: Float64Array): void => {
    const m = Math.hypot(v[0], v[1], v[2]);
    for (let i = 0; i < 3; i++) v[i] /= m;
  };
  const r = Float64Array.from(r0);
  g.point(s0, x0);
  g.d1(s0, t0);
  unit(t0);
  for (let k = 1; k <= n; k++) {
    const s = s0 + ((s1 - s0) * k) / n;
    g.point(s, x1);
    g.d1(s, t1);
    unit(t1);
    const v1 = [x1[0] - x0[0], x1[1] - x0[1], x1[2] - x0[2]];
    const c1 = dot(v1, v1);
    const rv = (2 / c1) * dot(v1, r);
    const tv = (2 / c1) * dot(v1, t0);
    const rL = [r[0] - rv * v1[0], r[1] - rv * v1[1], r[2] - rv * v1[2]];
    const tL = [t0[0] - tv * v1[0], t0[1] - tv * v1[1], t0[2] - tv * v1[2]];
    const v2 = [t1[0] - tL[0], t1[1] - tL[1], t1[2] - tL[2]];
    const c2 = dot(v2, v2);
    const q = c2 > 0 ? (2 / c2) * dot(v2, rL) : 0;
    for (let i = 0; i < 3; i++) r[i] = rL[i] - q * v2[i];
    x0.set(x1);
    t0.set(t1);
  }
  return r;
}

describe('rotation-minimising frame', () => {
  it('is orthonormal and right-handed, untwisted on an open helix, with k₁² + k₂² = κ², and agrees with double reflection', () => {
    const rho = 1;
    const c = 0.5;
    const g = helix(rho, c, 4 * Math.PI);
    const f = rotationMinimisingFrame(g);
    expect(f.holonomy).toBe(0);
    const kappa = rho / (rho * rho + c * c);
    for (const s of [0, 0.3, 2.2, 5.9, 4 * Math.PI]) {
      const F = f.frame(s);
      expect(Math.abs(dot(F.t, F.N1))).toBeLessThan(1e-14);
      expect(Math.abs(dot(F.t, F.N2))).toBeLessThan(1e-14);
      expect(Math.abs(dot(F.N1, F.N2))).toBeLessThan(1e-14);
      expect(Math.abs(dot(F.N1, F.N1) - 1)).toBeLessThan(1e-14);
      // N₂ = t̂ × N₁
      expect(Math.abs(F.t[1] * F.N1[2] - F.t[2] * F.N1[1] - F.N2[0])).toBeLessThan(1e-14);
      expect(Math.abs(Math.hypot(F.k1, F.k2) - kappa)).toBeLessThan(1e-13);
      expect(Math.abs(F.twist)).toBeLessThan(1e-11);
    }
    const F0 = f.frame(0);
    const F1 = f.frame(4 * Math.PI);
    const r = doubleReflection(g, 0, 4 * Math.PI, F0.N1, 20000);
    expect(Math.hypot(r[0] - F1.N1[0], r[1] - F1.N1[1], r[2] - F1.N1[2])).toBeLessThan(1e-9);
    // The RMF turns against the Frenet normal at the torsion rate: angle = τ·length = cΔs/√(ρ²+c²).
    const frenetN = (s: number): number[] => [-Math.cos(s), -Math.sin(s), 0];
    const ang = (F: { N1: Float64Array; N2: Float64Array }, s: number): number => Math.atan2(dot(frenetN(s), F.N2), dot(frenetN(s), F.N1));
    const S = 2.5;
    let turned = ang(f.frame(S), S) - ang(F0, 0);
    turned = Math.atan2(Math.sin(turned), Math.cos(turned));
    expect(Math.abs(Math.abs(turned) - (c * S) / Math.hypot(rho, c))).toBeLessThan(1e-10);
    // curveFrame3d is the cached frame the grid uses
    expect(curveFrame3d(g, 2.2).N1).toEqual(f.frame(2.2).N1);
  });

  it('closes on a trefoil: holonomy equals the double-reflection angle, the twist is constant −α/L', () => {
    const g = trefoil();
    const f = rotationMinimisingFrame(g);
    const F0 = f.frame(0);
    const r = doubleReflection(g, 0, 2 * Math.PI, F0.N1, 40000);
    const alpha = Math.atan2(dot(r, F0.N2), dot(r, F0.N1));
    console.log(`trefoil: holonomy ${f.holonomy.toFixed(12)} (double reflection ${alpha.toFixed(12)}), length ${f.length.toFixed(10)}`);
    expect(Math.abs(f.holonomy - alpha)).toBeLessThan(1e-8);
    let tw = 0;
    for (let k = 0; k <= 200; k++) tw = Math.max(tw, Math.abs(f.frame((2 * Math.PI * k) / 200 + 0.001).twist - f.twistRate));
    console.log(`trefoil: max |twist − twistRate| = ${tw.toExponential(2)} per unit length`);
    expect(tw).toBeLessThan(1e-11);
    expect(f.twistRate).toBeCloseTo(-f.holonomy / f.length, 15);
    const Fe = f.frame(2 * Math.PI);
    for (let i = 0; i < 3; i++) {
      expect(Fe.N1[i]).toBe(F0.N1[i]);
      expect(Fe.N2[i]).toBe(F0.N2[i]);
    }
    // just before the seam the frame is continuous with the start
    const Fm = f.frame(2 * Math.PI - 1e-9);
    expect(Math.hypot(Fm.N1[0] - F0.N1[0], Fm.N1[1] - F0.N1[1], Fm.N1[2] - F0.N1[2])).toBeLessThan(1e-7);
  });
});

describe('tubeGrid3d', () => {
  const rho = 1;
  const c = 0.5;
  const S = 4 * Math.PI;
  const L = S * Math.hypot(rho, c);

  it('disc tube around a helix: volumes sum to π w² × length (≤ 1e-10); square tube to 4 w₁w₂ × length', () => {
    const w = 0.3;
    const g = tubeGrid3d(helix(rho, c, S), { along: 40, across: [5, 12], halfWidth: w, crossSection: 'disc', grading: 2 });
    expect(g.shape).toEqual([5, 12, 40]);
    expect(g.periodic).toEqual([false, true, false]);
    expect(g.acrossAxes).toEqual([0, 1]);
    expect(g.alongAxes).toEqual([2]);
    expect(g.edges[1][12]).toBeCloseTo(2 * Math.PI, 15);
    const rel = Math.abs(sum(g.volumes) - Math.PI * w * w * L) / (Math.PI * w * w * L);
    console.log(`helix disc tube: relative volume error ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-10);
    const q = tubeGrid3d(helix(rho, c, S), { along: 40, across: [6, 4], halfWidth: [0.2, 0.35] });
    expect(q.shape).toEqual([6, 4, 40]);
    expect(Math.abs(sum(q.volumes) - 4 * 0.2 * 0.35 * L) / (4 * 0.2 * 0.35 * L)).toBeLessThan(1e-10);
    // default disc counts from a single `across`
    const d = tubeGrid3d(helix(rho, c, S), { along: 8, across: 8, halfWidth: w, crossSection: 'disc' });
    expect(d.shape).toEqual([4, 28, 8]);
  });

  it('volumes are the integrals of |det J| of map(), per cell (disc and square, helix and trefoil with varying width)', () => {
    const { nodes, weights } = gaussLegendre(8);
    const cases = [
      tubeGrid3d(helix(rho, c, S), { along: 12, across: [4, 8], halfWidth: (s) => 0.3 + 0.1 * Math.sin(s), crossSection: 'disc', grading: 2, quadrature: 12 }),
      tubeGrid3d(trefoil(), { along: 24, across: [3, 5], halfWidth: [0.1, (s) => 0.12 + 0.03 * Math.cos(2 * s)], grading: 1.5, quadrature: 12 }),
    ];
    for (const g of cases) {
      const [e0, e1, e2] = g.edges;
      const [n0, n1] = g.shape;
      for (const [i0, i1, j] of [[0, 0, 0], [n0 - 1, n1 - 1, 5], [1, 2, 11]]) {
        const ref = boxVolumeFromJacobian(g.map, 3, [e0[i0], e1[i1], e2[j]], [e0[i0 + 1], e1[i1 + 1], e2[j + 1]], nodes, weights);
        expect(Math.abs(g.volumes[i0 + n0 * (i1 + n1 * j)] - ref) / ref).toBeLessThan(1e-11);
      }
      const th = new Float64Array(3);
      for (const cell of [0, 7, g.nCells - 1]) {
        g.map(g.xiCentres.subarray(3 * cell, 3 * cell + 3), th, null);
        for (let k = 0; k < 3; k++) expect(th[k]).toBe(g.centres[3 * cell + k]);
      }
    }
  });

  it('Jacobian equals central differences of map()', () => {
    const r = rng(11);
    const pts = (lo: number[], hi: number[]): number[][] => Array.from({ length: 30 }, () => lo.map((l, k) => l + (hi[k] - l) * r()));
    const disc = tubeGrid3d(helix(rho, c, S), { along: 8, across: [3, 8], halfWidth: (s) => 0.3 + 0.1 * Math.sin(s), crossSection: 'disc' });
    const sq = tubeGrid3d(trefoil(), { along: 16, across: [3, 3], halfWidth: [(s) => 0.1 + 0.02 * Math.sin(3 * s), 0.15] });
    const dk = tubeGrid3d(trefoil(), { along: 16, across: 6, halfWidth: 0.12, crossSection: 'disc' });
    expect(jacobianFdError(disc.map, 3, pts([0, 0, 0], [1, 2 * Math.PI, S]))).toBeLessThan(1e-8);
    expect(jacobianFdError(sq.map, 3, pts([-1, -1, 0], [1, 1, 2 * Math.PI]))).toBeLessThan(1e-8);
    expect(jacobianFdError(dk.map, 3, pts([0, 0, 0], [1, 2 * Math.PI, 2 * Math.PI]))).toBeLessThan(1e-8);
  });

  it('periodic wrap on a closed curve (along) and in φ (disc)', () => {
    const g = tubeGrid3d(trefoil(), { along: 20, across: [4, 8], halfWidth: 0.12, crossSection: 'disc' });
    expect(g.periodic).toEqual([false, true, true]);
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    const ja = new Float64Array(9);
    const jb = new Float64Array(9);
    const eS = g.edges[2];
    for (const [rr, ph] of [[0.5, 0.3], [1, 2], [0.2, 5]]) {
      g.map([rr, ph, eS[20]], a, ja);
      g.map([rr, ph, eS[0]], b, jb);
      for (let k = 0; k < 3; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-14);
      for (let k = 0; k < 9; k++) expect(Math.abs(ja[k] - jb[k])).toBeLessThan(1e-12);
      g.map([rr, 2 * Math.PI, 1.1], a, ja);
      g.map([rr, 0, 1.1], b, jb);
      for (let k = 0; k < 3; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-14);
    }
  });

  it('refuses a half-width that makes h = 1 − k₁n₁ − k₂n₂ ≤ 0, with the numbers', () => {
    // helix κ = 0.8, 1/κ = 1.25
    expect(() => tubeGrid3d(helix(rho, c, S), { along: 16, across: 4, halfWidth: 1.3, crossSection: 'disc' })).toThrow(
      /^grid\.halfWidth: tube half-width 1\.3 exceeds 1\/max\|κ\| = 1\.25 at s = [0-9.]+ — reduce halfWidth or eta$/,
    );
    expect(() => tubeGrid3d(helix(rho, c, S), { along: 16, across: 4, halfWidth: 1.0 })).toThrow(GridSpecError);
    expect(() => tubeGrid3d(helix(rho, c, S), { along: 16, across: 4, halfWidth: 1.0 })).toThrow(/h = 1 − k₁n₁ − k₂n₂ = -?[0-9.]+ ≤ 0 .*1\/\|κ\| = 1\.25/);
    expect(() => tubeGrid3d(helix(rho, c, S), { along: 16, across: 4, halfWidth: 1.2, crossSection: 'disc' })).not.toThrow();
    expect(() => tubeGrid3d(helix(rho, c, S), { along: 16, across: 4, halfWidth: [0.1, 0.2], crossSection: 'disc' })).toThrow(/grid\.halfWidth/);
  });
});
