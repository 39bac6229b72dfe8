/**
 * The one place that wires the stages together:
 *   case → landscape + noise → Γ → grid → operator {K, M} → stepper → trackers → output,
 *   theory → the averaged problems on Γ, through the same operator and stepper.
 */
import type { CaseSpec } from './case/types.js';
import { checkOperator } from './operator/invariants.js';
import { writeRunOutputs } from './output/write-outputs.js';
import type { ReportData } from './output/types.js';
import { averagedProblem, type AveragedProblem } from './pipeline/averaged.js';
import { buildProblem, initialDensity, solverFactory, type Problem } from './pipeline/problem.js';
import { ImplicitStepper } from './stepper/implicit.js';
import { massWeightedMean, minOf, weightedSum } from './stepper/vector-kernels.js';
import { curveStation } from './theory/along-curve.js';
import { theoryAt } from './theory/pointwise.js';
import {
  binnedMoments,
  l1Distance,
  marginalAlong,
  massiveStations,
  meanAlong,
  stationBins,
  stationLayout,
  varianceAlong,
  w1Distance,
  type StationLayout,
} from './trackers/along-gamma.js';
import { NumericalError } from './util/errors.js';
import { fibreBins, fibreBinsSurface } from './trackers/gradient-flow-map.js';
import { StopSignal, stopRequested } from './util/interrupt.js';
import { CHECKPOINT_FILE, writeCheckpoint, type Checkpoint } from './pipeline/checkpoint.js';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CurveParam } from './landscape/types.js';
import { curveFrame3d } from './grid/frames.js';
import { compareParticles, type MarginalSeries, type ParticleComparison } from './particles/compare.js';
import type { ParticleMode } from './particles/types.js';
import { defaultSlowFormula } from './particles/simulate.js';
import { compileScalar } from './landscape/formula.js';

export { buildProblem, initialDensity, solverFactory, fokkerPlanckFields } from './pipeline/problem.js';
export { caseLandscape, caseModels } from './models/case-models.js';
export type { Problem } from './pipeline/problem.js';

export interface RunOptions {
  /** Override the case's η. */
  eta?: number;
  /** Output folder; nothing is written when absent. */
  outDir?: string;
  /** Progress callback (fraction in [0,1], short message). */
  progress?: (fraction: number, message: string) => void;
  /** Keep the density frames in the result (for the report and tests). */
  keepFrames?: boolean;
  /** Write a checkpoint into outDir at least every this much slow time (at frame boundaries). */
  checkpointEvery?: number;
  /** Continue from this checkpoint (see pipeline/checkpoint.ts) instead of starting at t = 0. */
  resume?: Checkpoint<RunState>;
  /**
   * Particles beside the FPE, tracked at the frame times and compared (particles/compare.ts):
   * default the case's `particles` section; `false` for none.
   */
  particles?: ParticleRunOptions | false;
}

/** Largest number of particle-steps a case's own `particles` section may cost in `run` (see solveWith). */
export const PARTICLE_STEP_BUDGET = 1e9;

export interface ParticleRunOptions {
  mode: ParticleMode;
  n: number;
  seed: number;
  dtFactor?: number;
  /** Worker threads (default: one per core; 0 = this thread — `verify` lanes use 0). */
  workers?: number;
}

/** Everything a run accumulates, as saved in a checkpoint. */
interface RunState {
  rho: Float64Array;
  frameT: number[];
  frames: Float32Array[];
  keep: Float64Array[];
  series: { t: number[]; mass: number[]; minDensity: number[]; dt: number[] };
  scalars: { mass0: number; relDriftMax: number; minRho: number; maxRho0: number; lastT: number };
  stepper: ReturnType<ImplicitStepper['snapshot']>;
  avg: { p: Float64Array; stepper: ReturnType<ImplicitStepper['snapshot']> }[];
  track: unknown;
  firstOrderAlong: boolean;
  slowMean?: number[];
}

/** Along-Γ comparison with the averaged problems (DESIGN.md §10). */
export interface AlongSummary {
  t: number[];
  /** Per time: the mean chart coordinate (a number on a curve, a pair [a, b] on a surface). */
  meanFpe: number[] | number[][];
  meanLi: number[] | number[][] | null;
  meanSeed: number[] | number[][] | null;
  varFpe: number[];
  varLi: number[] | null;
  varSeed: number[] | null;
  l1Li: number[] | null;
  l1Seed: number[] | null;
  w1Li: number[] | null;
  w1Seed: number[] | null;
  /** |meanFpe(end) − meanFpe(0)| */
  travelled: number;
  /** |meanFpe − meanLi| and |meanFpe − meanSeed| at the end. */
  endErrLi: number | null;
  endErrSeed: number | null;
}

