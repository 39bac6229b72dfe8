/**
 * The one place that wires the stages together:
 *   case → landscape + noise → Γ → grid → operator {K, M} → stepper → trackers → output,
 *   theory → the averaged problems on Γ, through the same operator and stepper.
 * Each stage is a module of its own under pipeline/; `solveWith` reads as the run, one stage a line.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseSpec } from './case/types.js';
import type { AlongFlux } from './operator/face-coefficients.js';
import { checkOperator } from './operator/invariants.js';
import { writeRunOutputs } from './output/write-outputs.js';
import { AlongTracker, startMarginal } from './pipeline/along-tracker.js';
import { averagedCompanions } from './pipeline/averaged-companions.js';
import { CHECKPOINT_FILE } from './pipeline/checkpoint.js';
import { FrameRecorder, slowVariable } from './pipeline/frame-recorder.js';
import { particleOptions, particlesCompanion } from './pipeline/particles-companion.js';
import { buildProblem, fluxCorrection, initialDensity, solverFactory, type Problem } from './pipeline/problem.js';
import { reportData } from './pipeline/report-data.js';
import { restoreRunState, type RunParts } from './pipeline/run-state.js';
import { runSummary } from './pipeline/run-summary.js';
import { StepMonitor } from './pipeline/step-monitor.js';
import { runFrames } from './pipeline/time-loop.js';
import type { RunOptions, RunResult, RunSummary } from './pipeline/types.js';
import { ImplicitStepper } from './stepper/implicit.js';
import { stationLayout } from './trackers/along-gamma.js';
import { NumericalError } from './util/errors.js';

export { buildProblem, initialDensity, solverFactory, fokkerPlanckFields } from './pipeline/problem.js';
export { caseLandscape, caseModels } from './models/case-models.js';
export type { Problem } from './pipeline/problem.js';
export { PARTICLE_STEP_BUDGET } from './pipeline/types.js';
export type { AlongSummary, ParticleRunOptions, RunOptions, RunResult, RunState, RunSummary } from './pipeline/types.js';

/** Solve a case; writes the report when opts.outDir is set. */
export async function runCase(spec: CaseSpec, opts: RunOptions = {}): Promise<RunSummary> {
  const r = await solveCase(spec, opts);
  return r.summary;
}

/** Solve a case and keep everything (summary, problem, marginals, report data). */
export async function solveCase(spec: CaseSpec, opts: RunOptions = {}): Promise<RunResult> {
  const state = opts.resume?.state;
  if (state?.firstOrderAlong) return solveWith(spec, opts, true);
  // A run resumed after a fallback to the bounded flux goes on with it.
  const first = state?.alongFlux ?? opts.alongFlux ?? 'quick';
  // The linear high-resolution flux along Γ (quick, or limited's iteration) is not provably stable; when the
  // stepper's L1 guard catches growth, the run is redone with the FCT flux, whose antidiffusion is limited to
  // the bounds of the first-order SG solution (flux-fct.ts) and stays second order where ρ is smooth; only if
  // that grows too, with the plain first-order SG flux (null), which has nothing safer behind it.
  const ladder: (AlongFlux | null)[] = first === 'fct' ? ['fct', null] : [first, 'fct', null];
  const named = (f: AlongFlux | null) => (f === null ? 'the first-order SG flux' : f === 'fct' ? 'the bounded FCT flux' : `the ${f} flux`);
  let failed: { flux: AlongFlux; err: NumericalError } | null = null;
  for (const flux of ladder) {
    if (failed) opts.progress?.(0, `unstable with ${named(failed.flux)} along Γ: rerunning with ${named(flux)}`);
    try {
      const r = await solveWith(spec, { ...opts, alongFlux: flux ?? first }, flux === null);
      if (failed) r.summary.warnings = [...((r.summary.warnings as string[] | undefined) ?? []), `${named(failed.flux)} along Γ was unstable (${failed.err.message}); rerun with ${named(flux)}`];
      return r;
    } catch (err) {
      if (flux === null || !(err instanceof NumericalError && (err.detail as { kind?: string }).kind === 'unstable')) throw err;
      failed = { flux, err };
    }
  }
  throw new Error('unreachable: the first-order rung returns or throws');
}

