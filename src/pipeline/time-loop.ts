/**
 * The time loop of a run: frame by frame, the full problem is stepped to the next frame time, the averaged
 * companions to the same time, and the frame is recorded; a checkpoint is written at least every
 * `checkpointEvery` of slow time, and a stop request (SIGINT/SIGTERM) ends the loop at a step boundary with
 * that state kept as the last frame.
 */
import type { CaseSpec } from '../case/types.js';
import { writeCheckpoint } from './checkpoint.js';
import { saveRunState, type RunParts } from './run-state.js';
import type { RunOptions } from './types.js';
import { StopSignal, stopRequested } from '../util/interrupt.js';

export interface LoopResult {
  /** The time reached. */
  t: number;
  /** Where a stop request ended the run, or null when it ran to the end. */
  stoppedAt: number | null;
}

/** Advances the run from (t0, frame k0) through the last frame. */
export async function runFrames(parts: RunParts, spec: CaseSpec, eta: number, opts: RunOptions, t0: number, k0: number, nFrames: number): Promise<LoopResult> {
  const { rho, stepper, monitor, recorder, avgRuns } = parts;
  const progress = opts.progress ?? (() => {});
  let t = t0;
  let nextCheckpoint = t + (opts.checkpointEvery ?? Infinity);
  let stoppedAt: number | null = null;
  for (let k = k0; k < nFrames; k++) {
    const tNext = (spec.time.end * k) / (nFrames - 1);
    const tPrev = t;
    try {
      t = stepper.advance(rho, tPrev, tNext, monitor.onStep);
    } catch (err) {
      if (!(err instanceof StopSignal)) throw err;
      // Interrupted at a step boundary: ρ holds the state at err.t; finish the averaged
      // problems to the same time and keep it as the last frame.
      t = err.t;
      stoppedAt = t;
    }
    if (t > tPrev) for (const run of avgRuns) run.stepper.advance(run.p, tPrev, t);
    if (t > tPrev) recorder.observe(t, rho);
    if (stoppedAt !== null) break;
    progress(k / (nFrames - 1), `t = ${t.toPrecision(3)} (${stepper.stats.steps} steps)`);
    if (opts.outDir && opts.checkpointEvery && t >= nextCheckpoint - 1e-12 && k < nFrames - 1) {
      await writeCheckpoint(opts.outDir, { spec, eta, frame: k, t, state: saveRunState(parts) });
      nextCheckpoint = t + opts.checkpointEvery;
    }
    // Let signal handlers run (the steps themselves are synchronous).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopRequested() && k < nFrames - 1) {
      stoppedAt = t;
      break;
    }
  }
  return { t, stoppedAt };
}
