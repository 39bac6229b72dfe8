/**
 * Sparse linear algebra on typed arrays. Knows nothing about grids.
 *
 * CSR convention: row r holds entries k ∈ [rowPtr[r], rowPtr[r+1]) with
 * column colIdx[k] and value values[k]; columns sorted within a row; the
 * diagonal entry is present in every row.
 */
export interface Csr {
  readonly n: number;
  readonly rowPtr: Int32Array;
  readonly colIdx: Int32Array;
  readonly values: Float64Array;
}

/** The rung of a solver ladder (linalg/ladder.ts) that solved a system: multigrid, preconditioned Krylov, direct. */
export type Rung = 'mg' | 'krylov' | 'direct';

/** Outcome of one solve of A x = b. `residual` is the true relative residual ‖b − Ax‖₂/‖b‖₂ checked after the solve. */
export interface SolveInfo {
  converged: boolean;
  iterations: number;
  residual: number;
  /** Residual per iteration (relative), for failure reports. */
  history?: number[];
  /** The ladder rung that solved it, and whether that was a fallback (not the ladder's first rung). */
  rung?: Rung;
  fallback?: boolean;
}

/** A solver prepared for one matrix (factorised or with a preconditioner built); reusable for many right-hand sides. */
export interface LinearSolver {
  readonly name: string;
  /**
   * Solves A x = b; x holds the initial guess on entry and the solution on exit. Throws NumericalError if it
   * misses its tolerance. `looseTol`, if larger than the solver's own tolerance, replaces it for this call
   * (iterative solvers; a direct solver ignores it) — for solves whose result only steers step sizes.
   */
  solve(b: Float64Array, x: Float64Array, looseTol?: number): SolveInfo;
  /** True when the initial guess in x matters (iterative solvers): the caller may pass an extrapolated one. */
  readonly iterative?: boolean;
  /**
   * Present only where it gives exactly what a new solver for A would (direct solvers: the ordering and band
   * depend on the pattern alone): rebuilds this solver for A, same sparsity pattern, reusing its storage.
   */
  rebuild?(A: Csr): void;
  /** Releases large storage for reuse (linalg/buffer-pool.ts); the solver must not be used afterwards. */
  dispose?(): void;
}

/** Optional structure hints that let a solver use a structured grid (geometric multigrid, banded ordering). */
export interface GridStructure {
  shape: readonly number[];
  periodic: readonly boolean[];
}
