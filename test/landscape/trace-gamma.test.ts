import { describe, expect, it } from 'vitest';
import { builtinLandscape } from '../../src/landscape/catalog.js';
import { landscapeFromFormula } from '../../src/landscape/from-formula.js';
import { projectOntoGamma, traceCurve } from '../../src/landscape/trace-gamma.js';
import { InputError } from '../../src/util/errors.js';
import { inputError } from '../support/assertions.js';


describe('tracing Γ numerically', () => {
  it('hyperbola from (1.3, 0.9): points on v = 1/u, unit speed, exact spline derivatives', () => {
    const c = traceCurve(builtinLandscape('hyperbola'), [1.3, 0.9], { range: [-1.5, 1.5] });
    expect(c.closed).toBe(false);
    expect(c.range).toEqual([-1.5, 1.5]);
    const x0 = c.seedPoint;
    expect(x0[0] * x0[1]).toBeCloseTo(1, 13);
    const p = new Float64Array(2), q = new Float64Array(2), v = new Float64Array(2), a = new Float64Array(2);
    c.point(0, p);
    expect(Array.from(p)).toEqual([expect.closeTo(x0[0], 13), expect.closeTo(x0[1], 13)]);
    for (let k = 0; k <= 120; k++) {
      const s = -1.5 + (3 * k) / 120;
      c.point(s, p);
      expect(Math.abs(p[1] - 1 / p[0])).toBeLessThan(1e-8);
      c.d1(s, v);
      expect(Math.abs(Math.hypot(v[0], v[1]) - 1)).toBeLessThan(1e-7);
      // orientation: increasing s moves towards larger u (largest tangent component positive at s = 0)
      expect(v[0]).toBeGreaterThan(0);
      // curvature of v = 1/u at u: |v''| / (1 + v'^2)^{3/2} with v' = −1/u², v'' = 2/u³
      const u = p[0];
      const kappa = 2 / u ** 3 / (1 + 1 / u ** 4) ** 1.5;
      c.d2(s, a);
      expect(Math.abs(Math.hypot(a[0], a[1]) - kappa)).toBeLessThan(2e-3);
      // spline derivative is the derivative of the spline
      const h = 1e-6;
      c.point(s + h, p);
      c.point(s - h, q);
      expect(Math.abs((p[0] - q[0]) / (2 * h) - v[0])).toBeLessThan(1e-6);
    }
    // arclength: ∫ sqrt(1 + 1/u⁴) du between the ends
    c.point(-1.5, p);
    c.point(1.5, q);
    let len = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = p[0] + ((q[0] - p[0]) * (i + 0.5)) / n;
      len += Math.sqrt(1 + 1 / u ** 4) * ((q[0] - p[0]) / n);
    }
    expect(len).toBeCloseTo(3, 6);
  });

  it('valley from (0.5, 0.3): Γ is y = 0 traversed at unit speed', () => {
    const c = traceCurve(builtinLandscape('valley'), [0.5, 0.3], { range: [-3, 3] });
    const x0 = c.seedPoint;
    expect(Math.abs(x0[1])).toBeLessThan(1e-12);
    const p = new Float64Array(2);
    for (let k = 0; k <= 60; k++) {
      const s = -3 + k / 10;
      c.point(s, p);
      expect(Math.abs(p[1])).toBeLessThan(1e-12);
      expect(p[0] - x0[0]).toBeCloseTo(s, 10);
    }
  });

  it('twisted curve in 3D: points on y = sin x, z = 0', () => {
    const c = traceCurve(builtinLandscape('twisted-curve'), [0.2, 0.5, 0.3], { range: [-2, 2] });
    expect(c.dim).toBe(3);
    const p = new Float64Array(3);
    for (let k = 0; k <= 80; k++) {
      c.point(-2 + k / 20, p);
      expect(Math.abs(p[1] - Math.sin(p[0]))).toBeLessThan(1e-8);
      expect(Math.abs(p[2])).toBeLessThan(1e-12);
    }
  });

  it('a loop (circle x² + y² = 1) closes into a periodic curve of length 2π, in either direction', () => {
    const L = landscapeFromFormula('0.25*(x^2 + y^2 - 1)^2', ['x', 'y']);
    for (const range of [[0, 7], [-7, 1]] as const) {
      const c = traceCurve(L, [1.2, 0.1], { range });
      expect(c.closed).toBe(true);
      expect(c.range[0]).toBe(0);
      expect(c.range[1]).toBeCloseTo(2 * Math.PI, 7);
      const p = new Float64Array(2), q = new Float64Array(2), v = new Float64Array(2);
      for (let k = 0; k <= 100; k++) {
        const s = -2 + (12 * k) / 100;
        c.point(s, p);
        expect(Math.abs(Math.hypot(p[0], p[1]) - 1)).toBeLessThan(1e-8);
        c.point(s + c.range[1], q);
        expect(Math.abs(p[0] - q[0]) + Math.abs(p[1] - q[1])).toBeLessThan(1e-12);
        c.d1(s, v);
        expect(Math.abs(p[0] * v[0] + p[1] * v[1])).toBeLessThan(1e-6);
      }
      // counter-clockwise from the seed (kernel vector's largest component, y, positive)
      c.d1(0, v);
      expect(v[1]).toBeGreaterThan(0.9);
    }
  });

  it('refuses an isolated minimum, a kernel of dimension 2, and a saddle, naming the point and eigenvalues', () => {
    const e1 = inputError(() => traceCurve(landscapeFromFormula('0.5*(x^2 + 2*y^2)', ['x', 'y']), [1, 1], { range: [-1, 1] }));
    expect(e1.field).toBe('gamma.seed');
    expect(e1.message).toContain('no zero eigenvalue');
    expect(e1.message).toContain('eigenvalues [1,2]');
    const e2 = inputError(() => traceCurve(landscapeFromFormula('0.5*z^2', ['x', 'y', 'z']), [1, 2, 1], { range: [-1, 1] }));
    expect(e2.message).toContain('2 zero eigenvalues');
    expect(e2.message).toContain('x = 1, y = 2, z = 0');
    const e3 = inputError(() => traceCurve(landscapeFromFormula('0.5*x^2 - 0.5*y^2', ['x', 'y']), [0, 0], { range: [-1, 1] }));
    expect(e3.message).toContain('negative eigenvalue');
    // a curve of minima that meets a zero eigenvalue normal to it: L = ½ x² y² has Γ = both axes, crossing at 0
    const e4 = inputError(() => traceCurve(landscapeFromFormula('0.5*x^2*y^2', ['x', 'y']), [1, 0.1], { range: [-2, 2] }));
    expect(e4.message).toContain('zero eigenvalue normal to Γ');
    expect(e4.message).toMatch(/x = \(x = -?0\.00\d+, y = 0\)/);
    // a positive dip of the normal eigenvalue (min 1e-4 at x = 0) is traced through
    const dip = traceCurve(landscapeFromFormula('0.5*(x^2 + 1e-4)*y^2', ['x', 'y']), [1, 0.1], { range: [-2, 2] });
    expect(Math.abs(dip.point(-1.5, new Float64Array(2))[1])).toBeLessThan(1e-12);
  });

  it('projectOntoGamma reaches |∇L| ≈ 0 from a far seed', () => {
    const L = builtinLandscape('hyperbola');
    const x = projectOntoGamma(L, new Float64Array([3, 2]));
    expect(x[0] * x[1]).toBeCloseTo(1, 12);
  });

  it('validates the seed and the range', () => {
    const L = builtinLandscape('hyperbola');
    expect(inputError(() => traceCurve(L, [1, 1, 1], { range: [-1, 1] })).field).toBe('gamma.seed');
    expect(inputError(() => traceCurve(L, [1, 1], { range: [0.5, 1] })).field).toBe('gamma.range');
  });
});
