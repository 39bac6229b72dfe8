/**
 * Implicit time stepping of M dρ/dt = Kρ + g(t) (M = diag(cell volumes), K the
 * assembled Fokker–Planck operator, g an optional source).
 *
 * Backward Euler (first order, L-stable, keeps ρ ≥ 0 when M − hK is an M-matrix):
 *   (M − hK) ρⁿ⁺¹ = M ρⁿ + h gⁿ⁺¹.
 *
 * TR-BDF2 (second order, L-stable; Bank et al. 1985), γ = 2 − √2, d = γ/2,
 * both stages with the same matrix M − d h K:
 *   (M − dhK) Y = M ρⁿ + dh (Kρⁿ + gⁿ + g(tⁿ + γh))                (trapezoid to tⁿ + γh)
 *   (M − dhK) ρⁿ⁺¹ = M [Y − (1−γ)² ρⁿ] / (γ(2−γ)) + dh gⁿ⁺¹        (BDF2 to tⁿ + h)
 * Local error estimate (Hosea & Shampine 1996, embedded third-order weights
 * b̂ = ((1−w)/3, (3w+1)/3, d/3), w = (1−d)/2), filtered through the same matrix:
 *   (M − dhK) e = h [ (4w−1)/3 f₁ − ⅓ f₂ + (2d/3) f₃ ],  fᵢ = K Yᵢ + gᵢ.
 * Backward Euler's estimate is (M − hK) e = ½h (f₂ − f₁).
 *
 * Step sizes are dyadic within each output interval Δ: h = Δ/2^ℓ, and a level
 * ℓ is used only at times that are multiples of its step, so every output
 * time is hit exactly and every factorisation is reused while ℓ is unchanged
 * (a small cache keeps the last few). Output intervals that are equal in
 * exact arithmetic differ in their last bits once computed (t₁ − t₀ of frame
 * times), so the cache key and the matrix use c·h rounded to 36 significant
 * bits (relative change ≤ 2⁻³⁷ ≈ 7e-12, a time error far below any rtol):
 * without it every frame re-factorised the same matrix. The rounding depends
 * on c·h alone, so a resumed run builds the same matrices. A direct solver
 * pushed out of the cache is rebuilt in place for the next matrix (same
 * pattern, same arrays) when it can be rebuilt exactly as a new one would be.
 * The error is measured in the L1 norm
 * weighted by the cell volumes, relative to the mass: err = ‖e‖₁,M / (rtol ‖ρ‖₁,M).
 *
 * With an iterative linear solver every solve starts from an extrapolation in
 * time instead of the last state: stage 1 from the line through the previous
 * and the current state (within one `advance` call, so a run resumed at an
 * output time repeats the same solves), stage 2 from the line through ρⁿ and
 * Y, backward Euler like stage 1. The answer is the solver's to its tolerance
 * either way; a closer start only saves iterations. The error-estimate solve
 * needs two digits, not ten (it only steers the step size), so it runs to
 * ERROR_SOLVE_TOL.
 */
import { matVec, shiftedMatrix } from '../linalg/csr.js';
import type { Csr, LinearSolver, Rung, SolveInfo } from '../linalg/types.js';
import { NumericalError } from '../util/errors.js';
import { FALLBACK_STEPS_KEPT, type StepperOptions, type StepperStats } from './types.js';
import {
  absDiffSum,
  absSum,
  addInPlace,
  axpyInto,
  bdf2Rhs,
  beErrorRhs,
  beRhs,
  clampedLine,
  plainSum,
  rangeAndSums,
  scaleInPlace,
  trapezoidRhs,
  trbdf2ErrorRhs,
  weightedAbsSum,
  weightedSum,
} from './vector-kernels.js';

const GAMMA = 2 - Math.SQRT2;
const DTRB = GAMMA / 2;
const WTRB = (1 - DTRB) / 2;
const BDF_A = 1 / (GAMMA * (2 - GAMMA));
const BDF_B = ((1 - GAMMA) * (1 - GAMMA)) / (GAMMA * (2 - GAMMA));
const MAX_LEVEL = 48;
/** Relative residual of the error-estimate solve (the estimate steers step sizes; 1e-3 is compared with it). */
export const ERROR_SOLVE_TOL = 1e-4;
/** Significant bits kept in the shift c·h (see the module comment). */
const SHIFT_BITS = 36;

