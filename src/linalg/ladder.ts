/**
 * A solver ladder: one linear solver made of rungs tried in order until one reaches the tolerance.
 *
 *   mg      multigrid: the stationary cycle while it contracts, then BiCGSTAB preconditioned by it
 *           (the fast path; it gives up as soon as BiCGSTAB diverges or stalls, see GiveUpRule);
 *   krylov  GMRES(k) preconditioned by the same multigrid cycle, then by ILU(0) (Saad 2003, §9.3);
 *   direct  banded LU (no pivoting) where its band fits in memory.
 *
 * Each rung starts from the caller's initial guess (a failed rung's iterate is discarded). A rung that
 * failed for a matrix is skipped for later solves with that matrix (the ladder starts at the last rung
 * that succeeded) until `refresh` gives it new values. The first rung that can be built is built at once
 * (its setup is the solver's setup); the rungs below it on first use. Every rung but the last is built
 * with `last = false`, so an iterative one may give up early. If every rung fails, the first failure's
 * NumericalError is thrown with the others' reasons appended — never an answer that missed the tolerance.
 * Every SolveInfo names the rung that solved it and whether that was a fallback (not the first rung).
 */
import { InputError, NumericalError } from '../util/errors.js';
import type { Csr, LinearSolver, Rung, SolveInfo } from './types.js';

/** One rung: how to build its solver, and how to point a built one at new values of the matrix. */
export interface RungSpec {
  rung: Rung;
  /** `last`: no rung follows (an iterative solver should then use its whole budget). */
  build(A: Csr, last: boolean): LinearSolver;
  refresh(solver: LinearSolver, A: Csr): void;
}

interface Built {
  spec: RungSpec;
  solver: LinearSolver | null;
  /** Why the rung cannot serve the current matrix (it does not fit, a zero pivot): skipped until refresh. */
  unusable: string | null;
}

/** The failures a rung may report and the ladder steps past; anything else is a bug and propagates. */
function isRungFailure(e: unknown): e is NumericalError | InputError {
  return e instanceof NumericalError || e instanceof InputError;
}

export class SolverLadder implements LinearSolver {
  readonly name: string;
  readonly iterative: boolean;
  private A: Csr;
  private readonly rungs: Built[];
  private start = 0;
  private readonly guess: Float64Array;

  constructor(A: Csr, specs: RungSpec[]) {
    this.A = A;
    this.rungs = specs.map((spec) => ({ spec, solver: null, unusable: null }));
    while (this.start < this.rungs.length && !this.ready(this.start)) this.start++;
    if (this.start === this.rungs.length) {
      throw new NumericalError(`no rung of the solver ladder could be built: ${this.reasons().join('; ')}`, { rungs: this.reasons() });
    }
    const first = this.rungs[this.start].solver!;
    this.name = first.name;
    this.iterative = first.iterative === true;
    this.guess = new Float64Array(A.n);
  }

  /** The rungs in order (for reports and tests). */
  get rungNames(): Rung[] {
    return this.rungs.map((r) => r.spec.rung);
  }

  refresh(A: Csr): void {
    this.A = A;
    this.start = 0;
    for (const r of this.rungs) {
      r.unusable = null;
      if (!r.solver) continue;
      try {
        r.spec.refresh(r.solver, A);
      } catch (e) {
        if (!isRungFailure(e)) throw e;
        r.unusable = e.message;
      }
    }
  }

  dispose(): void {
    for (const r of this.rungs) r.solver?.dispose?.();
  }

  solve(b: Float64Array, x: Float64Array, looseTol?: number): SolveInfo {
    const single = this.rungs.length === 1;
    if (!single) this.guess.set(x);
    const failures: string[] = [];
    let firstError: NumericalError | null = null;
    for (let i = this.start; i < this.rungs.length; i++) {
      if (!this.ready(i)) continue;
      const r = this.rungs[i];
      if (failures.length > 0) x.set(this.guess);
      try {
        const info = r.solver!.solve(b, x, looseTol);
        this.start = i;
        return { ...info, rung: r.spec.rung, fallback: i > 0 };
      } catch (e) {
        if (!(e instanceof NumericalError) || single) throw e;
        firstError ??= e;
        failures.push(`${r.spec.rung} (${r.solver!.name}): ${e.message}`);
      }
    }
    x.set(this.guess);
    const others = [...failures.slice(firstError ? 1 : 0), ...this.reasons()];
    const head = firstError?.message ?? 'no rung of the solver ladder could be built for this matrix';
    throw new NumericalError(others.length ? `${head}; the other rungs failed too: ${others.join('; ')}` : head, { ...(firstError?.detail ?? {}), rungs: [...failures, ...this.reasons()] });
  }

  /** Whether rung i has a solver for the current matrix (built on first use); records why not. */
  private ready(i: number): boolean {
    const r = this.rungs[i];
    if (r.unusable !== null) return false;
    if (r.solver) return true;
    try {
      r.solver = r.spec.build(this.A, i === this.rungs.length - 1);
      return true;
    } catch (e) {
      if (!isRungFailure(e)) throw e;
      r.unusable = e.message;
      return false;
    }
  }

  /** Why the unusable rungs cannot serve the current matrix. */
  private reasons(): string[] {
    return this.rungs.filter((r) => r.unusable !== null).map((r) => `${r.spec.rung}: ${r.unusable}`);
  }
}
