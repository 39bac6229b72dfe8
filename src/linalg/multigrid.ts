/**
 * Geometric multigrid preconditioner for matrices of structured 1D/2D/3D
 * cell-centred grids (cell index i0 + n0·(i1 + n1·i2), axis 0 fastest; axes
 * may be periodic). One `apply` is one V-cycle with zero initial guess, a fixed
 * linear map, so it can precondition BiCGSTAB and (right) GMRES.
 *
 * Coarsening: by 2 along each axis whose coupling is strong (semi-coarsening):
 * with S_a = Σ |a_ij| over off-diagonal entries whose cells differ along axis
 * a only, axis a is coarsened when S_a ≥ θ·max_b S_b (θ = `semiCoarsenRatio`,
 * default 0.5) and it has ≥ 2 cells. Odd sizes leave a one-cell aggregate at
 * the end. Coarse cell I aggregates fine cells {2I, 2I+1} per coarsened axis.
 *
 * Transfers (Wesseling's cell-centred rule m_P + m_R > 2 is met: linear P,
 * constant R; on convection-dominated coarse levels P falls back to
 * constant, see `interpolation`): prolongation P is the tensor product of 1D linear
 * interpolation, fine cell 2I gets ¾ e_I + ¼ e_{I−1}, fine cell 2I+1 gets
 * ¾ e_I + ¼ e_{I+1} (wrapped on periodic axes, weight 1 to e_I at walls and
 * for one-cell aggregates); restriction R sums the fine residuals of an
 * aggregate (R = P_constᵀ, 1ᵀR = 1ᵀ). Coarse operator: Galerkin A_c = R A P,
 * a 3^d-point stencil, or (`coarseOperator`, the default) that product
 * collapsed onto the (2d+1)-point stencil, exact on linear errors
 * (`collapse`): the V-cycle's
 * time −24 % on the 256² valley (1.59 → 1.21 ms), −53 % per cycle on the
 * 64³ valley (27 → 7 entries a row on coarse levels). With Galerkin levels
 * the coarse correction conserves mass (1ᵀA_c = 1ᵀA P); collapsed rows keep
 * their sums but not their columns', so there only the converged solve does.
 * Cycle: V(1,2), the first coarse level visiting the second twice (`coarseCycles`).
 *
 * Smoother: Gauss–Seidel, forward sweeps before the coarse correction and
 * backward sweeps after (the pair is a symmetric GS step; both flow
 * directions of a convection–diffusion operator are swept). Coarsest level:
 * banded LU (band ordering as in banded-lu.ts).
 *
 * Kernels: every level keeps its matrix as CSR and as per-offset stencil
 * arrays for the interior cells (stencil.ts), so the sweeps and the residual
 * run without column-index loads; a level whose rows reach further runs its
 * CSR loops in WebAssembly (wasm-csr.ts). (Fusing the passes of a level line by line,
 * to keep lines in cache between them, was measured: within ±10 % noise at
 * 256², 1024², 1448² and 64³–128³ on 2 shared cores, so the passes run one
 * after the other.)
 *
 * All work arrays are allocated at setup; `apply` allocates nothing.
 */
import { InputError, NumericalError } from '../util/errors.js';
import { BandedSolver, bandOrdering } from './banded-lu.js';
import { diagonalPositions, fillProbe } from './csr.js';
import type { Preconditioner } from './krylov.js';
import { StencilMatrix } from './stencil.js';
import type { Csr, GridStructure } from './types.js';

export interface MultigridOptions {
  /** Forward Gauss–Seidel sweeps before the coarse correction (default 1). */
  preSmooth?: number;
  /** Backward Gauss–Seidel sweeps after it (default 2: V(1,2) gave the best contraction per cost on the SG valley matrices). */
  postSmooth?: number;
  /** Solve directly once a level has at most this many cells (default 1500). */
  coarsestSize?: number;
  /** Maximum number of levels (default 25). */
  maxLevels?: number;
  /** θ of the semi-coarsening rule; 0 coarsens every axis with ≥ 2 cells (default 0.5). */
  semiCoarsenRatio?: number;
  /**
   * Prolongation: 'linear', 'constant' (aggregation), or 'auto' (default):
   * linear unless the linear Galerkin operator has positive off-diagonal
   * mass above `maxPositiveRatio`·a_ii in some row, or Gauss–Seidel does not
   * converge on it (convection-dominated coarse grids), in which case that
   * level and all coarser ones use constant prolongation, whose Galerkin
   * operators stay M-matrices.
   */
  interpolation?: 'auto' | 'linear' | 'constant';
  /** Threshold of the 'auto' rule (default 0.7, tuned on SG valley/tube/3D matrices with deep hierarchies). */
  maxPositiveRatio?: number;
  /**
   * Coarse operators: 'collapsed' (default: R A P with every entry that couples cells differing along
   * k ≥ 2 axes moved onto the axis neighbours, exact for linear errors, see `collapse`; a (2d+1)-point
   * stencil on coarse levels even under cross terms) or 'galerkin' (R A P, a 3^d-point stencil). Solve
   * time collapsed against Galerkin: 256² valley ×0.86, 64³ ×0.61, scalar-net's stage matrices ×0.72
   * (small step, 4 cycles both) and ×0.82 (large step, 10 both), the 9-point tube 64 × 1024 ×0.96
   * (9 cycles for 7: the cross terms' coarse couplings are what collapsing loses).
   */
  coarseOperator?: 'galerkin' | 'collapsed';
  /**
   * Cycles the first coarse level runs on the second when that has at most ¼ of its cells (default 2;
   * 1: the plain V-cycle). On the 256² valley (levels 256², 256×128, 128×64, …) the second visit takes the
   * collapsed V-cycle from 9 to 7 cycles a solve for 5 % more work a cycle; a W-cycle on every coarse
   * level (visits 2, 4, 8, … down to the direct solve) took the same 7 cycles at 25 % more a cycle.
   * Time per solve against the V-cycle (cold start x = ρ, tol 1e-10): 256² ×0.83 (9 → 7 cycles), 512² ×0.76
   * (9 → 7), 1024² ×0.72 (9 → 6), 64³ ×1.04 (11 → 10).
   */
  coarseCycles?: number;
}