/** c·h rounded to SHIFT_BITS significant bits: equal in exact arithmetic → the same key and matrix. */
export function canonicalShift(ch: number): number {
  if (!(ch > 0) || !Number.isFinite(ch)) return ch;
  const q = 2 ** (Math.floor(Math.log2(ch)) - SHIFT_BITS);
  return Math.round(ch / q) * q;
}

export class ImplicitStepper {
  readonly stats: StepperStats;
  private readonly K: Csr;
  private readonly mass: Float64Array;
  private readonly opts: Required<Pick<StepperOptions, 'rtol' | 'negativeTol' | 'cacheSize'>> & StepperOptions;
  private readonly cache = new Map<number, { solver: LinearSolver; A: Csr }>();
  private readonly userCacheSize: number | undefined;
  private level = -1;
  private readonly n: number;
  private readonly w: Float64Array[];
  /** Work arrays of the defect correction (right-hand side, C at two iterates); empty without a correction. */
  private readonly dc: Float64Array[];
  /** min, max, ‖y‖₁,M and mass of the last range() (reused; read at once). */
  private readonly lohi = new Float64Array(4);
  /** K has nonnegative off-diagonals (backward Euler is positivity-preserving). */
  readonly mMatrix: boolean;
  /** The state one accepted step back (valid when prevH > 0), for extrapolated initial guesses. */
  private readonly prev: Float64Array;
  private prevH = 0;

  constructor(K: Csr, mass: Float64Array, opts: StepperOptions) {
    this.K = K;
    this.mass = mass;
    this.n = K.n;
    this.opts = { rtol: 1e-3, negativeTol: 1e-6, cacheSize: 4, ...opts };
    this.userCacheSize = opts.cacheSize;
    // The backward-Euler fallback only helps where backward Euler keeps ρ ≥ 0:
    // when K has the M-matrix sign pattern (no cross-diffusion entries < 0).
    this.mMatrix = hasMMatrixPattern(K);
    this.w = Array.from({ length: 8 }, () => new Float64Array(this.n));
    this.dc = opts.correction || opts.fctDefect ? Array.from({ length: 3 }, () => new Float64Array(this.n)) : [];
    this.prev = new Float64Array(this.n);
    this.stats = {
      steps: 0, rejected: 0, beFallbacks: 0, solves: 0, defectSolves: 0, iterations: 0, factorizations: 0,
      setupSeconds: 0, solveSeconds: 0, dtMinUsed: Infinity, dtMaxUsed: 0, minDensity: Infinity, l1GrowthMax: 1,
      rungSolves: {}, rungSteps: {}, fallbacks: 0, fallbackSteps: [],
    };
  }

  /** The stepper's own state (step level, statistics, L1 reference) for checkpoints. */
  snapshot(): { level: number; l1Start: number | null; stats: StepperStats } {
    return { level: this.level, l1Start: Number.isNaN(this.l1Start) ? null : this.l1Start, stats: structuredClone(this.stats) };
  }

  /** Restores a snapshot: the run continues exactly as it would have (factorisations are rebuilt on demand). */
  restore(s: { level: number; l1Start: number | null; stats: StepperStats }): void {
    this.level = s.level;
    this.l1Start = s.l1Start === null ? NaN : s.l1Start;
    Object.assign(this.stats, structuredClone(s.stats)); // a checkpoint from before a field existed keeps its default
  }

  /** Name of the linear solver in use (e.g. "banded-lu", "mg-bicgstab"). */
  get solverName(): string {
    let name = 'none';
    for (const s of this.cache.values()) name = s.solver.name;
    return name;
  }

  /**
   * Solvers kept: `cacheSize`, but fewer direct ones unless `cacheSize` is given — a factorisation's band is
   * the largest array of a run (67 MB at 512×64, and its first touch costs ≈ 0.27 s on this VM), a solver
   * evicted is rebuilt in place at the cost of a new one, and a step level left behind at the start of a run
   * is rarely used again. Two where TR-BDF2 steps may be redone with backward Euler (M-matrix K: the two
   * schemes' matrices alternate), one otherwise.
   */
  private cacheLimit(): number {
    const first = this.cache.values().next().value;
    if (!first?.solver.rebuild || this.userCacheSize !== undefined) return this.opts.cacheSize;
    return Math.min(this.mMatrix && this.opts.scheme === 'tr-bdf2' ? 2 : 1, this.opts.cacheSize);
  }

