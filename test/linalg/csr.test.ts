import { describe, expect, it } from 'vitest';
import { columnSums, csrFromTriplets, matVec, residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { InputError, NumericalError } from '../../src/util/errors.js';
import { sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';

function toDense(A: { n: number; rowPtr: Int32Array; colIdx: Int32Array; values: Float64Array }): number[][] {
  const d = Array.from({ length: A.n }, () => new Array<number>(A.n).fill(0));
  for (let i = 0; i < A.n; i++) for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) d[i][A.colIdx[k]] += A.values[k];
  return d;
}

describe('csrFromTriplets', () => {
  it('sums duplicates, sorts columns and inserts missing diagonals', () => {
    const A = csrFromTriplets(3, [2, 0, 0, 2, 1, 0], [0, 2, 2, 0, 0, 1], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(A.rowPtr)).toEqual([0, 3, 5, 7]);
    expect(Array.from(A.colIdx)).toEqual([0, 1, 2, 0, 1, 0, 2]);
    expect(Array.from(A.values)).toEqual([0, 6, 5, 5, 0, 5, 0]);
    expect(toDense(A)).toEqual([
      [0, 6, 5],
      [5, 0, 0],
      [5, 0, 0],
    ]);
  });
  it('sorts long rows correctly', () => {
    const n = 50;
    const cols = Array.from({ length: n }, (_, k) => (k * 17) % n);
    const A = csrFromTriplets(n, new Array(n).fill(3), cols, cols.map((c) => c + 1));
    const row = Array.from(A.colIdx.subarray(A.rowPtr[3], A.rowPtr[4]));
    expect(row).toEqual(Array.from({ length: n }, (_, k) => k));
    expect(A.values[A.rowPtr[3] + 7]).toBe(8);
  });
  it('rejects bad indices and non-finite values', () => {
    expect(() => csrFromTriplets(2, [0, 2], [0, 0], [1, 1])).toThrow(InputError);
    expect(() => csrFromTriplets(2, [0], [-1], [1])).toThrow(InputError);
    expect(() => csrFromTriplets(2, [0], [1], [NaN])).toThrow(NumericalError);
  });
});

describe('SG operators: invariants', () => {
  const cases = [
    ['valley 2D', sgOperator(valleySpec(9, 7))],
    ['tube periodic with cross terms', sgOperator(tubeSpec(6, 10, 0.05, 0.1))],
    ['3D periodic with cross terms', sgOperator(valley3dSpec(5, 4, 3, 0.05, 0.05, true))],
  ] as const;
  for (const [name, op] of cases) {
    it(`${name}: zero column sums, matVec matches dense`, () => {
      const s = columnSums(op.K);
      let scale = 0;
      for (const v of op.K.values) scale = Math.max(scale, Math.abs(v));
      for (const v of s) expect(Math.abs(v)).toBeLessThan(1e-12 * scale);
      const x = Float64Array.from({ length: op.n }, (_, i) => Math.sin(i + 1));
      const y = matVec(op.K, x, new Float64Array(op.n));
      const D = toDense(op.K);
      for (let i = 0; i < op.n; i++) expect(y[i]).toBeCloseTo(D[i].reduce((a, v, j) => a + v * x[j], 0), 10);
    });
  }
  it('5-point K has nonnegative off-diagonals; cross terms add negative ones', () => {
    const K = sgOperator(valleySpec(8, 8)).K;
    for (let i = 0; i < K.n; i++) for (let k = K.rowPtr[i]; k < K.rowPtr[i + 1]; k++) if (K.colIdx[k] !== i) expect(K.values[k]).toBeGreaterThanOrEqual(0);
    const Kc = sgOperator(tubeSpec(8, 8, 0.05, 0.1)).K;
    let neg = 0;
    for (let i = 0; i < Kc.n; i++) for (let k = Kc.rowPtr[i]; k < Kc.rowPtr[i + 1]; k++) if (Kc.colIdx[k] !== i && Kc.values[k] < 0) neg++;
    expect(neg).toBeGreaterThan(0);
  });
});

describe('shiftedMatrix, columnSums with weights, residualNorm', () => {
  const op = sgOperator(tubeSpec(5, 8, 0.05, 0.05));
  it('A = M − cK on the same pattern; reuse rewrites values only', () => {
    const A = shiftedMatrix(op.K, op.volumes, 0.01);
    expect(A.rowPtr).toBe(op.K.rowPtr);
    expect(A.colIdx).toBe(op.K.colIdx);
    const DA = toDense(A);
    const DK = toDense(op.K);
    for (let i = 0; i < op.n; i++) for (let j = 0; j < op.n; j++) expect(DA[i][j]).toBeCloseTo((i === j ? op.volumes[i] : 0) - 0.01 * DK[i][j], 12);
    const cs = columnSums(A);
    for (let j = 0; j < op.n; j++) expect(cs[j]).toBeCloseTo(op.volumes[j], 12);
    const vals = A.values;
    const B = shiftedMatrix(op.K, op.volumes, 0.5, A);
    expect(B).toBe(A);
    expect(B.values).toBe(vals);
    expect(toDense(B)[3][3]).toBeCloseTo(op.volumes[3] - 0.5 * DK[3][3], 12);
    const other = csrFromTriplets(op.n, [0], [0], [1]);
    expect(() => shiftedMatrix(op.K, op.volumes, 0.5, other)).toThrow(InputError);
  });
  it('weighted column sums: wᵀA', () => {
    const w = Float64Array.from({ length: op.n }, (_, i) => 1 + i);
    const s = columnSums(op.K, w);
    const D = toDense(op.K);
    for (let j = 0; j < op.n; j++) expect(s[j]).toBeCloseTo(D.reduce((a, row, i) => a + w[i] * row[j], 0), 10);
  });
  it('residualNorm is ‖b − Ax‖/‖b‖', () => {
    const A = shiftedMatrix(op.K, op.volumes, 0.01);
    const x = Float64Array.from({ length: op.n }, (_, i) => Math.cos(i));
    const b = matVec(A, x, new Float64Array(op.n));
    expect(residualNorm(A, x, b)).toBeLessThan(1e-15);
    const b2 = b.map((v, i) => (i === 0 ? v + 1 : v));
    const nb = Math.hypot(...b2);
    expect(residualNorm(A, x, b2)).toBeCloseTo(1 / nb, 14);
  });
});
