/**
 * Direct banded LU without pivoting, for matrices of structured grids.
 *
 * Ordering. With a permutation `perm` (perm[new] = old) the factorised matrix
 * is Â = A[perm, perm]. For a grid, `bandOrdering` puts a short axis fastest
 * and the longest axis slowest, so the bandwidth is about n_fast (2D) or
 * n_fast·n_mid (3D) plus one for cross (9/19/27-point) terms. A periodic slow
 * axis of N blocks is interleaved, blocks in the order 0, N−1, 1, N−2, …, so
 * the wrap-around coupling (0 ↔ N−1) sits two blocks apart like every other
 * coupling: the bandwidth doubles instead of becoming n.
 *
 * Storage. Row-wise band: entry (i, j), i − p ≤ j ≤ i + q, at
 * band[i·w + (j − i + p)] with w = p + q + 1. Factorisation (right-looking,
 * Doolittle, L unit lower stored in place): for each pivot k and each row
 * i ∈ (k, k+p], l_ik = a_ik/u_kk, a_i,(k,k+q] −= l_ik·a_k,(k,k+q] — contiguous
 * inner loops. Cost n·p·q multiply–adds; one solve costs n·(p+q).
 *
 * No pivoting: safe for column diagonally dominant matrices (M-matrices
 * A = M − c·dt·K); every pivot is checked against 1e-14 × the max-abs entry
 * of its (original) row, else NumericalError.
 */
import { InputError, NumericalError } from '../util/errors.js';
import { giveFloat64, takeFloat64 } from './buffer-pool.js';
import { directSolveWithCheck } from './dense-lu.js';
import type { Csr, GridStructure, LinearSolver, SolveInfo } from './types.js';

/**
 * Band-reducing permutation of a structured grid (index i0 + n0·(i1 + n1·i2),
 * axis 0 fastest). Returns perm[new] = old, or null when the natural order is
 * already the band order. `fastAxis` defaults to the shortest axis; the
 * slowest becomes the longest of the others; a periodic slow axis with ≥ 3
 * cells is interleaved (0, N−1, 1, N−2, …).
 */
export function bandOrdering(structure: GridStructure, fastAxis?: number): Int32Array | null {
  const shape = structure.shape;
  const d = shape.length;
  if (d === 0) return null;
  let fast = fastAxis ?? 0;
  if (fastAxis === undefined) for (let a = 1; a < d; a++) if (shape[a] < shape[fast]) fast = a;
  if (!(Number.isInteger(fast) && fast >= 0 && fast < d)) throw new InputError('bandOrderAxis', `axis ${fastAxis} does not exist on a ${d}-dimensional grid; give 0..${d - 1}`);
  const others: number[] = [];
  for (let a = 0; a < d; a++) if (a !== fast) others.push(a);
  // The slowest axis: the longest of the others (last one on ties).
  let slowPos = others.length - 1;
  for (let t = 0; t < others.length; t++) if (shape[others[t]] > shape[others[slowPos]]) slowPos = t;
  const slow = others.length > 0 ? others.splice(slowPos, 1)[0] : -1;
  const order = slow >= 0 ? [fast, ...others, slow] : [fast]; // new axis order, fastest first
  const interleave = slow >= 0 && structure.periodic[slow] === true && shape[slow] >= 3;
  let identity = !interleave;
  for (let t = 0; t < d; t++) if (order[t] !== t) identity = false;
  if (identity) return null;
  const n = shape.reduce((a, b) => a * b, 1);
  const stride = new Array<number>(d);
  stride[0] = 1;
  for (let a = 1; a < d; a++) stride[a] = stride[a - 1] * shape[a - 1];
  const perm = new Int32Array(n);
  const N = slow >= 0 ? shape[slow] : 1;
  const slowAt = (pos: number): number => (interleave ? (pos % 2 === 0 ? pos >> 1 : N - 1 - (pos >> 1)) : pos);
  const idx = new Array<number>(d).fill(0); // counters in new axis order
  for (let k = 0; k < n; k++) {
    let old = 0;
    for (let t = 0; t < d; t++) {
      const a = order[t];
      const v = a === slow ? slowAt(idx[t]) : idx[t];
      old += v * stride[a];
    }
    perm[k] = old;
    for (let t = 0; t < d; t++) {
      if (++idx[t] < shape[order[t]]) break;
      idx[t] = 0;
    }
  }
  return perm;
}

