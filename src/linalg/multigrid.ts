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
 * aggregate (R = P_constᵀ, so 1ᵀR = 1ᵀ and mass is conserved by the coarse
 * correction). Coarse operator (Galerkin): A_c = R A P — a 3^d-point stencil
 * on coarse levels.
 *
 * Smoother: Gauss–Seidel, forward sweeps before the coarse correction and
 * backward sweeps after (the pair is a symmetric GS step; both flow
 * directions of a convection–diffusion operator are swept). Coarsest level:
 * banded LU (band ordering as in banded-lu.ts).
 *
 * All work arrays are allocated at setup; `apply` allocates nothing.
 */
import { InputError, NumericalError } from '../util/errors.js';
import { BandedSolver, bandOrdering } from './banded-lu.js';
import { diagonalPositions } from './csr.js';
import type { Preconditioner } from './krylov.js';
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
   * mass above `maxPositiveRatio`·a_ii in some row (convection-dominated
   * coarse grids), in which case that level and all coarser ones use
   * constant prolongation, whose Galerkin operators stay M-matrices.
   */
  interpolation?: 'auto' | 'linear' | 'constant';
  /** Threshold of the 'auto' rule (default 0.7, tuned on SG valley/tube/3D matrices with deep hierarchies). */
  maxPositiveRatio?: number;
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
  /** Right-hand side and iterate when this level is a coarse level. */
  b: Float64Array;
  x: Float64Array;
  /** Towards the next level: factors, and per axis 1D interpolation (c0, c1, w0, w1 interleaved: idx[2i], idx[2i+1]). */
  factors?: [number, number, number];
  pIdx?: [Int32Array, Int32Array, Int32Array];
  pW?: [Float64Array, Float64Array, Float64Array];
}

/** Geometric multigrid V-cycle preconditioner on a structured grid. */
export class Multigrid implements Preconditioner {
  readonly n: number;
  private readonly levels: Level[] = [];
  private direct!: BandedSolver;
  private readonly pre: number;
  private readonly post: number;
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
    let level = makeLevel(A, shape, periodic, true);
    this.levels.push(level);
    while (level.n > coarsestSize && this.levels.length < maxLevels) {
      const factors = chooseFactors(level, theta);
      if (factors[0] === 1 && factors[1] === 1 && factors[2] === 1) break;
      const cShape = [0, 1, 2].map((a) => Math.ceil(level.shape[a] / factors[a])) as [number, number, number];
      level.factors = factors;
      const setInterp = (lin: boolean): void => {
        const p = [0, 1, 2].map((a) => interp1d(level.shape[a], factors[a], level.periodic[a], lin));
        level.pIdx = p.map((q) => q.idx) as [Int32Array, Int32Array, Int32Array];
        level.pW = p.map((q) => q.w) as [Float64Array, Float64Array, Float64Array];
      };
      setInterp(linear);
      let Ac = galerkin(level, cShape);
      if (linear && mode === 'auto' && positiveOffDiagonalRatio(Ac) > maxPos) {
        linear = false;
        setInterp(false);
        Ac = galerkin(level, cShape);
      }
      const next = makeLevel(Ac, cShape, [...level.periodic] as [boolean, boolean, boolean], false);
      this.levels.push(next);
      level = next;
    }
    this.direct = this.makeDirect();
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  private makeDirect(): BandedSolver {
    const c = this.levels[this.levels.length - 1];
    const perm = bandOrdering({ shape: c.shape, periodic: c.periodic });
    return new BandedSolver(c.A, { perm, maxBytes: 512 * 1024 ** 2 });
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
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const c = this.levels[l + 1];
      galerkin(this.levels[l], c.shape, c.A);
      setDiagonal(c);
    }
    const c = this.levels[this.levels.length - 1];
    this.direct.refresh(c.A);
    this.setupSeconds = (performance.now() - t0) / 1000;
  }

  /** z = one V-cycle applied to r (zero initial guess). */
  apply(r: Float64Array, z: Float64Array): void {
    this.cycle(0, r, z);
  }

  private cycle(l: number, b: Float64Array, x: Float64Array): void {
    const L = this.levels[l];
    if (l === this.levels.length - 1) {
      this.direct.solveRaw(b, x);
      return;
    }
    const C = this.levels[l + 1];
    if (this.pre > 0) {
      gsForward(L, b, x, true);
      for (let s = 1; s < this.pre; s++) gsForward(L, b, x, false);
      // After a forward sweep, rows' lower parts are satisfied: r_i = −Σ_{j>i} a_ij (x_j − x_j^old);
      // with one sweep from x = 0 that is −Σ_{j>i} a_ij x_j (half a mat-vec).
      residualRestrict(L, b, x, C.b, C.shape, this.pre === 1);
    } else {
      x.fill(0);
      residualRestrict(L, b, x, C.b, C.shape, false);
    }
    this.cycle(l + 1, C.b, C.x);
    prolongAdd(L, C.x, x, C.shape);
    for (let s = 0; s < this.post; s++) gsBackward(L, b, x);
  }
}

