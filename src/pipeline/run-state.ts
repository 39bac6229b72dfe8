/**
 * A run's state in its checkpoint form (`RunState`, written by `writeCheckpoint` at frame boundaries) and its
 * restoration for `--resume`. The shape is the checkpoint file's: keep it readable across versions.
 */
import type { ImplicitStepper } from '../stepper/implicit.js';
import type { AvgRun } from './averaged-companions.js';
import type { FrameRecorder } from './frame-recorder.js';
import type { StepMonitor } from './step-monitor.js';
import type { AlongFlux } from '../operator/face-coefficients.js';
import type { RunState } from './types.js';

/** The parts of a run that its state is made of. */
export interface RunParts {
  rho: Float64Array;
  stepper: ImplicitStepper;
  monitor: StepMonitor;
  recorder: FrameRecorder;
  avgRuns: readonly AvgRun[];
  firstOrderAlong: boolean;
  /** The high-resolution flux along Γ the run uses (absent: first order), so a resume after a fallback keeps it. */
  alongFlux?: AlongFlux;
}

export function saveRunState(r: RunParts): RunState {
  const { recorder } = r;
  return {
    rho: r.rho,
    frameT: recorder.frameT,
    frames: recorder.frames,
    keep: recorder.keep,
    series: r.monitor.series,
    scalars: r.monitor.scalars(),
    stepper: r.stepper.snapshot(),
    avg: r.avgRuns.map((a) => ({ p: a.p, stepper: a.stepper.snapshot() })),
    track: recorder.along?.track ?? null,
    firstOrderAlong: r.firstOrderAlong,
    ...(r.alongFlux ? { alongFlux: r.alongFlux } : {}),
    slowMean: recorder.slowMean,
  };
}

export function restoreRunState(r: RunParts, state: RunState): void {
  const { recorder } = r;
  r.rho.set(state.rho);
  recorder.frameT.push(...state.frameT);
  recorder.frames.push(...state.frames);
  recorder.keep.push(...state.keep);
  r.monitor.restore(state);
  r.stepper.restore(state.stepper);
  r.avgRuns.forEach((run, i) => {
    run.p.set(state.avg[i].p);
    run.stepper.restore(state.avg[i].stepper);
  });
  if (recorder.along) Object.assign(recorder.along.track, state.track);
  if (state.slowMean) recorder.slowMean.push(...state.slowMean);
}