/** DESIGN.md §10 summary of one run. */
export interface RunSummary {
  case: string;
  eta: number;
  grid: { kind: string; cells: number; shape: number[] };
  time: { end: number; steps: number; sgdSteps: number; scheme: string; rejected: number; beFallbacks: number; frames: number };
  wallSeconds: number;
  mass: { initial: number; relDriftMax: number; boundaryFlux: number };
  /** min ρ, min ρ / max ρ(0), and the largest ‖ρ‖₁/mass (> 1 only when ρ went negative somewhere). */
  density: { min: number; minRel: number; l1Growth: number };
  solver: { name: string; factorizations: number; solves: number; iterationsPerSolve: number; setupSeconds: number; solveSeconds: number };
  operator: { columnSumRel: number; mMatrix: boolean; alongOrder: 1 | 2 };
  /** false when the run was stopped (SIGINT/SIGTERM) before time.end: the outputs hold what was finished. */
  complete: boolean;
  stoppedAt?: number;
  stopReason?: string;
  /**
   * Conditional covariance across Γ against ηΩ over the stations holding 99 % of
   * the mass, in the slow phase (second half of the run): `varRelErrMax` the
   * largest station-wise relative error, `varRelErrMean` its mean over stations,
   * `varRelErrPooled` the signed relative error of the mass-weighted pooled
   * variance Σ m_j C_j / Σ m_j (ηΩ)_j (largest in magnitude over time). The
   * stations are the fibres of the gradient-flow map Φ (cells shared
   * linearly by the Γ-parameter of Φ(θ_c)); on normal lines the conditional variance
   * also carries an O(η·∂ₛ log p) skew on the flanks of a sharp marginal (particles
   * far from Γ move along it at another speed) — reported as varRelErrMaxNormalLines.
   */
  across?: {
    varRelErrMax: number;
    varRelErrMean: number;
    varRelErrPooled: number;
    /** The station-wise maximum when stations are normal lines instead of fibres of Φ. */
    varRelErrMaxNormalLines: number;
    conditionedOn: string;
    stations: number;
    fromT: number;
  };
  along?: AlongSummary;
  /** The exact slow variable (q = u² − v² on a [u, v] case): the FPE's mean per frame. */
  slow?: { name: string; t: number[]; meanFpe: number[] };
  /** Particles against the FPE and the averaged solutions (when the run had particles). */
  particles?: Omit<ParticleComparison, 'histogram'>;
  outputs: string[];
  [key: string]: unknown;
}

export interface RunResult {
  summary: RunSummary;
  problem: Problem;
  /** Frame times and densities (when keepFrames). */
  frames?: { t: number[]; rho: Float64Array[] };
  /** Marginals along Γ per frame (tube grids). */
  marginals?: { s: Float64Array; fpe: Float64Array[]; li: Float64Array[]; seed: Float64Array[] };
  report: ReportData;
}

/** Solve a case; writes the report when opts.outDir is set. */
export async function runCase(spec: CaseSpec, opts: RunOptions = {}): Promise<RunSummary> {
  const r = await solveCase(spec, opts);
  return r.summary;
}

interface AvgRun {
  avg: AveragedProblem;
  p: Float64Array;
  stepper: ImplicitStepper;
}

/** Solve a case and keep everything (summary, problem, marginals, report data). */
export async function solveCase(spec: CaseSpec, opts: RunOptions = {}): Promise<RunResult> {
  if (opts.resume?.state.firstOrderAlong) return solveWith(spec, opts, true);
  try {
    return await solveWith(spec, opts, false);
  } catch (err) {
    // The high-resolution flux along Γ is not provably stable; when the L1 guard of the
    // stepper catches growth, the run is redone with the plain (first-order, stable) SG flux.
    if (err instanceof NumericalError && (err.detail as { kind?: string }).kind === 'unstable') {
      opts.progress?.(0, 'unstable with the second-order flux along Γ: rerunning with the first-order SG flux');
      const r = await solveWith(spec, opts, true);
      r.summary.warnings = [...((r.summary.warnings as string[] | undefined) ?? []), `second-order flux along Γ was unstable (${err.message}); rerun with the first-order SG flux`];
      return r;
    }
    throw err;
  }
}