export interface BandedOptions {
  /** perm[new] = old (from bandOrdering); null/undefined for the natural order. */
  perm?: Int32Array | null;
  /** Relative true-residual tolerance checked after each solve (default 1e-10). */
  tol?: number;
  /** Refuse band storage larger than this many bytes (default 2 GiB). */
  maxBytes?: number;
}

/** Lower and upper bandwidth (p, q) of A[perm, perm]. */
export function bandwidth(A: Csr, perm?: Int32Array | null): { lower: number; upper: number } {
  const n = A.n;
  const iperm = inversePermutation(perm, n);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const old = perm ? perm[i] : i;
    for (let k = A.rowPtr[old]; k < A.rowPtr[old + 1]; k++) {
      const j = iperm ? iperm[A.colIdx[k]] : A.colIdx[k];
      if (i - j > p) p = i - j;
      if (j - i > q) q = j - i;
    }
  }
  return { lower: p, upper: q };
}

function inversePermutation(perm: Int32Array | null | undefined, n: number): Int32Array | null {
  if (!perm) return null;
  if (perm.length !== n) throw new InputError('perm', `permutation length ${perm.length} differs from the matrix order ${n}`);
  const iperm = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const o = perm[i];
    if (!(o >= 0 && o < n) || iperm[o] !== -1) throw new InputError(`perm[${i}]`, `${o} is not a permutation entry of 0..${n - 1}`);
    iperm[o] = i;
  }
  return iperm;
}

/** Banded LU solver: factorises once (constructor or refresh), then O(n·(p+q)) per solve. */
export class BandedSolver implements LinearSolver {
  readonly name = 'banded-lu';
  readonly n: number;
  readonly lower: number;
  readonly upper: number;
  /** Seconds spent in the last factorisation. */
  factorSeconds = 0;
  private A: Csr;
  private readonly tol: number;
  private readonly perm: Int32Array | null;
  private readonly iperm: Int32Array | null;
  private readonly w: number;
  private band: Float64Array;
  private disposed = false;
  private readonly invPiv: Float64Array;
  /**
   * The envelope (profile) of the band-ordered matrix, which LU without pivoting keeps: row i of L is zero
   * left of lFirst[i] (A's first entry in row i), row k of U is zero right of uLast[k] = max{j : top(j) ≤ k}
   * (top(j): A's first entry in column j). Loops stop there: with the upwind-biased flux along Γ
   * (hyperbola-label) the band is p = q = 2·n_across wide but rows reach that far on one side only, and the
   * factorisation does ≈ 70 %, a solve ≈ 75 % of the band's work. Skipped terms are exact zeros.
   */
  private readonly lFirst: Int32Array;
  private readonly uLast: Int32Array;
  private readonly lastAtTop: Int32Array;
  private readonly y: Float64Array;
  private readonly r: Float64Array;
  private readonly d: Float64Array;
  /** The four dot products of a block of rows (solveRaw). */
  private readonly acc = new Float64Array(4);

