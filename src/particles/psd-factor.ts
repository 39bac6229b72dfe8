/**
 * A square-root factor B of a symmetric positive semidefinite d×d matrix S
 * (S = B Bᵀ), allocation-free, for drawing N(0, S) as B ζ with ζ ~ N(0, I).
 *
 * Method: Cholesky with zero pivots allowed (S may be rank-deficient, e.g.
 * label noise Σ = c∇f∇fᵀ has rank one). Row-major, B lower triangular:
 *   B[j*d+j] = √(S_jj − Σ_{k<j} B_jk²),  B[i*d+j] = (S_ij − Σ_{k<j} B_ik B_jk)/B_jj  (i > j).
 * A pivot ≤ tol·max|S| is treated as zero and its column below is set to
 * zero: for a PSD matrix the exact pivot 0 forces the column to vanish, so
 * the product B Bᵀ equals S up to O(tol·max|S|). A pivot below −tol·max|S|
 * means S is not PSD: the function returns false (the caller reports it).
 */
export function psdFactor(S: ArrayLike<number>, d: number, out: Float64Array, tol = 1e-12): boolean {
  let scale = 0;
  for (let i = 0; i < d * d; i++) {
    const a = Math.abs(S[i]);
    if (!(a < Infinity)) return false;
    if (a > scale) scale = a;
  }
  const eps = tol * scale;
  for (let i = 0; i < d * d; i++) out[i] = 0;
  for (let j = 0; j < d; j++) {
    let piv = 0.5 * (S[j * d + j] + S[j * d + j]);
    for (let k = 0; k < j; k++) piv -= out[j * d + k] * out[j * d + k];
    if (piv < -Math.max(eps, 1e-300) * 1e3) return false;
    if (piv <= eps) continue; // zero pivot: column j stays zero
    const r = Math.sqrt(piv);
    out[j * d + j] = r;
    for (let i = j + 1; i < d; i++) {
      let s = 0.5 * (S[i * d + j] + S[j * d + i]);
      for (let k = 0; k < j; k++) s -= out[i * d + k] * out[j * d + k];
      out[i * d + j] = s / r;
    }
  }
  return true;
}