async function solveWith(spec: CaseSpec, opts: RunOptions, firstOrderAlong: boolean): Promise<RunResult> {
  const wall0 = performance.now();
  const eta = opts.eta ?? spec.eta;
  const progress = opts.progress ?? (() => {});
  progress(0, 'building the grid and the operator');
  const problem = buildProblem(spec, eta, { firstOrderAlong });
  const { grid, K } = problem;
  const check = checkOperator(K);
  if (!check.finite) throw new NumericalError('the assembled operator has non-finite entries');
  const rho = initialDensity(problem);
  const stepper = new ImplicitStepper(K, grid.volumes, {
    scheme: spec.time.scheme,
    dt: spec.time.dt,
    rtol: spec.time.rtol ?? 1e-3,
    dtInitial: Math.min(spec.time.end / 1000, 0.05 * eta),
    makeSolver: solverFactory(grid),
    // In the first-order rerun there is nothing safer to fall back to: report, do not stop.
    l1Guard: !firstOrderAlong,
  });

  // Trackers along and across Γ (grids around a curve).
  const tube = grid.kind !== 'cartesian' && problem.gamma !== null;
  const layout: StationLayout | null = tube ? stationLayout(grid) : null;
  const pFpe = layout ? new Float64Array(layout.nS) : null;
  const avgRuns: AvgRun[] = [];
  if (layout) {
    marginalAlong(layout, grid.volumes, rho, pFpe!);
    for (const formula of ['li', 'seed'] as const) {
      progress(0, `building the averaged problem (${formula})`);
      const avg = averagedProblem(problem, formula);
      avgRuns.push({
        avg,
        p: avg.spread(pFpe!, new Float64Array(avg.widths.length)),
        stepper: new ImplicitStepper(avg.K, avg.widths, {
          scheme: 'tr-bdf2',
          rtol: 1e-5,
          dtInitial: spec.time.end / 1000,
          makeSolver: solverFactory(avg.structure, 1e-12),
          l1Guard: !firstOrderAlong,
        }),
      });
    }
  }
  const predicted = layout ? predictedAcross(problem, layout) : null;
  // Conditional statistics across Γ on the fibres of the gradient-flow map (curves): see
  // trackers/gradient-flow-map.ts; on normal lines they also carry an O(η·∂ₛlog p) skew.
  const fibres = !layout
    ? null
    : problem.gamma?.kind === 'curve'
      ? fibreBins(problem.landscape, problem.gamma, layout, grid.centres)
      : problem.gamma?.kind === 'surface'
        ? fibreBinsSurface(problem.landscape, problem.gamma, grid, layout, grid.centres)
        : null;

  // The exact slow variable (q = u² − v² on [u, v] cases, as the particles track): its FPE mean per frame.
  const slowText = defaultSlowFormula(spec);
  const slowQ = slowText ? compileScalar(slowText, spec.variables, 'slow variable') : null;
  const slowAt = slowQ ? Float64Array.from({ length: grid.nCells }, (_, c) => slowQ.f(grid.centres.subarray(c * grid.dim, (c + 1) * grid.dim))) : null;
  const slowMean: number[] = [];

  const normalBins = layout ? stationBins(layout) : null;

  const nFrames = spec.time.frames ?? spec.output.frames;
  const frameT: number[] = [];
  const frames: Float32Array[] = [];
  const keep: Float64Array[] = [];
  // The loops of the per-run closures below are module functions (vector-kernels), so their optimised code
  // serves every run in a thread instead of being compiled anew for each run's closures.
  const massOf = (y: Float64Array) => weightedSum(grid.volumes, y, y.length);
  let mass0 = massOf(rho);
  if (opts.resume) mass0 = opts.resume.state.scalars.mass0;
  let relDriftMax = 0;
  let minRho = Infinity;
  let maxRho0 = 0;
  for (let c = 0; c < rho.length; c++) maxRho0 = Math.max(maxRho0, rho[c]);
  const series = { t: [] as number[], mass: [] as number[], minDensity: [] as number[], dt: [] as number[] };
  let lastT = 0;
  const onStep = (t: number, y: Float64Array) => {
    if (stopRequested()) throw new StopSignal(t);
    const m = massOf(y);
    relDriftMax = Math.max(relDriftMax, Math.abs(m - mass0) / mass0);
    const lo = minOf(y, y.length);
    minRho = Math.min(minRho, lo);
    series.t.push(t);
    series.mass.push(m);
    series.minDensity.push(lo);
    series.dt.push(t - lastT);
    lastT = t;
  };

  const track = layout
    ? {
        mFpe: [] as Float64Array[],
        mLi: [] as Float64Array[],
        mSeed: [] as Float64Array[],
        meanFpe: [] as number[][],
        meanLi: [] as number[][],
        meanSeed: [] as number[][],
        varFpe: [] as number[],
        varLi: [] as number[],
        varSeed: [] as number[],
        l1Li: [] as number[],
        l1Seed: [] as number[],
        w1Li: [] as number[],
        w1Seed: [] as number[],
        varErr: [] as { t: number; max: number; maxNormal: number; mean: number; pooled: number; n: number; covFpe: Float64Array; mass: Float64Array }[],
      }
    : null;
  const record = (t: number) => {
    frameT.push(t);
    frames.push(Float32Array.from(rho));
    if (opts.keepFrames) keep.push(Float64Array.from(rho));
    if (slowAt) slowMean.push(massWeightedMean(grid.volumes, rho, slowAt, rho.length));
    if (!layout || !track || !pFpe || !predicted) return;
    marginalAlong(layout, grid.volumes, rho, pFpe);
    track.mFpe.push(Float64Array.from(pFpe));
    const prev = track.meanFpe.length ? track.meanFpe[track.meanFpe.length - 1] : undefined;
    const mF = meanAlong(layout, pFpe, prev);
    track.meanFpe.push(mF);
    if (layout.alongDim === 1) track.varFpe.push(varianceAlong(layout, pFpe, mF[0]));
    for (const run of avgRuns) {
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
    // Conditional covariance across Γ against ηΩ on the stations holding 99 % of the mass.
    const k = problem.codim;
    const momNormal = { mean: new Float64Array(layout.nS * k), cov: new Float64Array(layout.nS * k * k), mass: new Float64Array(layout.nS) };
    binnedMoments(normalBins!, layout.nS, grid.volumes, rho, problem.offsets!, k, momNormal);
    let mom = momNormal;
    if (fibres) {
      mom = { mean: new Float64Array(layout.nS * k), cov: new Float64Array(layout.nS * k * k), mass: new Float64Array(layout.nS) };
      binnedMoments(fibres, layout.nS, grid.volumes, rho, problem.offsets!, k, mom);
    }
    const heavy = massiveStations(mom.mass, 0.99);
    let worstNormal = 0;
    for (const j of massiveStations(momNormal.mass, 0.99)) {
      worstNormal = Math.max(worstNormal, Math.abs(momNormal.cov[j * k * k] / predicted[j * k * k] - 1));
    }
    let worst = 0;
    let sum = 0;
    // Pooled: Σ m_j C_j / Σ m_j (ηΩ)_j over the same stations (diagonal entries), signed.
    let pooledNum = 0;
    let pooledDen = 0;
    for (const j of heavy) {
      for (let a = 0; a < k; a++) {
        pooledNum += mom.mass[j] * mom.cov[j * k * k + a * k + a];
        pooledDen += mom.mass[j] * predicted[j * k * k + a * k + a];
      }
      let e = 0;
      for (let a = 0; a < k; a++)
        for (let b = 0; b < k; b++) {
          const pr = predicted[j * k * k + a * k + b];
          const scale = Math.sqrt(predicted[j * k * k + a * k + a] * predicted[j * k * k + b * k + b]);
          e = Math.max(e, Math.abs(mom.cov[j * k * k + a * k + b] - pr) / scale);
        }
      worst = Math.max(worst, e);
      sum += e;
    }
    track.varErr.push({ t, max: worst, maxNormal: worstNormal, mean: heavy.length ? sum / heavy.length : 0, pooled: pooledNum / pooledDen - 1, n: heavy.length, covFpe: mom.cov, mass: mom.mass });
  };

  let t = 0;
  let k0 = 1;
  const saveState = (): RunState => ({
    rho,
    frameT,
    frames,
    keep,
    series,
    scalars: { mass0, relDriftMax, minRho, maxRho0, lastT },
    stepper: stepper.snapshot(),
    avg: avgRuns.map((r) => ({ p: r.p, stepper: r.stepper.snapshot() })),
    track,
    firstOrderAlong,
    slowMean,
  });
  if (opts.resume) {
    const r = opts.resume.state;
    rho.set(r.rho);
    frameT.push(...r.frameT);
    frames.push(...r.frames);
    keep.push(...r.keep);
    Object.assign(series, r.series);
    ({ relDriftMax, minRho, maxRho0, lastT } = r.scalars);
    stepper.restore(r.stepper);
    avgRuns.forEach((run, i) => {
      run.p.set(r.avg[i].p);
      run.stepper.restore(r.avg[i].stepper);
    });
    if (track) Object.assign(track, r.track);
    if (r.slowMean) slowMean.push(...r.slowMean);
    t = opts.resume.t;
    k0 = opts.resume.frame + 1;
  } else record(0);
  let nextCheckpoint = t + (opts.checkpointEvery ?? Infinity);
  let stoppedAt: number | null = null;
  for (let k = k0; k < nFrames; k++) {
    const tNext = (spec.time.end * k) / (nFrames - 1);
    const tPrev = t;
    try {
      t = stepper.advance(rho, tPrev, tNext, onStep);
    } catch (err) {
      if (!(err instanceof StopSignal)) throw err;
      // Interrupted at a step boundary: ρ holds the state at err.t; finish the averaged
      // problems to the same time and keep it as the last frame.
      t = err.t;
      stoppedAt = t;
    }
    if (t > tPrev) for (const run of avgRuns) run.stepper.advance(run.p, tPrev, t);
    if (t > tPrev) record(t);
    if (stoppedAt !== null) break;
    progress(k / (nFrames - 1), `t = ${t.toPrecision(3)} (${stepper.stats.steps} steps)`);
    if (opts.outDir && opts.checkpointEvery && t >= nextCheckpoint - 1e-12 && k < nFrames - 1) {
      await writeCheckpoint(opts.outDir, { spec, eta, frame: k, t, state: saveState() });
      nextCheckpoint = t + opts.checkpointEvery;
    }
    // Let signal handlers run (the steps themselves are synchronous).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopRequested() && k < nFrames - 1) {
      stoppedAt = t;
      break;
    }
  }

  // The time loop is over: the factorisations' storage goes back to the pool for the next run in this thread.
  const solverName = stepper.solverName;
  stepper.dispose();
  for (const run of avgRuns) run.stepper.dispose();
  const st = stepper.stats;
  const summary: RunSummary = {
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
    mass: { initial: mass0, relDriftMax, boundaryFlux: 0 },
    density: { min: minRho, minRel: minRho / maxRho0, l1Growth: st.l1GrowthMax },
    solver: {
      name: solverName,
      factorizations: st.factorizations,
      solves: st.solves,
      iterationsPerSolve: st.solves > 0 ? st.iterations / st.solves : 0,
      setupSeconds: st.setupSeconds,
      solveSeconds: st.solveSeconds,
    },
    operator: { columnSumRel: check.columnSumRel, mMatrix: check.worstNegativeOffDiagonal === 0, alongOrder: problem.alongOrder },
    complete: stoppedAt === null,
    ...(stoppedAt !== null ? { stoppedAt, stopReason: stopRequested() ?? 'stop requested' } : {}),
    outputs: [],
  };
  if (slowText && slowMean.length === frameT.length) summary.slow = { name: slowText, t: frameT, meanFpe: slowMean };
  if (track) {
    // Slow phase: the second half of the run.
    const tLast = frameT[frameT.length - 1];
    const slowAll = track.varErr.filter((v) => v.t >= 0.5 * tLast);
    const slow = slowAll.length ? slowAll : track.varErr.slice(-1);
    // NaN-safe: a NaN anywhere makes the figure NaN (never a silently good-looking 0).
    const pooledWorst = slow.some((v) => Number.isNaN(v.pooled)) ? NaN : slow.reduce((w, v) => (Math.abs(v.pooled) > Math.abs(w) ? v.pooled : w), 0);
    summary.across = {
      varRelErrMax: Math.max(...slow.map((v) => v.max)),
      varRelErrMean: slow.reduce((s, v) => s + v.mean, 0) / slow.length,
      varRelErrPooled: pooledWorst,
      varRelErrMaxNormalLines: Math.max(...slow.map((v) => v.maxNormal)),
      conditionedOn: fibres ? 'gradient-flow fibres' : 'normal lines',
      stations: Math.round(slow.reduce((s, v) => s + v.n, 0) / slow.length),
      fromT: slow[0].t,
    };
    const curveRun = layout!.alongDim === 1;
    const last = frameT.length - 1;
    const flat = (a: number[][]) => (curveRun ? a.map((m) => m[0]) : a);
    const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
    summary.along = {
      t: frameT,
      meanFpe: flat(track.meanFpe),
      meanLi: track.meanLi.length ? flat(track.meanLi) : null,
      meanSeed: track.meanSeed.length ? flat(track.meanSeed) : null,
      varFpe: track.varFpe,
      varLi: track.varLi.length ? track.varLi : null,
      varSeed: track.varSeed.length ? track.varSeed : null,
      l1Li: track.l1Li.length ? track.l1Li : null,
      l1Seed: track.l1Seed.length ? track.l1Seed : null,
      w1Li: track.w1Li.length ? track.w1Li : null,
      w1Seed: track.w1Seed.length ? track.w1Seed : null,
      travelled: dist(track.meanFpe[last], track.meanFpe[0]),
      endErrLi: track.meanLi.length ? dist(track.meanFpe[last], track.meanLi[last]) : null,
      endErrSeed: track.meanSeed.length ? dist(track.meanFpe[last], track.meanSeed[last]) : null,
    };
  }
  let particles: ParticleComparison | null = null;
  let partOpts: ParticleRunOptions | undefined = opts.particles === false ? undefined : (opts.particles ?? spec.particles);
  // A case's own particle section is skipped (with a warning) when the learning rule would take more than
  // PARTICLE_STEP_BUDGET particle-steps (n·t/η²: 10⁹ ≈ 30 s on 2 cores); asked for explicitly, it runs.
  if (partOpts && opts.particles === undefined && partOpts.mode === 'sgd') {
    const cost = partOpts.n * Math.round(spec.time.end / (eta * eta));
    if (cost > PARTICLE_STEP_BUDGET) {
      summary.warnings = [
        ...((summary.warnings as string[] | undefined) ?? []),
        `particles skipped: the case's ${partOpts.n} runs of the learning rule take ${cost.toExponential(2)} particle-steps at η = ${eta} (budget ${PARTICLE_STEP_BUDGET.toExponential(0)}); pass --particles N to run them anyway`,
      ];
      partOpts = undefined;
    }
  }
  if (partOpts && layout && track && summary.complete && frameT.length >= 2) {
    if (layout.alongDim !== 1) {
      summary.warnings = [...((summary.warnings as string[] | undefined) ?? []), 'particles: compared with the FPE along curves only in this build; skipped on a surface'];
    } else {
      progress(1, `particles: ${partOpts.n} runs of ${partOpts.mode === 'sgd' ? 'the learning rule' : 'the SDE'}`);
      const { simulateParticles } = await import('./particles/simulate.js');
      const pr = await simulateParticles(spec, {
        mode: partOpts.mode,
        n: partOpts.n,
        seed: partOpts.seed,
        eta,
        times: frameT,
        bins: layout.nS,
        ...(partOpts.dtFactor !== undefined ? { dtFactor: partOpts.dtFactor } : {}),
        ...(partOpts.workers !== undefined ? { workers: partOpts.workers } : {}),
      });
      const edges = Array.from({ length: layout.nS + 1 }, (_, j) => (j < layout.nS ? layout.centre[j] - 0.5 * layout.width[j] : layout.centre[j - 1] + 0.5 * layout.width[j - 1]));
      const series1 = (p: Float64Array[], mean: number[][], v: number[]): MarginalSeries => ({ edges, p, mean: mean.map((m) => m[0]), var: v });
      particles = compareParticles(
        pr,
        frameT,
        series1(track.mFpe, track.meanFpe, track.varFpe),
        {
          ...(track.mLi.length ? { li: series1(track.mLi, track.meanLi, track.varLi) } : {}),
          ...(track.mSeed.length ? { seed: series1(track.mSeed, track.meanSeed, track.varSeed) } : {}),
        },
        layout.closed,
        slowMean.length === frameT.length ? slowMean : undefined,
      );
      const { histogram: _h, ...rest } = particles;
      summary.particles = rest;
    }
  }
  const report = reportData(problem, summary, frameT, frames, series, layout, track, predicted, particles);
  if (opts.outDir) {
    progress(1, 'writing the report');
    summary.wallSeconds = (performance.now() - wall0) / 1000;
    summary.outputs = await writeRunOutputs(opts.outDir, report, { summary, caseJson: { ...spec, eta } });
    // A finished run needs no checkpoint; an interrupted one keeps it for --resume.
    if (summary.complete) rmSync(join(opts.outDir, CHECKPOINT_FILE), { force: true });
  }
  summary.wallSeconds = (performance.now() - wall0) / 1000;
  return {
    summary,
    problem,
    frames: opts.keepFrames ? { t: frameT, rho: keep } : undefined,
    marginals:
      layout && track ? { s: layout.centre, fpe: track.mFpe, li: track.mLi, seed: track.mSeed } : undefined,
    report,
  };
}

