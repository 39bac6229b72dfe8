/**
 * Parametrisations of Γ given as formulas: a curve γ(s) in ℝ² or ℝ³, or a surface
 * S(a, b) in ℝ³, with exact first and second derivatives (symbolic, compiled once).
 * Also `checkOnGamma`: the given Γ must consist of critical points of L.
 */
import { InputError, showValue } from '../util/errors.js';
import type { CurveParam, GammaParam, Landscape, SurfaceParam } from './types.js';
import { checkFinite, compileFill, diffExpr, parseFormula, type CompiledVector, type Expr } from './formula.js';

function checkRange(r: unknown, field: string): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || typeof r[0] !== 'number' || typeof r[1] !== 'number' || !Number.isFinite(r[0]) || !Number.isFinite(r[1]))
    throw new InputError(field, `expected [start, end] with finite numbers, got ${showValue(r)}`);
  if (!(r[0] < r[1])) throw new InputError(field, `range must be increasing (start < end), got ${showValue(r)}`);
  return [r[0], r[1]];
}

function parseParam(param: unknown, vars: string[], field: string, dims: readonly number[]): Expr[] {
  if (!Array.isArray(param) || !dims.includes(param.length))
    throw new InputError(field, `expected an array of ${dims.join(' or ')} formulas in ${vars.join(', ')}, got ${showValue(param)}`);
  return param.map((p, i) => parseFormula(p as string, vars, `${field}[${i}]`).expr);
}

const fillOf = (exprs: Expr[]): CompiledVector => compileFill(exprs, exprs.map((_, i) => [i]), exprs.length);

/** A formula curve with its generated component functions. */
export interface FormulaCurve extends CurveParam {
  readonly param: readonly string[];
}

/**
 * γ(s) = (param[0](s), …) for s ∈ range, with γ′ and γ″ exact.
 * `closed`: γ(range[0]) must equal γ(range[1]) to 1e-9 relative, else InputError.
 * Errors name `${field}.param[i]` for a bad formula and `${field}.range` for a bad range.
 */
export function curveFromFormula(param: readonly string[], range: readonly [number, number], closed: boolean, field = 'gamma'): FormulaCurve {
  const exprs = parseParam(param, ['s'], `${field}.param`, [2, 3]);
  const r = checkRange(range, `${field}.range`);
  const d1 = exprs.map((e) => diffExpr(e, 0));
  const d2 = d1.map((e) => diffExpr(e, 0));
  const fp = fillOf(exprs);
  const f1 = fillOf(d1);
  const f2 = fillOf(d2);
  const arg = new Float64Array(1);
  const curve: FormulaCurve = {
    kind: 'curve',
    dim: exprs.length as 2 | 3,
    range: r,
    closed: !!closed,
    param: [...param],
    point(s, out) { arg[0] = s; return fp.fill(arg, out); },
    d1(s, out) { arg[0] = s; return f1.fill(arg, out); },
    d2(s, out) { arg[0] = s; return f2.fill(arg, out); },
  };
  const d = curve.dim;
  const p = new Float64Array(d);
  const q = new Float64Array(d);
  const v = new Float64Array(d);
  for (let k = 0; k <= 20; k++) {
    const s = r[0] + ((r[1] - r[0]) * k) / 20;
    const at = new Float64Array([s]);
    checkFinite(`${field}.param`, `the curve ${showValue(param)}`, at, curve.point(s, p), ['s']);
    checkFinite(`${field}.param`, `the derivative of the curve ${showValue(param)}`, at, curve.d1(s, v), ['s']);
    checkFinite(`${field}.param`, `the second derivative of the curve ${showValue(param)}`, at, curve.d2(s, v), ['s']);
  }
  if (closed) {
    curve.point(r[0], p);
    curve.point(r[1], q);
    let diff = 0;
    let scale = 1;
    for (let i = 0; i < d; i++) {
      diff = Math.max(diff, Math.abs(p[i] - q[i]));
      scale = Math.max(scale, Math.abs(p[i]));
    }
    if (diff > 1e-9 * scale)
      throw new InputError(`${field}.closed`, `a closed curve needs γ(${r[0]}) = γ(${r[1]}), but γ(${r[0]}) = ${showValue(Array.from(p))} and γ(${r[1]}) = ${showValue(Array.from(q))}; fix the range or set closed: false`);
  }
  return curve;
}

