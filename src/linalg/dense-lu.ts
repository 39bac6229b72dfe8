/**
 * Dense LU with partial pivoting, P A = L U (row-major n×n storage, L unit
 * lower). For small systems only (O(n³) factorisation, O(n²) memory).
 */
import { InputError, NumericalError } from '../util/errors.js';
import { residual } from './csr.js';
import type { Csr, LinearSolver, SolveInfo } from './types.js';

export class DenseLu implements LinearSolver {
  readonly name = 'dense-lu';
  readonly n: number;
  private A: Csr;
  private readonly tol: number;
  private readonly lu: Float64Array;
  private readonly piv: Int32Array;
  private readonly r: Float64Array;
  private readonly d: Float64Array;

  constructor(A: Csr, opts: { tol?: number } = {}) {
    if (A.n > 4000) throw new InputError('method', `dense LU refused for n = ${A.n} (> 4000); use 'banded', 'ilu-bicgstab' or a multigrid method`);
    this.n = A.n;
    this.A = A;
    this.tol = opts.tol ?? 1e-10;
    this.lu = new Float64Array(A.n * A.n);
    this.piv = new Int32Array(A.n);
    this.r = new Float64Array(A.n);
    this.d = new Float64Array(A.n);
    this.refresh(A);
  }

  refresh(A: Csr): void {
    const n = this.n;
    if (A.n !== n) throw new NumericalError(`dense LU refresh: order ${A.n} differs from ${n}`, { n: A.n });
    this.A = A;
    const a = this.lu;
    a.fill(0);
    for (let i = 0; i < n; i++) for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) a[i * n + A.colIdx[k]] += A.values[k];
    let amax = 0;
    for (let i = 0; i < n * n; i++) amax = Math.max(amax, Math.abs(a[i]));
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = Math.abs(a[k * n + k]);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(a[i * n + k]);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (!(best > 1e-14 * amax)) throw new NumericalError(`dense LU: matrix is singular to working precision at column ${k} (pivot ${best}, max |a| ${amax})`, { column: k, pivot: best, scale: amax });
      this.piv[k] = p;
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = a[k * n + j];
          a[k * n + j] = a[p * n + j];
          a[p * n + j] = t;
        }
      }
      const inv = 1 / a[k * n + k];
      for (let i = k + 1; i < n; i++) {
        const l = a[i * n + k] * inv;
        if (l === 0) continue;
        a[i * n + k] = l;
        for (let j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
      }
    }
  }

  /** x = A⁻¹ b with no residual check (b and x may alias). */
  solveRaw(b: Float64Array, x: Float64Array): void {
    const n = this.n;
    const a = this.lu;
    if (x !== b) x.set(b);
    for (let k = 0; k < n; k++) {
      const p = this.piv[k];
      if (p !== k) {
        const t = x[k];
        x[k] = x[p];
        x[p] = t;
      }
    }
    for (let i = 0; i < n; i++) {
      let s = x[i];
      for (let j = 0; j < i; j++) s -= a[i * n + j] * x[j];
      x[i] = s;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i];
      for (let j = i + 1; j < n; j++) s -= a[i * n + j] * x[j];
      x[i] = s / a[i * n + i];
    }
  }

  solve(b: Float64Array, x: Float64Array): SolveInfo {
    return directSolveWithCheck(this.name, this.A, this.tol, b, x, this.r, this.d, (rhs, out) => this.solveRaw(rhs, out));
  }
}

/**
 * Direct solve followed by the true-residual check and up to two steps of
 * iterative refinement (x += A⁻¹(b − Ax)) if the residual misses `tol`.
 */
export function directSolveWithCheck(
  name: string,
  A: Csr,
  tol: number,
  b: Float64Array,
  x: Float64Array,
  r: Float64Array,
  d: Float64Array,
  raw: (rhs: Float64Array, out: Float64Array) => void,
): SolveInfo {
  let bb = 0;
  for (let i = 0; i < b.length; i++) bb += b[i] * b[i];
  const bNorm = Math.sqrt(bb);
  if (!Number.isFinite(bNorm)) throw new NumericalError(`${name}: right-hand side contains NaN or Inf`, { bNorm });
  if (bNorm === 0) {
    x.fill(0);
    return { converged: true, iterations: 0, residual: 0, history: [] };
  }
  raw(b, x);
  const history: number[] = [];
  for (let step = 0; ; step++) {
    residual(A, x, b, r);
    let rr = 0;
    for (let i = 0; i < r.length; i++) rr += r[i] * r[i];
    const rel = Math.sqrt(rr) / bNorm;
    history.push(rel);
    if (rel <= tol) return { converged: true, iterations: step + 1, residual: rel, history };
    if (step >= 2 || !Number.isFinite(rel)) {
      throw new NumericalError(`${name}: true residual ${rel.toExponential(3)} misses tol ${tol} after ${step} refinement steps`, { method: name, iterations: step + 1, residual: rel, tol, history });
    }
    raw(r, d);
    for (let i = 0; i < x.length; i++) x[i] += d[i];
  }
}