function makeLevel(A: Csr, shape: [number, number, number], periodic: [boolean, boolean, boolean], finest: boolean): Level {
  const n = A.n;
  const level: Level = {
    shape,
    periodic,
    n,
    A,
    diagPos: diagonalPositions(A),
    invDiag: new Float64Array(n),
    b: finest ? new Float64Array(0) : new Float64Array(n),
    x: finest ? new Float64Array(0) : new Float64Array(n),
  };
  setDiagonal(level);
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
  for (let I2 = 0; I2 < c2; I2++) {
    const m2 = children(I2, f[2], L.shape[2], ch2);
    for (let I1 = 0; I1 < c1; I1++) {
      const m1 = children(I1, f[1], L.shape[1], ch1);
      for (let I0 = 0; I0 < c0; I0++) {
        const m0 = children(I0, f[0], L.shape[0], ch0);
        const I = I0 + c0 * (I1 + c1 * I2);
        let cnt = 0;
        // The diagonal is always part of the pattern.
        mark[I] = I;
        acc[I] = 0;
        list[cnt++] = I;
        for (let t2 = 0; t2 < m2; t2++) {
          for (let t1 = 0; t1 < m1; t1++) {
            for (let t0 = 0; t0 < m0; t0++) {
              const i = ch0[t0] + n0 * (ch1[t1] + n1 * ch2[t2]);
              for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
                const a = values[k];
                const j = colIdx[k];
                const j0 = j % n0;
                const u = (j - j0) / n0;
                const j1 = u % n1;
                const j2 = (u - j1) / n1;
                for (let s2 = 0; s2 < 2; s2++) {
                  const w2 = W2[2 * j2 + s2];
                  if (w2 === 0) continue;
                  const J2 = P2[2 * j2 + s2];
                  for (let s1 = 0; s1 < 2; s1++) {
                    const w1 = W1[2 * j1 + s1];
                    if (w1 === 0) continue;
                    const J1 = P1[2 * j1 + s1];
                    const a12 = a * w1 * w2;
                    const base = c0 * (J1 + c1 * J2);
                    for (let s0 = 0; s0 < 2; s0++) {
                      const w0 = W0[2 * j0 + s0];
                      if (w0 === 0) continue;
                      const J = P0[2 * j0 + s0] + base;
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
          }
        }
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
          if (nnz + cnt > outCol.length) {
            const cap = Math.max(2 * outCol.length, nnz + cnt);
            const nc2 = new Int32Array(cap);
            nc2.set(outCol);
            outCol = nc2;
            const nv2 = new Float64Array(cap);
            nv2.set(outVal);
            outVal = nv2;
          }
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

/** Forward Gauss–Seidel sweep x_i ← (b_i − Σ_{j≠i} a_ij x_j)/a_ii, i ascending; `zero` treats x as 0 on entry. */
function gsForward(L: Level, b: Float64Array, x: Float64Array, zero: boolean): void {
  const { rowPtr, colIdx, values } = L.A;
  const { diagPos, invDiag, n } = L;
  if (zero) {
    for (let i = 0; i < n; i++) {
      let s = b[i];
      const dp = diagPos[i];
      for (let k = rowPtr[i]; k < dp; k++) s -= values[k] * x[colIdx[k]];
      x[i] = s * invDiag[i];
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const dp = diagPos[i];
    for (let k = rowPtr[i]; k < dp; k++) s -= values[k] * x[colIdx[k]];
    const end = rowPtr[i + 1];
    for (let k = dp + 1; k < end; k++) s -= values[k] * x[colIdx[k]];
    x[i] = s * invDiag[i];
  }
}

/** Backward Gauss–Seidel sweep, i descending. */
function gsBackward(L: Level, b: Float64Array, x: Float64Array): void {
  const { rowPtr, colIdx, values } = L.A;
  const { diagPos, invDiag, n } = L;
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    const dp = diagPos[i];
    for (let k = rowPtr[i]; k < dp; k++) s -= values[k] * x[colIdx[k]];
    const end = rowPtr[i + 1];
    for (let k = dp + 1; k < end; k++) s -= values[k] * x[colIdx[k]];
    x[i] = s * invDiag[i];
  }
}

/**
 * bc = R (b − A x): the fine residual summed over each aggregate, without
 * storing it. `upperOnly`: x is the result of one forward Gauss–Seidel sweep
 * from 0, so r_i = −Σ_{j>i} a_ij x_j.
 */
function residualRestrict(L: Level, b: Float64Array, x: Float64Array, bc: Float64Array, cShape: [number, number, number], upperOnly: boolean): void {
  const [n0, n1, n2] = L.shape;
  const { rowPtr, colIdx, values } = L.A;
  const dPos = L.diagPos;
  const f = L.factors!;
  const s0 = f[0] === 2 ? 1 : 0;
  const s1 = f[1] === 2 ? 1 : 0;
  const s2 = f[2] === 2 ? 1 : 0;
  const [c0, c1] = cShape;
  bc.fill(0);
  let i = 0;
  for (let i2 = 0; i2 < n2; i2++) {
    const B2 = c1 * (i2 >> s2);
    for (let i1 = 0; i1 < n1; i1++) {
      const B1 = c0 * ((i1 >> s1) + B2);
      if (upperOnly) {
        for (let i0 = 0; i0 < n0; i0++, i++) {
          let s = 0;
          const end = rowPtr[i + 1];
          for (let k = dPos[i] + 1; k < end; k++) s -= values[k] * x[colIdx[k]];
          bc[B1 + (i0 >> s0)] += s;
        }
      } else {
        for (let i0 = 0; i0 < n0; i0++, i++) {
          let s = b[i];
          const end = rowPtr[i + 1];
          for (let k = rowPtr[i]; k < end; k++) s -= values[k] * x[colIdx[k]];
          bc[B1 + (i0 >> s0)] += s;
        }
      }
    }
  }
}

/** x += P xc (tensor-product linear interpolation). */
function prolongAdd(L: Level, xc: Float64Array, x: Float64Array, cShape: [number, number, number]): void {
  const [n0, n1, n2] = L.shape;
  const [P0, P1, P2] = L.pIdx!;
  const [W0, W1, W2] = L.pW!;
  const [c0, c1] = cShape;
  let i = 0;
  for (let i2 = 0; i2 < n2; i2++) {
    const a2 = c1 * P2[2 * i2];
    const b2 = c1 * P2[2 * i2 + 1];
    const u2 = W2[2 * i2];
    const v2 = W2[2 * i2 + 1];
    for (let i1 = 0; i1 < n1; i1++) {
      const u1 = W1[2 * i1];
      const v1 = W1[2 * i1 + 1];
      const r00 = c0 * (P1[2 * i1] + a2);
      const r10 = c0 * (P1[2 * i1 + 1] + a2);
      const r01 = c0 * (P1[2 * i1] + b2);
      const r11 = c0 * (P1[2 * i1 + 1] + b2);
      const w00 = u1 * u2;
      const w10 = v1 * u2;
      const w01 = u1 * v2;
      const w11 = v1 * v2;
      if (v2 === 0) {
        for (let i0 = 0; i0 < n0; i0++, i++) {
          const p = P0[2 * i0];
          const q = P0[2 * i0 + 1];
          const u0 = W0[2 * i0];
          const v0 = W0[2 * i0 + 1];
          x[i] += w00 * (u0 * xc[r00 + p] + v0 * xc[r00 + q]) + w10 * (u0 * xc[r10 + p] + v0 * xc[r10 + q]);
        }
      } else {
        for (let i0 = 0; i0 < n0; i0++, i++) {
          const p = P0[2 * i0];
          const q = P0[2 * i0 + 1];
          const u0 = W0[2 * i0];
          const v0 = W0[2 * i0 + 1];
          x[i] +=
            w00 * (u0 * xc[r00 + p] + v0 * xc[r00 + q]) +
            w10 * (u0 * xc[r10 + p] + v0 * xc[r10 + q]) +
            w01 * (u0 * xc[r01 + p] + v0 * xc[r01 + q]) +
            w11 * (u0 * xc[r11 + p] + v0 * xc[r11 + q]);
        }
      }
    }
  }
}