/** ηΩ across Γ per station in the grid's normal basis (k×k per station). */
function predictedAcross(problem: Problem, layout: StationLayout): Float64Array {
  const { landscape, noise, eta, gamma, codim, grid } = problem;
  const k = codim;
  const out = new Float64Array(layout.nS * k * k);
  for (let j = 0; j < layout.nS; j++) {
    if (gamma!.kind === 'curve') {
      const s = layout.centre[j];
      let normals: Float64Array | undefined;
      if (grid.dim === 3) {
        const f = curveFrame3d(gamma as CurveParam, s);
        normals = Float64Array.from([...f.N1, ...f.N2]);
      }
      const st = curveStation(landscape, noise, gamma as CurveParam, s, normals ? { normals } : {});
      for (let a = 0; a < k * k; a++) out[j * k * k + a] = eta * st.omegaNormal[a];
    } else {
      const a = layout.centre[2 * j];
      const b = layout.centre[2 * j + 1];
      const S = gamma!;
      if (S.kind !== 'surface') continue;
      const Sa = S.da(a, b, new Float64Array(3));
      const Sb = S.db(a, b, new Float64Array(3));
      const N = [Sa[1] * Sb[2] - Sa[2] * Sb[1], Sa[2] * Sb[0] - Sa[0] * Sb[2], Sa[0] * Sb[1] - Sa[1] * Sb[0]];
      const nn = Math.hypot(N[0], N[1], N[2]);
      const th = S.point(a, b, new Float64Array(3));
      const O = theoryAt(problem.landscape, problem.noise, th, 2).Omega;
      let q = 0;
      for (let i = 0; i < 3; i++) for (let l = 0; l < 3; l++) q += (N[i] / nn) * O[i * 3 + l] * (N[l] / nn);
      out[j] = eta * q;
    }
  }
  return out;
}