  constructor(A: Csr, opts: BandedOptions = {}) {
    this.n = A.n;
    this.A = A;
    this.tol = opts.tol ?? 1e-10;
    this.perm = opts.perm ?? null;
    this.iperm = inversePermutation(this.perm, A.n);
    const bw = bandwidth(A, this.perm);
    // The 4-pivot blocked kernel reads u(k, k+1..k+3): keep q ≥ 3 (and p ≥ 3 for symmetry of the guards).
    const lower = Math.min(Math.max(bw.lower, 3), Math.max(A.n - 1, 0));
    const upper = Math.min(Math.max(bw.upper, 3), Math.max(A.n - 1, 0));
    this.lower = lower;
    this.upper = upper;
    this.w = lower + upper + 1;
    const bytes = A.n * this.w * 8;
    const maxBytes = opts.maxBytes ?? 2 * 1024 ** 3;
    if (bytes > maxBytes) {
      throw new InputError('method', `banded LU needs ${(bytes / 1024 ** 2).toFixed(0)} MiB of band storage (n ${A.n}, bandwidth ${lower}+${upper}), over the ${(maxBytes / 1024 ** 2).toFixed(0)} MiB limit; use a multigrid or ILU method`);
    }
    this.band = takeFloat64(A.n * this.w);
    this.invPiv = new Float64Array(A.n);
    this.lFirst = new Int32Array(A.n);
    this.uLast = new Int32Array(A.n);
    this.lastAtTop = new Int32Array(A.n);
    this.y = new Float64Array(A.n);
    this.r = new Float64Array(A.n);
    this.d = new Float64Array(A.n);
    this.refresh(A);
  }

  /** Refactorises for a matrix with the same pattern (new values, e.g. a new dt). */
  refresh(A: Csr): void {
    this.assertLive();
    if (A.n !== this.n) throw new NumericalError(`banded LU refresh: order ${A.n} differs from ${this.n}`, { n: A.n });
    const t0 = performance.now();
    this.A = A;
    const { n, w, band, perm, iperm, invPiv } = this;
    const p = this.lower;
    const q = this.upper;
    band.fill(0);
    const scale = this.r; // row scales, reused scratch
    // Envelope from the pattern (stored entries, whatever their value): lFirst per row; top per column in
    // uLast's storage, turned into uLast below.
    const { lFirst, uLast } = this;
    for (let j = 0; j < n; j++) uLast[j] = j;
    for (let i = 0; i < n; i++) {
      const old = perm ? perm[i] : i;
      let s = 0;
      let first = i;
      for (let k = A.rowPtr[old]; k < A.rowPtr[old + 1]; k++) {
        const j = iperm ? iperm[A.colIdx[k]] : A.colIdx[k];
        if (j < first) first = j;
        if (i < uLast[j]) uLast[j] = i;
        const off = j - i + p;
        if (off < 0 || off >= w) throw new NumericalError('banded LU refresh: matrix pattern is wider than the band factorised at setup', { row: old, col: A.colIdx[k] });
        const v = A.values[k];
        if (!Number.isFinite(v)) throw new NumericalError(`banded LU: non-finite matrix entry ${v} in row ${old}`, { row: old, col: A.colIdx[k], value: v });
        band[i * w + off] += v;
        const a = Math.abs(v);
        if (a > s) s = a;
      }
      scale[i] = s;
      lFirst[i] = first;
    }
    // uLast[k] = max{j : top(j) ≤ k} (top is not monotone): the last column whose top is t, then a running max.
    const lastAtTop = this.lastAtTop;
    lastAtTop.fill(-1);
    for (let j = 0; j < n; j++) if (j > lastAtTop[uLast[j]]) lastAtTop[uLast[j]] = j;
    for (let k = 0, m = 0; k < n; k++) {
      if (lastAtTop[k] > m) m = lastAtTop[k];
      uLast[k] = m > k ? m : k;
    }
    factorBand(band, n, w, p, q, invPiv, scale, perm, uLast);
    this.factorSeconds = (performance.now() - t0) / 1000;
  }

