/**
 * One entry point for the time stepper: `makeSolver(A, opts)` prepares a
 * solver for A (factorisation or preconditioner) that is reused for many
 * right-hand sides, and `refresh(A')` rebuilds it cheaply for a matrix with
 * the same pattern (a new dt in A = M − c·dt·K).
 *
 * Methods: 'banded' (direct banded LU, grid band ordering), 'ilu-bicgstab',
 * 'mg-bicgstab' and 'mg-gmres' (geometric multigrid V-cycle as right
 * preconditioner; 'mg-bicgstab' first iterates the cycle itself while it
 * contracts well, see `stationaryFactor`), 'dense' (small n). The Krylov
 * recurrences of the multigrid methods use the structured fine-level
 * kernels for their products; every solve's final true residual is the CSR one.
 * 'auto': dense for n ≤ 200; banded for a 2D structure whose fast (band) axis
 * has ≤ 128 cells and whose band storage fits in 1 GiB; multigrid BiCGSTAB for
 * other structured grids; ILU(0) BiCGSTAB without structure.
 *
 * Every method is the first rung of a solver ladder (linalg/ladder.ts, `rungPlan`): when it fails
 * (diverges, stalls, misses the tolerance, hits a zero pivot) the same solve is retried with
 * preconditioned GMRES and then a banded LU where it fits; each SolveInfo names the rung used.
 */
import { InputError, NumericalError } from '../util/errors.js';
import { BandedSolver, bandOrdering, bandwidth } from './banded-lu.js';
import { DenseLu } from './dense-lu.js';
import { Ilu0 } from './ilu0.js';
import { BiCgStab, type GiveUpRule, Gmres } from './krylov.js';
import { type RungSpec, SolverLadder } from './ladder.js';
import { Multigrid, type MultigridOptions } from './multigrid.js';
import type { Csr, GridStructure, LinearSolver, Rung, SolveInfo } from './types.js';

export type SolverMethod = 'auto' | 'banded' | 'ilu-bicgstab' | 'mg-bicgstab' | 'mg-gmres' | 'dense';
export type ConcreteMethod = Exclude<SolverMethod, 'auto'>;

export interface SolverOptions {
  method?: SolverMethod;
  /** Relative true-residual tolerance (default 1e-10). */
  tol?: number;
  /** Krylov iteration cap (default 500). */
  maxIter?: number;
  structure?: GridStructure;
  /** Axis placed fastest in the banded ordering (default: the shortest axis). */
  bandOrderAxis?: number;
  /** GMRES restart length (default 30). */
  restart?: number;
  multigrid?: MultigridOptions;
  /**
   * 'mg-bicgstab': multigrid cycles x += M⁻¹(b − Ax) run first while each reduces the residual by
   * this factor, BiCGSTAB takes over at the first that does not (KrylovOptions.stationaryFactor;
   * default 0.15; 0 = BiCGSTAB from the start). Iterations then count cycles plus BiCGSTAB
   * iterations (two cycles each).
   */
  stationaryFactor?: number;
  /** Fall back to further rungs when the method's own solver fails (default true; see linalg/ladder.ts). */
  ladder?: boolean;
}

/** A prepared solver that can be refreshed for new values on the same sparsity pattern. */
export interface RefreshableSolver extends LinearSolver {
  readonly method: ConcreteMethod;
  /** Seconds spent in the last setup or refresh. */
  readonly setupSeconds: number;
  refresh(A: Csr): void;
}

const BANDED_AUTO_MAX_FAST = 128;
/**
 * Contraction per multigrid cycle below which 'mg-bicgstab' keeps iterating the cycle before
 * BiCGSTAB. Measured: 256² valley (BE dt 0.01) a V(1,2) cycle contracts by 0.03–0.09, 8.35
 * cycles per step (the last one stops after its pre-smoothing) against 4.05 BiCGSTAB iterations
 * (8.1 cycles plus products and vector work): 10 % less time per step; 64³ TR-BDF2: 6 %. At 0.3
 * the 3D valley 32³ spent 14 iterations where BiCGSTAB needs 10 cycles; 0.15 gives 6.
 */
const MG_STATIONARY_FACTOR = 0.15;
const BANDED_AUTO_MAX_BYTES = 1024 ** 3;

/** The method 'auto' resolves to for this matrix and options. */
export function chooseMethod(A: Csr, opts: SolverOptions = {}): ConcreteMethod {
  const m = opts.method ?? 'auto';
  if (m !== 'auto') return m;
  if (A.n <= 200) return 'dense';
  const s = opts.structure;
  if (!s) return 'ilu-bicgstab';
  if (s.shape.length === 2) {
    const fast = opts.bandOrderAxis ?? (s.shape[0] <= s.shape[1] ? 0 : 1);
    if (s.shape[fast] <= BANDED_AUTO_MAX_FAST) {
      const { lower, upper } = bandwidth(A, bandOrdering(s, fast));
      if (A.n * (lower + upper + 1) * 8 <= BANDED_AUTO_MAX_BYTES) return 'banded';
    }
  }
  return 'mg-bicgstab';
}

