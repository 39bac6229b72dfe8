/**
 * The types of a run: its options, its summary (DESIGN.md §10), its result, and the state a checkpoint keeps.
 */
import type { AlongFlux } from '../operator/face-coefficients.js';
import type { ReportData } from '../output/types.js';
import type { ParticleComparison } from '../particles/compare.js';
import type { ParticleMode, SdeScheme } from '../particles/types.js';
import type { ImplicitStepper } from '../stepper/implicit.js';
import type { StepperStats } from '../stepper/types.js';
import type { Checkpoint } from './checkpoint.js';
import type { DriftProfileSummary } from './drift-profile.js';
import type { Problem } from './problem.js';

export interface RunOptions {
  /** Override the case's η. */
  eta?: number;
  /** Output folder; nothing is written when absent. */
  outDir?: string;
  /** Progress callback (fraction in [0,1], short message). */
  progress?: (fraction: number, message: string) => void;
  /** Keep the density frames in the result (for the report and tests). */
  keepFrames?: boolean;
  /** Write a checkpoint into outDir at least every this much slow time (at frame boundaries). */
  checkpointEvery?: number;
  /** Continue from this checkpoint (see pipeline/checkpoint.ts) instead of starting at t = 0. */
  resume?: Checkpoint<RunState>;
  /**
   * Particles beside the FPE, tracked at the frame times and compared (particles/compare.ts):
   * default the case's `particles` section; `false` for none.
   */
  particles?: ParticleRunOptions | false;
  /**
   * The high-resolution face value along Γ where the noise leaves no diffusion there: 'quick' (default),
   * 'limited' (Koren-limited, by defect correction; operator/flux-limited.ts) or 'fct' (Zalesak-limited
   * antidiffusion; operator/flux-fct.ts). A run the L1 guard stops is redone with 'fct', then first order.
   */
  alongFlux?: AlongFlux;
}

/** Largest number of particle-steps a case's own `particles` section may cost in `run` (see solveWith). */
export const PARTICLE_STEP_BUDGET = 1e9;

export interface ParticleRunOptions {
  mode: ParticleMode;
  n: number;
  seed: number;
  dtFactor?: number;
  /** SDE integrator (default "extrapolated"; see particles/types.ts). */
  sdeScheme?: SdeScheme;
  /** Worker threads (default: one per core; 0 = this thread — `verify` lanes use 0). */
  workers?: number;
}

/** Everything a run accumulates, as saved in a checkpoint. */
export interface RunState {
  rho: Float64Array;
  frameT: number[];
  frames: Float32Array[];
  keep: Float64Array[];
  series: { t: number[]; mass: number[]; minDensity: number[]; dt: number[] };
  scalars: { mass0: number; relDriftMax: number; minRho: number; maxRho0: number; lastT: number };
  stepper: ReturnType<ImplicitStepper['snapshot']>;
  avg: { p: Float64Array; stepper: ReturnType<ImplicitStepper['snapshot']> }[];
  track: unknown;
  firstOrderAlong: boolean;
  /** The high-resolution flux along Γ in use (older checkpoints: absent, the run's option). */
  alongFlux?: AlongFlux;
  slowMean?: number[];
}

/** Along-Γ comparison with the averaged problems (DESIGN.md §10). */
export interface AlongSummary {
  t: number[];
  /** Per time: the mean chart coordinate (a number on a curve, a pair [a, b] on a surface). */
  meanFpe: number[] | number[][];
  meanLi: number[] | number[][] | null;
  meanSeed: number[] | number[][] | null;
  varFpe: number[];
  varLi: number[] | null;
  varSeed: number[] | null;
  l1Li: number[] | null;
  l1Seed: number[] | null;
  w1Li: number[] | null;
  w1Seed: number[] | null;
  /** |meanFpe(end) − meanFpe(0)| */
  travelled: number;
  /** |meanFpe − meanLi| and |meanFpe − meanSeed| at the end. */
  endErrLi: number | null;
  endErrSeed: number | null;
  /** The drift the full equation produces along Γ against both chart drifts (open curves; drift-profile.ts). */
  driftProfile?: DriftProfileSummary | null;
}

/** DESIGN.md §10 summary of one run. */
export interface RunSummary {
  case: string;
  eta: number;
  grid: { kind: string; cells: number; shape: number[] };
  time: { end: number; steps: number; sgdSteps: number; scheme: string; rejected: number; beFallbacks: number; frames: number };
  wallSeconds: number;
  mass: { initial: number; relDriftMax: number; boundaryFlux: number };
  /** min ρ, min ρ / max ρ(0), and the largest ‖ρ‖₁/mass (> 1 only when ρ went negative somewhere). */
  density: { min: number; minRel: number; l1Growth: number };
  /**
   * The linear solver: `solvesByRung` and `stepsByRung` count the solver-ladder rung (linalg/ladder.ts: mg,
   * krylov, direct) that finished each solve and each accepted step (a step that needed a fallback counts under
   * the fallback's rung); `fallbacks` the solves a fallback rung finished; `fallbackSteps` the first 20 such steps.
   */
  solver: Pick<StepperStats, 'factorizations' | 'solves' | 'defectSolves' | 'setupSeconds' | 'solveSeconds' | 'fallbacks' | 'fallbackSteps'> & {
    name: string;
    iterationsPerSolve: number;
    solvesByRung: StepperStats['rungSolves'];
    stepsByRung: StepperStats['rungSteps'];
  };
  operator: { columnSumRel: number; mMatrix: boolean; alongOrder: 1 | 2; alongFlux: AlongFlux | 'first-order' };
  /** false when the run was stopped (SIGINT/SIGTERM) before time.end: the outputs hold what was finished. */
  complete: boolean;
  stoppedAt?: number;
  stopReason?: string;
  /**
   * Conditional covariance across Γ against ηΩ over the stations holding 99 % of
   * the mass, in the slow phase (second half of the run): `varRelErrMax` the
   * largest station-wise relative error, `varRelErrMean` its mean over stations,
   * `varRelErrPooled` the signed relative error of the mass-weighted pooled
   * variance Σ m_j C_j / Σ m_j (ηΩ)_j (largest in magnitude over time). The
   * stations are the fibres of the gradient-flow map Φ (cells shared
   * linearly by the Γ-parameter of Φ(θ_c)); on normal lines the conditional variance
   * also carries an O(η·∂ₛ log p) skew on the flanks of a sharp marginal (particles
   * far from Γ move along it at another speed) — reported as varRelErrMaxNormalLines.
   */
  across?: {
    varRelErrMax: number;
    varRelErrMean: number;
    varRelErrPooled: number;
    /** The station-wise maximum when stations are normal lines instead of fibres of Φ. */
    varRelErrMaxNormalLines: number;
    conditionedOn: string;
    stations: number;
    fromT: number;
  };
  along?: AlongSummary;
  /** The exact slow variable (q = u² − v² on a [u, v] case): the FPE's mean per frame. */
  slow?: { name: string; t: number[]; meanFpe: number[] };
  /** Particles against the FPE and the averaged solutions (when the run had particles). */
  particles?: Omit<ParticleComparison, 'histogram'>;
  outputs: string[];
  [key: string]: unknown;
}

export interface RunResult {
  summary: RunSummary;
  problem: Problem;
  /** Frame times and densities (when keepFrames). */
  frames?: { t: number[]; rho: Float64Array[] };
  /** Marginals along Γ per frame (tube grids). */
  marginals?: { s: Float64Array; fpe: Float64Array[]; li: Float64Array[]; seed: Float64Array[] };
  report: ReportData;
}