async function solveWith(spec: CaseSpec, opts: RunOptions, firstOrderAlong: boolean): Promise<RunResult> {
  const wall0 = performance.now();
  const eta = opts.eta ?? spec.eta;
  const progress = opts.progress ?? (() => {});
  progress(0, 'building the grid and the operator');
  const problem = buildProblem(spec, eta, { firstOrderAlong, alongFlux: opts.alongFlux });
  const check = checkOperator(problem.K);
  if (!check.finite) throw new NumericalError('the assembled operator has non-finite entries');
  const rho = initialDensity(problem);
  const stepper = fullStepper(problem, spec, eta, firstOrderAlong);
  const parts = runParts(problem, spec, opts, rho, stepper, firstOrderAlong, progress);
  const { recorder, monitor, avgRuns } = parts;
  const nFrames = spec.time.frames ?? spec.output.frames;
  if (opts.resume) restoreRunState(parts, opts.resume.state);
  else recorder.observe(0, rho);
  const t0 = opts.resume ? opts.resume.t : 0;
  const { stoppedAt } = await runFrames(parts, spec, eta, opts, t0, opts.resume ? opts.resume.frame + 1 : 1, nFrames);

  // The time loop is over: the factorisations' storage goes back to the pool for the next run in this thread.
  const solverName = stepper.solverName;
  stepper.dispose();
  for (const run of avgRuns) run.stepper.dispose();
  const summary = runSummary({ spec, eta, problem, check, stats: stepper.stats, solverName, monitor, recorder, nFrames, stoppedAt });
  const particles = await particlesCompanion(spec, eta, particleOptions(spec, eta, opts, summary), recorder, summary, progress);
  const report = reportData(problem, summary, recorder, monitor, particles);
  if (opts.outDir) await writeOutputs(opts.outDir, spec, eta, summary, report, wall0, progress);
  summary.wallSeconds = (performance.now() - wall0) / 1000;
  const track = recorder.along?.track;
  return {
    summary,
    problem,
    frames: opts.keepFrames ? { t: recorder.frameT, rho: recorder.keep } : undefined,
    marginals: track ? { s: recorder.along!.layout.centre, fpe: track.mFpe, li: track.mLi, seed: track.mSeed } : undefined,
    report,
  };
}

/** The implicit stepper of the full problem. */
function fullStepper(problem: Problem, spec: CaseSpec, eta: number, firstOrderAlong: boolean): ImplicitStepper {
  return new ImplicitStepper(problem.K, problem.grid.volumes, {
    scheme: spec.time.scheme,
    dt: spec.time.dt,
    rtol: spec.time.rtol ?? 1e-3,
    dtInitial: Math.min(spec.time.end / 1000, 0.05 * eta),
    makeSolver: solverFactory(problem.grid),
    ...fluxCorrection(problem.faces, problem.alongFlux, problem.grid.volumes, problem.K),
    // In the first-order rerun there is nothing safer to fall back to: report, do not stop.
    l1Guard: !firstOrderAlong,
  });
}

/** The parts that run beside the stepper: the averaged companions and trackers (tube grids), the recorder, the monitor. */
function runParts(
  problem: Problem,
  spec: CaseSpec,
  opts: RunOptions,
  rho: Float64Array,
  stepper: ImplicitStepper,
  firstOrderAlong: boolean,
  progress: (fraction: number, message: string) => void,
): RunParts {
  const { grid } = problem;
  const layout = grid.kind !== 'cartesian' && problem.gamma !== null ? stationLayout(grid) : null;
  const avgRuns = layout ? averagedCompanions(problem, spec, startMarginal(problem, layout, rho), firstOrderAlong, progress) : [];
  const along = layout ? new AlongTracker(problem, layout, avgRuns) : null;
  const recorder = new FrameRecorder(grid.volumes, opts.keepFrames === true, slowVariable(spec, grid), along);
  const alongFlux = problem.alongOrder === 2 ? problem.alongFlux : undefined;
  return { rho, stepper, monitor: new StepMonitor(grid.volumes, rho), recorder, avgRuns, firstOrderAlong, ...(alongFlux ? { alongFlux } : {}) };
}

/** The report, the summary and the case into outDir; a finished run needs no checkpoint, an interrupted one keeps it. */
async function writeOutputs(
  outDir: string,
  spec: CaseSpec,
  eta: number,
  summary: RunSummary,
  report: RunResult['report'],
  wall0: number,
  progress: (fraction: number, message: string) => void,
): Promise<void> {
  progress(1, 'writing the report');
  summary.wallSeconds = (performance.now() - wall0) / 1000;
  summary.outputs = await writeRunOutputs(outDir, report, { summary, caseJson: { ...spec, eta } });
  if (summary.complete) rmSync(join(outDir, CHECKPOINT_FILE), { force: true });
}
