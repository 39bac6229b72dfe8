/**
 * A case: one JSON file (grids/*.json) — the user's contract (DESIGN.md §9).
 * `CaseSpec` is the validated, resolved form (defaults applied) that the
 * pipeline consumes; `case.json` in an output folder is this object.
 */
export type NoiseSpec =
  | { kind: 'isotropic'; sigma2: number }
  | { kind: 'label'; output: string; c: number }
  | { kind: 'constant'; Sigma: number[][] }
  | { kind: 'formula'; Sigma: string[][] };

/**
 * A learning task (issue 17): data D = {(x^μ, y^μ)}, a model f(x; θ), the squared loss
 * ℓ = ½(f − y)² and the noise of the rule θ ← θ − (η/|b|) Σ_{ν∈b} ∇ℓ^ν: minibatches,
 * label noise y + ε (Var ε = labelNoise) and DropConnect masks (θᵢ → θᵢξᵢ/q, one mask per step).
 * L and Σ are derived from it exactly (src/task/derive.ts).
 */
export interface TaskSpec {
  /** Names of the input components, as the model uses them (default "x", or x1, x2, … for vector inputs). */
  inputs: string[];
  /** p rows; x has one entry per input. */
  data: { x: number[]; y: number }[];
  /** f(x; θ) as a formula in the variables (parameters) and the inputs. */
  model: string;
  loss: 'squared';
  /** Minibatch of size B drawn each step, with or without replacement; absent: the full batch. */
  batch?: { size: number; replacement: boolean };
  /** Variance c of the noise ε added to each sampled label. */
  labelNoise?: number;
  /** Keep probability q on the named parameters (inverted scaling θᵢξᵢ/q). */
  dropconnect?: { q: number; params: string[] };
}

export type GammaSpec =
  | { kind: 'curve'; param: string[]; range: [number, number]; closed: boolean }
  | { kind: 'surface'; param: string[]; range: [[number, number], [number, number]] }
  | { kind: 'traced'; seed: number[]; length: [number, number] };

export type GridSpec =
  | {
      kind: 'tube';
      /** Cells along Γ: a number for a curve, [na, nb] for a surface. */
      along: number | [number, number];
      /** Cells across Γ: a number, or a pair for a curve in 3D. */
      across: number | [number, number];
      /** Half-width across Γ in units of the local predicted standard deviation √(ηΩ). */
      halfWidth?: number;
      /** Absolute half-width (overrides halfWidth). */
      halfWidthAbs?: number;
      /** Grading across Γ: ratio of the outermost to the innermost cell width (1 = uniform). */
      grading?: number;
      /**
       * Stations along Γ concentrated on a chart interval: `{focus: [lo, hi], ratio, transition?}` for a curve,
       * a pair of them (or null for a uniform axis) for a surface. Cells inside `focus` are `ratio` times narrower.
       */
      alongGrading?: AlongFocus | [AlongFocus | null, AlongFocus | null];
      /** Cross-section of a tube around a curve in 3D. */
      crossSection?: 'square' | 'disc';
      /**
       * How the half-width varies along Γ: 'constant' (default) uses the largest
       * k·√(ηΩ) over Γ, so the coordinates stay orthogonal (exact Gibbs state,
       * M-matrix for isotropic noise); 'local' follows k·√(ηΩ(s)) station by
       * station (fewer wasted cells; non-orthogonal, cross terms).
       */
      widthAlong?: 'constant' | 'local';
    }
  | { kind: 'cartesian'; bounds: [number, number][]; shape: number[] };

export type InitialSpec =
  | { kind: 'gaussian'; mean: number[]; cov: number[][] }
  | { kind: 'on-gamma'; at: number | [number, number]; width: number | [number, number] }
  | { kind: 'density'; formula: string };

export interface TimeSpec {
  end: number;
  scheme: 'tr-bdf2' | 'backward-euler';
  dt?: number;
  /** Relative tolerance of the adaptive step control. */
  rtol?: number;
  frames?: number;
}

export interface CaseSpec {
  name: string;
  description: string;
  variables: string[];
  /** Exactly one of `loss` (formula), `landscape` (built-in name) and `task` is set; `noise` goes with the first two. */
  loss?: string;
  landscape?: string;
  noise?: NoiseSpec;
  /** A learning task, from which L and Σ are derived (instead of `loss` + `noise`). */
  task?: TaskSpec;
  gamma?: GammaSpec;
  eta: number;
  grid: GridSpec;
  initial: InitialSpec;
  time: TimeSpec;
  output: { frames: number };
  /**
   * Particles run beside the FPE (`gammafp run`; `--particles N` overrides n, `--no-particles` skips):
   * the SDE by Euler–Maruyama or the discrete learning rule itself, tracked at the frame times.
   */
  particles?: { mode: 'sde' | 'sgd'; n: number; seed: number; dtFactor?: number };
  /** Which drift formula the case expects the solver to support (`verify` exits 1 if contradicted). */
  expect?: 'li' | 'seed';
}

/** Stations along Γ concentrated on a chart interval (`grid.alongGrading`; the edges: grid/grading.ts `focusedEdges`). */
export interface AlongFocus {
  focus: [number, number];
  ratio: number;
  transition?: number;
}