  /**
   * x = A⁻¹ b by the stored factors, with no residual check (b and x may alias). Both sweeps take four rows
   * at a time: the columns all four rows hold are read once for the four dot products (two partial sums
   * each), then the 4×4 triangle between them is finished row by row. 512×64 tube (p = q = 128): 15–16 ms
   * a solve one row at a time, 8.0–8.4 ms this way.
   */
  solveRaw(b: Float64Array, x: Float64Array): void {
    this.assertLive();
    const { n, w, band, perm, invPiv, y, lFirst, uLast } = this;
    const p = this.lower;
    const q = this.upper;
    if (perm) for (let i = 0; i < n; i++) y[i] = b[perm[i]];
    else y.set(b);
    // Forward (unit lower): rows r..r+3, row i's band starts at column i − p; (i, j) at i·w − i + p + j.
    let r = 0;
    for (; r + 3 < n; r += 4) {
      const b0 = r * w - r + p;
      const b1 = b0 + w - 1;
      const b2 = b1 + w - 1;
      const b3 = b2 + w - 1;
      const jAll = Math.max(0, r + 3 - p); // from here on all four rows hold the column
      // Left of the envelope of rows r..r+3 L is zero: start there, at the parity the full sweep pairs
      // columns with (so the sums are the full sweep's, bit for bit).
      let f = lFirst[r];
      if (lFirst[r + 1] < f) f = lFirst[r + 1];
      if (lFirst[r + 2] < f) f = lFirst[r + 2];
      if (lFirst[r + 3] < f) f = lFirst[r + 3];
      const jFrom = Math.max(0, r - p);
      const jDots = f > jAll ? jAll + ((f - jAll) & ~1) : jAll;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let j = Math.max(jFrom, f); j < jAll && j < r; j++) {
        const yj = y[j];
        s0 += band[b0 + j] * yj;
        if (j >= r + 1 - p) s1 += band[b1 + j] * yj;
        if (j >= r + 2 - p) s2 += band[b2 + j] * yj;
      }
      const acc = this.acc;
      acc.fill(0);
      dots4(band, y, b0, b1, b2, b3, jDots, r, acc);
      s0 += acc[0];
      s1 += acc[1];
      s2 += acc[2];
      s3 += acc[3];
      // The triangle (p ≥ 3, so rows r+1..r+3 hold columns r..r+2).
      const y0 = y[r] - s0;
      const y1 = y[r + 1] - s1 - band[b1 + r] * y0;
      const y2 = y[r + 2] - s2 - band[b2 + r] * y0 - band[b2 + r + 1] * y1;
      y[r + 3] = y[r + 3] - s3 - band[b3 + r] * y0 - band[b3 + r + 1] * y1 - band[b3 + r + 2] * y2;
      y[r] = y0;
      y[r + 1] = y1;
      y[r + 2] = y2;
    }
    for (; r < n; r++) {
      const base = r * w - r + p;
      let s0 = 0;
      for (let j = Math.max(0, r - p); j < r; j++) s0 += band[base + j] * y[j];
      y[r] -= s0;
    }
    // Backward (upper with the pivots): rows r, r−1, r−2, r−3; row i's band ends at column i + q.
    r = n - 1;
    for (; r >= 3; r -= 4) {
      const b0 = r * w - r + p;
      const b1 = b0 - w + 1;
      const b2 = b1 - w + 1;
      const b3 = b2 - w + 1;
      // Right of uLast[r] (≥ uLast of rows r−1..r−3) U is zero.
      const uEnd = uLast[r];
      const jAll = Math.min(n - 1, r - 3 + q, uEnd); // up to here all four rows hold the column
      const acc = this.acc;
      acc.fill(0);
      dots4(band, y, b0, b1, b2, b3, r + 1, jAll + 1, acc);
      let s0 = acc[0];
      let s1 = acc[1];
      let s2 = acc[2];
      const s3 = acc[3];
      const jEnd = Math.min(n - 1, r + q, uEnd);
      for (let j = Math.max(r + 1, jAll + 1); j <= jEnd; j++) {
        const yj = y[j];
        s0 += band[b0 + j] * yj;
        if (j <= r - 1 + q) s1 += band[b1 + j] * yj;
        if (j <= r - 2 + q) s2 += band[b2 + j] * yj;
      }
      // The triangle (q ≥ 3, so rows r−1..r−3 hold columns r−2..r).
      const y0 = (y[r] - s0) * invPiv[r];
      const y1 = (y[r - 1] - s1 - band[b1 + r] * y0) * invPiv[r - 1];
      const y2 = (y[r - 2] - s2 - band[b2 + r] * y0 - band[b2 + r - 1] * y1) * invPiv[r - 2];
      y[r - 3] = (y[r - 3] - s3 - band[b3 + r] * y0 - band[b3 + r - 1] * y1 - band[b3 + r - 2] * y2) * invPiv[r - 3];
      y[r] = y0;
      y[r - 1] = y1;
      y[r - 2] = y2;
    }
    for (; r >= 0; r--) {
      const base = r * w - r + p;
      const jEnd = Math.min(n - 1, r + q);
      let s0 = 0;
      for (let j = r + 1; j <= jEnd; j++) s0 += band[base + j] * y[j];
      y[r] = (y[r] - s0) * invPiv[r];
    }
    if (perm) for (let i = 0; i < n; i++) x[perm[i]] = y[i];
    else x.set(y);
  }

  /** Gives the band back to the buffer pool (buffer-pool.ts); the solver refuses any later use. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    giveFloat64(this.band);
    this.band = new Float64Array(0);
  }

  private assertLive(): void {
    if (this.disposed) throw new NumericalError('banded LU used after dispose(): its band went back to the buffer pool', {});
  }

  /** Solves A x = b (x's entry value is ignored), checks the true residual, refines up to twice, else throws NumericalError. */
  solve(b: Float64Array, x: Float64Array): SolveInfo {
    return directSolveWithCheck(this.name, this.A, this.tol, b, x, this.r, this.d, (rhs, out) => this.solveRaw(rhs, out));
  }
}