/** A formula surface with its generated component functions. */
export interface FormulaSurface extends SurfaceParam {
  readonly param: readonly string[];
}

/** S(a, b) = (param[0], param[1], param[2]) in ℝ³ over rangeA × rangeB, with exact first and second derivatives. */
export function surfaceFromFormula(
  param: readonly string[],
  rangeA: readonly [number, number],
  rangeB: readonly [number, number],
  field = 'gamma',
): FormulaSurface {
  const exprs = parseParam(param, ['a', 'b'], `${field}.param`, [3]);
  const ra = checkRange(rangeA, `${field}.range[0]`);
  const rb = checkRange(rangeB, `${field}.range[1]`);
  const da = exprs.map((e) => diffExpr(e, 0));
  const db = exprs.map((e) => diffExpr(e, 1));
  const fns = [exprs, da, db, da.map((e) => diffExpr(e, 0)), da.map((e) => diffExpr(e, 1)), db.map((e) => diffExpr(e, 1))].map(fillOf);
  const arg = new Float64Array(2);
  const call = (k: number) => (a: number, b: number, out: Float64Array) => {
    arg[0] = a;
    arg[1] = b;
    return fns[k].fill(arg, out);
  };
  const surface: FormulaSurface = {
    kind: 'surface',
    dim: 3,
    rangeA: ra,
    rangeB: rb,
    param: [...param],
    point: call(0),
    da: call(1),
    db: call(2),
    daa: call(3),
    dab: call(4),
    dbb: call(5),
  };
  const v = new Float64Array(3);
  for (let i = 0; i <= 6; i++)
    for (let j = 0; j <= 6; j++) {
      const a = ra[0] + ((ra[1] - ra[0]) * i) / 6;
      const b = rb[0] + ((rb[1] - rb[0]) * j) / 6;
      const at = new Float64Array([a, b]);
      for (const k of [0, 1, 2, 3, 4, 5])
        checkFinite(`${field}.param`, `the surface ${showValue(param)}${k ? ' (a derivative)' : ''}`, at, fns[k].fill(at, v), ['a', 'b']);
    }
  return surface;
}

/**
 * Check that Γ lies on critical points of L: at ~50 sample parameters,
 * |∇L(γ)| ≤ 1e-8 · max(1, ‖H‖_F) · max(1, |γ|) (a point off Γ by δ has |∇L| ≈ ‖H‖δ,
 * so this asks for γ to be right to ~1e-8 relative). InputError(field) names the
 * parameter value and |∇L| otherwise.
 */
export function checkOnGamma(landscape: Landscape, gamma: GammaParam, field = 'gamma'): void {
  const d = landscape.dim;
  if (gamma.dim !== d)
    throw new InputError(`${field}.param`, `Γ has ${gamma.dim} components but the landscape has ${d} variables (${landscape.variables.join(', ')})`);
  const x = new Float64Array(d);
  const g = new Float64Array(d);
  const h = new Float64Array(d * d);
  const check = (label: string): void => {
    landscape.grad(x, g);
    landscape.hessian(x, h);
    let gn = 0, hn = 0, xn = 0;
    for (let i = 0; i < d; i++) { gn += g[i] * g[i]; xn += x[i] * x[i]; }
    for (let i = 0; i < d * d; i++) hn += h[i] * h[i];
    gn = Math.sqrt(gn);
    const tol = 1e-8 * Math.max(1, Math.sqrt(hn)) * Math.max(1, Math.sqrt(xn));
    if (!(gn <= tol))
      throw new InputError(`${field}.param`, `Γ is not a set of minima of the loss: at ${label}, γ = ${showValue(Array.from(x))} has |∇L| = ${gn.toExponential(3)} > ${tol.toExponential(1)}; fix the parametrisation or its range`);
  };
  if (gamma.kind === 'curve') {
    const [s0, s1] = gamma.range;
    for (let k = 0; k < 50; k++) {
      const s = s0 + ((s1 - s0) * k) / 49;
      gamma.point(s, x);
      check(`s = ${s}`);
    }
  } else {
    const [a0, a1] = gamma.rangeA;
    const [b0, b1] = gamma.rangeB;
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 7; j++) {
        const a = a0 + ((a1 - a0) * i) / 6;
        const b = b0 + ((b1 - b0) * j) / 6;
        gamma.point(a, b, x);
        check(`a = ${a}, b = ${b}`);
      }
  }
}
