/**
 * The particles beside the Fokker–Planck run: runs of the SDE or of the learning rule itself, tracked at the
 * frame times and compared with the FPE's marginal along Γ and with both averaged solutions
 * (particles/compare.ts). Along curves only; on a surface the comparison is skipped with a warning.
 */
import type { CaseSpec } from '../case/types.js';
import { compareParticles, type MarginalSeries, type ParticleComparison } from '../particles/compare.js';
import type { StationLayout } from '../trackers/along-gamma.js';
import type { FrameRecorder } from './frame-recorder.js';
import { addWarning } from './run-summary.js';
import { PARTICLE_STEP_BUDGET, type ParticleRunOptions, type RunOptions, type RunSummary } from './types.js';

/**
 * The particle options of this run: the caller's, else the case's own section — skipped (with a warning) when
 * the learning rule would take more than PARTICLE_STEP_BUDGET particle-steps (n·t/η²: 10⁹ ≈ 30 s on 2
 * cores); asked for explicitly, it runs.
 */
export function particleOptions(spec: CaseSpec, eta: number, opts: RunOptions, summary: RunSummary): ParticleRunOptions | undefined {
  const partOpts = opts.particles === false ? undefined : (opts.particles ?? spec.particles);
  if (partOpts && opts.particles === undefined && partOpts.mode === 'sgd') {
    const cost = partOpts.n * Math.round(spec.time.end / (eta * eta));
    if (cost > PARTICLE_STEP_BUDGET) {
      addWarning(
        summary,
        `particles skipped: the case's ${partOpts.n} runs of the learning rule take ${cost.toExponential(2)} particle-steps at η = ${eta} (budget ${PARTICLE_STEP_BUDGET.toExponential(0)}); pass --particles N to run them anyway`,
      );
      return undefined;
    }
  }
  return partOpts;
}

/** Runs the particles at the recorder's frame times and compares them; null when there is nothing to compare. */
export async function particlesCompanion(
  spec: CaseSpec,
  eta: number,
  partOpts: ParticleRunOptions | undefined,
  recorder: FrameRecorder,
  summary: RunSummary,
  progress: (fraction: number, message: string) => void,
): Promise<ParticleComparison | null> {
  const along = recorder.along;
  const frameT = recorder.frameT;
  if (!partOpts || !along || !summary.complete || frameT.length < 2) return null;
  const { layout, track } = along;
  if (layout.alongDim !== 1) {
    addWarning(summary, 'particles: compared with the FPE along curves only in this build; skipped on a surface');
    return null;
  }
  progress(1, `particles: ${partOpts.n} runs of ${partOpts.mode === 'sgd' ? 'the learning rule' : 'the SDE'}`);
  const { simulateParticles } = await import('../particles/simulate.js');
  const pr = await simulateParticles(spec, {
    mode: partOpts.mode,
    n: partOpts.n,
    seed: partOpts.seed,
    eta,
    times: frameT,
    bins: layout.nS,
    ...(partOpts.dtFactor !== undefined ? { dtFactor: partOpts.dtFactor } : {}),
    ...(partOpts.sdeScheme !== undefined ? { sdeScheme: partOpts.sdeScheme } : {}),
    ...(partOpts.workers !== undefined ? { workers: partOpts.workers } : {}),
  });
  const edges = stationEdges(layout);
  const series1 = (p: Float64Array[], mean: number[][], v: number[]): MarginalSeries => ({ edges, p, mean: mean.map((m) => m[0]), var: v });
  const particles = compareParticles(
    pr,
    frameT,
    series1(track.mFpe, track.meanFpe, track.varFpe),
    {
      ...(track.mLi.length ? { li: series1(track.mLi, track.meanLi, track.varLi) } : {}),
      ...(track.mSeed.length ? { seed: series1(track.mSeed, track.meanSeed, track.varSeed) } : {}),
    },
    layout.closed,
    recorder.slowMean.length === frameT.length ? recorder.slowMean : undefined,
  );
  const { histogram: _h, ...rest } = particles;
  summary.particles = rest;
  return particles;
}

/** The nS + 1 edges of the stations along a curve. */
function stationEdges(layout: StationLayout): number[] {
  const { nS, centre, width } = layout;
  return Array.from({ length: nS + 1 }, (_, j) => (j < nS ? centre[j] - 0.5 * width[j] : centre[j - 1] + 0.5 * width[j - 1]));
}