/** Summary of one level, for reports and tests. */
export interface LevelInfo {
  shape: number[];
  n: number;
  nnz: number;
  /** Coarsening factor per axis towards the next level (absent on the coarsest). */
  factors?: number[];
}

interface Level {
  shape: [number, number, number];
  periodic: [boolean, boolean, boolean];
  n: number;
  A: Csr;
  diagPos: Int32Array;
  invDiag: Float64Array;
  /** Structured kernels (smoothing, residual + restriction). */
  S: StencilMatrix;
  /** Right-hand side and iterate when this level is a coarse level. */
  b: Float64Array;
  x: Float64Array;
  /** Towards the next level: factors, and per axis 1D interpolation (c0, c1, w0, w1 interleaved: idx[2i], idx[2i+1]). */
  factors?: [number, number, number];
  pIdx?: [Int32Array, Int32Array, Int32Array];
  pW?: [Float64Array, Float64Array, Float64Array];
  /** The interpolation as line kernels. */
  prolong?: Prolongation;
  /** Collapsed coarse levels: the Galerkin product A is collapsed from (its pattern, values rewritten by refresh). */
  full?: Csr;
}

/** Geometric multigrid V-cycle preconditioner on a structured grid. */
export class Multigrid implements Preconditioner {
  readonly n: number;
  private readonly levels: Level[] = [];
  private direct!: BandedSolver;
  private readonly pre: number;
  private readonly post: number;
  private readonly coarseCycles: number;
  /** The fine level's right-hand side and iterate, copied in and out around a cycle (`bindVectors`). */
  private readonly fb: Float64Array;
  private readonly fx: Float64Array;
  /** Seconds spent in the last setup or refresh. */
  setupSeconds = 0;

  constructor(A: Csr, structure: GridStructure, opts: MultigridOptions = {}) {
    const t0 = performance.now();
    const d = structure.shape.length;
    if (d < 1 || d > 3) throw new InputError('structure.shape', `multigrid handles 1 to 3 axes, got ${d}; give the grid shape`);
    if (structure.periodic.length !== d) throw new InputError('structure.periodic', `has ${structure.periodic.length} flags for ${d} axes; give one per axis`);
    const nProd = structure.shape.reduce((a, b) => a * b, 1);
    if (nProd !== A.n) throw new InputError('structure.shape', `${JSON.stringify(structure.shape)} holds ${nProd} cells but the matrix has order ${A.n}`);
    this.n = A.n;
    this.pre = Math.max(0, Math.floor(opts.preSmooth ?? 1));
    this.post = Math.max(0, Math.floor(opts.postSmooth ?? 2));
    this.coarseCycles = Math.max(1, Math.floor(opts.coarseCycles ?? 2));
    const coarsestSize = Math.max(1, opts.coarsestSize ?? 1500);
    const maxLevels = Math.max(1, opts.maxLevels ?? 25);
    const theta = opts.semiCoarsenRatio ?? 0.5;
    const shape = [1, 1, 1] as [number, number, number];
    const periodic = [false, false, false] as [boolean, boolean, boolean];
    for (let a = 0; a < d; a++) {
      shape[a] = structure.shape[a];
      periodic[a] = structure.periodic[a] === true;
    }
    const mode = opts.interpolation ?? 'auto';
    const maxPos = opts.maxPositiveRatio ?? 0.7;
    let linear = mode !== 'constant';
    const collapsed = (opts.coarseOperator ?? 'collapsed') === 'collapsed';
    let level = makeLevel(A, shape, periodic, true);
    this.levels.push(level);
    while (level.n > coarsestSize && this.levels.length < maxLevels) {
      const factors = chooseFactors(level, theta);
      if (factors[0] === 1 && factors[1] === 1 && factors[2] === 1) break;
      const cShape = [0, 1, 2].map((a) => Math.ceil(level.shape[a] / factors[a])) as [number, number, number];
      level.factors = factors;
      const [next, stillLinear] = coarseLevel(level, factors, cShape, linear, mode === 'auto' ? maxPos : null, collapsed);
      linear = stillLinear;
      level.S.setRestriction(factors, cShape);
      this.levels.push(next);
      level = next;
    }
    this.direct = this.makeDirect();
    // Every level's sweeps and restriction run on arrays of its own, bound into its kernels (stencil.ts,
    // `bindVectors`): the coarse levels' b and x, and on the fine level copies of the caller's b and x.
    const many = this.levels.length > 1;
    this.fb = new Float64Array(many ? this.n : 0);
    this.fx = new Float64Array(many ? this.n : 0);
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const L = this.levels[l];
      L.S.bindVectors(l === 0 ? this.fb : L.b, l === 0 ? this.fx : L.x, this.levels[l + 1].b);
    }
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  private makeDirect(): BandedSolver {
    const c = this.levels[this.levels.length - 1];
    const perm = bandOrdering({ shape: c.shape, periodic: c.periodic });
    return new BandedSolver(c.A, { perm, maxBytes: 512 * 1024 ** 2 });
  }

