import type { Csr, LinearSolver, Rung } from '../linalg/types.js';

export type SchemeName = 'backward-euler' | 'tr-bdf2';

export interface StepperOptions {
  scheme: SchemeName;
  /** Fixed step: equal steps of at most dt landing on each output time; without it the step is chosen by local error control. */
  dt?: number;
  /** Local error tolerance per step, relative, in the L1 (mass) norm. Default 1e-3. */
  rtol?: number;
  /** First step tried (default: interval/64). */
  dtInitial?: number;
  /** Largest step allowed (default: the output interval). */
  dtMax?: number;
  /** Smallest step before giving up (default 1e-14 × interval). */
  dtMin?: number;
  /** Builds a solver for A = M − c·dt·K (same pattern as K). */
  makeSolver: (A: Csr) => LinearSolver;
  /** Source g(t) in M dρ/dt = Kρ + g(t) (manufactured solutions); writes into out. */
  source?: (t: number, out: Float64Array) => void;
  /**
   * TR-BDF2 steps whose min ρ < −negativeTol·max ρ are redone with backward
   * Euler (default 1e-6) — only when K has the M-matrix sign pattern, where
   * backward Euler is positivity-preserving; with cross diffusion the sign of
   * ρ is monitored and reported instead.
   */
  negativeTol?: number;
  /**
   * Stop with NumericalError({kind: 'unstable'}) when ‖ρ‖₁,M grows past 1.5× its
   * start (the Fokker–Planck equation contracts it); default true.
   */
  l1Guard?: boolean;
  /**
   * A nonlinear flux-difference term C(ρ) of the operator, M dρ/dt = Kρ + C(ρ) + g:
   * writes C(ρ) into out (Σᵢ C(ρ)ᵢ = 0). Each implicit stage (M − chK) x = b + ch C(x)
   * is solved by defect correction: the matrix stays M − chK and C is evaluated at
   * the last iterate on the right-hand side (operator/flux-limited.ts).
   */
  correction?: (rho: Float64Array, out: Float64Array) => void;
  /**
   * Defect correction stops when the stage residual ch‖C(xₖ₊₁) − C(xₖ)‖₁ is at most
   * defectTol·‖b‖₁ (default rtol/10). Steps whose stages do not get there in
   * defectMaxIter solves (default 12) are refused (a NumericalError: the adaptive
   * stepper retries with half the step).
   */
  defectTol?: number;
  /**
   * A flux-corrected-transport step after each stage's solve (operator/flux-fct.ts): x is the low-order
   * stage answer, changed in place; prev the stage's starting state; ch the stage's c·h; explicitAt the state
   * whose rate the stage's right-hand side holds (TR-BDF2's trapezoid stage), else null. Mass-neutral.
   */
  fct?: (x: Float64Array, prev: Float64Array, ch: number, explicitAt: Float64Array | null) => void;
  /**
   * The same limited antidiffusion in defect-correction form: writes ch·Σαf per cell (mass units) around the
   * state x into out; each stage is iterated as for `correction` (defectTol, defectMaxIter).
   */
  fctDefect?: (x: Float64Array, prev: Float64Array, ch: number, explicitAt: Float64Array | null, out: Float64Array) => void;
  defectMaxIter?: number;
  /** Factorisations kept for reuse (default 4; for direct solvers, whose storage is the largest, 2 where backward-Euler fallbacks can alternate with TR-BDF2, else 1). */
  cacheSize?: number;
}

export interface StepperStats {
  steps: number;
  rejected: number;
  beFallbacks: number;
  solves: number;
  /** Solves spent on defect-correction iterations beyond the first solve of each stage. */
  defectSolves: number;
  iterations: number;
  factorizations: number;
  setupSeconds: number;
  solveSeconds: number;
  dtMinUsed: number;
  dtMaxUsed: number;
  /** Smallest density seen after any accepted step. */
  minDensity: number;
  /** Largest ‖ρ‖₁,M relative to its start (1 when ρ stays ≥ 0). */
  l1GrowthMax: number;
  /** Solves per solver-ladder rung that finished them (linalg/ladder.ts); solves that name no rung are not counted. */
  rungSolves: Partial<Record<Rung, number>>;
  /** Accepted steps per rung: a step counts under the fallback rung if any of its solves (or its rejected tries') needed one, else under the rung of its solves. */
  rungSteps: Partial<Record<Rung, number>>;
  /** Solves finished by a fallback rung (not the first rung of their ladder). */
  fallbacks: number;
  /** The first FALLBACK_STEPS_KEPT accepted steps that needed a fallback: step number (1-based), time reached, rung. */
  fallbackSteps: { step: number; t: number; rung: Rung }[];
}

/** How many steps with a fallback StepperStats.fallbackSteps lists. */
export const FALLBACK_STEPS_KEPT = 20;