  /** The solver for M − c·h·K, built once per distinct (rounded) c·h and cached. */
  private solverFor(chExact: number): LinearSolver {
    const ch = canonicalShift(chExact);
    const hit = this.cache.get(ch);
    if (hit) {
      this.cache.delete(ch);
      this.cache.set(ch, hit);
      return hit.solver;
    }
    const t0 = performance.now();
    let entry: { solver: LinearSolver; A: Csr } | null = null;
    // When the cache is full, evict the least recently used; a solver whose rebuild equals a fresh build takes the
    // new matrix in place. (The limit follows the kind of solver, known from the first entry on.)
    if (this.cache.size > 0 && this.cache.size >= this.cacheLimit()) {
      const oldest = this.cache.keys().next().value as number;
      const old = this.cache.get(oldest)!;
      this.cache.delete(oldest);
      if (old.solver.rebuild) {
        const A = shiftedMatrix(this.K, this.mass, ch, old.A);
        old.solver.rebuild(A);
        entry = { solver: old.solver, A };
      } else old.solver.dispose?.();
    }
    if (!entry) {
      const A = shiftedMatrix(this.K, this.mass, ch);
      entry = { solver: this.opts.makeSolver(A), A };
    }
    this.stats.setupSeconds += (performance.now() - t0) / 1000;
    this.stats.factorizations++;
    this.cache.set(ch, entry);
    return entry.solver;
  }

  /**
   * Releases the cached solvers' storage for reuse (see linalg/buffer-pool.ts) at the end of a run. The
   * statistics stay readable; a later step builds its solvers anew.
   */
  dispose(): void {
    for (const e of this.cache.values()) e.solver.dispose?.();
    this.cache.clear();
  }

  /**
   * Solves (M − ch·K) x = b. Because K's columns sum to zero, the exact
   * solution has mass Σᵢ Mᵢxᵢ = Σᵢ bᵢ; for a state solve (`conserve`) the
   * iterate is rescaled by that ratio, so an iterative solver's residual
   * (≤ its tolerance) never shows up as mass drift.
   */
  private solve(ch: number, b: Float64Array, x: Float64Array, conserve = false, looseTol?: number): void {
    const s = this.solverFor(ch);
    const t0 = performance.now();
    const info = s.solve(b, x, looseTol);
    this.stats.solveSeconds += (performance.now() - t0) / 1000;
    this.stats.solves++;
    this.stats.iterations += info.iterations;
    this.noteRung(info);
    if (conserve) {
      const r = plainSum(b, this.n) / weightedSum(this.mass, x, this.n);
      if (Number.isFinite(r) && Math.abs(r - 1) < 1e-6) scaleInPlace(x, r, this.n);
    }
  }

  /**
   * Initial guess x = a + τ(b − a) on the line through a and b (τ = 1 is b), used only when the solver for
   * ch iterates (a direct solver ignores x) or a defect correction starts from it; the guess is clamped at 0
   * where the line crosses it.
   */
  private guessLine(x: Float64Array, a: Float64Array, b: Float64Array, tau: number, ch: number): boolean {
    if (!this.solverFor(ch).iterative && !this.opts.correction) return false;
    clampedLine(x, a, b, tau, this.n);
    return true;
  }