  /** Products with the finest matrix by the structured kernels (for the Krylov recurrence). */
  get operator(): StencilMatrix {
    return this.levels[0].S;
  }

  /** Level summary (finest first). */
  describe(): LevelInfo[] {
    return this.levels.map((l) => ({ shape: [...l.shape], n: l.n, nnz: l.A.values.length, ...(l.factors ? { factors: [...l.factors] } : {}) }));
  }

  /** Recomputes the Galerkin operators and the coarse factorisation for new values of A on the same pattern (dt changed). */
  refresh(A: Csr): void {
    const t0 = performance.now();
    const f = this.levels[0];
    if (A.n !== f.n || A.values.length !== f.A.values.length) {
      throw new NumericalError('multigrid refresh: the matrix pattern differs from the one set up', { n: A.n, nnz: A.values.length });
    }
    f.A = A;
    setDiagonal(f);
    f.S.setMatrix(A);
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const c = this.levels[l + 1];
      if (c.full) collapse(galerkin(this.levels[l], c.shape, c.full), c.shape, c.periodic, c.A);
      else galerkin(this.levels[l], c.shape, c.A);
      setDiagonal(c);
      c.S.setMatrix(c.A);
    }
    const c = this.levels[this.levels.length - 1];
    this.direct.refresh(c.A);
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  /** z = one V-cycle applied to r (zero initial guess). */
  apply(r: Float64Array, z: Float64Array): void {
    if (this.levels.length === 1) {
      this.cycle(0, r, z);
      return;
    }
    this.fb.set(r);
    this.cycle(0, this.fb, this.fx);
    z.set(this.fx);
  }

  /**
   * One V-cycle for A x = b from the current x (x updated in place). The fine residual is
   * formed after the pre-smoothing anyway; its norm ρ = ‖b − A x‖ for that x is returned, and
   * if ρ ≤ `stop` the cycle ends there (x is then that pre-smoothed iterate, whose residual
   * is ρ). So an iteration x ← cycle(x) checks convergence without a residual pass of its own.
   */
  iterate(b: Float64Array, x: Float64Array, stop: number): number {
    const L = this.levels[0];
    if (this.levels.length === 1) {
      this.direct.solveRaw(b, x);
      return 0;
    }
    const C = this.levels[1];
    const S = L.S;
    const { fb, fx } = this;
    fb.set(b);
    fx.set(x);
    for (let s = 0; s < this.pre; s++) S.gsForward(fb, fx, false);
    const rho = Math.sqrt(S.residualRestrictNorm(fb, fx, C.b));
    if (rho > stop) {
      this.cycle(1, C.b, C.x);
      L.prolong!.add(C.x, fx, 0, S.lines);
      for (let s = 0; s < this.post; s++) S.gsBackward(fb, fx);
    }
    x.set(fx);
    return rho;
  }

  private cycle(l: number, b: Float64Array, x: Float64Array, zero = true): void {
    const L = this.levels[l];
    if (l === this.levels.length - 1) {
      this.direct.solveRaw(b, x);
      return;
    }
    const C = this.levels[l + 1];
    const S = L.S;
    if (this.pre > 0) {
      S.gsForward(b, x, zero);
      for (let s = 1; s < this.pre; s++) S.gsForward(b, x, false);
      // After a forward sweep, rows' lower parts are satisfied: r_i = −Σ_{j>i} a_ij (x_j − x_j^old);
      // with one sweep from x = 0 that is −Σ_{j>i} a_ij x_j (half a mat-vec).
      S.residualRestrict(b, x, C.b, zero && this.pre === 1);
    } else {
      if (zero) x.fill(0);
      S.residualRestrict(b, x, C.b, false);
    }
    this.cycle(l + 1, C.b, C.x);
    // The first coarse level takes `coarseCycles` cycles on the next when that has at most ¼ of its cells
    // (one, when the next is the coarsest: its direct solve is exact).
    const visits = l === 1 && 4 * C.n <= L.n && l + 2 < this.levels.length ? this.coarseCycles : 1;
    for (let g = 1; g < visits; g++) this.cycle(l + 1, C.b, C.x, false);
    L.prolong!.add(C.x, x, 0, S.lines);
    for (let s = 0; s < this.post; s++) S.gsBackward(b, x);
  }
}

/**
 * The next level below `level` (its transfers set on `level`) with linear or constant interpolation; `autoMaxPos`
 * (the 'auto' rule's threshold, null otherwise) turns linear into constant when the linear Galerkin operator has
 * positive off-diagonal mass above that share of a_ii or its Gauss–Seidel smoother does not converge. Returns the
 * level and whether it was built with linear interpolation (coarser levels follow a switch to constant).
 */
