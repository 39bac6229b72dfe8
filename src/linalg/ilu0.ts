/**
 * ILU(0): incomplete LU factorisation on A's own sparsity pattern (Saad,
 * "Iterative Methods for Sparse Linear Systems", 2nd ed., Alg. 10.4, IKJ
 * variant). L is unit lower triangular and U upper triangular, both stored in
 * one array `lu` on A's pattern: for row i, entries left of the diagonal hold
 * L, the diagonal and right of it hold U. Fill outside the pattern is dropped.
 */
import { NumericalError } from '../util/errors.js';
import { diagonalPositions } from './csr.js';
import type { Preconditioner } from './krylov.js';
import type { Csr } from './types.js';

export class Ilu0 implements Preconditioner {
  readonly n: number;
  private readonly rowPtr: Int32Array;
  private readonly colIdx: Int32Array;
  private readonly diag: Int32Array;
  private readonly lu: Float64Array;
  private readonly invDiag: Float64Array;
  private readonly marker: Int32Array;
  private readonly y: Float64Array;

  constructor(A: Csr) {
    this.n = A.n;
    this.rowPtr = A.rowPtr;
    this.colIdx = A.colIdx;
    this.diag = diagonalPositions(A);
    this.lu = new Float64Array(A.values.length);
    this.invDiag = new Float64Array(A.n);
    this.marker = new Int32Array(A.n).fill(-1);
    this.y = new Float64Array(A.n);
    this.refresh(A);
  }

  /** Refactors for new values on the same pattern (e.g. after dt changed). */
  refresh(A: Csr): void {
    if (A.n !== this.n || A.values.length !== this.lu.length) {
      throw new NumericalError('ILU(0) refresh: matrix pattern differs from the one factorised', { n: A.n, nnz: A.values.length });
    }
    const { rowPtr, colIdx, diag, lu, invDiag, marker } = this;
    lu.set(A.values);
    for (let i = 0; i < this.n; i++) {
      const start = rowPtr[i];
      const end = rowPtr[i + 1];
      let scale = 0;
      for (let k = start; k < end; k++) {
        marker[colIdx[k]] = k;
        const a = Math.abs(A.values[k]);
        if (a > scale) scale = a;
      }
      for (let k = start; k < diag[i]; k++) {
        const j = colIdx[k];
        const l = lu[k] * invDiag[j];
        lu[k] = l;
        if (l === 0) continue;
        for (let kk = diag[j] + 1; kk < rowPtr[j + 1]; kk++) {
          const p = marker[colIdx[kk]];
          if (p >= 0) lu[p] -= l * lu[kk];
        }
      }
      const piv = lu[diag[i]];
      if (!(Math.abs(piv) >= 1e-14 * scale) || !Number.isFinite(piv) || piv === 0) {
        throw new NumericalError(`ILU(0) pivot ${piv} in row ${i} is below 1e-14 × row scale ${scale}`, { row: i, pivot: piv, scale });
      }
      invDiag[i] = 1 / piv;
      for (let k = start; k < end; k++) marker[colIdx[k]] = -1;
    }
  }

  /** z = U⁻¹ L⁻¹ r. */
  apply(r: Float64Array, z: Float64Array): void {
    const { n, rowPtr, colIdx, diag, lu, invDiag, y } = this;
    for (let i = 0; i < n; i++) {
      let s = r[i];
      for (let k = rowPtr[i]; k < diag[i]; k++) s -= lu[k] * y[colIdx[k]];
      y[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      const end = rowPtr[i + 1];
      for (let k = diag[i] + 1; k < end; k++) s -= lu[k] * z[colIdx[k]];
      z[i] = s * invDiag[i];
    }
  }
}