  /**
   * Solves the stage equation (M − ch·K) x = b + ch·C(x) from the guess in x: without a correction one
   * solve; with one, by defect correction (Koren 1993): x_{k+1} = (M − chK)⁻¹ (b + ch C(x_k)) until the
   * residual of x_{k+1}, ch‖C(x_{k+1}) − C(x_k)‖₁, is at most defectTol·‖b‖₁. The matrix is the
   * first-order one throughout; since Σ C = 0, every iterate has the mass of b.
   */
  private solveStage(ch: number, b: Float64Array, x: Float64Array, prev: Float64Array, explicitAt: Float64Array | null = null): void {
    const C = this.opts.correction;
    const G = this.opts.fctDefect;
    if (!C && !G) {
      this.solve(ch, b, x, true);
      this.opts.fct?.(x, prev, ch, explicitAt);
      return;
    }
    const [rhs, c0, c1] = this.dc;
    const n = this.n;
    const tol = (this.opts.defectTol ?? this.opts.rtol / 10) * absSum(b, n);
    const maxIter = this.opts.defectMaxIter ?? 12;
    // The two corrections in one iteration x_{k+1} = A⁻¹(b + s·D(x_k)): FCT's D is already a flux change
    // (s = 1) and starts from the low-order answer; the limited flux's D = C is a rate (s = ch), from the guess.
    const scale = G ? 1 : ch;
    const defect = G ? (y: Float64Array, out: Float64Array) => G(y, prev, ch, explicitAt, out) : (y: Float64Array, out: Float64Array) => C!(y, out);
    if (G) this.solve(ch, b, x, true);
    defect(x, c0);
    let dOld = c0;
    let dNew = c1;
    let res = Infinity;
    for (let k = 0; k < maxIter; k++) {
      axpyInto(rhs, b, scale, dOld, n);
      this.solve(ch, rhs, x, true);
      if (G || k > 0) this.stats.defectSolves++;
      defect(x, dNew);
      res = scale * absDiffSum(dNew, dOld, n);
      if (res <= tol) return;
      [dOld, dNew] = [dNew, dOld];
    }
    throw new NumericalError(
      `defect correction of the ${G ? 'FCT' : 'limited'} flux did not converge in ${maxIter} solves (residual ${res.toExponential(2)} > ${tol.toExponential(2)}) at step c·h = ${ch.toExponential(3)}`,
      { kind: 'defect-correction', ch, res, tol },
    );
  }

  /** Kρ (+ C(ρ) with a correction) into out. */
  private rate(y: Float64Array, out: Float64Array): void {
    matVec(this.K, y, out);
    if (this.opts.correction) {
      const c = this.dc[1];
      this.opts.correction(y, c);
      addInPlace(out, c, this.n);
    }
  }

  private source(t: number, out: Float64Array): boolean {
    if (!this.opts.source) return false;
    this.opts.source(t, out);
    return true;
  }

  /** One TR-BDF2 step from (t, y) of size h into out; returns the error ratio (≤ 1 is acceptable). */
  private stepTrbdf2(t: number, h: number, y: Float64Array, out: Float64Array, withError: boolean): number {
    // Loops are calls of vector-kernels.ts (why: see there).
    const [f1, Y, rhs, f2, f3, e, g] = this.w;
    const n = this.n;
    const M = this.mass;
    const dh = DTRB * h;
    this.rate(y, f1);
    if (this.source(t, g)) addInPlace(f1, g, n);
    // Stage 1 (trapezoid).
    const hasG = this.source(t + GAMMA * h, g);
    trapezoidRhs(rhs, M, y, f1, hasG ? g : null, dh, n);
    if (!(this.prevH > 0 && this.guessLine(Y, this.prev, y, 1 + (GAMMA * h) / this.prevH, dh))) Y.set(y);
    this.solveStage(dh, rhs, Y, y, y);
    // Stage 2 (BDF2).
    const hasG3 = this.source(t + h, g);
    bdf2Rhs(rhs, M, Y, y, BDF_A, BDF_B, hasG3 ? g : null, dh, n);
    if (!this.guessLine(out, y, Y, 1 / GAMMA, dh)) out.set(Y);
    this.solveStage(dh, rhs, out, Y);
    if (!withError) return 0;
    this.rate(Y, f2);
    this.rate(out, f3);
    if (hasG3) addInPlace(f3, g, n);
    if (hasG && this.source(t + GAMMA * h, g)) addInPlace(f2, g, n);
    const c1 = (4 * WTRB - 1) / 3;
    const c3 = (2 * DTRB) / 3;
    trbdf2ErrorRhs(rhs, f1, f2, f3, h, c1, c3, n);
    e.fill(0);
    this.solve(dh, rhs, e, false, ERROR_SOLVE_TOL);
    return this.errorRatio(e, out);
  }

  /** One backward-Euler step; returns the error ratio. */
  private stepBe(t: number, h: number, y: Float64Array, out: Float64Array, withError: boolean): number {
    const [f1, , rhs, f2, , e, g] = this.w;
    const n = this.n;
    const M = this.mass;
    const hasG = this.source(t + h, g);
    beRhs(rhs, M, y, hasG ? g : null, h, n);
    // The guess: the extrapolated line, or y itself (a direct solver ignores it).
    if (!(this.prevH > 0 && this.guessLine(out, this.prev, y, 1 + h / this.prevH, h))) out.set(y);
    this.solveStage(h, rhs, out, y);
    if (!withError) return 0;
    this.rate(y, f1);
    if (this.source(t, g)) addInPlace(f1, g, n);
    this.rate(out, f2);
    if (this.source(t + h, g)) addInPlace(f2, g, n);
    beErrorRhs(rhs, f1, f2, h, n);
    e.fill(0);
    this.solve(h, rhs, e, false, ERROR_SOLVE_TOL);
    return this.errorRatio(e, out);
  }