function coarseLevel(level: Level, factors: [number, number, number], cShape: [number, number, number], linear: boolean, autoMaxPos: number | null, collapsed: boolean): [Level, boolean] {
  const setInterp = (lin: boolean): void => {
    const p = [0, 1, 2].map((a) => interp1d(level.shape[a], factors[a], level.periodic[a], lin));
    level.pIdx = p.map((q) => q.idx) as [Int32Array, Int32Array, Int32Array];
    level.pW = p.map((q) => q.w) as [Float64Array, Float64Array, Float64Array];
    level.prolong = new Prolongation(level.shape, cShape, level.pIdx, level.pW, factors[0]);
  };
  const periodic = [...level.periodic] as [boolean, boolean, boolean];
  // The level's operator and, when collapsed, the Galerkin product it was collapsed from.
  const operator = (): [Csr, Csr | undefined] => {
    const G = galerkin(level, cShape);
    return collapsed ? [collapse(G, cShape, periodic), G] : [G, undefined];
  };
  const make = ([A, full]: [Csr, Csr | undefined]): Level => Object.assign(makeLevel(A, cShape, periodic, false), full ? { full } : {});
  setInterp(linear);
  const first = operator();
  if (!linear || autoMaxPos === null) return [make(first), linear];
  if (positiveOffDiagonalRatio(first[0]) <= autoMaxPos) {
    const next = make(first);
    if (smootherContracts(next)) return [next, true];
  }
  setInterp(false);
  return [make(operator()), false];
}

function makeLevel(A: Csr, shape: [number, number, number], periodic: [boolean, boolean, boolean], finest: boolean): Level {
  const n = A.n;
  const diagPos = diagonalPositions(A);
  const invDiag = new Float64Array(n);
  const level = {
    shape,
    periodic,
    n,
    A,
    diagPos,
    invDiag,
    b: finest ? new Float64Array(0) : new Float64Array(n),
    x: finest ? new Float64Array(0) : new Float64Array(n),
  } as Level;
  setDiagonal(level);
  level.S = new StencilMatrix(A, shape, diagPos, invDiag);
  return level;
}

function setDiagonal(L: Level): void {
  const v = L.A.values;
  for (let i = 0; i < L.n; i++) {
    const a = v[L.diagPos[i]];
    if (!(a !== 0 && Number.isFinite(a))) throw new NumericalError(`multigrid: zero or non-finite diagonal ${a} in row ${i} of a level with shape ${JSON.stringify(L.shape)}; Gauss–Seidel needs a nonzero diagonal`, { row: i, value: a, shape: L.shape });
    L.invDiag[i] = 1 / a;
  }
}

/** Per-axis factors (1 or 2) by the strength-of-coupling rule. */
function chooseFactors(L: Level, theta: number): [number, number, number] {
  const [n0, n1] = L.shape;
  const S = [0, 0, 0];
  const { rowPtr, colIdx, values } = L.A;
  for (let i = 0; i < L.n; i++) {
    const i0 = i % n0;
    const t = (i - i0) / n0;
    const i1 = t % n1;
    const i2 = (t - i1) / n1;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
      const j = colIdx[k];
      if (j === i) continue;
      const j0 = j % n0;
      const u = (j - j0) / n0;
      const j1 = u % n1;
      const j2 = (u - j1) / n1;
      const d0 = j0 !== i0 ? 1 : 0;
      const d1 = j1 !== i1 ? 1 : 0;
      const d2 = j2 !== i2 ? 1 : 0;
      if (d0 + d1 + d2 !== 1) continue;
      S[d0 ? 0 : d1 ? 1 : 2] += Math.abs(values[k]);
    }
  }
  let sMax = 0;
  for (let a = 0; a < 3; a++) if (L.shape[a] >= 2) sMax = Math.max(sMax, S[a]);
  const f: [number, number, number] = [1, 1, 1];
  for (let a = 0; a < 3; a++) if (L.shape[a] >= 2 && (sMax === 0 || S[a] >= theta * sMax)) f[a] = 2;
  return f;
}

/** Symmetric Gauss–Seidel sweeps of the smoother probe (`smootherContracts`); the growth is measured over the second half. */
const SMOOTHER_PROBE_SWEEPS = 8;

/**
 * Whether the level's smoother converges: power iteration on the error of x ← GS_backward(GS_forward(x)) with
 * b = 0 from a fixed pseudo-random start; ‖x‖ must shrink over the last half of SMOOTHER_PROBE_SWEEPS sweep pairs.
 * A linear-interpolation Galerkin operator can lose diagonal dominance without many positive off-diagonals
 * (hyperbola-iso at h = T/frames: a_ii fell to 1/8 of Σ_{j≠i}|a_ij|, Gauss–Seidel grew errors ×4.6 a sweep
 * pair, the V-cycle ×1.5e10 a cycle); the constant one keeps the M-matrix property. The sweeps run on the CSR
 * rows (the same iteration as the level's stencil kernels, whose code for a new level is not yet optimised).
 */
function smootherContracts(L: Level): boolean {
  const x = L.x;
  fillProbe(x, 0x9e3779b9);
  let half = 0;
  for (let k = 1; k <= SMOOTHER_PROBE_SWEEPS; k++) {
    gsSweepZeroRhs(L.A, L.invDiag, x, true);
    gsSweepZeroRhs(L.A, L.invDiag, x, false);
    if (2 * k === SMOOTHER_PROBE_SWEEPS) half = dotSelf(x);
  }
  const contracts = dotSelf(x) < half;
  x.fill(0);
  return contracts;
}

/** One Gauss–Seidel sweep for A x = 0 on CSR rows, ascending (`forward`) or descending: x_i −= (A x)_i / a_ii. */
function gsSweepZeroRhs(A: Csr, invDiag: Float64Array, x: Float64Array, forward: boolean): void {
  const { rowPtr, colIdx, values } = A;
  const n = A.n;
  for (let t = 0; t < n; t++) {
    const i = forward ? t : n - 1 - t;
    let r = 0;
    for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) r += values[k] * x[colIdx[k]];
    x[i] -= r * invDiag[i];
  }
}

