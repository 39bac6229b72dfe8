/**
 * Compressed sparse row (CSR) matrices on typed arrays: assembly from
 * triplets, products, column sums, the shifted matrix A = diag(m) − c·K of
 * implicit time stepping, and residual norms.
 *
 * Convention (see types.ts): row r holds entries k ∈ [rowPtr[r], rowPtr[r+1])
 * with column colIdx[k] and value values[k]; columns strictly increasing within
 * a row; the diagonal entry is present in every row (possibly an explicit 0).
 */
import { InputError, NumericalError } from '../util/errors.js';
import type { Csr } from './types.js';

type IndexArray = Int32Array | readonly number[];
type ValueArray = Float64Array | readonly number[];

/**
 * Builds a CSR matrix of order n from triplets (rows[k], cols[k], vals[k]).
 * Duplicates are summed, columns sorted within each row, and a diagonal entry
 * (0 if none was given) is inserted in every row. Indices must lie in [0, n)
 * and values must be finite.
 */
export function csrFromTriplets(n: number, rows: IndexArray, cols: IndexArray, vals: ValueArray): Csr {
  if (!Number.isInteger(n) || n < 0) throw new InputError('n', `matrix order ${n} must be a nonnegative integer`);
  const m = rows.length;
  if (cols.length !== m || vals.length !== m) {
    throw new InputError('cols', `triplet arrays differ in length: rows ${m}, cols ${cols.length}, vals ${vals.length}; give one column and one value per row index`);
  }
  const count = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const r = rows[k];
    const c = cols[k];
    if (!(r >= 0 && r < n && Number.isInteger(r))) throw new InputError(`rows[${k}]`, `row index ${r} outside [0, ${n})`);
    if (!(c >= 0 && c < n && Number.isInteger(c))) throw new InputError(`cols[${k}]`, `column index ${c} outside [0, ${n})`);
    if (!Number.isFinite(vals[k])) throw new NumericalError(`non-finite matrix entry ${vals[k]} at (${r}, ${c})`, { row: r, col: c, value: vals[k] });
    count[r + 1]++;
  }
  for (let r = 0; r < n; r++) count[r + 1] += count[r];
  // Bucket the triplets by row.
  const next = count.slice(0, n);
  const bCol = new Int32Array(m);
  const bVal = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const p = next[rows[k]]++;
    bCol[p] = cols[k];
    bVal[p] = vals[k];
  }
  return csrFromBuckets(n, count, bCol, bVal);
}

/**
 * CSR from entries already bucketed by row: row r's entries are bCol/bVal[start[r] … start[r + 1]),
 * in any order, with repeats. Each row is sorted, repeats summed, and a diagonal entry (0 if absent)
 * kept, as in csrFromTriplets. The buckets are reordered in place.
 */
export function csrFromBuckets(n: number, start: Int32Array, bCol: Int32Array, bVal: Float64Array): Csr {
  // Pass 1: sort each row and count its distinct columns (plus a diagonal if absent): exact sizes.
  const rowPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) {
    const s0 = start[r];
    const e0 = start[r + 1];
    sortSegment(bCol, bVal, s0, e0);
    let distinct = 0;
    let hasDiag = false;
    for (let k = s0; k < e0; k++) {
      if (k === s0 || bCol[k] !== bCol[k - 1]) distinct++;
      if (bCol[k] === r) hasDiag = true;
    }
    rowPtr[r + 1] = rowPtr[r] + distinct + (hasDiag ? 0 : 1);
  }
  // Pass 2: repeats summed in row order; a missing diagonal enters as 0 in its place.
  const colIdx = new Int32Array(rowPtr[n]);
  const values = new Float64Array(rowPtr[n]);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    const s0 = start[r];
    const e0 = start[r + 1];
    let hasDiag = false;
    for (let k = s0; k < e0; k++) {
      const c = bCol[k];
      if (!hasDiag && c > r) {
        colIdx[nnz] = r;
        values[nnz++] = 0;
        hasDiag = true;
      }
      if (c === r) hasDiag = true;
      if (nnz > rowPtr[r] && colIdx[nnz - 1] === c) values[nnz - 1] += bVal[k];
      else {
        colIdx[nnz] = c;
        values[nnz++] = bVal[k];
      }
    }
    if (!hasDiag) {
      colIdx[nnz] = r;
      values[nnz++] = 0;
    }
  }
  return { n, rowPtr, colIdx, values };
}

/** Sorts (col, val) pairs in [start, end) by column: insertion sort for short rows, index sort otherwise. */
function sortSegment(col: Int32Array, val: Float64Array, start: number, end: number): void {
  const len = end - start;
  if (len <= 32) {
    for (let k = start + 1; k < end; k++) {
      const c = col[k];
      const v = val[k];
      let j = k - 1;
      while (j >= start && col[j] > c) {
        col[j + 1] = col[j];
        val[j + 1] = val[j];
        j--;
      }
      col[j + 1] = c;
      val[j + 1] = v;
    }
    return;
  }
  const order = Array.from({ length: len }, (_, t) => start + t).sort((a, b) => col[a] - col[b]);
  const c2 = order.map((k) => col[k]);
  const v2 = order.map((k) => val[k]);
  for (let t = 0; t < len; t++) {
    col[start + t] = c2[t];
    val[start + t] = v2[t];
  }
}

