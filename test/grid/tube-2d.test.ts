import { describe, expect, it } from 'vitest';
import { tubeGrid2d } from '../../src/grid/tube-2d.js';
import { gaussLegendre } from '../../src/grid/quadrature.js';
import { GridSpecError } from '../../src/util/errors.js';
import { boxVolumeFromJacobian, circle, ellipse, expHyperbola, jacobianFdError, orders, rng } from './tube-fixtures.js';

const sum = (v: Float64Array): number => v.reduce((a, b) => a + b, 0);

/** Area enclosed by the mapped boundary of the ξ box, ½∮(x dy − y dx), Gauss–Legendre on each side. */
function boundaryArea(map: (xi: ArrayLike<number>, t: Float64Array, j: Float64Array | null) => void, lo: number[], hi: number[]): number {
  const { nodes, weights } = gaussLegendre(24);
  const th = new Float64Array(2);
  const J = new Float64Array(4);
  const corners = [
    [lo[0], lo[1]],
    [hi[0], lo[1]],
    [hi[0], hi[1]],
    [lo[0], hi[1]],
  ];
  let A = 0;
  for (let k = 0; k < 4; k++) {
    const p = corners[k];
    const q = corners[(k + 1) % 4];
    const ax = p[0] === q[0] ? 1 : 0; // the ξ axis that varies along this side
    for (let m = 0; m < nodes.length; m++) {
      const t = 0.5 * (nodes[m] + 1);
      const xi = [p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])];
      map(xi, th, J);
      const dxi = q[ax] - p[ax];
      const dx = J[ax] * dxi;
      const dy = J[2 + ax] * dxi;
      A += 0.5 * weights[m] * 0.5 * (th[0] * dy - th[1] * dx);
    }
  }
  return Math.abs(A);
}

/** Perimeter of the ellipse (A cos s, B sin s) by the trapezoidal rule (spectrally accurate for a periodic integrand). */
function ellipsePerimeter(A: number, B: number, n = 4000): number {
  let p = 0;
  for (let k = 0; k < n; k++) {
    const s = (2 * Math.PI * k) / n;
    p += Math.hypot(A * Math.sin(s), B * Math.cos(s));
  }
  return (p * 2 * Math.PI) / n;
}

