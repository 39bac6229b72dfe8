/**
 * Small dense linear algebra for the theory module (d = 2 or 3, occasionally a
 * 2×2 chart block). Everything is flat row-major: A[i*n + j] = Aᵢⱼ.
 *
 * These run at setup (per station along Γ), never per cell per step, but the
 * eigen-solver still writes into caller-provided arrays and allocates only a
 * scratch copy of the input.
 */
import { NumericalError } from '../util/errors.js';

/**
 * Cyclic Jacobi eigen-decomposition of a symmetric n×n matrix A = V diag(λ) Vᵀ.
 *
 * Output: `values[k]` = λₖ sorted ascending; `vectors[i*n + k]` = (eₖ)ᵢ, i.e.
 * column k of V is the unit eigenvector of λₖ. Each eigenvector's sign is fixed
 * so that its largest-magnitude component is positive (deterministic output).
 * Only the upper triangle of A is read after symmetrisation ½(A + Aᵀ).
 * Throws NumericalError on non-finite input or if the sweeps do not converge.
 */
export function symEigen(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array): void {
  const m = new Float64Array(n * n);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = 0.5 * (a[i * n + j] + a[j * n + i]);
      if (!Number.isFinite(v)) {
        throw new NumericalError(`symEigen: non-finite matrix entry (${i},${j}) = ${v}`, { i, j, value: v });
      }
      m[i * n + j] = v;
      scale = Math.max(scale, Math.abs(v));
    }
  }
  vectors.fill(0);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  if (scale > 0) {
    let converged = false;
    for (let sweep = 0; sweep < 100; sweep++) {
      let off = 0;
      for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
      if (Math.sqrt(off) <= 1e-17 * scale) {
        converged = true;
        break;
      }
      for (let p = 0; p < n; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = m[p * n + q];
          if (apq === 0) continue;
          const app = m[p * n + p];
          const aqq = m[q * n + q];
          // Rotation angle: tan(2φ) = 2a_pq/(a_qq − a_pp), t = tan φ the smaller root.
          const theta = (aqq - app) / (2 * apq);
          const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          const c = 1 / Math.sqrt(t * t + 1);
          const s = t * c;
          for (let k = 0; k < n; k++) {
            const mkp = m[k * n + p];
            const mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
          }
          for (let k = 0; k < n; k++) {
            const mpk = m[p * n + k];
            const mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
          }
          for (let k = 0; k < n; k++) {
            const vkp = vectors[k * n + p];
            const vkq = vectors[k * n + q];
            vectors[k * n + p] = c * vkp - s * vkq;
            vectors[k * n + q] = s * vkp + c * vkq;
          }
        }
      }
    }
    if (!converged) {
      let off = 0;
      for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p * n + q] * m[p * n + q];
      if (Math.sqrt(off) > 1e-12 * scale) {
        throw new NumericalError('symEigen: Jacobi sweeps did not converge', { offNorm: Math.sqrt(off), scale });
      }
    }
  }
  // Sort ascending (selection sort on n ≤ 3 columns) and fix signs.
  for (let i = 0; i < n; i++) values[i] = m[i * n + i];
  for (let k = 0; k < n; k++) {
    let best = k;
    for (let j = k + 1; j < n; j++) if (values[j] < values[best]) best = j;
    if (best !== k) {
      const tv = values[k];
      values[k] = values[best];
      values[best] = tv;
      for (let i = 0; i < n; i++) {
        const t = vectors[i * n + k];
        vectors[i * n + k] = vectors[i * n + best];
        vectors[i * n + best] = t;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(vectors[i * n + k]) > Math.abs(big) + 1e-14) big = vectors[i * n + k];
    if (big < 0) for (let i = 0; i < n; i++) vectors[i * n + k] = -vectors[i * n + k];
  }
}

/** out = A·B for n×n matrices (out must not alias A or B). */
export function matMul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

/** out = A·B·C for n×n matrices. */
export function matMul3(a: ArrayLike<number>, b: ArrayLike<number>, c: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  const tmp = matMul(a, b, n, new Float64Array(n * n));
  return matMul(tmp, c, n, out);
}

/** out = A·x for an n×n matrix. */
export function matVec(a: ArrayLike<number>, x: ArrayLike<number>, n: number, out: Float64Array): Float64Array {
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** xᵀ·A·y for an n×n matrix. */
export function bilinear(x: ArrayLike<number>, a: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let j = 0; j < n; j++) r += a[i * n + j] * y[j];
    s += x[i] * r;
  }
  return s;
}

/** x·y */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/** tr(A·B) = Σᵢⱼ AᵢⱼBⱼᵢ for n×n matrices. */
export function traceProduct(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += a[i * n + j] * b[j * n + i];
  return s;
}

/** Inverse of a 2×2 matrix [[a, b], [c, d]] (flat); throws NumericalError when singular. */
export function inverse2(m: ArrayLike<number>, out: Float64Array): Float64Array {
  const det = m[0] * m[3] - m[1] * m[2];
  const scale = Math.max(Math.abs(m[0] * m[3]), Math.abs(m[1] * m[2]));
  if (!(Math.abs(det) > 1e-14 * scale) || !Number.isFinite(det)) {
    throw new NumericalError(`inverse2: singular 2×2 matrix (det = ${det})`, { m: Array.from(m) });
  }
  const a = m[0], b = m[1], c = m[2], d = m[3];
  out[0] = d / det;
  out[1] = -b / det;
  out[2] = -c / det;
  out[3] = a / det;
  return out;
}

/** Largest |Aᵢⱼ − Bᵢⱼ| over flat arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
