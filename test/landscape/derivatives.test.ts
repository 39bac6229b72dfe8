import { describe, expect, it } from 'vitest';
import { builtinLandscape, builtinLandscapeNames } from '../../src/landscape/catalog.js';
import { landscapeFromFormula } from '../../src/landscape/from-formula.js';
import type { Landscape } from '../../src/landscape/types.js';
import { fdJacobian, relErr, rng } from './fd.js';

/** grad ≈ FD of value, Hessian ≈ FD of grad, third ≈ FD of Hessian, at random points. */
function checkDerivatives(L: Landscape, box: number, seed: number, points = 20): number {
  const d = L.dim;
  const r = rng(seed);
  let worst = 0;
  for (let p = 0; p < points; p++) {
    const x = Float64Array.from({ length: d }, () => r(-box, box));
    const valueAsVec = (y: ArrayLike<number>, out: Float64Array) => ((out[0] = L.value(y)), out);
    const g = L.grad(x, new Float64Array(d));
    const H = L.hessian(x, new Float64Array(d * d));
    const T = L.third(x, new Float64Array(d * d * d));
    worst = Math.max(
      worst,
      relErr(g, fdJacobian(valueAsVec, x, 1)),
      relErr(H, fdJacobian((y, o) => L.grad(y, o), x, d)),
      relErr(T, fdJacobian((y, o) => L.hessian(y, o), x, d * d)),
    );
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        expect(H[i * d + j]).toBe(H[j * d + i]);
        for (let k = 0; k < d; k++) {
          const t = T[(i * d + j) * d + k];
          expect(T[(j * d + i) * d + k]).toBe(t);
          expect(T[(k * d + j) * d + i]).toBe(t);
          expect(T[(i * d + k) * d + j]).toBe(t);
        }
      }
  }
  return worst;
}

describe('landscape derivatives against central finite differences', () => {
  for (const name of builtinLandscapeNames())
    it(`catalog landscape ${name}`, () => {
      const L = builtinLandscape(name);
      expect(L.name).toBe(name);
      expect(checkDerivatives(L, 1.5, 7)).toBeLessThan(1e-7);
    });

  it('a formula using every kind of node', () => {
    const L = landscapeFromFormula('exp(-x^2)*sin(2*y) + log(2 + cos(x*y)) + sqrt(1 + x^2)/ (2 + tanh(y)) - x^3*y/3 + pi*e^(0.1*x) - (-x)', ['x', 'y']);
    expect(checkDerivatives(L, 1, 11)).toBeLessThan(1e-7);
  });

  it('a 3D formula with powers of variables and hyperbolic functions', () => {
    const L = landscapeFromFormula('cosh(0.3*x)*z^4 + atan(y - z)^2 + x^y/(1+z^2) + sech(x) - 2^(x*z)', ['x', 'y', 'z']);
    // x^y needs x > 0: sample in a positive box by shifting
    const shifted: Landscape = {
      ...L,
      value: (p) => L.value([p[0] + 2, p[1], p[2]]),
      grad: (p, o) => L.grad([p[0] + 2, p[1], p[2]], o),
      hessian: (p, o) => L.hessian([p[0] + 2, p[1], p[2]], o),
      third: (p, o) => L.third([p[0] + 2, p[1], p[2]], o),
    };
    expect(checkDerivatives(shifted, 1, 3)).toBeLessThan(1e-7);
  });

  it('exact values for the hyperbola: H = [[v², 2uv − 1], [2uv − 1, u²]], T₀₀₁ = 2v', () => {
    const L = builtinLandscape('hyperbola');
    const x = [1.7, -0.4];
    const [u, v] = x;
    expect(L.value(x)).toBeCloseTo(0.5 * (u * v - 1) ** 2, 15);
    const H = L.hessian(x, new Float64Array(4));
    expect(H[0]).toBeCloseTo(v * v, 14);
    expect(H[1]).toBeCloseTo(2 * u * v - 1, 14);
    expect(H[3]).toBeCloseTo(u * u, 14);
    const T = L.third(x, new Float64Array(8));
    expect(T[0]).toBe(0);
    expect(T[1]).toBeCloseTo(2 * v, 14);
    expect(T[3]).toBeCloseTo(2 * u, 14);
    expect(T[7]).toBe(0);
  });

  it('benchmark (printed): build the scalar net and evaluate 10⁶ Hessians', () => {
    let t0 = performance.now();
    const L = landscapeFromFormula('0.5*(x*y*z - 1)^2', ['x', 'y', 'z']);
    const build = performance.now() - t0;
    const x = new Float64Array([1.1, 0.7, 1.3]);
    const h = new Float64Array(9);
    let acc = 0;
    t0 = performance.now();
    for (let n = 0; n < 1e6; n++) {
      x[0] = 1 + n * 1e-7;
      L.hessian(x, h);
      acc += h[1];
    }
    const evalMs = performance.now() - t0;
    console.log(`[bench] scalar-net: build value+grad+Hessian+third ${build.toFixed(1)} ms; 10^6 Hessians ${evalMs.toFixed(1)} ms`);
    expect(Number.isFinite(acc)).toBe(true);
  });
});
