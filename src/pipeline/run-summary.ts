/**
 * The summary of a run (DESIGN.md §10), built from its parts once the time loop is over: the run's own
 * figures (grid, steps, mass, density, solver, operator), the slow variable, and — on tube grids — the
 * Gaussian across Γ against ηΩ and the motion along Γ against both averaged solutions.
 */
import type { CaseSpec } from '../case/types.js';
import type { OperatorCheck } from '../operator/invariants.js';
import { FALLBACK_STEPS_KEPT, type StepperStats } from '../stepper/types.js';
import { stopRequested } from '../util/interrupt.js';
import type { AlongTrack } from './along-tracker.js';
import { driftProfile } from './drift-profile.js';
import type { FrameRecorder } from './frame-recorder.js';
import type { Problem } from './problem.js';
import type { StepMonitor } from './step-monitor.js';
import type { AlongSummary, RunSummary } from './types.js';

/** What the summary is built from. */
export interface SummaryInputs {
  spec: CaseSpec;
  eta: number;
  problem: Problem;
  check: OperatorCheck;
  stats: StepperStats;
  solverName: string;
  monitor: StepMonitor;
  recorder: FrameRecorder;
  nFrames: number;
  stoppedAt: number | null;
}

export function runSummary(x: SummaryInputs): RunSummary {
  const summary = baseSummary(x);
  const fellBack = fallbackWarning(summary.solver);
  if (fellBack) addWarning(summary, fellBack);
  const { recorder } = x;
  const slow = recorder.slow;
  if (slow && recorder.slowMean.length === recorder.frameT.length) summary.slow = { name: slow.text, t: recorder.frameT, meanFpe: recorder.slowMean };
  const along = recorder.along;
  if (along) {
    summary.across = acrossSummary(along.track, recorder.frameT, along.fibres !== null);
    summary.along = alongSummary(along.track, recorder.frameT, along.layout.alongDim === 1);
    summary.along.driftProfile = driftProfile(x.problem, along.layout, along.track.mFpe, recorder.frameT);
  }
  return summary;
}

function baseSummary({ spec, eta, problem, check, stats: st, solverName, monitor, nFrames, stoppedAt }: SummaryInputs): RunSummary {
  const { grid } = problem;
  return {
    case: spec.name,
    eta,
    grid: { kind: grid.kind, cells: grid.nCells, shape: [...grid.shape] },
    time: {
      end: spec.time.end,
      steps: st.steps,
      sgdSteps: spec.time.end / (eta * eta),
      scheme: spec.time.scheme,
      rejected: st.rejected,
      beFallbacks: st.beFallbacks,
      frames: nFrames,
    },
    wallSeconds: 0,
    mass: { initial: monitor.mass0, relDriftMax: monitor.relDriftMax, boundaryFlux: 0 },
    density: { min: monitor.minRho, minRel: monitor.minRho / monitor.maxRho0, l1Growth: st.l1GrowthMax },
    solver: solverSummary(st, solverName),
    operator: { columnSumRel: check.columnSumRel, mMatrix: check.worstNegativeOffDiagonal === 0, alongOrder: problem.alongOrder, alongFlux: problem.alongOrder === 2 ? problem.alongFlux : 'first-order' },
    complete: stoppedAt === null,
    ...(stoppedAt !== null ? { stoppedAt, stopReason: stopRequested() ?? 'stop requested' } : {}),
    outputs: [],
  };
}

/** Appends a warning to the summary's list. */
export function addWarning(summary: RunSummary, text: string): void {
  summary.warnings = [...((summary.warnings as string[] | undefined) ?? []), text];
}

/** The linear solver's figures, with the solver-ladder rung (linalg/ladder.ts) that finished each solve and step. */
function solverSummary(st: StepperStats, name: string): RunSummary['solver'] {
  return {
    name,
    factorizations: st.factorizations,
    solves: st.solves,
    defectSolves: st.defectSolves ?? 0,
    iterationsPerSolve: st.solves > 0 ? st.iterations / st.solves : 0,
    setupSeconds: st.setupSeconds,
    solveSeconds: st.solveSeconds,
    solvesByRung: { ...st.rungSolves },
    stepsByRung: { ...st.rungSteps },
    fallbacks: st.fallbacks,
    fallbackSteps: st.fallbackSteps.map((f) => ({ ...f })),
  };
}

