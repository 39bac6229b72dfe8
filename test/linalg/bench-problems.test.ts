import { describe, expect, it } from 'vitest';
import { tubeProblem, valley3dProblem, valleyProblem } from '../../bench/linalg-bench.js';
import type { Csr } from '../../src/linalg/types.js';
import { backwardEulerSystem, sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';

function maxEntryDiff(A: Csr, B: Csr): number {
  const toMap = (M: Csr): Map<number, number> => {
    const m = new Map<number, number>();
    for (let i = 0; i < M.n; i++) for (let k = M.rowPtr[i]; k < M.rowPtr[i + 1]; k++) m.set(i * M.n + M.colIdx[k], M.values[k]);
    return m;
  };
  const a = toMap(A);
  const b = toMap(B);
  let d = 0;
  let s = 0;
  for (const [k, v] of a) {
    d = Math.max(d, Math.abs(v - (b.get(k) ?? 0)));
    s = Math.max(s, Math.abs(v));
  }
  for (const [k, v] of b) d = Math.max(d, Math.abs(v - (a.get(k) ?? 0)));
  return d / s;
}

describe('the benchmark matrices equal the test generator’s', () => {
  it('valley 2D', () => {
    const ref = backwardEulerSystem(sgOperator(valleySpec(12, 12)), 0.01, [0.5, 0.3], 0.2);
    const p = valleyProblem(12);
    expect(maxEntryDiff(p.A, ref.A)).toBeLessThan(1e-13);
    for (let i = 0; i < p.b.length; i++) expect(p.b[i]).toBeCloseTo(ref.b[i], 14);
  });
  it('valley 3D', () => {
    const ref = backwardEulerSystem(sgOperator(valley3dSpec(6, 6, 6)), 0.01, [0.5, 0.3, 0], 0.2);
    expect(maxEntryDiff(valley3dProblem(6).A, ref.A)).toBeLessThan(1e-13);
  });
  it('periodic 9-point tube', async () => {
    const ref = backwardEulerSystem(sgOperator(tubeSpec(8, 16, 0.05, 0.05)), 0.01, [0, 3], 0.3);
    const p = await tubeProblem(8, 16);
    expect(maxEntryDiff(p.A, ref.A)).toBeLessThan(1e-13);
  });
});
