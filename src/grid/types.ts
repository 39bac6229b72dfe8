/**
 * Structured finite-volume grids: a logically rectangular block of cells in
 * computational coordinates ξ = (ξ₀, ξ₁[, ξ₂]) mapped to physical θ = X(ξ).
 * Cartesian boxes (X = identity), tubes around a curve, shells around a surface.
 *
 * Index convention: cell (i₀, i₁, i₂) has index i₀ + n₀·(i₁ + n₁·i₂) — axis 0
 * is fastest. Tube and shell grids put the across-Γ axes first (so a 2D tube
 * ordered across-first is banded with bandwidth ≈ n_across) and the along-Γ
 * axes last.
 *
 * Jacobian convention: jac[i*d + a] = ∂θᵢ/∂ξₐ (row-major d×d).
 */
export type GridKind = 'cartesian' | 'tube' | 'shell';

export interface StructuredGrid {
  readonly kind: GridKind;
  /** Physical = computational dimension. */
  readonly dim: 2 | 3;
  /** Cells per axis. */
  readonly shape: readonly number[];
  /** Periodic axes (a closed curve's along axis). */
  readonly periodic: readonly boolean[];
  /** Cell edges per axis in ξ (strictly increasing, length shape[a] + 1; for a periodic axis the last edge is the first plus the period). */
  readonly edges: readonly Float64Array[];
  /** Axes that run along Γ (empty for a Cartesian box). */
  readonly alongAxes: readonly number[];
  /** Axes that run across Γ. */
  readonly acrossAxes: readonly number[];
  readonly nCells: number;
  /** Physical cell centres θ = X(ξ_centre), flat nCells×dim. */
  readonly centres: Float64Array;
  /** Computational cell centres ξ, flat nCells×dim. */
  readonly xiCentres: Float64Array;
  /** Cell volumes in physical space (exact where the map allows, else second order). */
  readonly volumes: Float64Array;
  /** θ = X(ξ) and, when jac is given, ∂θ/∂ξ. */
  map(xi: ArrayLike<number>, theta: Float64Array, jac: Float64Array | null): void;
}