describe('tubeGrid2d', () => {
  it('annulus around a circle: every cell volume and the total 2π·R·2w are exact', () => {
    const R = 2;
    const w = 0.5;
    const g = tubeGrid2d(circle(R), { along: 48, across: 9, halfWidth: w, grading: 3 });
    expect(Math.abs(sum(g.volumes) - 2 * Math.PI * R * 2 * w) / (2 * Math.PI * R * 2 * w)).toBeLessThan(1e-12);
    // n̂ points inwards for a counter-clockwise circle: radius = R − wν.
    let worst = 0;
    const [eNu, eS] = g.edges;
    for (let j = 0; j < g.shape[1]; j++) {
      for (let i = 0; i < g.shape[0]; i++) {
        const ra = R - w * eNu[i];
        const rb = R - w * eNu[i + 1];
        const exact = 0.5 * (eS[j + 1] - eS[j]) * (ra * ra - rb * rb);
        worst = Math.max(worst, Math.abs(g.volumes[i + 9 * j] - exact) / exact);
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('layout: shape, axes, edges, index i + n_ν·j, centres = map(xiCentres), grading ratio, offsets', () => {
    const g = tubeGrid2d(ellipse(2, 1), { along: 20, across: 7, halfWidth: 0.3, grading: 4 });
    expect(g.kind).toBe('tube');
    expect(g.dim).toBe(2);
    expect(g.shape).toEqual([7, 20]);
    expect(g.nCells).toBe(140);
    expect(g.periodic).toEqual([false, true]);
    expect(g.alongAxes).toEqual([1]);
    expect(g.acrossAxes).toEqual([0]);
    expect(g.edges[0].length).toBe(8);
    expect(g.edges[1].length).toBe(21);
    expect(g.edges[0][0]).toBe(-1);
    expect(g.edges[0][7]).toBe(1);
    expect(g.edges[1][20] - g.edges[1][0]).toBeCloseTo(2 * Math.PI, 14);
    const e = g.edges[0];
    for (let k = 0; k < 7; k++) expect(e[k + 1]).toBeGreaterThan(e[k]);
    // odd count: the middle cell is the innermost; outer/inner = grading
    expect((e[7] - e[6]) / (e[4] - e[3])).toBeCloseTo(4, 10);
    expect(e[1] - e[0]).toBeCloseTo(e[7] - e[6], 14);
    const th = new Float64Array(2);
    for (const c of [0, 6, 7, 33, 139]) {
      const i = c % 7;
      const j = Math.floor(c / 7);
      expect(g.xiCentres[2 * c]).toBeCloseTo(0.5 * (e[i] + e[i + 1]), 15);
      expect(g.xiCentres[2 * c + 1]).toBeCloseTo(0.5 * (g.edges[1][j] + g.edges[1][j + 1]), 15);
      g.map([g.xiCentres[2 * c], g.xiCentres[2 * c + 1]], th, null);
      expect(th[0]).toBe(g.centres[2 * c]);
      expect(th[1]).toBe(g.centres[2 * c + 1]);
      expect(g.offsets[c]).toBeCloseTo(0.3 * g.xiCentres[2 * c], 15);
      expect(g.volumes[c]).toBeGreaterThan(0);
    }
  });

  it('ellipse: volumes match the enclosed area of each mapped cell, and the total is 2w × perimeter (≤ 1e-10)', () => {
    const A = 2;
    const B = 1;
    const w = 0.35; // < 1/max κ = B²/A = 0.5
    const exact = 2 * w * ellipsePerimeter(A, B);
    const errs = [16, 32, 64].map((along) => {
      const g = tubeGrid2d(ellipse(A, B), { along, across: 6, halfWidth: w, grading: 2 });
      return Math.abs(sum(g.volumes) - exact) / exact;
    });
    console.log('ellipse tube, 6-point Gauss along s: rel. errors', errs.map((e) => e.toExponential(2)).join(' '));
    for (const e of errs) expect(e).toBeLessThan(1e-10);
    const g = tubeGrid2d(ellipse(A, B), { along: 24, across: 6, halfWidth: (s) => 0.3 + 0.1 * Math.sin(s) ** 2, grading: 2 });
    const [eNu, eS] = g.edges;
    let worst = 0;
    for (const [i, j] of [[0, 0], [5, 0], [2, 7], [3, 12], [5, 23], [0, 18]]) {
      const ref = boundaryArea(g.map, [eNu[i], eS[j]], [eNu[i + 1], eS[j + 1]]);
      worst = Math.max(worst, Math.abs(g.volumes[i + 6 * j] - ref) / ref);
    }
    expect(worst).toBeLessThan(1e-10);
  });

  it('open exp-hyperbola with varying width: exact measure ∫2w|γ′|ds to 1e-10; midpoint quadrature (1 point) converges at second order', () => {
    const wf = (s: number): number => 0.2 * (1 + 0.3 * Math.sin(2 * s));
    // reference ∫ 2 w |γ′| ds over [−1.2, 1.2] by composite Gauss (20 points × 200 panels)
    const { nodes, weights } = gaussLegendre(20);
    let exact = 0;
    for (let p = 0; p < 200; p++) {
      const a = -1.2 + (2.4 * p) / 200;
      const h = 2.4 / 200;
      for (let q = 0; q < 20; q++) {
        const s = a + 0.5 * h * (nodes[q] + 1);
        exact += 0.5 * h * weights[q] * 2 * wf(s) * Math.hypot(Math.exp(s), Math.exp(-s));
      }
    }
    const gq = tubeGrid2d(expHyperbola(), { along: 32, across: 8, halfWidth: wf, grading: 3 });
    expect(gq.periodic).toEqual([false, false]);
    expect(Math.abs(sum(gq.volumes) - exact) / exact).toBeLessThan(1e-10);
    const errs = [16, 32, 64, 128].map((along) => {
      const g = tubeGrid2d(expHyperbola(), { along, across: 8, halfWidth: wf, quadrature: 1 });
      return Math.abs(sum(g.volumes) - exact) / exact;
    });
    const ord = orders(errs);
    console.log('exp-hyperbola, midpoint-in-s volumes: rel. errors', errs.map((e) => e.toExponential(2)).join(' '), 'orders', ord.map((o) => o.toFixed(3)).join(' '));
    for (const o of ord) expect(o).toBeGreaterThan(1.8);
  });

  it('Jacobian equals central differences of map (circle, graded ellipse with varying width, hyperbola)', () => {
    const r = rng(7);
    const pts = (s0: number, s1: number): number[][] => Array.from({ length: 40 }, () => [2 * r() - 1, s0 + (s1 - s0) * r()]);
    const g1 = tubeGrid2d(circle(1.5), { along: 10, across: 4, halfWidth: 0.6 });
    const g2 = tubeGrid2d(ellipse(2, 1), { along: 10, across: 5, halfWidth: (s) => 0.3 + 0.1 * Math.cos(3 * s), grading: 2, quadrature: 16 });
    const g3 = tubeGrid2d(expHyperbola(), { along: 10, across: 4, halfWidth: (s) => 0.4 * Math.exp(-s * s), halfWidthDerivative: (s) => -0.8 * s * Math.exp(-s * s) });
    expect(jacobianFdError(g1.map, 2, pts(0, 2 * Math.PI))).toBeLessThan(1e-8);
    expect(jacobianFdError(g2.map, 2, pts(0, 2 * Math.PI))).toBeLessThan(1e-8);
    expect(jacobianFdError(g3.map, 2, pts(-1.2, 1.2))).toBeLessThan(1e-8);
    // ...and the volumes are the integrals of |det J| of that map (a different rule: 12 points each way)
    const { nodes, weights } = gaussLegendre(12);
    const [eNu, eS] = g2.edges;
    for (const [i, j] of [[0, 0], [2, 5], [4, 9]]) {
      const ref = boxVolumeFromJacobian(g2.map, 2, [eNu[i], eS[j]], [eNu[i + 1], eS[j + 1]], nodes, weights);
      expect(Math.abs(g2.volumes[i + 5 * j] - ref) / ref).toBeLessThan(1e-12);
    }
  });

  it('periodic wrap: the last cell’s far edge maps onto the first cell’s near edge, Jacobian included', () => {
    const g = tubeGrid2d(ellipse(2, 1), { along: 12, across: 4, halfWidth: (s) => 0.3 + 0.1 * Math.sin(s) });
    const eS = g.edges[1];
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    const ja = new Float64Array(4);
    const jb = new Float64Array(4);
    for (const nu of [-1, -0.3, 0, 0.7, 1]) {
      g.map([nu, eS[12]], a, ja);
      g.map([nu, eS[0]], b, jb);
      for (let k = 0; k < 2; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-14);
      for (let k = 0; k < 4; k++) expect(Math.abs(ja[k] - jb[k])).toBeLessThan(1e-9);
    }
  });

  it('refuses a half-width beyond 1/max|κ| with the numbers', () => {
    const bad = (): unknown => tubeGrid2d(circle(0.62), { along: 16, across: 4, halfWidth: 0.8 });
    expect(bad).toThrow(GridSpecError);
    expect(bad).toThrow(/^grid\.halfWidth: tube half-width 0\.8 exceeds 1\/max\|κ\| = 0\.62 at s = [0-9.]+ — reduce halfWidth or eta$/);
    try {
      bad();
    } catch (e) {
      expect((e as GridSpecError).field).toBe('grid.halfWidth');
      expect((e as GridSpecError).exitCode).toBe(2);
    }
    // ellipse: max κ = A/B² = 2 at s = 0, π; a varying width that breaks h only near s = π
    expect(() => tubeGrid2d(ellipse(2, 1), { along: 40, across: 4, halfWidth: (s) => 0.3 + 0.3 * Math.exp(-((s - Math.PI) ** 2)) })).toThrow(
      /tube half-width 0\.6 at s = 3\.1\d exceeds 1\/\|κ\| = 0\.5 there/,
    );
    // within the limit it builds
    expect(() => tubeGrid2d(ellipse(2, 1), { along: 40, across: 4, halfWidth: 0.49 })).not.toThrow();
    expect(() => tubeGrid2d(circle(1), { along: 8, across: 4, halfWidth: -1 })).toThrow(/grid\.halfWidth/);
    expect(() => tubeGrid2d(circle(1), { along: 8, across: 0, halfWidth: 0.5 })).toThrow(/grid\.across/);
    expect(() => tubeGrid2d(circle(1), { along: 8, across: 4, halfWidth: 0.5, grading: 0.5 })).toThrow(/grid\.grading/);
  });
});