function reportData(
  problem: Problem,
  summary: RunSummary,
  t: number[],
  frames: Float32Array[],
  series: { t: number[]; mass: number[]; minDensity: number[]; dt: number[] },
  layout: StationLayout | null,
  track: {
    mFpe: Float64Array[];
    mLi: Float64Array[];
    mSeed: Float64Array[];
    meanFpe: number[][];
    meanLi: number[][];
    meanSeed: number[][];
    varErr: { t: number; covFpe: Float64Array; mass: Float64Array }[];
    l1Li: number[];
    l1Seed: number[];
  } | null,
  predicted: Float64Array | null,
  particles: ParticleComparison | null = null,
): ReportData {
  const { grid, spec } = problem;
  const data: ReportData = {
    meta: {
      case: spec.name,
      description: spec.description,
      eta: problem.eta,
      gridKind: grid.kind,
      dim: grid.dim,
      cells: grid.nCells,
      variables: spec.variables,
    },
    summary: summary as unknown as Record<string, unknown>,
    series: { steps: { t: series.t, columns: { mass: series.mass, minDensity: series.minDensity, dt: series.dt } } },
  };
  const d = grid.dim;
  if (grid.kind === 'cartesian') {
    const axis = (a: number) => {
      const e = grid.edges[a];
      return Array.from({ length: grid.shape[a] }, (_, i) => 0.5 * (e[i] + e[i + 1]));
    };
    if (d === 2) data.density = { kind: 'heatmap-cartesian', x: axis(0), y: axis(1), frames, t };
    else data.density = { kind: 'volume-cartesian', x: axis(0), y: axis(1), z: axis(2), frames, t };
  } else {
    const coord = (i: number) => Float32Array.from({ length: grid.nCells }, (_, c) => grid.centres[c * d + i]);
    if (d === 2) {
      data.density = {
        kind: 'mapped-2d',
        shape: [grid.shape[0], grid.shape[1]],
        periodic: [grid.periodic[0], grid.periodic[1]],
        x: coord(0),
        y: coord(1),
        frames,
        t,
      };
    } else data.density = { kind: 'points-3d', x: coord(0), y: coord(1), z: coord(2), frames, t };
  }
  const gamma = problem.gamma;
  if (gamma && gamma.kind === 'curve') {
    const n = 400;
    const xs: number[] = [];
    const ys: number[] = [];
    const zs: number[] = [];
    const p = new Float64Array(d);
    for (let i = 0; i <= n; i++) {
      const s = gamma.range[0] + ((gamma.range[1] - gamma.range[0]) * i) / n;
      gamma.point(s, p);
      xs.push(p[0]);
      ys.push(p[1]);
      if (d === 3) zs.push(p[2]);
    }
    data.gammaCurve = [d === 3 ? { x: xs, y: ys, z: zs } : { x: xs, y: ys }];
  }
  if (layout && track && predicted && layout.alongDim === 1) {
    const s = Array.from(layout.centre);
    data.marginal = { s, t, fpe: track.mFpe, li: track.mLi.length ? track.mLi : undefined, seed: track.mSeed.length ? track.mSeed : undefined };
    data.meanAlong = {
      t,
      fpe: track.meanFpe.map((m) => m[0]),
      li: track.meanLi.length ? track.meanLi.map((m) => m[0]) : undefined,
      seed: track.meanSeed.length ? track.meanSeed.map((m) => m[0]) : undefined,
    };
    const k = problem.codim;
    const lastV = track.varErr[track.varErr.length - 1];
    // Stations with (almost) no mass have no meaningful conditional variance: left as gaps.
    const mMax = Math.max(...lastV.mass);
    const massive = (j: number) => lastV.mass[j] > 1e-4 * mMax;
    data.acrossVariance = {
      s,
      fpe: Array.from({ length: layout.nS }, (_, j) => (massive(j) ? lastV.covFpe[j * k * k] : NaN)),
      theory: Array.from({ length: layout.nS }, (_, j) => predicted[j * k * k]),
      t: lastV.t,
    };
    data.series!.along = {
      t,
      columns: {
        meanFpe: data.meanAlong.fpe,
        ...(track.meanLi.length ? { meanLi: data.meanAlong.li!, l1Li: track.l1Li } : {}),
        ...(track.meanSeed.length ? { meanSeed: data.meanAlong.seed!, l1Seed: track.l1Seed } : {}),
      },
    };
    if (particles) data.particles = particleReport(particles, problem.eta);
    if (d === 2 && gamma && gamma.kind === 'curve') {
      // ±2σ band from the fitted conditional variance at the last frame.
      const lo = { x: [] as number[], y: [] as number[] };
      const hi = { x: [] as number[], y: [] as number[] };
      const p = new Float64Array(2);
      const tg = new Float64Array(2);
      for (let j = 0; j < layout.nS; j++) {
        if (!massive(j)) continue;
        const sj = layout.centre[j];
        gamma.point(sj, p);
        gamma.d1(sj, tg);
        const g = Math.hypot(tg[0], tg[1]);
        const nu = [-tg[1] / g, tg[0] / g];
        const w = 2 * Math.sqrt(Math.max(0, lastV.covFpe[j]));
        lo.x.push(p[0] - w * nu[0]);
        lo.y.push(p[1] - w * nu[1]);
        hi.x.push(p[0] + w * nu[0]);
        hi.y.push(p[1] + w * nu[1]);
      }
      data.band = [lo, hi];
      // Profiles across Γ rescaled by √(ηΩ) at the three heaviest stations.
      const heavy = Array.from({ length: layout.nS }, (_, j) => j).sort((a, b) => lastV.mass[b] - lastV.mass[a]).slice(0, 3);
      const nX = layout.nX;
      const e0 = grid.edges[0];
      const rho = frames[frames.length - 1];
      const z: number[] = [];
      for (let i = 0; i < nX; i++) z.push(0.5 * (e0[i] + e0[i + 1]));
      data.profiles = {
        z: [],
        curves: [],
      };
      const zAll: number[] = [];
      const curves: { label: string; values: number[] }[] = [];
      for (const j of heavy) {
        const sd = Math.sqrt(predicted[j]);
        const vals: number[] = [];
        const zs: number[] = [];
        let mj = 0;
        for (let i = 0; i < nX; i++) mj += grid.volumes[i + nX * j] * rho[i + nX * j];
        for (let i = 0; i < nX; i++) {
          const c = i + nX * j;
          const m = grid.volumes[c] * rho[c];
          const dn = (problem.offsets![c + 1 < (j + 1) * nX ? c + 1 : c] - problem.offsets![c > j * nX ? c - 1 : c]) / (c + 1 < (j + 1) * nX && c > j * nX ? 2 : 1);
          zs.push(problem.offsets![c] / sd);
          vals.push((m / mj) / (Math.abs(dn) / sd));
        }
        if (!zAll.length) zAll.push(...zs);
        curves.push({ label: `s = ${layout.centre[j].toPrecision(3)}`, values: vals });
      }
      data.profiles = { z: zAll, curves };
    }
  }
  return data;
}

