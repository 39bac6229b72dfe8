/**
 * The comparison along and across Γ, frame by frame (tube grids around a curve or a surface): the full
 * density's marginal along Γ, its mean and variance, the same for each averaged companion with the L1 and W1
 * distances, and the Gaussian across Γ against ηΩ (`across-stats.ts`).
 */
import { fibreBins, fibreBinsSurface } from '../trackers/gradient-flow-map.js';
import { l1Distance, marginalAlong, meanAlong, stationBins, varianceAlong, w1Distance, type StationBins, type StationLayout } from '../trackers/along-gamma.js';
import { acrossFrame, type AcrossFrame } from './across-stats.js';
import type { AvgRun } from './averaged-companions.js';
import { predictedAcross } from './predicted-across.js';
import type { Problem } from './problem.js';

/** Everything the tracker accumulates (kept as it is in a checkpoint). */
export interface AlongTrack {
  mFpe: Float64Array[];
  mLi: Float64Array[];
  mSeed: Float64Array[];
  meanFpe: number[][];
  meanLi: number[][];
  meanSeed: number[][];
  varFpe: number[];
  varLi: number[];
  varSeed: number[];
  l1Li: number[];
  l1Seed: number[];
  w1Li: number[];
  w1Seed: number[];
  varErr: AcrossFrame[];
}

function emptyTrack(): AlongTrack {
  return { mFpe: [], mLi: [], mSeed: [], meanFpe: [], meanLi: [], meanSeed: [], varFpe: [], varLi: [], varSeed: [], l1Li: [], l1Seed: [], w1Li: [], w1Seed: [], varErr: [] };
}

/** The marginal of ρ along Γ at the start (a fresh array), from which the averaged companions start. */
export function startMarginal(problem: Problem, layout: StationLayout, rho: Float64Array): Float64Array {
  return marginalAlong(layout, problem.grid.volumes, rho, new Float64Array(layout.nS));
}

export class AlongTracker {
  readonly track: AlongTrack = emptyTrack();
  /** ηΩ per station (k×k). */
  readonly predicted: Float64Array;
  /** Stations as fibres of the gradient-flow map Φ (null where Φ is not traced: traced Γ). */
  readonly fibres: StationBins | null;
  private readonly normalBins: StationBins;
  private readonly pFpe: Float64Array;

  /** `avgRuns`: the averaged companions (built from the first marginal, `startMarginal`). */
  constructor(
    private readonly problem: Problem,
    readonly layout: StationLayout,
    readonly avgRuns: readonly AvgRun[],
  ) {
    this.pFpe = new Float64Array(layout.nS);
    this.predicted = predictedAcross(problem, layout);
    // Conditional statistics across Γ on the fibres of the gradient-flow map (curves): see
    // trackers/gradient-flow-map.ts; on normal lines they also carry an O(η·∂ₛlog p) skew.
    const { gamma, landscape, grid } = problem;
    this.fibres =
      gamma?.kind === 'curve'
        ? fibreBins(landscape, gamma, layout, grid.centres)
        : gamma?.kind === 'surface'
          ? fibreBinsSurface(landscape, gamma, grid, layout, grid.centres)
          : null;
    this.normalBins = stationBins(layout);
  }

  /** Records frame t: the full marginal and moments, each companion's, and the Gaussian across Γ. */
  observe(t: number, rho: Float64Array): void {
    const { layout, track, pFpe } = this;
    marginalAlong(layout, this.problem.grid.volumes, rho, pFpe);
    track.mFpe.push(Float64Array.from(pFpe));
    const prev = track.meanFpe.length ? track.meanFpe[track.meanFpe.length - 1] : undefined;
    const mF = meanAlong(layout, pFpe, prev);
    track.meanFpe.push(mF);
    if (layout.alongDim === 1) track.varFpe.push(varianceAlong(layout, pFpe, mF[0]));
    for (const run of this.avgRuns) this.observeCompanion(run);
    const { grid, offsets, codim } = this.problem;
    track.varErr.push(acrossFrame(t, layout, this.normalBins, this.fibres, grid.volumes, rho, offsets!, codim, this.predicted));
  }

  private observeCompanion(run: AvgRun): void {
    const { layout, track, pFpe } = this;
    const li = run.avg.formula === 'li';
    const pm = run.avg.gather(run.p, new Float64Array(layout.nS));
    (li ? track.mLi : track.mSeed).push(pm);
    const arr = li ? track.meanLi : track.meanSeed;
    const m = meanAlong(layout, pm, arr.length ? arr[arr.length - 1] : undefined);
    arr.push(m);
    if (layout.alongDim === 1) (li ? track.varLi : track.varSeed).push(varianceAlong(layout, pm, m[0]));
    (li ? track.l1Li : track.l1Seed).push(l1Distance(layout, pFpe, pm));
    (li ? track.w1Li : track.w1Seed).push(w1Distance(layout, pFpe, pm));
  }
}