  private errorRatio(e: Float64Array, y: Float64Array): number {
    const num = weightedAbsSum(this.mass, e, this.n);
    const den = weightedAbsSum(this.mass, y, this.n);
    return den > 0 ? num / (this.opts.rtol * den) : num;
  }

  /** min, max, ‖y‖₁,M and mass of y; throws NumericalError on NaN/Inf naming the cell. */
  private range(y: Float64Array, t: number): Float64Array {
    const bad = rangeAndSums(y, this.mass, this.n, this.lohi);
    if (bad >= 0) throw new NumericalError(`density is not finite (${y[bad]}) at cell ${bad}, t = ${t}`, { cell: bad, t });
    return this.lohi;
  }

  /**
   * Advances y (in place) from t0 to t1, landing exactly on t1. `onStep(t, y)`
   * is called after every accepted step. Returns t1.
   */
  advance(y: Float64Array, t0: number, t1: number, onStep?: (t: number, y: Float64Array) => void): number {
    const interval = t1 - t0;
    if (!(interval > 0)) return t0;
    this.range(y, t0); // a non-finite state is named (cell, time) before any solve sees it
    this.prevH = 0; // extrapolate only within this call: a run resumed at t0 repeats the same solves
    const o = this.opts;
    const trial = this.w[7];
    if (o.dt !== undefined) {
      // Equal steps of at most dt that land on the output time.
      const nSteps = Math.max(1, Math.ceil(interval / o.dt - 1e-9));
      const h = interval / nSteps;
      let t = t0;
      for (let s = 0; s < nSteps; s++) {
        this.takeStep(t, h, y, trial, false);
        this.accept(h, y, trial);
        t = s === nSteps - 1 ? t1 : t + h;
        this.afterStep(t, h, y);
        onStep?.(t, y);
      }
      return t1;
    }
    const p = o.scheme === 'tr-bdf2' ? 2 : 1;
    const minLevel = o.dtMax !== undefined ? Math.max(0, Math.ceil(Math.log2(interval / o.dtMax) - 1e-12)) : 0;
    if (this.level < 0) {
      const dt0 = o.dtInitial ?? interval / 64;
      this.level = Math.max(minLevel, Math.ceil(Math.log2(interval / dt0) - 1e-12));
    }
    const maxLevel = o.dtMin !== undefined ? Math.min(MAX_LEVEL, Math.floor(Math.log2(interval / o.dtMin))) : MAX_LEVEL;
    // Position in units of interval/2^MAX_LEVEL (exact in doubles).
    const unit = 2 ** MAX_LEVEL;
    let pos = 0;
    let level = Math.max(this.level, minLevel);
    let failures = 0;
    while (pos < unit) {
      const stepUnits = 2 ** (MAX_LEVEL - level);
      const h = interval / 2 ** level;
      const t = t0 + (pos / unit) * interval;
      let err: number;
      try {
        err = this.takeStep(t, h, y, trial, true);
      } catch (ex) {
        if (ex instanceof NumericalError && level < maxLevel && failures < 8) {
          failures++;
          this.stats.rejected++;
          level++;
          continue;
        }
        throw ex;
      }
      if (err > 1 && level < maxLevel) {
        this.stats.rejected++;
        const fac = 0.9 * err ** (-1 / (p + 1));
        level += Math.max(1, Math.ceil(-Math.log2(Math.max(fac, 1e-3))));
        level = Math.min(level, maxLevel);
        continue;
      }
      if (err > 1) {
        throw new NumericalError(
          `step-size control failed: error ratio ${err.toPrecision(3)} at the smallest step ${h.toExponential(3)} (t = ${t}); the problem may be unresolved on this grid`,
          { t, h, err },
        );
      }
      failures = 0;
      this.accept(h, y, trial);
      pos += stepUnits;
      const tNew = pos >= unit ? t1 : t0 + (pos / unit) * interval;
      this.afterStep(tNew, h, y);
      onStep?.(tNew, y);
      // Grow when the error allows it and the position is aligned with the longer step. A new level costs a
      // new matrix (a factorisation ≈ ten banded steps), so when the error allows four times the step the
      // stepper stays on its level until it can jump two levels at once (at most three more steps) instead
      // of passing through the level between.
      const fac = err > 0 ? 0.9 * err ** (-1 / (p + 1)) : 8;
      if (fac >= 4 && level - 2 >= minLevel) {
        if (pos % (4 * stepUnits) === 0) level -= 2;
      } else if (fac >= 2 && level > minLevel && pos % (2 * stepUnits) === 0) level--;
      else if (fac < 0.6 && level < maxLevel) level++;
    }
    this.level = level;
    return t1;
  }

