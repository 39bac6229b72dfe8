import { describe, expect, it } from 'vitest';
import { shellGrid } from '../../src/grid/shell.js';
import { gaussLegendre } from '../../src/grid/quadrature.js';
import { GridSpecError } from '../../src/util/errors.js';
import { boxVolumeFromJacobian, jacobianFdError, orders, rng, skewSheet, sphereBand } from './tube-fixtures.js';

const sum = (v: Float64Array): number => v.reduce((a, b) => a + b, 0);

describe('shellGrid', () => {
  const R = 1.5;
  const b0 = -1;
  const b1 = 1.2;
  const bandVolume = (w: number): number => ((2 * Math.PI) / 3) * ((R + w) ** 3 - (R - w) ** 3) * (Math.sin(b1) - Math.sin(b0));

  it('spherical shell band: each cell and the total are the exact spherical-shell volumes', () => {
    const w = 0.4;
    const g = shellGrid(sphereBand(R, b0, b1), { along: [24, 12], across: 6, halfWidth: w, grading: 2, periodic: [true, false] });
    expect(g.kind).toBe('shell');
    expect(g.shape).toEqual([6, 24, 12]);
    expect(g.nCells).toBe(6 * 24 * 12);
    expect(g.periodic).toEqual([false, true, false]);
    expect(g.alongAxes).toEqual([1, 2]);
    expect(g.acrossAxes).toEqual([0]);
    const rel = Math.abs(sum(g.volumes) - bandVolume(w)) / bandVolume(w);
    console.log(`sphere band shell (4×4 Gauss per cell): relative volume error ${rel.toExponential(2)}`);
    expect(rel).toBeLessThan(1e-10);
    const [eNu, eA, eB] = g.edges;
    let worst = 0;
    for (let jb = 0; jb < 12; jb++) {
      for (let ja = 0; ja < 24; ja += 5) {
        for (let i = 0; i < 6; i++) {
          // N̂ outward: radius R + wν
          const ex = ((eA[ja + 1] - eA[ja]) / 3) * ((R + w * eNu[i + 1]) ** 3 - (R + w * eNu[i]) ** 3) * (Math.sin(eB[jb + 1]) - Math.sin(eB[jb]));
          worst = Math.max(worst, Math.abs(g.volumes[i + 6 * (ja + 24 * jb)] - ex) / ex);
        }
      }
    }
    expect(worst).toBeLessThan(1e-10);
    const th = new Float64Array(3);
    for (const c of [0, 5, 6, 150, g.nCells - 1]) {
      g.map(g.xiCentres.subarray(3 * c, 3 * c + 3), th, null);
      for (let k = 0; k < 3; k++) expect(th[k]).toBe(g.centres[3 * c + k]);
      expect(Math.hypot(th[0], th[1], th[2]) - R).toBeCloseTo(g.offsets[c], 13);
    }
  });

  it('with one Gauss point per cell (midpoint) the band volume converges at second order', () => {
    const errs = [4, 8, 16, 32].map((nb) => {
      const g = shellGrid(sphereBand(R, b0, b1), { along: [8, nb], across: 2, halfWidth: 0.3, periodic: [true, false], quadrature: 1 });
      return Math.abs(sum(g.volumes) - bandVolume(0.3)) / bandVolume(0.3);
    });
    const ord = orders(errs);
    console.log('sphere band, midpoint in (a, b): rel. errors', errs.map((e) => e.toExponential(2)).join(' '), 'orders', ord.map((o) => o.toFixed(3)).join(' '));
    for (const o of ord) expect(o).toBeGreaterThan(1.8);
  });

  it('Jacobian equals central differences of map() (sphere; skewed non-orthogonal chart with a varying width)', () => {
    const r = rng(3);
    const pts = (lo: number[], hi: number[]): number[][] => Array.from({ length: 30 }, () => lo.map((l, k) => l + (hi[k] - l) * r()));
    const sph = shellGrid(sphereBand(R, b0, b1), { along: [8, 4], across: 4, halfWidth: 0.4, periodic: [true, false] });
    const wf = (a: number, b: number): number => 0.2 + 0.05 * Math.sin(2 * a) * Math.cos(b);
    const sk = shellGrid(skewSheet(), { along: [6, 6], across: 5, halfWidth: wf, grading: 2 });
    const skg = shellGrid(skewSheet(), {
      along: [6, 6],
      across: 5,
      halfWidth: wf,
      halfWidthGradient: (a, b, o) => {
        o[0] = 0.1 * Math.cos(2 * a) * Math.cos(b);
        o[1] = -0.05 * Math.sin(2 * a) * Math.sin(b);
      },
    });
    expect(jacobianFdError(sph.map, 3, pts([-1, 0, b0], [1, 2 * Math.PI, b1]))).toBeLessThan(1e-8);
    expect(jacobianFdError(sk.map, 3, pts([-1, -1, -1], [1, 1, 1]))).toBeLessThan(1e-8);
    expect(jacobianFdError(skg.map, 3, pts([-1, -1, -1], [1, 1, 1]))).toBeLessThan(1e-8);
    // volumes = ∫|det J| of map() on the non-orthogonal chart
    const { nodes, weights } = gaussLegendre(8);
    const fine = shellGrid(skewSheet(), { along: [6, 6], across: 5, halfWidth: wf, grading: 2, quadrature: 10 });
    const [eNu, eA, eB] = fine.edges;
    for (const [i, ja, jb] of [[0, 0, 0], [4, 5, 5], [2, 3, 1]]) {
      const ref = boxVolumeFromJacobian(fine.map, 3, [eNu[i], eA[ja], eB[jb]], [eNu[i + 1], eA[ja + 1], eB[jb + 1]], nodes, weights);
      expect(Math.abs(fine.volumes[i + 5 * (ja + 6 * jb)] - ref) / ref).toBeLessThan(1e-11);
    }
  });

  it('periodic wrap in the longitude: a = 2π maps like a = 0', () => {
    const g = shellGrid(sphereBand(R, b0, b1), { along: [12, 4], across: 4, halfWidth: (a, b) => 0.3 + 0.1 * Math.cos(a) * Math.cos(b), periodic: [true, false] });
    const p = new Float64Array(3);
    const q = new Float64Array(3);
    const jp = new Float64Array(9);
    const jq = new Float64Array(9);
    const eA = g.edges[1];
    expect(eA[12] - eA[0]).toBeCloseTo(2 * Math.PI, 15);
    for (const [nu, b] of [[-1, -0.5], [0.4, 0.9], [1, 0]]) {
      g.map([nu, eA[12], b], p, jp);
      g.map([nu, eA[0], b], q, jq);
      for (let k = 0; k < 3; k++) expect(Math.abs(p[k] - q[k])).toBeLessThan(1e-14);
      for (let k = 0; k < 9; k++) expect(Math.abs(jp[k] - jq[k])).toBeLessThan(1e-9);
    }
  });

  it('refuses a half-width beyond the focal distance, with the numbers', () => {
    const bad = (): unknown => shellGrid(sphereBand(1, b0, b1), { along: [8, 4], across: 4, halfWidth: 1.2 });
    expect(bad).toThrow(GridSpecError);
    expect(bad).toThrow(/^grid\.halfWidth: shell half-width 1\.2 exceeds the focal distance 1\/max\|k\| = 1 at \(a, b\) = \([-0-9.]+, [-0-9.]+\) — reduce halfWidth or eta$/);
    expect(() => shellGrid(sphereBand(1, b0, b1), { along: [8, 4], across: 4, halfWidth: 0.99 })).not.toThrow();
    expect(() => shellGrid(sphereBand(1, b0, b1), { along: [8, 4] as unknown as [number, number], across: 4, halfWidth: 0.5, grading: 0.3 })).toThrow(/grid\.grading/);
  });
});
