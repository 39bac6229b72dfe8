/**
 * Pointwise checks of a noise model: Σ(θ) finite, symmetric and positive
 * semidefinite, ∇·Σ finite. PSD means λmin(Σ) ≥ −1e-12 · tr Σ (eigenvalues by
 * the Jacobi solver in landscape/sym-eig.ts).
 */
import { InputError } from '../util/errors.js';
import { formatPoint } from '../landscape/formula.js';
import { symEig } from '../landscape/sym-eig.js';
import type { NoiseModel } from './types.js';

/**
 * Evaluate Σ and ∇·Σ at each point (flat, n×d: points[p*d + i]) and throw
 * InputError(field) naming the point and the offending numbers (the smallest
 * eigenvalue when Σ is not PSD) otherwise. `variables` only label the point.
 */
export function checkNoiseAt(noise: NoiseModel, points: Float64Array, field: string, variables?: readonly string[]): void {
  const d = noise.dim;
  const S = new Float64Array(d * d);
  const div = new Float64Array(d);
  const lam = new Float64Array(d);
  const vec = new Float64Array(d * d);
  // One scratch point (a view per point cost 6 MB of garbage per 65k points); the point is formatted
  // only for a message (built eagerly it cost 50 ms per 65k points).
  const x = new Float64Array(d);
  const at = { toString: () => formatPoint(x, variables) };
  for (let p = 0; p * d < points.length; p++) {
    for (let i = 0; i < d; i++) x[i] = points[p * d + i];
    noise.sigma(x, S);
    let big = 0;
    let trace = 0;
    for (let i = 0; i < d * d; i++) {
      if (!Number.isFinite(S[i]))
        throw new InputError(field, `Σ[${Math.floor(i / d)}][${i % d}] = ${S[i]} at ${at} (${noise.description}); Σ must be finite there`);
      big = Math.max(big, Math.abs(S[i]));
    }
    for (let i = 0; i < d; i++) trace += S[i * d + i];
    for (let i = 0; i < d; i++)
      for (let j = i + 1; j < d; j++)
        if (Math.abs(S[i * d + j] - S[j * d + i]) > 1e-10 * big)
          throw new InputError(field, `Σ is not symmetric at ${at}: Σ[${i}][${j}] = ${S[i * d + j]} but Σ[${j}][${i}] = ${S[j * d + i]} (${noise.description})`);
    symEig(S, d, lam, vec);
    if (!(lam[0] >= -1e-12 * Math.max(trace, 0)))
      throw new InputError(
        field,
        `Σ is not positive semidefinite at ${at}: smallest eigenvalue ${lam[0].toPrecision(6)} (eigenvalues ${Array.from(lam, (v) => v.toPrecision(4)).join(', ')}; ${noise.description}); a covariance needs all eigenvalues ≥ 0`,
      );
    noise.divSigma(x, div);
    for (let i = 0; i < d; i++)
      if (!Number.isFinite(div[i]))
        throw new InputError(field, `(∇·Σ)[${i}] = ${div[i]} at ${at} (${noise.description}); Σ must be differentiable there`);
  }
}