  /** y ← trial after an accepted step of size h; the old y is kept for the next step's initial guess. */
  private accept(h: number, y: Float64Array, trial: Float64Array): void {
    this.prev.set(y);
    this.prevH = h;
    y.set(trial);
  }

  /** A step of the configured scheme, with the backward-Euler fallback for negative TR-BDF2 results. */
  private takeStep(t: number, h: number, y: Float64Array, out: Float64Array, withError: boolean): number {
    if (this.opts.scheme === 'backward-euler') return this.stepBe(t, h, y, out, withError);
    const err = this.stepTrbdf2(t, h, y, out, withError);
    const [lo, hi] = this.range(out, t + h);
    if (this.mMatrix && lo < -this.opts.negativeTol * Math.max(hi, 0)) {
      this.stats.beFallbacks++;
      return this.stepBe(t, h, y, out, withError) * (withError ? 1 : 0);
    }
    return err;
  }

  /** The rung the current step has needed so far (StepperStats.rungSteps), and whether it was a fallback. */
  private stepRung: Rung | null = null;
  private stepFellBack = false;

  /** Counts the solve's ladder rung; a fallback marks the step under way. */
  private noteRung(info: SolveInfo): void {
    const r = info.rung;
    if (!r) return;
    const st = this.stats;
    st.rungSolves[r] = (st.rungSolves[r] ?? 0) + 1;
    if (info.fallback) {
      st.fallbacks++;
      this.stepRung = r;
      this.stepFellBack = true;
    } else if (!this.stepFellBack) this.stepRung = r;
  }

  /** Counts the accepted step (number stats.steps, reaching t) under the rung it needed. */
  private countStepRung(t: number): void {
    const r = this.stepRung;
    if (!r) return;
    const st = this.stats;
    st.rungSteps[r] = (st.rungSteps[r] ?? 0) + 1;
    if (this.stepFellBack && st.fallbackSteps.length < FALLBACK_STEPS_KEPT) st.fallbackSteps.push({ step: st.steps, t, rung: r });
    this.stepRung = null;
    this.stepFellBack = false;
  }

  /** ‖ρ‖₁,M at the first step: the exact problem is an L1 contraction, so growth means instability. */
  private l1Start = NaN;

  private afterStep(t: number, h: number, y: Float64Array): void {
    const [lo, , l1, mass] = this.range(y, t);
    if (Number.isNaN(this.l1Start)) this.l1Start = Math.max(l1, Math.abs(mass));
    this.stats.l1GrowthMax = Math.max(this.stats.l1GrowthMax, l1 / this.l1Start);
    if (this.opts.l1Guard !== false && l1 > 1.5 * this.l1Start) {
      throw new NumericalError(
        `the discrete operator is unstable: ‖ρ‖₁ grew from ${this.l1Start.toPrecision(4)} to ${l1.toPrecision(4)} by t = ${t.toPrecision(4)} (the Fokker–Planck equation contracts it)`,
        { kind: 'unstable', t, l1, l1Start: this.l1Start },
      );
    }
    this.stats.steps++;
    this.countStepRung(t);
    this.stats.minDensity = Math.min(this.stats.minDensity, lo);
    this.stats.dtMinUsed = Math.min(this.stats.dtMinUsed, h);
    this.stats.dtMaxUsed = Math.max(this.stats.dtMaxUsed, h);
  }
}

function hasMMatrixPattern(K: Csr): boolean {
  for (let r = 0; r < K.n; r++)
    for (let k = K.rowPtr[r]; k < K.rowPtr[r + 1]; k++) if (K.colIdx[k] !== r && K.values[k] < 0) return false;
  return true;
}
