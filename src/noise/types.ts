/**
 * Noise models Σ(θ) = σσᵀ (symmetric positive semidefinite, possibly degenerate).
 *
 * Conventions (row-major, flat Float64Array, d = dim):
 *   sigma:    out[i*d + j] = Σᵢⱼ(θ)
 *   divSigma: out[i]       = (∇·Σ)ᵢ = Σⱼ ∂ⱼΣᵢⱼ(θ)   (exact; zero for constant noise)
 * The Fokker–Planck flux is J = −η⁻¹ρ∇L − ½∇·(ρΣ) = (−η⁻¹∇L − ½∇·Σ)ρ − ½Σ∇ρ.
 */
import type { Vec } from '../landscape/types.js';

export type NoiseKind = 'isotropic' | 'label' | 'constant' | 'formula' | 'task';

export interface NoiseModel {
  readonly kind: NoiseKind;
  readonly dim: 2 | 3;
  /** Human-readable description, e.g. "label, c = 1, f = u*v". */
  readonly description: string;
  /** True when Σ does not depend on θ. */
  readonly constant: boolean;
  sigma(x: Vec, out: Float64Array): Float64Array;
  divSigma(x: Vec, out: Float64Array): Float64Array;
}