/** out = A x. `out` must not alias `x`. */
export function matVec(A: Csr, x: Float64Array, out: Float64Array): Float64Array {
  const { n, rowPtr, colIdx, values } = A;
  for (let r = 0; r < n; r++) {
    let s = 0;
    const end = rowPtr[r + 1];
    for (let k = rowPtr[r]; k < end; k++) s += values[k] * x[colIdx[k]];
    out[r] = s;
  }
  return out;
}

/** out = b − A x. `out` must not alias `x`. */
export function residual(A: Csr, x: Float64Array, b: Float64Array, out: Float64Array): Float64Array {
  const { n, rowPtr, colIdx, values } = A;
  for (let r = 0; r < n; r++) {
    let s = b[r];
    const end = rowPtr[r + 1];
    for (let k = rowPtr[r]; k < end; k++) s -= values[k] * x[colIdx[k]];
    out[r] = s;
  }
  return out;
}

/**
 * Column sums s_j = Σ_i w_i A_ij (w ≡ 1 when `weights` is omitted). For a
 * conservative operator K, columnSums(K) = 0; for A = M − cK it equals diag(M).
 */
export function columnSums(A: Csr, weights?: Float64Array, out?: Float64Array): Float64Array {
  const s = out ?? new Float64Array(A.n);
  s.fill(0);
  const { n, rowPtr, colIdx, values } = A;
  for (let r = 0; r < n; r++) {
    const w = weights ? weights[r] : 1;
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) s[colIdx[k]] += w * values[k];
  }
  return s;
}

/** Position k of the diagonal entry (r, r) in each row; throws InputError if a row lacks it. */
export function diagonalPositions(A: Csr): Int32Array {
  const { n, rowPtr, colIdx } = A;
  const d = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    let found = -1;
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
      if (colIdx[k] === r) {
        found = k;
        break;
      }
    }
    if (found < 0) throw new InputError(`A.row[${r}]`, 'diagonal entry missing; build the matrix with csrFromTriplets, which always stores the diagonal');
    d[r] = found;
  }
  return d;
}

/**
 * A = diag(mDiag) − c·K on K's sparsity pattern (rowPtr and colIdx are shared,
 * not copied). With `out` (a previous result for the same K) only the values
 * are rewritten: this is the cheap path taken whenever dt changes.
 */
export function shiftedMatrix(K: Csr, mDiag: Float64Array, c: number, out?: Csr): Csr {
  const { n, rowPtr, colIdx, values } = K;
  if (mDiag.length !== n) throw new InputError('mDiag', `length ${mDiag.length} differs from the matrix order ${n}`);
  if (!Number.isFinite(c)) throw new InputError('c', `shift coefficient ${c} must be finite`);
  let target: Csr;
  if (out) {
    if (out.n !== n || out.values.length !== values.length || (out.rowPtr !== rowPtr && !sameArray(out.rowPtr, rowPtr)) || (out.colIdx !== colIdx && !sameArray(out.colIdx, colIdx))) {
      throw new InputError('out', 'the reused matrix has a different sparsity pattern from K; pass the result of shiftedMatrix for this same K');
    }
    target = out;
  } else {
    target = { n, rowPtr, colIdx, values: new Float64Array(values.length) };
  }
  const v = target.values;
  for (let r = 0; r < n; r++) {
    let hasDiag = false;
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) {
      if (colIdx[k] === r) {
        v[k] = mDiag[r] - c * values[k];
        hasDiag = true;
      } else v[k] = -c * values[k];
    }
    if (!hasDiag) throw new InputError(`K.row[${r}]`, 'diagonal entry missing; build K with csrFromTriplets, which always stores the diagonal');
  }
  return target;
}

function sameArray(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Euclidean norm ‖x‖₂. */
export function norm2(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

/** Relative true residual ‖b − Ax‖₂ / ‖b‖₂ (absolute ‖Ax‖₂ when b = 0). Allocates nothing. */
export function residualNorm(A: Csr, x: Float64Array, b: Float64Array): number {
  const { n, rowPtr, colIdx, values } = A;
  let rr = 0;
  let bb = 0;
  for (let r = 0; r < n; r++) {
    let s = b[r];
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) s -= values[k] * x[colIdx[k]];
    rr += s * s;
    bb += b[r] * b[r];
  }
  return bb > 0 ? Math.sqrt(rr / bb) : Math.sqrt(rr);
}

/** v ← a fixed pseudo-random vector, entries in [−½, ½) (xorshift32 from `seed`): a probe for operator checks. */
export function fillProbe(v: Float64Array, seed: number): void {
  let s = seed;
  for (let i = 0; i < v.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[i] = (s >>> 0) / 2 ** 32 - 0.5;
  }
}
