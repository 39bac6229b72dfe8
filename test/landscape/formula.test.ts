import { describe, expect, it } from 'vitest';
import { evaluate } from 'mathjs';
import {
  checkFinite,
  compileExpr,
  compileScalar,
  derivativeTrees,
  compileHessian,
  parseFormula,
} from '../../src/landscape/formula.js';
import { checkLandscapeFinite, landscapeFromFormula } from '../../src/landscape/from-formula.js';
import { InputError } from '../../src/util/errors.js';
import { rng } from './fd.js';
import { inputError } from '../support/assertions.js';


describe('formula parsing and validation', () => {
  it('a formula that does not parse names the field and the formula', () => {
    const e = inputError(() => landscapeFromFormula('0.5*(u*v - 1', ['u', 'v']));
    expect(e.field).toBe('loss');
    expect(e.message).toContain('0.5*(u*v - 1');
    expect(e.exitCode).toBe(2);
  });

  it('an unknown variable names the symbol and the allowed variables', () => {
    const e = inputError(() => landscapeFromFormula('u*w', ['u', 'v']));
    expect(e.field).toBe('loss');
    expect(e.message).toContain('"w"');
    expect(e.message).toContain('u, v');
    expect(e.message).toContain('u*w');
  });

  it('an unknown function is refused, with the field path given', () => {
    const e = inputError(() => parseFormula('foo(u)', ['u', 'v'], 'noise.output'));
    expect(e.field).toBe('noise.output');
    expect(e.message).toContain('"foo"');
    const g = inputError(() => parseFormula('max(u, 1)', ['u'], 'gamma.param[1]'));
    expect(g.field).toBe('gamma.param[1]');
  });

  it('refuses other node types: assignment, matrices, strings, units, mod, conditionals', () => {
    for (const f of ['u = 2', '[u, v]', '"a"', 'u mod 2', 'u > 0 ? u : v', '2 cm', 'u!', 'log(u, 2)'])
      expect(inputError(() => parseFormula(f, ['u', 'v'], 'loss')).field).toBe('loss');
  });

  it('refuses a bad variable list', () => {
    expect(inputError(() => landscapeFromFormula('x', ['x'])).field).toBe('variables');
    expect(inputError(() => landscapeFromFormula('x', ['x', 'y', 'z', 'w'])).field).toBe('variables');
    expect(inputError(() => landscapeFromFormula('x', ['x', 'x'])).field).toBe('variables[1]');
    expect(inputError(() => landscapeFromFormula('x', ['x', 'pi'])).field).toBe('variables[1]');
    expect(inputError(() => landscapeFromFormula('x', ['x', '2y'])).field).toBe('variables[1]');
  });

  it('compiled values agree with mathjs evaluation (constants, unary minus, powers, functions)', () => {
    const formulas = [
      '0.5*(u*v - 1)^2',
      '-u^2 + -(-v) - 2^-1',
      'sin(u)*cos(v) + tan(u/3) + exp(-u*v) + log(2 + v^2) + sqrt(3 + u) + tanh(u - v)',
      'pi*u + e^v + u^3 - v^4 + u^(-2) + abs(v) + 2u',
      'sec(u) + csc(v + 3) + cot(u + 2) + asin(u/3) + acos(v/3) + atan(u) + acot(v + 4)',
      'sinh(u) + cosh(v) + sech(u) + csch(v + 3) + coth(u + 3) + asinh(u) + acosh(v + 3) + atanh(u/3) + log10(4 + u)',
    ];
    const r = rng(5);
    for (const f of formulas) {
      const c = compileScalar(f, ['u', 'v'], 'loss');
      for (let k = 0; k < 10; k++) {
        const u = r(-1, 1), v = r(-1, 1);
        const want = evaluate(f, { u, v }) as number;
        expect(c.f([u, v])).toBeCloseTo(want, 12);
      }
    }
  });

  it('derivatives of every allowed function match mathjs-free closed forms', () => {
    const cases: [string, (x: number) => number][] = [
      ['sin(x)', Math.cos],
      ['tan(x)', (x) => 1 / Math.cos(x) ** 2],
      ['log(x + 2)', (x) => 1 / (x + 2)],
      ['sqrt(x + 2)', (x) => 0.5 / Math.sqrt(x + 2)],
      ['tanh(x)', (x) => 1 - Math.tanh(x) ** 2],
      ['exp(2*x)', (x) => 2 * Math.exp(2 * x)],
      ['acosh(x + 3)', (x) => 1 / Math.sqrt((x + 3) ** 2 - 1)],
      ['coth(x + 2)', (x) => -1 / Math.sinh(x + 2) ** 2],
    ];
    for (const [f, df] of cases) {
      const p = parseFormula(f, ['x', 'y'], 'loss');
      const t = derivativeTrees(p.expr, 2, 1);
      const g = compileExpr(t.grad[0]).f;
      for (const x of [-0.7, 0.2, 0.9]) expect(g([x, 0])).toBeCloseTo(df(x), 12);
      expect(compileExpr(t.grad[1]).source).toContain('return 0');
    }
    const p = parseFormula('x^x', ['x', 'y'], 'loss');
    const g = compileExpr(derivativeTrees(p.expr, 2, 1).grad[0]).f;
    expect(g([1.5, 0])).toBeCloseTo(1.5 ** 1.5 * (Math.log(1.5) + 1), 12);
  });

  it('the Hessian is generated as one function with shared subexpressions', () => {
    const p = parseFormula('0.5*(x*y*z - 1)^2', ['x', 'y', 'z'], 'loss');
    const h = compileHessian(derivativeTrees(p.expr, 3, 2));
    expect(h.source.match(/out\[\d+\] =/g)!.length).toBe(9);
    expect(h.source).not.toContain('mathjs');
  });

  it('checkFinite names the field, the formula and the point', () => {
    const L = landscapeFromFormula('log(x) + y^2', ['x', 'y'], 'loss');
    const e = inputError(() => checkLandscapeFinite(L, new Float64Array([1, 0, -1, 2]), 'loss'));
    expect(e.field).toBe('loss');
    expect(e.message).toContain('log(x)');
    expect(e.message).toContain('x = -1');
    expect(e.message).toContain('y = 2');
    expect(() => checkLandscapeFinite(L, new Float64Array([1, 0, 2, 3]), 'loss')).not.toThrow();
    const c = compileScalar('sqrt(u)', ['u', 'v'], 'noise.output');
    const e2 = inputError(() => checkFinite('noise.output', 'the output "sqrt(u)"', [-4, 0], c.f([-4, 0]), ['u', 'v']));
    expect(e2.field).toBe('noise.output');
    expect(e2.message).toContain('u = -4');
  });
});

describe('compiled functions are shared by source', () => {
  it('the same formula gives the same function object; others stay distinct and correct, also after 600 more formulas', () => {
    const a = compileScalar('0.5*(u*v - 1)^2', ['u', 'v'], 'loss');
    const b = compileScalar('0.5*(u*v - 1)^2', ['u', 'v'], 'loss');
    const c = compileScalar('0.5*(u*v - 2)^2', ['u', 'v'], 'loss');
    expect(b.f).toBe(a.f);
    expect(c.f).not.toBe(a.f);
    expect(a.f([2, 3])).toBe(12.5);
    expect(c.f([2, 3])).toBe(8);
    // More sources than the cache keeps: every one still evaluates its own formula.
    for (let k = 0; k < 600; k++) expect(compileScalar(`u + ${k}*v`, ['u', 'v'], 'loss').f([1, 2])).toBe(1 + 2 * k);
    const again = compileScalar('0.5*(u*v - 1)^2', ['u', 'v'], 'loss');
    expect(again.f([2, 3])).toBe(12.5);
    expect(again.source).toBe(a.source);
  });
});