/**
 * acc[k] += Σ_{j ∈ [j0, j1)} band[b_k + j]·y[j] for the four rows whose column j is at b_k + j: y[j] read once
 * for four rows, two partial sums a row (the add chains of eight sums overlap).
 */
function dots4(band: Float64Array, y: Float64Array, b0: number, b1: number, b2: number, b3: number, j0: number, j1: number, acc: Float64Array): void {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t0 = 0;
  let t1 = 0;
  let t2 = 0;
  let t3 = 0;
  let j = j0;
  for (; j + 1 < j1; j += 2) {
    const ya = y[j];
    const yb = y[j + 1];
    s0 += band[b0 + j] * ya;
    s1 += band[b1 + j] * ya;
    s2 += band[b2 + j] * ya;
    s3 += band[b3 + j] * ya;
    t0 += band[b0 + j + 1] * yb;
    t1 += band[b1 + j + 1] * yb;
    t2 += band[b2 + j + 1] * yb;
    t3 += band[b3 + j + 1] * yb;
  }
  if (j < j1) {
    const yj = y[j];
    s0 += band[b0 + j] * yj;
    s1 += band[b1 + j] * yj;
    s2 += band[b2 + j] * yj;
    s3 += band[b3 + j] * yj;
  }
  acc[0] += s0 + t0;
  acc[1] += s1 + t1;
  acc[2] += s2 + t2;
  acc[3] += s3 + t3;
}

/**
 * In-place banded LU (row-wise band storage, (i, j) at i·w + j − i + p), four
 * pivots per pass: rows below the 4-pivot panel receive the rank-4 update
 * a_ij −= Σ_c l_i,k+c u_k+c,j in one sweep, so each a_ij is loaded and stored
 * once per four multiply–adds (about 2× faster than one pivot at a time in V8).
 */