/** The particle overlay and table of the report. */
function particleReport(p: ParticleComparison, eta: number): NonNullable<ReportData['particles']> {
  const what = p.mode === 'sgd' ? 'learning rule' : 'SDE (Euler–Maruyama)';
  const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(d)));
  // At most 8 rows: the times spread over the run, always the last.
  const nT = p.t.length;
  const rows = Array.from(new Set(Array.from({ length: Math.min(8, nT) }, (_, k) => Math.round((k * (nT - 1)) / Math.max(1, Math.min(8, nT) - 1)))));
  return {
    label: `particles: ${what}, n = ${p.n.toLocaleString('en-US')}`,
    t: p.t,
    mean: p.mean,
    se: p.se,
    histogram: p.histogram,
    note:
      `${p.n.toLocaleString('en-US')} runs of the ${what} (seed ${p.seed}, dt/η = ${f(p.dtOverEta)}): z = (particles − X)/SE, |z| ≤ 3 is agreement within 3 standard errors; ` +
      `W1 is the Wasserstein-1 distance along Γ between the particles' histogram and the marginal. ` +
      (p.mode === 'sgd'
        ? `The learning rule is the Euler–Maruyama scheme of the SDE with dt = η² (h = dt/η = η = ${f(eta)}): it differs from the FPE by O(η), a bias that more particles resolve but do not remove.`
        : 'Euler–Maruyama differs from the SDE by O(dt/η).'),
    table: {
      columns: [
        't', 'mean s (particles) ± SE', 'z vs FPE', 'z vs Li', 'z vs seed', 'var s (particles) ± SE', 'z vs FPE', 'W1 vs FPE', 'W1 vs Li',
        ...(p.slow ? [`E[${p.slow.name}] (particles) ± SE`, `E[${p.slow.name}] (FPE)`, 'z vs FPE'] : []),
      ],
      rows: rows.map((k) => [
        f(p.t[k], 4),
        `${f(p.mean[k], 5)} ± ${f(p.se[k], 2)}`,
        f(p.zMeanFpe[k]),
        f(p.zMeanLi?.[k]),
        f(p.zMeanSeed?.[k]),
        `${f(p.var[k], 4)} ± ${f(p.seVar[k], 2)}`,
        f(p.zVarFpe?.[k]),
        f(p.w1Fpe?.[k]),
        f(p.w1Li?.[k]),
        ...(p.slow ? [`${f(p.slow.mean[k], 5)} ± ${f(p.slow.se[k], 2)}`, f(p.slow.meanFpe?.[k], 5), f(p.slow.zFpe?.[k])] : []),
      ]),
    },
  };
}
