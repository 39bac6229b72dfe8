/**
 * The frames of a run: at each frame time the density (float32, for the animation; float64 on request), the
 * full problem's mean of the exact slow variable where the case has one (q = u² − v² on [u, v] cases, as the
 * particles track), and the comparison along and across Γ (`AlongTracker`, tube grids).
 */
import type { CaseSpec } from '../case/types.js';
import type { StructuredGrid } from '../grid/types.js';
import { compileScalar } from '../landscape/formula.js';
import { defaultSlowFormula } from '../particles/simulate.js';
import { massWeightedMean } from '../stepper/vector-kernels.js';
import type { AlongTracker } from './along-tracker.js';

/** The case's exact slow variable: its formula and its value per cell, or null when it has none. */
export function slowVariable(spec: CaseSpec, grid: StructuredGrid): { text: string; at: Float64Array } | null {
  const text = defaultSlowFormula(spec);
  if (!text) return null;
  const q = compileScalar(text, spec.variables, 'slow variable');
  return { text, at: Float64Array.from({ length: grid.nCells }, (_, c) => q.f(grid.centres.subarray(c * grid.dim, (c + 1) * grid.dim))) };
}

export class FrameRecorder {
  readonly frameT: number[] = [];
  readonly frames: Float32Array[] = [];
  /** Float64 copies of the frames (only with `keepFrames`). */
  readonly keep: Float64Array[] = [];
  /** The slow variable's FPE mean per frame. */
  readonly slowMean: number[] = [];

  constructor(
    private readonly volumes: Float64Array,
    private readonly keepFrames: boolean,
    readonly slow: { text: string; at: Float64Array } | null,
    readonly along: AlongTracker | null,
  ) {}

  observe(t: number, rho: Float64Array): void {
    this.frameT.push(t);
    this.frames.push(Float32Array.from(rho));
    if (this.keepFrames) this.keep.push(Float64Array.from(rho));
    if (this.slow) this.slowMean.push(massWeightedMean(this.volumes, rho, this.slow.at, rho.length));
    this.along?.observe(t, rho);
  }
}
