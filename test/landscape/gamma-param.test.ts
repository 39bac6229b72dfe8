import { describe, expect, it } from 'vitest';
import { builtinGamma, builtinGammaParam, builtinLandscape, builtinLandscapeNames } from '../../src/landscape/catalog.js';
import { checkOnGamma, curveFromFormula, surfaceFromFormula } from '../../src/landscape/gamma-param.js';
import { InputError } from '../../src/util/errors.js';
import { relErr } from './fd.js';
import { inputError } from '../support/assertions.js';


const h = 1e-5;

describe('Γ parametrisations from formulas', () => {
  it('curve derivatives γ′, γ″ against central differences', () => {
    const c = curveFromFormula(['exp(s)*cos(2*s)', 'sin(s)^3', 'log(2 + s)'], [-1, 1], false);
    expect(c.dim).toBe(3);
    const p = new Float64Array(3), q = new Float64Array(3), v = new Float64Array(3), a = new Float64Array(3);
    for (const s of [-0.9, -0.3, 0.1, 0.77]) {
      const fd1 = c.point(s + h, p).map((x, i) => (x - c.point(s - h, q)[i]) / (2 * h));
      expect(relErr(c.d1(s, v), fd1)).toBeLessThan(1e-8);
      const fd2 = c.d1(s + h, p).map((x, i) => (x - c.d1(s - h, q)[i]) / (2 * h));
      expect(relErr(c.d2(s, a), fd2)).toBeLessThan(1e-8);
    }
  });

  it('surface derivatives against central differences', () => {
    const S = surfaceFromFormula(['exp(a)', 'exp(b)', 'exp(-a-b)'], [-0.6, 0.6], [-0.6, 0.6]);
    const out = new Float64Array(3), p = new Float64Array(3), q = new Float64Array(3);
    const fd = (f: (a: number, b: number, o: Float64Array) => Float64Array, a: number, b: number, wrt: 0 | 1) => {
      const fp = wrt === 0 ? f(a + h, b, p) : f(a, b + h, p);
      const fm = wrt === 0 ? f(a - h, b, q) : f(a, b - h, q);
      return fp.map((x, i) => (x - fm[i]) / (2 * h));
    };
    for (const [a, b] of [[0.1, -0.3], [-0.5, 0.4], [0.3, 0.3]]) {
      expect(relErr(S.da(a, b, out), fd(S.point, a, b, 0))).toBeLessThan(1e-8);
      expect(relErr(S.db(a, b, out), fd(S.point, a, b, 1))).toBeLessThan(1e-8);
      expect(relErr(S.daa(a, b, out), fd(S.da, a, b, 0))).toBeLessThan(1e-8);
      expect(relErr(S.dab(a, b, out), fd(S.da, a, b, 1))).toBeLessThan(1e-8);
      expect(relErr(S.dab(a, b, out), fd(S.db, a, b, 0))).toBeLessThan(1e-8);
      expect(relErr(S.dbb(a, b, out), fd(S.db, a, b, 1))).toBeLessThan(1e-8);
    }
  });

  it('every catalog landscape has its Γ on the minima (checkOnGamma passes)', () => {
    for (const name of builtinLandscapeNames()) {
      const L = builtinLandscape(name);
      const g = builtinGammaParam(name);
      expect(g.dim).toBe(L.dim);
      expect(builtinGamma(name).kind).toBe(name === 'scalar-net' ? 'surface' : 'curve');
      expect(() => checkOnGamma(L, g)).not.toThrow();
    }
  });

  it('checkOnGamma refuses a curve off Γ, naming the parameter and |∇L|', () => {
    const L = builtinLandscape('hyperbola');
    const e = inputError(() => checkOnGamma(L, curveFromFormula(['exp(s)', '1.01*exp(-s)'], [-1, 1], false)));
    expect(e.field).toBe('gamma.param');
    expect(e.message).toMatch(/s = -1/);
    expect(e.message).toMatch(/\|∇L\| = /);
    const e2 = inputError(() => checkOnGamma(builtinLandscape('scalar-net'), surfaceFromFormula(['exp(a)', 'exp(b)', 'exp(-a)'], [0, 1], [0, 1])));
    expect(e2.message).toMatch(/a = 0, b = 0\.1/);
  });

  it('validates ranges, closure, component count and formulas', () => {
    expect(inputError(() => curveFromFormula(['s', '0'], [1, 0], false)).field).toBe('gamma.range');
    expect(inputError(() => curveFromFormula(['s', '0'], [0, Infinity], false)).field).toBe('gamma.range');
    expect(inputError(() => curveFromFormula(['s'], [0, 1], false)).field).toBe('gamma.param');
    expect(inputError(() => curveFromFormula(['s', 'sin(t)'], [0, 1], false)).field).toBe('gamma.param[1]');
    expect(inputError(() => curveFromFormula(['cos(s)', 'sin(s)'], [0, 3], true)).field).toBe('gamma.closed');
    const loop = curveFromFormula(['cos(s)', 'sin(s)'], [0, 2 * Math.PI], true);
    expect(loop.closed).toBe(true);
    expect(inputError(() => curveFromFormula(['s', 'log(s)'], [-1, 1], false)).message).toContain('s = -1');
    expect(inputError(() => surfaceFromFormula(['a', 'b'], [0, 1], [0, 1])).field).toBe('gamma.param');
    expect(inputError(() => surfaceFromFormula(['a', 'b', 'c'], [0, 1], [0, 1])).field).toBe('gamma.param[2]');
    expect(inputError(() => surfaceFromFormula(['a', 'b', '0'], [0, 1], [1, 1])).field).toBe('gamma.range[1]');
  });

  it('unknown catalog name lists the known ones', () => {
    const e = inputError(() => builtinLandscape('hyperbolic'));
    expect(e.field).toBe('landscape');
    for (const n of builtinLandscapeNames()) expect(e.message).toContain(n);
  });
});
