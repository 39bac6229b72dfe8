/**
 * Label noise for a model output f (loss L = ½(f − y)²):
 *   Σᵢⱼ = c ∂ᵢf ∂ⱼf                      (rank one)
 *   (∇·Σ)ᵢ = Σⱼ ∂ⱼ(c ∂ᵢf ∂ⱼf) = c (Σⱼ ∂ᵢ∂ⱼf ∂ⱼf + ∂ᵢf Δf)
 * both generated symbolically from f and compiled once.
 */
import { InputError, showValue } from '../util/errors.js';
import type { NoiseModel } from './types.js';
import { add, compileFill, derivativeTrees, mul, num, parseFormula, checkVariableNames, type Expr } from '../landscape/formula.js';

export function labelNoise(outputFormula: string, c: number, variables: readonly string[], field = 'noise'): NoiseModel & { readonly output: string; readonly c: number } {
  if (typeof c !== 'number' || !Number.isFinite(c) || !(c > 0)) throw new InputError(`${field}.c`, `c must be a finite number > 0, got ${showValue(c)}`);
  checkVariableNames(variables, 'variables');
  const d = variables.length;
  if (d !== 2 && d !== 3) throw new InputError('variables', `expected 2 or 3 variables, got ${d}`);
  const f = parseFormula(outputFormula, variables, `${field}.output`);
  const t = derivativeTrees(f.expr, d, 2);
  const h = (i: number, j: number): Expr => (i <= j ? t.hess[i][j] : t.hess[j][i]);
  const C = num(c);
  const sigmaExprs: Expr[] = [];
  const sigmaSlots: number[][] = [];
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      sigmaExprs.push(mul(C, mul(t.grad[i], t.grad[j])));
      sigmaSlots.push(i === j ? [i * d + i] : [i * d + j, j * d + i]);
    }
  let lap: Expr = num(0);
  for (let j = 0; j < d; j++) lap = add(lap, h(j, j));
  const divExprs: Expr[] = [];
  for (let i = 0; i < d; i++) {
    let s: Expr = mul(t.grad[i], lap);
    for (let j = 0; j < d; j++) s = add(s, mul(h(i, j), t.grad[j]));
    divExprs.push(mul(C, s));
  }
  const sig = compileFill(sigmaExprs, sigmaSlots, d * d);
  const div = compileFill(divExprs, divExprs.map((_, i) => [i]), d);
  return {
    kind: 'label',
    dim: d as 2 | 3,
    description: `label, c = ${c}, f = ${outputFormula}`,
    constant: false,
    output: outputFormula,
    c,
    sigma: sig.fill,
    divSigma: div.fill,
  };
}
