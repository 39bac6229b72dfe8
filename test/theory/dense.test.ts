import { describe, expect, it } from 'vitest';
import { matMul, maxAbsDiff, symEigen } from '../../src/theory/dense.js';

function reconstruct(vals: Float64Array, V: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) out[i * n + j] += V[i * n + k] * vals[k] * V[j * n + k];
  return out;
}

describe('symEigen (Jacobi)', () => {
  it('reconstructs random symmetric 2×2 and 3×3 matrices with orthonormal, sorted eigenvectors', () => {
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    for (const n of [2, 3]) {
      for (let trial = 0; trial < 200; trial++) {
        const A = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) A[i * n + j] = A[j * n + i] = rnd() * 10;
        const vals = new Float64Array(n);
        const V = new Float64Array(n * n);
        symEigen(A, n, vals, V);
        expect(maxAbsDiff(reconstruct(vals, V, n), A)).toBeLessThan(1e-12);
        const Vt = new Float64Array(n * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Vt[i * n + j] = V[j * n + i];
        const I = matMul(Vt, V, n, new Float64Array(n * n));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(I[i * n + j] - (i === j ? 1 : 0))).toBeLessThan(1e-13);
        for (let k = 1; k < n; k++) expect(vals[k]).toBeGreaterThanOrEqual(vals[k - 1]);
      }
    }
  });

  it('handles rank-one and repeated eigenvalues exactly', () => {
    const g = [0.5, 2, -1];
    const A = new Float64Array(9);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) A[i * 3 + j] = g[i] * g[j];
    const vals = new Float64Array(3);
    const V = new Float64Array(9);
    symEigen(A, 3, vals, V);
    expect(Math.abs(vals[0])).toBeLessThan(1e-14);
    expect(Math.abs(vals[1])).toBeLessThan(1e-14);
    expect(vals[2]).toBeCloseTo(5.25, 13);
    const I = new Float64Array([2, 0, 0, 0, 2, 0, 0, 0, 2]);
    symEigen(I, 3, vals, V);
    expect(Array.from(vals)).toEqual([2, 2, 2]);
  });

  it('refuses non-finite input', () => {
    expect(() => symEigen([1, NaN, NaN, 1], 2, new Float64Array(2), new Float64Array(4))).toThrow(/non-finite/);
  });
});