function dotSelf(x: Float64Array): number {
  let q = 0;
  for (let i = 0; i < x.length; i++) q += x[i] * x[i];
  return q;
}

/** max_i Σ_{j≠i} max(a_ij, 0) / a_ii: how far a level is from an M-matrix (0 for one). */
function positiveOffDiagonalRatio(A: Csr): number {
  let worst = 0;
  for (let i = 0; i < A.n; i++) {
    let d = 0;
    let pos = 0;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      const v = A.values[k];
      if (A.colIdx[k] === i) d = v;
      else if (v > 0) pos += v;
    }
    if (!(d > 0)) return Infinity;
    worst = Math.max(worst, pos / d);
  }
  return worst;
}

/**
 * 1D interpolation from ceil(nf/f) coarse cells to nf fine cells: fine i ←
 * w[2i]·coarse idx[2i] + w[2i+1]·coarse idx[2i+1]; linear (¾, ¼) or
 * constant (1 to the parent).
 */
function interp1d(nf: number, f: number, periodic: boolean, linear: boolean): { idx: Int32Array; w: Float64Array } {
  const idx = new Int32Array(2 * nf);
  const w = new Float64Array(2 * nf);
  if (f === 1 || !linear) {
    for (let i = 0; i < nf; i++) {
      idx[2 * i] = idx[2 * i + 1] = f === 1 ? i : i >> 1;
      w[2 * i] = 1;
    }
    return { idx, w };
  }
  const nc = Math.ceil(nf / 2);
  for (let i = 0; i < nf; i++) {
    const I = i >> 1;
    idx[2 * i] = I;
    idx[2 * i + 1] = I;
    w[2 * i] = 1;
    const lone = nf % 2 === 1 && i === nf - 1;
    if (lone) continue;
    let J = (i & 1) === 0 ? I - 1 : I + 1;
    if (J < 0 || J >= nc) {
      if (!periodic) continue;
      J = (J + nc) % nc;
    }
    idx[2 * i + 1] = J;
    w[2 * i] = 0.75;
    w[2 * i + 1] = 0.25;
  }
  return { idx, w };
}

/**
 * Galerkin product A_c = R A P for the level's transfers. Without `target`
 * builds the pattern and values; with `target` (same pattern from an earlier
 * call) rewrites its values only.
 */
function galerkin(L: Level, cShape: [number, number, number], target?: Csr): Csr {
  const [n0, n1] = L.shape;
  const [c0, c1, c2] = cShape;
  const nc = c0 * c1 * c2;
  const f = L.factors!;
  const [P0, P1, P2] = L.pIdx!;
  const [W0, W1, W2] = L.pW!;
  const { rowPtr, colIdx, values } = L.A;
  const [X0, X1, X2] = coordinates(L.shape);
  const acc = new Float64Array(nc);
  const mark = new Int32Array(nc).fill(-1);
  const list = new Int32Array(nc);
  let outPtr: Int32Array;
  let outCol: Int32Array;
  let outVal: Float64Array;
  if (target) {
    if (target.n !== nc) throw new NumericalError('multigrid refresh: coarse order changed', { n: target.n, expected: nc });
    outPtr = target.rowPtr;
    outCol = target.colIdx;
    outVal = target.values;
  } else {
    outPtr = new Int32Array(nc + 1);
    outCol = new Int32Array(Math.max(16, nc * (cShape[2] > 1 ? 27 : cShape[1] > 1 ? 9 : 3)));
    outVal = new Float64Array(outCol.length);
  }
  let nnz = 0;
  const ch0 = [0, 0];
  const ch1 = [0, 0];
  const ch2 = [0, 0];
  const kids = new Int32Array(8);
  const T: RowTaps = { rowPtr, colIdx, values, X0, X1, X2, P0, P1, P2, W0, W1, W2, c0, c1, mark, acc, list };
  for (let I2 = 0; I2 < c2; I2++) {
    const m2 = children(I2, f[2], L.shape[2], ch2);
    for (let I1 = 0; I1 < c1; I1++) {
      const m1 = children(I1, f[1], L.shape[1], ch1);
      for (let I0 = 0; I0 < c0; I0++) {
        const m0 = children(I0, f[0], L.shape[0], ch0);
        const I = I0 + c0 * (I1 + c1 * I2);
        let nk = 0;
        for (let t2 = 0; t2 < m2; t2++) for (let t1 = 0; t1 < m1; t1++) for (let t0 = 0; t0 < m0; t0++) kids[nk++] = ch0[t0] + n0 * (ch1[t1] + n1 * ch2[t2]);
        const cnt = accumulateRow(T, I, kids, nk);
        if (target) {
          const start = outPtr[I];
          const end = outPtr[I + 1];
          if (end - start !== cnt) throw new NumericalError('multigrid refresh: coarse pattern changed (fine pattern differs from setup)', { row: I });
          for (let k = start; k < end; k++) {
            const J = outCol[k];
            if (mark[J] !== I) throw new NumericalError('multigrid refresh: coarse pattern changed (fine pattern differs from setup)', { row: I, col: J });
            outVal[k] = acc[J];
          }
        } else {
          // Sort the row's columns (insertion sort: rows hold ≤ 27 entries for nearest-neighbour stencils).
          for (let s = 1; s < cnt; s++) {
            const c = list[s];
            let t = s - 1;
            while (t >= 0 && list[t] > c) {
              list[t + 1] = list[t];
              t--;
            }
            list[t + 1] = c;
          }
          if (nnz + cnt > outCol.length) [outCol, outVal] = grown(outCol, outVal, nnz + cnt);
          for (let s = 0; s < cnt; s++) {
            outCol[nnz] = list[s];
            outVal[nnz++] = acc[list[s]];
          }
          outPtr[I + 1] = nnz;
        }
      }
    }
  }
  if (target) return target;
  return { n: nc, rowPtr: outPtr, colIdx: outCol.slice(0, nnz), values: outVal.slice(0, nnz) };
}

