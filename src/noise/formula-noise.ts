/**
 * Σ(θ) given as a d×d matrix of formulas; (∇·Σ)ᵢ = Σⱼ ∂ⱼΣᵢⱼ by exact symbolic
 * derivatives, compiled once. Σ must be symmetric: entries whose formulas differ
 * are compared at 16 fixed sample points in [−1.5, 1.5]ᵈ (where both are finite);
 * the upper triangle is then used for both halves, so Σ is exactly symmetric.
 * Positive semidefiniteness depends on θ: check it with checkNoiseAt on the grid.
 */
import { InputError, showValue } from '../util/errors.js';
import type { NoiseKind, NoiseModel } from './types.js';
import { add, checkVariableNames, compileExpr, compileFill, diffExpr, formatPoint, parseFormula, type Expr } from '../landscape/formula.js';

export function formulaNoise(Sigma: readonly (readonly string[])[], variables: readonly string[], field = 'noise.Sigma'): NoiseModel {
  checkVariableNames(variables, 'variables');
  const d = variables.length;
  if (d !== 2 && d !== 3) throw new InputError('variables', `expected 2 or 3 variables, got ${d}`);
  if (!Array.isArray(Sigma) || Sigma.length !== d)
    throw new InputError(field, `expected a ${d}×${d} matrix of formulas in ${variables.join(', ')}, got ${showValue(Sigma)}`);
  const E: Expr[][] = [];
  for (let i = 0; i < d; i++) {
    const row = Sigma[i];
    if (!Array.isArray(row) || row.length !== d)
      throw new InputError(`${field}[${i}]`, `expected a row of ${d} formulas (Σ is ${d}×${d}), got ${showValue(row)}`);
    E.push(row.map((s, j) => {
      const text = typeof s === 'number' ? String(s) : s;
      return parseFormula(text, variables, `${field}[${i}][${j}]`).expr;
    }));
  }
  // Symmetry.
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 3 - 1.5;
  const samples = Array.from({ length: 16 }, () => Float64Array.from({ length: d }, rand));
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++) {
      if (E[i][j].key === E[j][i].key) continue;
      const a = compileExpr(E[i][j]).f;
      const b = compileExpr(E[j][i]).f;
      for (const x of samples) {
        const va = a(x), vb = b(x);
        if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
        if (Math.abs(va - vb) > 1e-9 * Math.max(Math.abs(va), Math.abs(vb)) + 1e-14)
          throw new InputError(field, `Σ must be symmetric: at ${formatPoint(x, variables)} Σ[${i}][${j}] = ${showValue(Sigma[i][j])} is ${va} but Σ[${j}][${i}] = ${showValue(Sigma[j][i])} is ${vb}`);
      }
    }
  const up = (i: number, j: number): Expr => (i <= j ? E[i][j] : E[j][i]);
  return exprNoise(up, d as 2 | 3, 'formula', `formula, Σ = ${JSON.stringify(Sigma)}`);
}

/**
 * A noise model from the trees of Σ's upper triangle, `up(i, j)` for i ≤ j: Σ compiled once, exactly
 * symmetric, and (∇·Σ)ᵢ = Σⱼ ∂ⱼΣᵢⱼ by exact symbolic derivatives.
 */
export function exprNoise(up: (i: number, j: number) => Expr, d: 2 | 3, kind: NoiseKind, description: string): NoiseModel {
  const at = (i: number, j: number) => (i <= j ? up(i, j) : up(j, i));
  const sExprs: Expr[] = [];
  const slots: number[][] = [];
  for (let i = 0; i < d; i++)
    for (let j = i; j < d; j++) {
      sExprs.push(at(i, j));
      slots.push(i === j ? [i * d + i] : [i * d + j, j * d + i]);
    }
  const divExprs: Expr[] = [];
  let constant = true;
  for (let i = 0; i < d; i++) {
    let s: Expr = { k: 'num', v: 0, key: '0' };
    for (let j = 0; j < d; j++) {
      const dij = diffExpr(at(i, j), j);
      s = add(s, dij);
    }
    divExprs.push(s);
    for (let j = 0; j < d; j++) if (at(i, j).k !== 'num') constant = false;
  }
  const sig = compileFill(sExprs, slots, d * d);
  const div = compileFill(divExprs, divExprs.map((_, i) => [i]), d);
  return { kind, dim: d, description, constant, sigma: sig.fill, divSigma: div.fill };
}
