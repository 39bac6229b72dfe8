/**
 * Invariants of the assembled operator: zero column sums (mass conservation),
 * the M-matrix sign pattern (nonnegative off-diagonals ⇒ backward Euler keeps
 * ρ ≥ 0 at any step), and finiteness.
 */
import type { Csr } from '../linalg/types.js';

export interface OperatorCheck {
  /** max_j |Σ_i K_ij| / max_j Σ_i |K_ij| */
  columnSumRel: number;
  /** Most negative off-diagonal relative to the largest |diagonal| (0 when the sign pattern holds). */
  worstNegativeOffDiagonal: number;
  finite: boolean;
}

export function checkOperator(K: Csr): OperatorCheck {
  const colSum = new Float64Array(K.n);
  const colAbs = new Float64Array(K.n);
  let finite = true;
  let maxDiag = 0;
  let worst = 0;
  for (let r = 0; r < K.n; r++) {
    for (let k = K.rowPtr[r]; k < K.rowPtr[r + 1]; k++) {
      const v = K.values[k];
      const c = K.colIdx[k];
      if (!Number.isFinite(v)) finite = false;
      colSum[c] += v;
      colAbs[c] += Math.abs(v);
      if (c === r) maxDiag = Math.max(maxDiag, Math.abs(v));
      else if (v < worst) worst = v;
    }
  }
  let rel = 0;
  let scale = 0;
  for (let c = 0; c < K.n; c++) {
    rel = Math.max(rel, Math.abs(colSum[c]));
    scale = Math.max(scale, colAbs[c]);
  }
  return {
    columnSumRel: scale > 0 ? rel / scale : 0,
    worstNegativeOffDiagonal: maxDiag > 0 && worst < 0 ? -worst / maxDiag : 0,
    finite,
  };
}
