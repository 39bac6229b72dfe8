/**
 * Small dense linear algebra for the theory module (d = 2 or 3, occasionally a
 * 2×2 chart block). Everything is flat row-major: A[i*n + j] = Aᵢⱼ.
 *
 * These run at setup (per station along Γ), never per cell per step, but the
 * eigen-solver still writes into caller-provided arrays and allocates only a
 * scratch copy of the input.
 */
import { symEig } from '../landscape/sym-eig.js';
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
  // One Jacobi solver for the project (src/landscape/sym-eig.ts); here: symmetrise,
  // check, transpose to columns and fix the signs.
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const v = 0.5 * (a[i * n + j] + a[j * n + i]);
      if (!Number.isFinite(v)) throw new NumericalError(`symEigen: non-finite matrix entry (${i}, ${j}) = ${v}`, { i, j });
      m[i * n + j] = v;
    }
  const rows = new Float64Array(n * n);
  symEig(m, n, values, rows);
  for (let k = 0; k < n; k++) {
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(rows[k * n + i]) > Math.abs(big)) big = rows[k * n + i];
    const sgn = big < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) vectors[i * n + k] = sgn * rows[k * n + i];
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