/** Offset of cell j from cell i along an axis of m cells, wrapped to the nearer image on a periodic axis. */
function axisOffset(d: number, m: number, periodic: boolean): number {
  return periodic && 2 * d > m ? d - m : periodic && 2 * d < -m ? d + m : d;
}

/**
 * The collapsed (non-Galerkin) coarse operator: each entry a_ij of G whose cells differ along k ≥ 2
 * axes (offset o = Σ_a o_a e_a) is moved onto the row's axis neighbours i + o_a e_a (+a_ij each) and
 * its diagonal (−(k−1)·a_ij), which leaves the row's action on every linear function unchanged
 * (e(i+o) = Σ_a e(i+o_a e_a) − (k−1) e(i) for linear e) and keeps an M-matrix one (a_ij ≤ 0 makes the
 * neighbours more negative and the diagonal larger, row sums unchanged). A stencil-collapsing rule in
 * the spirit of non-Galerkin coarse grids (Falgout & Schroder, SIAM J. Sci. Comput. 36 (2014) C309;
 * hypre's PFMG offers a non-Galerkin 5/7-point coarse operator for the same cost reason). Without
 * `target` builds the pattern; with it (same pattern) rewrites its values.
 */
export function collapse(G: Csr, shape: [number, number, number], periodic: [boolean, boolean, boolean], target?: Csr): Csr {
  const [n0, n1, n2] = shape;
  const n = G.n;
  const [X0, X1, X2] = coordinates(shape);
  const acc = new Float64Array(n);
  const mark = new Int32Array(n).fill(-1);
  const list = new Int32Array(n);
  const outPtr = target ? target.rowPtr : new Int32Array(n + 1);
  let outCol = target ? target.colIdx : new Int32Array(G.colIdx.length);
  let outVal = target ? target.values : new Float64Array(G.colIdx.length);
  const cell = (i: number, o0: number, o1: number, o2: number): number => {
    const j0 = (X0[i] + o0 + n0) % n0;
    const j1 = (X1[i] + o1 + n1) % n1;
    const j2 = (X2[i] + o2 + n2) % n2;
    return j0 + n0 * (j1 + n1 * j2);
  };
  let nnz = 0;
  for (let i = 0; i < n; i++) {
    let cnt = 0;
    const put = (j: number, a: number): void => {
      if (mark[j] !== i) {
        mark[j] = i;
        acc[j] = a;
        list[cnt++] = j;
      } else acc[j] += a;
    };
    put(i, 0);
    for (let k = G.rowPtr[i]; k < G.rowPtr[i + 1]; k++) {
      const j = G.colIdx[k];
      const a = G.values[k];
      const o0 = axisOffset(X0[j] - X0[i], n0, periodic[0]);
      const o1 = axisOffset(X1[j] - X1[i], n1, periodic[1]);
      const o2 = axisOffset(X2[j] - X2[i], n2, periodic[2]);
      const axes = (o0 !== 0 ? 1 : 0) + (o1 !== 0 ? 1 : 0) + (o2 !== 0 ? 1 : 0);
      if (axes < 2) {
        put(j, a);
        continue;
      }
      if (o0 !== 0) put(cell(i, o0, 0, 0), a);
      if (o1 !== 0) put(cell(i, 0, o1, 0), a);
      if (o2 !== 0) put(cell(i, 0, 0, o2), a);
      put(i, -(axes - 1) * a);
    }
    if (target) {
      const start = outPtr[i];
      if (outPtr[i + 1] - start !== cnt) throw new NumericalError('multigrid refresh: collapsed coarse pattern changed', { row: i });
      for (let k = start; k < outPtr[i + 1]; k++) outVal[k] = acc[outCol[k]];
      continue;
    }
    list.subarray(0, cnt).sort();
    if (nnz + cnt > outCol.length) [outCol, outVal] = grown(outCol, outVal, nnz + cnt);
    for (let s = 0; s < cnt; s++) {
      outCol[nnz] = list[s];
      outVal[nnz++] = acc[list[s]];
    }
    outPtr[i + 1] = nnz;
  }
  if (target) return target;
  return { n, rowPtr: outPtr, colIdx: outCol.slice(0, nnz), values: outVal.slice(0, nnz) };
}

/** Column and value arrays of a CSR being built, copied into arrays of at least `need` (and twice the old) entries. */
function grown(col: Int32Array, val: Float64Array, need: number): [Int32Array, Float64Array] {
  const cap = Math.max(2 * col.length, need);
  const c = new Int32Array(cap);
  c.set(col);
  const v = new Float64Array(cap);
  v.set(val);
  return [c, v];
}

/** Arrays of one Galerkin product (see `accumulateRow`). */
interface RowTaps {
  rowPtr: Int32Array;
  colIdx: Int32Array;
  values: Float64Array;
  X0: Int32Array;
  X1: Int32Array;
  X2: Int32Array;
  P0: Int32Array;
  P1: Int32Array;
  P2: Int32Array;
  W0: Float64Array;
  W1: Float64Array;
  W2: Float64Array;
  c0: number;
  c1: number;
  mark: Int32Array;
  acc: Float64Array;
  list: Int32Array;
}

