import type { LimitedStencil } from './flux-limited.js';

/**
 * Per-face coefficients of the finite-volume Fokker–Planck operator. The
 * operator knows no landscape and no grid geometry: it takes these.
 *
 * Face f joins cell P = owner[f] to Q = neighbour[f]; the flux F_f is the
 * mass per unit time from P to Q:
 *
 *   F_f = a_f [B(−Pe_f) ρ_P − B(Pe_f) ρ_Q] + Σ_k w_k ρ_{c_k},   Pe_f = u_f / a_f,
 *
 * with B(x) = x/(eˣ − 1) (Scharfetter–Gummel), a_f ≥ 0 the diffusive
 * conductance (area·√g·G^{aa}/Δξ), u_f the advective volume flux (area·√g·bᵃ)
 * and the cross-diffusion stencil entries k with face[k] = f. When a_f = 0 the
 * flux is pure upwind: u⁺ρ_P + u⁻ρ_Q.
 */
export interface FaceCoefficients {
  readonly nCells: number;
  readonly owner: Int32Array;
  readonly neighbour: Int32Array;
  readonly cond: Float64Array;
  readonly vel: Float64Array;
  readonly cross: CrossStencil | null;
  /**
   * The limited high-resolution correction along Γ (flux-limited.ts), not part
   * of the assembled matrix: the steppers add it in defect-correction form.
   */
  readonly limited?: LimitedStencil | null;
}

/** Cross-diffusion contributions F_{face[k]} += weight[k]·ρ_{cell[k]}. */
export interface CrossStencil {
  readonly face: Int32Array;
  readonly cell: Int32Array;
  readonly weight: Float64Array;
}

/**
 * Drift–diffusion fields of the Fokker–Planck equation in physical space,
 *   ∂ₜρ = −∇·J,  J = (−∇U + β)ρ − D∇ρ,
 * with U = L/η (its face-normal derivative is taken from cell-centre
 * differences so the Gibbs state exp(−U/D) is discretely exact for isotropic
 * noise), β = −½∇·Σ and D = ½Σ.
 */
export interface DriftDiffusionFields {
  readonly dim: number;
  potential(x: ArrayLike<number>): number;
  potentialGrad(x: ArrayLike<number>, out: Float64Array): void;
  /** Extra drift β(θ); omit when zero. */
  extraDrift?: (x: ArrayLike<number>, out: Float64Array) => void;
  /** D(θ) row-major d×d, symmetric positive semidefinite. */
  diffusion(x: ArrayLike<number>, out: Float64Array): void;
  /**
   * Optional scalar D̄ for exponentially fitted cross terms: with φ = U/D̄ the
   * cross-diffusion flux is written −Gᵃᵇ e^{−φ} ∂_b(ρ e^{φ}) and the remainder
   * (Gᵃᵇ/D̄ − gᵃᵇ)∂_bU joins the drift. Exact rewriting in the continuum; for
   * isotropic constant noise (D = D̄ I) the Gibbs state e^{−φ} is then an exact
   * discrete steady state on non-orthogonal grids too.
   */
  readonly slotboomScale?: number;
}
