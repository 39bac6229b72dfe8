/**
 * Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method.
 *
 * A = V Λ Vᵀ. Input `a` is row-major d×d (a[i*d + j] = Aᵢⱼ; only read, never
 * modified; assumed symmetric, the upper triangle is used). Outputs:
 *   values[k]          = λₖ, ascending (λ₀ ≤ λ₁ ≤ …)
 *   vectors[k*d + i]   = i-th component of the unit eigenvector eₖ of λₖ
 *                        (eigenvectors are contiguous: "one eigenvector per row")
 * Each Jacobi rotation annihilates one off-diagonal pair (p, q) with
 * t = sgn(θ)/(|θ| + √(θ² + 1)), θ = (A_qq − A_pp)/(2A_pq) (the classical
 * stable choice, e.g. Golub & Van Loan, Matrix Computations, §8.5).
 * Sweeps stop when the off-diagonal mass is below 1e-30 of the matrix's.
 * Allocates nothing for d ≤ 3 (module-level scratch); larger d grows the scratch once.
 */
let work = new Float64Array(9);

export function symEig(a: Float64Array, d: number, values: Float64Array, vectors: Float64Array): void {
  if (work.length < d * d) work = new Float64Array(d * d);
  const A = work;
  const V = vectors;
  let norm = 0;
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      const v = i <= j ? a[i * d + j] : a[j * d + i];
      A[i * d + j] = v;
      norm += v * v;
      V[i * d + j] = i === j ? 1 : 0; // V[k*d + i]: row k is eigenvector k
    }
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += A[p * d + q] * A[p * d + q];
    if (off <= 1e-30 * norm || off === 0) break;
    for (let p = 0; p < d; p++)
      for (let q = p + 1; q < d; q++) {
        const apq = A[p * d + q];
        if (apq === 0) continue;
        const theta = (A[q * d + q] - A[p * d + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // A ← Jᵀ A J with J the rotation in the (p, q) plane.
        for (let k = 0; k < d; k++) {
          const akp = A[k * d + p];
          const akq = A[k * d + q];
          A[k * d + p] = c * akp - s * akq;
          A[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = A[p * d + k];
          const aqk = A[q * d + k];
          A[p * d + k] = c * apk - s * aqk;
          A[q * d + k] = s * apk + c * aqk;
        }
        // Eigenvector rows: row p ← c·row p − s·row q, row q ← s·row p + c·row q.
        for (let k = 0; k < d; k++) {
          const vp = V[p * d + k];
          const vq = V[q * d + k];
          V[p * d + k] = c * vp - s * vq;
          V[q * d + k] = s * vp + c * vq;
        }
      }
  }
  for (let k = 0; k < d; k++) values[k] = A[k * d + k];
  // Insertion sort, ascending, moving eigenvector rows along.
  for (let k = 1; k < d; k++)
    for (let m = k; m > 0 && values[m - 1] > values[m]; m--) {
      const tv = values[m];
      values[m] = values[m - 1];
      values[m - 1] = tv;
      for (let i = 0; i < d; i++) {
        const tx = V[m * d + i];
        V[m * d + i] = V[(m - 1) * d + i];
        V[(m - 1) * d + i] = tx;
      }
    }
}