function factorBand(band: Float64Array, n: number, w: number, p: number, q: number, invPiv: Float64Array, scale: Float64Array, perm: Int32Array | null, uLast: Int32Array): void {
  const checkPivot = (k: number): number => {
    const piv = band[k * w + p];
    if (!(Math.abs(piv) >= 1e-14 * scale[k]) || piv === 0) {
      const row = perm ? perm[k] : k;
      throw new NumericalError(`banded LU: pivot ${piv} at row ${row} is below 1e-14 × row scale ${scale[k]} (no pivoting; the matrix is not diagonally dominant enough)`, { row, pivot: piv, scale: scale[k] });
    }
    const inv = 1 / piv;
    invPiv[k] = inv;
    return inv;
  };
  /** One pivot k applied to rows (k, iEnd]. */
  const single = (k: number, iEnd: number): void => {
    const kb = k * w + p;
    const inv = invPiv[k];
    const jLen = Math.min(n - 1, k + q) - k;
    for (let i = k + 1; i <= iEnd; i++) {
      if (i - k > p) break;
      const ik = i * w + (k - i + p);
      const aik = band[ik];
      if (aik === 0) continue;
      const l = aik * inv;
      band[ik] = l;
      for (let t = 1; t <= jLen; t++) band[ik + t] -= l * band[kb + t];
    }
  };
  const R = 4;
  let k = 0;
  for (; k + R <= n; k += R) {
    // Panel: rows k+1..k+3 eliminated by the earlier pivots of the panel.
    for (let c = 0; c < R; c++) {
      checkPivot(k + c);
      if (c < R - 1) single(k + c, k + R - 1);
    }
    const b0 = k * w + p - k; // (k+c, j) at bc + j
    const b1 = b0 + w - 1;
    const b2 = b1 + w - 1;
    const b3 = b2 + w - 1;
    const i0 = invPiv[k];
    const i1 = invPiv[k + 1];
    const i2 = invPiv[k + 2];
    const i3 = invPiv[k + 3];
    const iEnd = Math.min(n - 1, k + R - 1 + p);
    // Columns past uLast[k+3] are zero in all four U rows (uLast is nondecreasing).
    const uEnd = uLast[k + R - 1];
    const jA = Math.min(n - 1, k + q, uEnd); // all four U rows hold column j up to here
    const jEnd = Math.min(n - 1, k + R - 1 + q, uEnd);
    for (let i = k + R; i <= iEnd; i++) {
      const bi = i * w + p - i; // (i, j) at bi + j
      let l0 = 0;
      let l1 = 0;
      let l2 = 0;
      if (i - k <= p) {
        l0 = band[bi + k] * i0;
        band[bi + k] = l0;
      }
      if (i - k - 1 <= p) {
        l1 = (band[bi + k + 1] - l0 * band[b0 + k + 1]) * i1;
        band[bi + k + 1] = l1;
      }
      if (i - k - 2 <= p) {
        l2 = (band[bi + k + 2] - l0 * band[b0 + k + 2] - l1 * band[b1 + k + 2]) * i2;
        band[bi + k + 2] = l2;
      }
      const l3 = (band[bi + k + 3] - l0 * band[b0 + k + 3] - l1 * band[b1 + k + 3] - l2 * band[b2 + k + 3]) * i3;
      band[bi + k + 3] = l3;
      if (l0 === 0 && l1 === 0 && l2 === 0 && l3 === 0) continue;
      let j = k + R;
      for (; j <= jA; j++) band[bi + j] -= l0 * band[b0 + j] + l1 * band[b1 + j] + l2 * band[b2 + j] + l3 * band[b3 + j];
      for (; j <= jEnd; j++) {
        let s = l3 * band[b3 + j];
        if (j <= k + 1 + q) s += l1 * band[b1 + j];
        if (j <= k + 2 + q) s += l2 * band[b2 + j];
        band[bi + j] -= s;
      }
    }
  }
  for (; k < n; k++) {
    checkPivot(k);
    single(k, Math.min(n - 1, k + p));
  }
}