function validate(A: Csr, opts: SolverOptions): void {
  const methods: SolverMethod[] = ['auto', 'banded', 'ilu-bicgstab', 'mg-bicgstab', 'mg-gmres', 'dense'];
  if (opts.method !== undefined && !methods.includes(opts.method)) throw new InputError('method', `unknown solver method ${JSON.stringify(opts.method)}; use one of ${methods.join(', ')}`);
  if (opts.tol !== undefined && !(opts.tol > 0 && opts.tol < 1)) throw new InputError('tol', `${opts.tol} must lie in (0, 1)`);
  if (opts.maxIter !== undefined && !(Number.isInteger(opts.maxIter) && opts.maxIter >= 1)) throw new InputError('maxIter', `${opts.maxIter} must be a positive integer`);
  if (opts.restart !== undefined && !(Number.isInteger(opts.restart) && opts.restart >= 1)) throw new InputError('restart', `${opts.restart} must be a positive integer`);
  const s = opts.structure;
  if (s) {
    if (!Array.isArray(s.shape) || s.shape.some((v) => !(Number.isInteger(v) && v >= 1))) throw new InputError('structure.shape', `${JSON.stringify(s.shape)} must be positive integers`);
    const prod = s.shape.reduce((a, b) => a * b, 1);
    if (prod !== A.n) throw new InputError('structure.shape', `${JSON.stringify(s.shape)} holds ${prod} cells but the matrix has order ${A.n}`);
    if (s.periodic.length !== s.shape.length) throw new InputError('structure.periodic', `has ${s.periodic.length} flags for ${s.shape.length} axes; give one per axis`);
  }
  if (opts.bandOrderAxis !== undefined && (!s || !(Number.isInteger(opts.bandOrderAxis) && opts.bandOrderAxis >= 0 && opts.bandOrderAxis < s.shape.length))) {
    throw new InputError('bandOrderAxis', `${opts.bandOrderAxis} is not an axis of the given structure; give 0..${s ? s.shape.length - 1 : '(no structure given)'}`);
  }
}

function needStructure(method: ConcreteMethod, opts: SolverOptions): GridStructure {
  if (!opts.structure) throw new InputError('structure', `method '${method}' needs the grid structure (shape and periodic flags)`);
  return opts.structure;
}

/** Prepares a solver for A; see the module comment for the methods. */
export function makeSolver(A: Csr, opts: SolverOptions = {}): RefreshableSolver {
  validate(A, opts);
  const method = chooseMethod(A, opts);
  if (method === 'mg-bicgstab' || method === 'mg-gmres') needStructure(method, opts);
  const t0 = performance.now();
  const shared = new SharedPreconditioners(opts);
  const specs = rungPlan(method, opts, shared);
  const exact = method === 'dense' || method === 'banded';
  if (opts.ladder === false) {
    const only = specs[0].build(A, true);
    return wrap(method, only, (B) => {
      shared.refresh(B);
      specs[0].refresh(only, B);
    }, t0, exact, only.dispose?.bind(only));
  }
  const ladder = new SolverLadder(A, specs);
  return wrap(method, ladder, (B) => {
    shared.refresh(B);
    ladder.refresh(B);
  }, t0, exact, () => ladder.dispose());
}

/** Krylov rungs above the last give up early (divergence, stagnation) so that the next rung gets its turn. */
const LADDER_GIVE_UP: GiveUpRule = { growth: 1e6, window: 60 };

/**
 * The rungs for a method (linalg/ladder.ts): its own solver first, then the fallbacks. Multigrid methods:
 * mg (as before, with the give-up rule), GMRES with the same cycle, GMRES with ILU(0), banded LU if it fits.
 * ILU methods: ILU(0) BiCGSTAB, ILU(0) GMRES, banded LU (with a structure). Direct methods: the
 * factorisation, then ILU(0) GMRES (a zero pivot). One multigrid hierarchy and one ILU(0) serve every rung.
 */
