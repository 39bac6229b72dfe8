/**
 * Particle simulations: options, the plain-data job sent to workers, the
 * per-block sums and the JSON-able result. See simulate.ts for the maths.
 */
import type { CaseSpec } from '../case/types.js';

export type ParticleMode = 'sde' | 'sgd';
export type SdeScheme = 'extrapolated' | 'euler';

/** How the SDE was integrated, in words (the CLI, the summary text, verify's particle columns). */
export function sdeSchemeLabel(scheme: SdeScheme | undefined): string {
  return scheme === 'euler' ? 'Euler–Maruyama' : 'Euler–Maruyama extrapolated in dt';
}

export interface ParticleOptions {
  mode: ParticleMode;
  /** Number of particles (independent runs). */
  n: number;
  /** Run seed (non-negative safe integer). */
  seed: number;
  /** Learning rate; default spec.eta. */
  eta?: number;
  /** Tracker times in slow time t (non-decreasing, ≥ 0). SGD rounds each to a whole step count. */
  times: number[];
  /** Worker threads; default os.availableParallelism(); capped at the number of blocks; 0 = run in this thread. */
  workers?: number;
  /** SDE: dt = dtFactor·η/λ_max (λ_max the largest Hessian eigenvalue on Γ). Default 0.05. */
  dtFactor?: number;
  /**
   * SDE integrator: "extrapolated" (default: Euler–Maruyama at dt and at 2dt on the same Brownian path,
   * every expectation taken as 2E_dt − E_2dt — Talay–Tubaro, O(dt²) weak error) or "euler" (plain
   * Euler–Maruyama, O(dt/η) weak error).
   */
  sdeScheme?: SdeScheme;
  /** Particles per block (one RNG stream per block). Default 4096. */
  blockSize?: number;
  /** Histogram bins along Γ (curves only). Default: grid.along of a tube grid, else 64. */
  bins?: number;
  /** Exact slow variable q(θ) as a formula in the case's variables. Default "u^2 - v^2" when the variables are [u, v]; "" for none. */
  slowFormula?: string;
}

/** Everything a worker needs, as structured-clone data. */
export interface ParticleJob {
  spec: CaseSpec;
  eta: number;
  mode: ParticleMode;
  /** SDE only: the integrator (block-kernel.ts). */
  sdeScheme: SdeScheme;
  n: number;
  seed: number;
  blockSize: number;
  /** Steps from the previous tracker time (from t = 0 for k = 0) and their size. */
  stepsPerInterval: number[];
  dtPerInterval: number[];
  /** Histogram bin edges in the curve parameter (nBins + 1), or null (surface). */
  histEdges: number[] | null;
  slowFormula: string | null;
  /**
   * Predicted covariance across Γ, Ω (d×d, before the factor η), tabulated on
   * uniform nodes of the chart: a curve has `shape = [N]` over its range, a
   * surface `shape = [Na, Nb]` (a fastest); values[(node)*d*d + i*d + j].
   * Only for `initial.kind = "on-gamma"`.
   */
  omegaTable: { shape: number[]; values: Float64Array } | null;
}

/**
 * Per-block sums, per tracker time k, in a block of `stride` numbers starting
 * at k·stride (slot indices below). Combined by adding blocks in block order.
 */
export const SLOT = {
  count: 0,
  /** Σ s (first chart parameter), Σ s² */
  s1: 1,
  s1sq: 2,
  /** Σ b, Σ b² (second chart parameter, surfaces) */
  s2: 3,
  s2sq: 4,
  /** Closed curves: Σ cos φ, Σ sin φ, Σ cos 2φ, Σ sin 2φ with φ = 2π(s − s₀)/period */
  cos: 5,
  sin: 6,
  cos2: 7,
  sin2: 8,
  /** Plane curves: Σ n, Σ n² of the signed offset n = (θ − γ(s*))·ν, ν = γ′ rotated by +90°, normalised */
  nSigned: 9,
  nSignedSq: 10,
  /** Σ |θ − γ(s*)|² */
  dist2: 11,
  /** Σ q, Σ q² of the slow variable */
  slow: 12,
  slowSq: 13,
  /** Σ (s − m)³, Σ (s − m)⁴ with m the midpoint of the chart range (first parameter): the standard error of the variance along Γ. */
  s1cu: 14,
  s1qu: 15,
  /**
   * Extrapolated SDE runs (weights +2 fine, −1 coarse in every sum above): Σ y², y = 2s_fine − s_coarse, and
   * Σ y², y = 2q_fine − q_coarse, per particle pair — the standard errors of the extrapolated means.
   */
  pairS1Sq: 16,
  pairSlowSq: 17,
  /** Histogram: below the range, then the bins, then above (closed curves: never outside). */
  hist: 18,
} as const;

export function sumsStride(nBins: number): number {
  return SLOT.hist + nBins + 2;
}

/** Result of `simulateParticles` (JSON-able; DESIGN.md §10 `particles --json`). */
export interface ParticleResult {
  case: string;
  mode: ParticleMode;
  /** SDE: the integrator (block-kernel.ts); absent for sgd (the rule itself). */
  sdeScheme?: SdeScheme;
  n: number;
  eta: number;
  seed: number;
  /** Integration step (SGD: η²). */
  dt: number;
  /** The SDE's dt/η = dtFactor/λ_max (SGD: η): the discretisation parameter of both schemes. */
  dtOverEta: number;
  /** λ_max on Γ (largest Hessian eigenvalue over the tabulated stations). */
  lambdaMax: number;
  /** Actual tracker times (SGD: step counts × η²). */
  t: number[];
  /** Cumulative integration steps at each time (SGD: the SGD step count). */
  steps: number[];
  /** Mean of the coordinate along Γ (curve: s; closed curve: circular mean continued without jumps). Surface: the first parameter a. */
  meanAlong: number[];
  /** Standard error of meanAlong. */
  seAlong: number[];
  /** Variance of the coordinate along Γ (closed curve: wrapped-normal variance −2 ln R̄ in s units). */
  varAlong: number[];
  /** Standard error of varAlong (open curve: √((μ₄ − σ⁴)/n); closed curve: delta method on R̄). */
  seVarAlong: number[];
  /** Surfaces: the second parameter b. */
  meanAlong2?: number[];
  seAlong2?: number[];
  varAlong2?: number[];
  /** Marginal along Γ per unit parameter at bin centres s (curves); outside: fraction beyond an open curve's range. */
  histogram?: { s: number[]; p: number[][]; outside: number[] };
  /** Offsets across Γ: E|θ − γ(s*)|², and for plane curves the signed offset's mean and variance. */
  across: { meanSq: number[]; mean?: number[]; var?: number[] };
  /** Exact slow variable: its mean and the standard error. */
  slow?: { name: string; mean: number[]; se: number[]; var: number[] };
  blockSize: number;
  blocks: number;
  workers: number;
  wallSeconds: number;
}