/**
 * Row I of R A P: Σ over the fine children i of I of row i of A times P, accumulated in
 * acc[J] for the coarse columns J listed in list[0..cnt) (mark[J] = I); returns cnt. The
 * diagonal is always part of the pattern. (A function of its own: V8 optimises these loops
 * far better than nested inside the coarse-cell loops.)
 */
function accumulateRow(T: RowTaps, I: number, kids: Int32Array, nk: number): number {
  const { rowPtr, colIdx, values, X0, X1, X2, P0, P1, P2, W0, W1, W2, c0, c1, mark, acc, list } = T;
  let cnt = 0;
  mark[I] = I;
  acc[I] = 0;
  list[cnt++] = I;
  for (let t = 0; t < nk; t++) {
    const i = kids[t];
    const end = rowPtr[i + 1];
    for (let k = rowPtr[i]; k < end; k++) {
      const a = values[k];
      const j = colIdx[k];
      const j0 = 2 * X0[j];
      const j1 = 2 * X1[j];
      const j2 = 2 * X2[j];
      for (let s2 = 0; s2 < 2; s2++) {
        const w2 = W2[j2 + s2];
        if (w2 === 0) continue;
        const J2 = P2[j2 + s2];
        for (let s1 = 0; s1 < 2; s1++) {
          const w1 = W1[j1 + s1];
          if (w1 === 0) continue;
          const a12 = a * w1 * w2;
          const base = c0 * (P1[j1 + s1] + c1 * J2);
          for (let s0 = 0; s0 < 2; s0++) {
            const w0 = W0[j0 + s0];
            if (w0 === 0) continue;
            const J = P0[j0 + s0] + base;
            if (mark[J] !== I) {
              mark[J] = I;
              acc[J] = a12 * w0;
              list[cnt++] = J;
            } else acc[J] += a12 * w0;
          }
        }
      }
    }
  }
  return cnt;
}

/** Per-cell grid coordinates (i0, i1, i2) of a shape. */
function coordinates(shape: readonly [number, number, number]): [Int32Array, Int32Array, Int32Array] {
  const [n0, n1, n2] = shape;
  const n = n0 * n1 * n2;
  const X0 = new Int32Array(n);
  const X1 = new Int32Array(n);
  const X2 = new Int32Array(n);
  let c = 0;
  for (let i2 = 0; i2 < n2; i2++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i0 = 0; i0 < n0; i0++, c++) {
        X0[c] = i0;
        X1[c] = i1;
        X2[c] = i2;
      }
    }
  }
  return [X0, X1, X2];
}

/** Fine children of coarse index I along one axis; returns their count (1 or 2). */
function children(I: number, f: number, nf: number, out: number[]): number {
  if (f === 1) {
    out[0] = I;
    return 1;
  }
  out[0] = 2 * I;
  if (2 * I + 1 < nf) {
    out[1] = 2 * I + 1;
    return 2;
  }
  return 1;
}

// Line kernels of Prolongation, kept as separate functions: V8 optimises a loop better as the only
// loop of its function than nested in the line loop (see stencil.ts).
function blend1(t: Float64Array, n: number, xc: Float64Array, r0: number, w0: number): void {
  for (let I = 0; I < n; I++) t[I] = w0 * xc[r0 + I];
}
function blend2(t: Float64Array, n: number, xc: Float64Array, r0: number, w0: number, r1: number, w1: number): void {
  for (let I = 0; I < n; I++) t[I] = w0 * xc[r0 + I] + w1 * xc[r1 + I];
}
function blend4(t: Float64Array, n: number, xc: Float64Array, r0: number, w0: number, r1: number, w1: number, r2: number, w2: number, r3: number, w3: number): void {
  for (let I = 0; I < n; I++) t[I] = w0 * xc[r0 + I] + w1 * xc[r1 + I] + w2 * xc[r2 + I] + w3 * xc[r3 + I];
}
// Axis 0 not coarsened: the blend of coarse lines added straight into the fine line (one pass, no t).
function addBlend1(x: Float64Array, base: number, n: number, xc: Float64Array, r0: number, w0: number): void {
  for (let i = 0; i < n; i++) x[base + i] += w0 * xc[r0 + i];
}
function addBlend2(x: Float64Array, base: number, n: number, xc: Float64Array, r0: number, w0: number, r1: number, w1: number): void {
  for (let i = 0; i < n; i++) x[base + i] += w0 * xc[r0 + i] + w1 * xc[r1 + i];
}
function addBlend4(x: Float64Array, base: number, n: number, xc: Float64Array, r0: number, w0: number, r1: number, w1: number, r2: number, w2: number, r3: number, w3: number): void {
  for (let i = 0; i < n; i++) x[base + i] += w0 * xc[r0 + i] + w1 * xc[r1 + i] + w2 * xc[r2 + i] + w3 * xc[r3 + i];
}
/** x[base + i] += linear interpolation of t for i in [lo, hi) (lo even, hi even). */
function interpLinear(x: Float64Array, base: number, t: Float64Array, lo: number, hi: number): void {
  for (let i0 = lo; i0 < hi; i0 += 2) {
    const I = i0 >> 1;
    const m = 0.75 * t[I];
    x[base + i0] += m + 0.25 * t[I - 1];
    x[base + i0 + 1] += m + 0.25 * t[I + 1];
  }
}

