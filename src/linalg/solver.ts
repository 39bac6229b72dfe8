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
 */
import { InputError } from '../util/errors.js';
import { BandedSolver, bandOrdering, bandwidth } from './banded-lu.js';
import { DenseLu } from './dense-lu.js';
import { Ilu0 } from './ilu0.js';
import { BiCgStab, Gmres } from './krylov.js';
import { Multigrid, type MultigridOptions } from './multigrid.js';
import type { Csr, GridStructure, LinearSolver, SolveInfo } from './types.js';

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
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 500;
  const t0 = performance.now();
  switch (method) {
    case 'dense': {
      const lu = new DenseLu(A, { tol });
      return wrap(method, lu, (B) => lu.refresh(B), t0, true);
    }
    case 'banded': {
      const perm = opts.structure ? bandOrdering(opts.structure, opts.bandOrderAxis) : null;
      const lu = new BandedSolver(A, { perm, tol });
      return wrap(method, lu, (B) => lu.refresh(B), t0, true, () => lu.dispose());
    }
    case 'ilu-bicgstab': {
      const ilu = new Ilu0(A);
      const k = new BiCgStab(A, { tol, maxIter, preconditioner: ilu });
      return wrap(method, k, (B) => {
        ilu.refresh(B);
        k.setMatrix(B);
      }, t0);
    }
    case 'mg-bicgstab':
    case 'mg-gmres': {
      const mg = new Multigrid(A, needStructure(method, opts), opts.multigrid);
      const operator = mg.operator;
      const k = method === 'mg-bicgstab' ? new BiCgStab(A, { tol, maxIter, preconditioner: mg, operator, stationaryFactor: opts.stationaryFactor ?? MG_STATIONARY_FACTOR }) : new Gmres(A, { tol, maxIter, preconditioner: mg, restart: opts.restart, operator });
      return wrap(method, k, (B) => {
        mg.refresh(B);
        k.setMatrix(B);
      }, t0);
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