function rungPlan(method: ConcreteMethod, opts: SolverOptions, shared: SharedPreconditioners): RungSpec[] {
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 500;
  const { restart } = opts;
  const kry = (rung: Rung, make: (A: Csr, giveUp: GiveUpRule | undefined) => BiCgStab | Gmres, pre: 'mg' | 'ilu'): RungSpec => ({
    rung,
    build: (A, last) => make(A, last ? undefined : LADDER_GIVE_UP),
    refresh: (s, A) => {
      shared.check(pre);
      (s as BiCgStab | Gmres).setMatrix(A);
    },
  });
  const gmresIlu = kry('krylov', (A, giveUp) => new Gmres(A, { tol, maxIter, restart, preconditioner: shared.ilu(A), giveUp }), 'ilu');
  const banded: RungSpec = {
    rung: 'direct',
    build: (A) => new BandedSolver(A, { perm: opts.structure ? bandOrdering(opts.structure, opts.bandOrderAxis) : null, tol, maxBytes: BANDED_AUTO_MAX_BYTES }),
    refresh: (s, A) => (s as BandedSolver).refresh(A),
  };
  const mgOpts = (A: Csr, giveUp: GiveUpRule | undefined) => ({ tol, maxIter, preconditioner: shared.mg(A), operator: shared.mg(A).operator, giveUp });
  const gmresMg = (rung: Rung) => kry(rung, (A, giveUp) => new Gmres(A, { ...mgOpts(A, giveUp), restart }), 'mg');
  const stationaryFactor = opts.stationaryFactor ?? MG_STATIONARY_FACTOR;
  switch (method) {
    case 'dense':
      return [{ rung: 'direct', build: (A) => new DenseLu(A, { tol }), refresh: (s, A) => (s as DenseLu).refresh(A) }, gmresIlu];
    case 'banded':
      return [banded, gmresIlu];
    case 'ilu-bicgstab':
      return [kry('krylov', (A, giveUp) => new BiCgStab(A, { tol, maxIter, preconditioner: shared.ilu(A), giveUp }), 'ilu'), gmresIlu, ...(opts.structure ? [banded] : [])];
    case 'mg-gmres':
      return [gmresMg('mg'), gmresIlu, banded];
    case 'mg-bicgstab':
      return [kry('mg', (A, giveUp) => new BiCgStab(A, { ...mgOpts(A, giveUp), stationaryFactor }), 'mg'), gmresMg('krylov'), gmresIlu, banded];
  }
}

/**
 * The multigrid hierarchy and the ILU(0) factorisation, each built once for the first rung that needs it
 * and refreshed once per new matrix (`refresh`, before the rungs are). A preconditioner whose refresh failed
 * (a zero pivot) makes the rungs that use it unusable for that matrix (`check` throws its error).
 */
class SharedPreconditioners {
  private mgInst: Multigrid | null = null;
  private iluInst: Ilu0 | null = null;
  private readonly failed: { mg: NumericalError | null; ilu: NumericalError | null } = { mg: null, ilu: null };
  constructor(private readonly opts: SolverOptions) {}

  mg(A: Csr): Multigrid {
    this.check('mg');
    this.mgInst ??= this.attempt('mg', () => new Multigrid(A, this.opts.structure!, this.opts.multigrid));
    return this.mgInst;
  }

  ilu(A: Csr): Ilu0 {
    this.check('ilu');
    this.iluInst ??= this.attempt('ilu', () => new Ilu0(A));
    return this.iluInst;
  }

  /** Builds a preconditioner, remembering a NumericalError (a zero pivot) so that no other rung tries again. */
  private attempt<T>(which: 'mg' | 'ilu', build: () => T): T {
    try {
      return build();
    } catch (e) {
      if (e instanceof NumericalError) this.failed[which] = e;
      throw e;
    }
  }

  /** Throws the error of the last failed build or refresh of `which`, if any. */
  check(which: 'mg' | 'ilu'): void {
    const e = this.failed[which];
    if (e) throw e;
  }

  /** Points the built preconditioners at A's values (one not built, or whose build failed, is built on next use). */
  refresh(A: Csr): void {
    for (const [which, inst] of [['mg', this.mgInst], ['ilu', this.iluInst]] as const) {
      this.failed[which] = null;
      if (!inst) continue;
      try {
        inst.refresh(A);
      } catch (e) {
        if (!(e instanceof NumericalError)) throw e;
        this.failed[which] = e;
      }
    }
  }
}

/**
 * `exact`: the refresh gives what a new solver for the matrix would (direct methods, whose ordering and band
 * follow the pattern); it is then also offered as LinearSolver.rebuild. Multigrid's refresh keeps the
 * coarsening chosen from the first matrix's values, so it is not offered there.
 */
function wrap(method: ConcreteMethod, inner: LinearSolver, refresh: (A: Csr) => void, t0: number, exact = false, dispose?: () => void): RefreshableSolver {
  let setupSeconds = (performance.now() - t0) / 1000;
  const doRefresh = (A: Csr): void => {
    const t = performance.now();
    refresh(A);
    setupSeconds = (performance.now() - t) / 1000;
  };
  return {
    name: `${method}:${inner.name}`,
    method,
    get setupSeconds() {
      return setupSeconds;
    },
    iterative: inner.iterative === true,
    solve(b: Float64Array, x: Float64Array, looseTol?: number): SolveInfo {
      return inner.solve(b, x, looseTol);
    },
    refresh: doRefresh,
    ...(exact ? { rebuild: doRefresh } : {}),
    ...(dispose ? { dispose } : {}),
  };
}
