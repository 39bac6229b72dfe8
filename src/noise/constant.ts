/** Constant anisotropic noise: a fixed symmetric PSD matrix Σ (2×2 or 3×3), ∇·Σ = 0. */
import { InputError, showValue } from '../util/errors.js';
import type { NoiseModel } from './types.js';
import { checkNoiseAt } from './check-noise.js';

/**
 * Σ given as rows. Checks: square 2×2 or 3×3, finite, symmetric to 1e-12 relative
 * (the upper triangle is used), PSD (λmin ≥ −1e-12·tr Σ). Errors name `field`.
 */
export function constantNoise(Sigma: readonly (readonly number[])[], field = 'noise.Sigma'): NoiseModel {
  if (!Array.isArray(Sigma) || (Sigma.length !== 2 && Sigma.length !== 3))
    throw new InputError(field, `expected a 2×2 or 3×3 matrix (array of rows), got ${showValue(Sigma)}`);
  const d = Sigma.length as 2 | 3;
  const S = new Float64Array(d * d);
  let big = 0;
  for (let i = 0; i < d; i++) {
    const row = Sigma[i];
    if (!Array.isArray(row) || row.length !== d)
      throw new InputError(`${field}[${i}]`, `expected a row of ${d} numbers (Σ is ${d}×${d}), got ${showValue(row)}`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${field}[${i}][${j}]`, `expected a finite number, got ${showValue(v)}`);
      S[i * d + j] = v;
      big = Math.max(big, Math.abs(v));
    }
  }
  for (let i = 0; i < d; i++)
    for (let j = i + 1; j < d; j++)
      if (Math.abs(S[i * d + j] - S[j * d + i]) > 1e-12 * big)
        throw new InputError(field, `Σ must be symmetric: Σ[${i}][${j}] = ${S[i * d + j]} but Σ[${j}][${i}] = ${S[j * d + i]}`);
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) S[i * d + j] = S[j * d + i];
  const model: NoiseModel = {
    kind: 'constant',
    dim: d,
    description: `constant, Σ = ${JSON.stringify(Sigma)}`,
    constant: true,
    sigma(_x, out) {
      out.set(S);
      return out;
    },
    divSigma(_x, out) {
      out.fill(0, 0, d);
      return out;
    },
  };
  checkNoiseAt(model, new Float64Array(d), field);
  return model;
}
