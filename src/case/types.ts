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
  /** Exactly one of `loss` (formula) and `landscape` (built-in name) is set. */
  loss?: string;
  landscape?: string;
  noise: NoiseSpec;
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
