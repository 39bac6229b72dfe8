/** Isotropic constant noise Σ = σ²I, ∇·Σ = 0. */
import { InputError, showValue } from '../util/errors.js';
import type { NoiseModel } from './types.js';

export function isotropicNoise(sigma2: number, dim: 2 | 3, field = 'noise.sigma2'): NoiseModel {
  if (typeof sigma2 !== 'number' || !Number.isFinite(sigma2) || !(sigma2 > 0))
    throw new InputError(field, `σ² must be a finite number > 0, got ${showValue(sigma2)}`);
  if (dim !== 2 && dim !== 3) throw new InputError(field, `dimension must be 2 or 3, got ${showValue(dim)}`);
  return {
    kind: 'isotropic',
    dim,
    description: `isotropic, σ² = ${sigma2}`,
    constant: true,
    sigma(_x, out) {
      out.fill(0);
      for (let i = 0; i < dim; i++) out[i * dim + i] = sigma2;
      return out;
    },
    divSigma(_x, out) {
      out.fill(0, 0, dim);
      return out;
    },
  };
}