/** The warning when the solver's first rung failed somewhere and a fallback rung finished the solve; null if none did. */
export function fallbackWarning(s: RunSummary['solver']): string | null {
  if (!(s.fallbacks > 0)) return null;
  const rungs = Object.entries(s.solvesByRung).map(([r, n]) => `${r} ${n}`).join(', ');
  const first = s.fallbackSteps[0];
  const where = first ? `; the first at step ${first.step} (t = ${Number(first.t.toPrecision(4))}, rung ${first.rung})` : '';
  const steps = Object.values(s.stepsByRung).reduce((a, b) => a + b, 0);
  const fellSteps = s.fallbackSteps.length < FALLBACK_STEPS_KEPT ? `${s.fallbackSteps.length} of ${steps} steps` : `≥ ${FALLBACK_STEPS_KEPT} of ${steps} steps`;
  return `the linear solver's first rung (${s.name}) failed and a fallback rung finished ${s.fallbacks} of ${s.solves} solves (${fellSteps}${where}; solves by rung: ${rungs}); every solve still reached its tolerance — see summary.solver`;
}

/** The Gaussian across Γ in the slow phase (the second half of the run). */
function acrossSummary(track: AlongTrack, frameT: number[], onFibres: boolean): NonNullable<RunSummary['across']> {
  const tLast = frameT[frameT.length - 1];
  const slowAll = track.varErr.filter((v) => v.t >= 0.5 * tLast);
  const slow = slowAll.length ? slowAll : track.varErr.slice(-1);
  // NaN-safe: a NaN anywhere makes the figure NaN (never a silently good-looking 0).
  const pooledWorst = slow.some((v) => Number.isNaN(v.pooled)) ? NaN : slow.reduce((w, v) => (Math.abs(v.pooled) > Math.abs(w) ? v.pooled : w), 0);
  return {
    varRelErrMax: Math.max(...slow.map((v) => v.max)),
    varRelErrMean: slow.reduce((s, v) => s + v.mean, 0) / slow.length,
    varRelErrPooled: pooledWorst,
    varRelErrMaxNormalLines: Math.max(...slow.map((v) => v.maxNormal)),
    conditionedOn: onFibres ? 'gradient-flow fibres' : 'normal lines',
    stations: Math.round(slow.reduce((s, v) => s + v.n, 0) / slow.length),
    fromT: slow[0].t,
  };
}

/** The motion along Γ: the FPE's mean and variance per frame against both averaged solutions. */
function alongSummary(track: AlongTrack, frameT: number[], curveRun: boolean): AlongSummary {
  const last = frameT.length - 1;
  const flat = (a: number[][]) => (curveRun ? a.map((m) => m[0]) : a);
  const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
  const orNull = <T>(a: T[]): T[] | null => (a.length ? a : null);
  return {
    t: frameT,
    meanFpe: flat(track.meanFpe),
    meanLi: track.meanLi.length ? flat(track.meanLi) : null,
    meanSeed: track.meanSeed.length ? flat(track.meanSeed) : null,
    varFpe: track.varFpe,
    varLi: orNull(track.varLi),
    varSeed: orNull(track.varSeed),
    l1Li: orNull(track.l1Li),
    l1Seed: orNull(track.l1Seed),
    w1Li: orNull(track.w1Li),
    w1Seed: orNull(track.w1Seed),
    travelled: dist(track.meanFpe[last], track.meanFpe[0]),
    endErrLi: track.meanLi.length ? dist(track.meanFpe[last], track.meanLi[last]) : null,
    endErrSeed: track.meanSeed.length ? dist(track.meanFpe[last], track.meanSeed[last]) : null,
  };
}
