/**
 * A Landscape from a loss formula: L, ∇L, H = ∇²L and T = ∇³L exact (symbolic
 * derivatives compiled to JS once; see formula.ts).
 *
 * Index conventions as in landscape/types.ts (row-major): grad[i] = ∂ᵢL,
 * hessian[i*d + j] = ∂ᵢ∂ⱼL, third[(i*d + j)*d + k] = ∂ᵢ∂ⱼ∂ₖL.
 */
import { InputError, showValue } from '../util/errors.js';
import type { Landscape } from './types.js';
import {
  checkFinite,
  checkVariableNames,
  compileExpr,
  compileGradient,
  compileHessian,
  compileThird,
  derivativeTrees,
  parseFormula,
  type Expr,
} from './formula.js';

/** A formula landscape, with the generated sources kept for inspection. */
export interface FormulaLandscape extends Landscape {
  readonly formula: string;
  readonly sources: { readonly value: string; readonly grad: string; readonly hessian: string; readonly third: string };
}

/**
 * Build a landscape from `formula` in `variables` (2 or 3 names).
 * Errors: InputError('variables') for a bad variable list, InputError(field) for a bad formula.
 */
export function landscapeFromFormula(
  formula: string,
  variables: readonly string[],
  field = 'loss',
  name = 'formula',
  variablesField = 'variables',
): FormulaLandscape {
  checkVariableNames(variables, variablesField);
  if (variables.length !== 2 && variables.length !== 3)
    throw new InputError(variablesField, `expected 2 or 3 variables, got ${variables.length} (${showValue(variables)})`);
  const parsed = parseFormula(formula, variables, field);
  return landscapeFromExpr(parsed.expr, variables, formula, name);
}

/** The same from a folded tree in the variables (`formula` is its text, for messages and display). */
export function landscapeFromExpr(expr: Expr, variables: readonly string[], formula: string, name = 'formula'): FormulaLandscape {
  const dim = variables.length as 2 | 3;
  const trees = derivativeTrees(expr, dim, 3);
  const value = compileExpr(expr);
  const grad = compileGradient(trees);
  const hessian = compileHessian(trees);
  const third = compileThird(trees);
  return {
    name,
    dim,
    variables: [...variables],
    formula,
    value: value.f,
    grad: grad.fill,
    hessian: hessian.fill,
    third: third.fill,
    sources: { value: value.source, grad: grad.source, hessian: hessian.source, third: third.source },
  };
}

/**
 * Evaluate L, ∇L, H and T at each point (flat, n×d) and throw InputError(field)
 * naming the point when any is not finite.
 */
export function checkLandscapeFinite(landscape: Landscape, points: Float64Array, field: string): void {
  const d = landscape.dim;
  const g = new Float64Array(d);
  const h = new Float64Array(d * d);
  const t = new Float64Array(d * d * d);
  const what = landscape.formula ? `the loss ${showValue(landscape.formula)}` : `the landscape ${landscape.name}`;
  const x = new Float64Array(d); // one scratch point, not a view per point
  for (let p = 0; p * d < points.length; p++) {
    for (let i = 0; i < d; i++) x[i] = points[p * d + i];
    checkFinite(field, what, x, landscape.value(x), landscape.variables);
    checkFinite(field, `the gradient of ${what}`, x, landscape.grad(x, g), landscape.variables);
    checkFinite(field, `the Hessian of ${what}`, x, landscape.hessian(x, h), landscape.variables);
    checkFinite(field, `the third derivative of ${what}`, x, landscape.third(x, t), landscape.variables);
  }
}