/**
 * Fine range [lo, hi) of axis 0 where the 1D interpolation has the regular
 * pattern of its kind (linear factor 2: fine 2I ← ¾ I + ¼ (I−1), 2I+1 ←
 * ¾ I + ¼ (I+1); factor 1: identity), so `Prolongation` can use constant
 * weights there; kind 0 (irregular) uses the tables everywhere.
 */
function axis0Pattern(nf: number, f: number, idx: Int32Array, w: Float64Array): { kind: 0 | 1 | 2; lo: number; hi: number } {
  if (f === 1) return { kind: 2, lo: 0, hi: nf };
  let I = 1;
  for (; 2 * I + 1 < nf; I++) {
    const i = 2 * I;
    const ok =
      idx[2 * i] === I && idx[2 * i + 1] === I - 1 && w[2 * i] === 0.75 && w[2 * i + 1] === 0.25 &&
      idx[2 * i + 2] === I && idx[2 * i + 3] === I + 1 && w[2 * i + 2] === 0.75 && w[2 * i + 3] === 0.25;
    if (!ok) break;
  }
  return I > 1 ? { kind: 1, lo: 2, hi: 2 * I } : { kind: 0, lo: 0, hi: 0 };
}

/**
 * x += P xc (tensor-product interpolation): per fine line, the coarse lines
 * of axes 1 and 2 are first blended into one coarse line t, then t is
 * interpolated along axis 0.
 */
/**
 * x += P xc (tensor-product interpolation) for the fine lines in [la, lb): per fine line,
 * the coarse lines of axes 1 and 2 are first blended into one coarse line t (up to four
 * lines with weights precomputed per fine line), then t is interpolated along axis 0.
 */
class Prolongation {
  private readonly n0: number;
  private readonly c0: number;
  /** Per fine line: start of up to four coarse lines (−1: unused) and their weights. */
  private readonly rows: Int32Array;
  private readonly wts: Float64Array;
  private readonly P0: Int32Array;
  private readonly W0: Float64Array;
  private readonly kind: 0 | 1 | 2;
  private readonly lo: number;
  private readonly hi: number;
  private readonly t: Float64Array;

  constructor(shape: readonly [number, number, number], cShape: readonly [number, number, number], idx: Int32Array[], w: Float64Array[], factor0: number) {
    const [n0, n1, n2] = shape;
    const [c0, c1] = cShape;
    this.n0 = n0;
    this.c0 = c0;
    this.P0 = idx[0];
    this.W0 = w[0];
    ({ kind: this.kind, lo: this.lo, hi: this.hi } = axis0Pattern(n0, factor0, idx[0], w[0]));
    this.t = new Float64Array(c0);
    const lines = n1 * n2;
    this.rows = new Int32Array(4 * lines).fill(-1);
    this.wts = new Float64Array(4 * lines);
    for (let i2 = 0; i2 < n2; i2++) {
      for (let i1 = 0; i1 < n1; i1++) {
        const l = i1 + n1 * i2;
        let q = 0;
        for (let s2 = 0; s2 < 2; s2++) {
          const w2 = w[2][2 * i2 + s2];
          if (w2 === 0) continue;
          for (let s1 = 0; s1 < 2; s1++) {
            const w1 = w[1][2 * i1 + s1];
            if (w1 === 0) continue;
            this.rows[4 * l + q] = c0 * (idx[1][2 * i1 + s1] + c1 * idx[2][2 * i2 + s2]);
            this.wts[4 * l + q] = w1 * w2;
            q++;
          }
        }
      }
    }
  }

  add(xc: Float64Array, x: Float64Array, la: number, lb: number): void {
    const { n0, c0, rows, wts, P0, W0, kind, lo, hi, t } = this;
    if (kind === 2) {
      // Identity along axis 0 (lo = 0, hi = n0): blend and add in one pass.
      for (let l = la; l < lb; l++) {
        const base = n0 * l;
        const q = 4 * l;
        if (rows[q + 1] < 0) addBlend1(x, base, n0, xc, rows[q], wts[q]);
        else if (rows[q + 2] < 0) addBlend2(x, base, n0, xc, rows[q], wts[q], rows[q + 1], wts[q + 1]);
        else addBlend4(x, base, n0, xc, rows[q], wts[q], rows[q + 1], wts[q + 1], rows[q + 2], wts[q + 2], rows[q + 3], wts[q + 3]);
      }
      return;
    }
    for (let l = la; l < lb; l++) {
      const base = n0 * l;
      const q = 4 * l;
      if (rows[q + 1] < 0) blend1(t, c0, xc, rows[q], wts[q]);
      else if (rows[q + 2] < 0) blend2(t, c0, xc, rows[q], wts[q], rows[q + 1], wts[q + 1]);
      else blend4(t, c0, xc, rows[q], wts[q], rows[q + 1], wts[q + 1], rows[q + 2], wts[q + 2], rows[q + 3], wts[q + 3]);
      for (let i0 = 0; i0 < lo; i0++) x[base + i0] += W0[2 * i0] * t[P0[2 * i0]] + W0[2 * i0 + 1] * t[P0[2 * i0 + 1]];
      if (kind === 1) interpLinear(x, base, t, lo, hi);
      for (let i0 = hi; i0 < n0; i0++) x[base + i0] += W0[2 * i0] * t[P0[2 * i0]] + W0[2 * i0 + 1] * t[P0[2 * i0 + 1]];
    }
  }
}
