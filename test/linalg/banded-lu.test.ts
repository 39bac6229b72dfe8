import { describe, expect, it } from 'vitest';
import { BandedSolver, bandOrdering, bandwidth } from '../../src/linalg/banded-lu.js';
import { csrFromTriplets, residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { InputError, NumericalError } from '../../src/util/errors.js';
import { backwardEulerSystem, denseOracleSolve, sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';
import { maxRelDiff } from '../support/assertions.js';


describe('bandOrdering', () => {
  it('interleaves a periodic slow axis: 0, N−1, 1, N−2, …', () => {
    const perm = bandOrdering({ shape: [2, 5], periodic: [false, true] })!;
    expect(Array.from(perm)).toEqual([0, 1, 8, 9, 2, 3, 6, 7, 4, 5]);
  });
  it('is null for the natural order and puts the shortest axis fastest', () => {
    expect(bandOrdering({ shape: [4, 9], periodic: [false, false] })).toBeNull();
    const perm = bandOrdering({ shape: [9, 4], periodic: [false, false] })!;
    expect(Array.from(perm.slice(0, 5))).toEqual([0, 9, 18, 27, 1]);
    expect(new Set(perm).size).toBe(36);
  });
  it('keeps a periodic tube within about twice the across width', () => {
    const op = sgOperator(tubeSpec(8, 40, 0.05, 0.1));
    const natural = bandwidth(op.K);
    expect(natural.lower).toBe(39 * 8 + 1); // wrap-around coupling
    const bw = bandwidth(op.K, bandOrdering({ shape: [8, 40], periodic: [false, true] }));
    expect(bw.lower).toBe(2 * 8 + 1);
    expect(bw.upper).toBe(2 * 8 + 1);
  });
  it('rejects an axis that does not exist', () => {
    expect(() => bandOrdering({ shape: [3, 3], periodic: [false, false] }, 2)).toThrow(InputError);
  });
});

describe('BandedSolver against a dense LU oracle', () => {
  const cases = [
    ['2D walls, 5-point', sgOperator(valleySpec(12, 9)), { shape: [12, 9], periodic: [false, false] }, undefined],
    ['2D periodic slow axis, 9-point', sgOperator(tubeSpec(7, 16, 0.05, 0.1)), { shape: [7, 16], periodic: [false, true] }, undefined],
    ['2D periodic slow axis, odd length, fast axis forced', sgOperator(tubeSpec(6, 13, 0.05, 0.1)), { shape: [6, 13], periodic: [false, true] }, 0],
    ['2D long axis first (reordered)', sgOperator(valleySpec(20, 6, 0.05, 0.05)), { shape: [20, 6], periodic: [false, false] }, undefined],
    ['3D periodic, 19-point', sgOperator(valley3dSpec(7, 4, 3, 0.05, 0.05, true)), { shape: [7, 4, 3], periodic: [true, false, false] }, undefined],
  ] as const;
  for (const [name, op, structure, fast] of cases) {
    it(name, () => {
      const sys = backwardEulerSystem(op, 0.01, [0.3, 0.2, 0], 0.4);
      const exact = denseOracleSolve(sys.A, sys.b);
      const s = new BandedSolver(sys.A, { perm: bandOrdering(structure, fast), tol: 1e-12 });
      const x = new Float64Array(op.n);
      const info = s.solve(sys.b, x);
      expect(info.residual).toBeLessThan(1e-12);
      expect(residualNorm(sys.A, x, sys.b)).toBeLessThan(1e-12);
      expect(maxRelDiff(x, exact)).toBeLessThan(1e-10);
      // A new dt: refresh on the same pattern.
      const A2 = shiftedMatrix(op.K, op.volumes, 0.3);
      s.refresh(A2);
      s.solve(sys.b, x);
      expect(maxRelDiff(x, denseOracleSolve(A2, sys.b))).toBeLessThan(1e-10);
    });
  }
  it('b = 0 gives x = 0', () => {
    const op = sgOperator(valleySpec(5, 4));
    const sys = backwardEulerSystem(op, 0.01, [0, 0], 0.3);
    const x = new Float64Array(op.n).fill(1);
    new BandedSolver(sys.A).solve(new Float64Array(op.n), x);
    expect(x.every((v) => v === 0)).toBe(true);
  });
  it('throws NumericalError on a pivot below 1e-14 × row scale', () => {
    const A = csrFromTriplets(3, [0, 0, 1, 1, 2], [0, 1, 0, 1, 2], [1, 2, 0.5, 1, 1]);
    expect(() => new BandedSolver(A)).toThrow(NumericalError);
    const B = csrFromTriplets(2, [0, 1], [1, 0], [1, 1]);
    expect(() => new BandedSolver(B)).toThrow(/pivot/);
  });
});

/** A seeded uniform generator on [0, 1). */
function lcg(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

/**
 * A random diagonally dominant matrix (no pivoting needed) whose row i holds columns i − reach(i)[0] …
 * i + reach(i)[1], each off-diagonal entry dropped with probability `drop`; solved raw (no refinement) and
 * checked against the dense oracle.
 */
function checkRawAgainstOracle(n: number, rand: () => number, reach: (i: number) => readonly [number, number], drop: number, label: string): void {
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    const [l, r] = reach(i);
    let off = 0;
    for (let j = Math.max(0, i - l); j <= Math.min(n - 1, i + r); j++) {
      if (j === i || (drop > 0 && rand() < drop)) continue;
      const v = rand() - 0.5;
      rows.push(i);
      cols.push(j);
      vals.push(v);
      off += Math.abs(v);
    }
    rows.push(i);
    cols.push(i);
    vals.push(off + 0.5 + rand());
  }
  const A = csrFromTriplets(n, rows, cols, vals);
  const b = Float64Array.from({ length: n }, () => rand() * 2 - 1);
  const x = new Float64Array(n);
  new BandedSolver(A).solveRaw(b, x);
  const exact = denseOracleSolve(A, b);
  for (let i = 0; i < n; i++) expect(Math.abs(x[i] - exact[i]), `${label}, entry ${i}`).toBeLessThan(1e-12 * (1 + Math.abs(exact[i])));
}

describe('BandedSolver sweeps, four rows at a time', () => {
  // Every remainder of n mod 4, bands narrower and wider than a block of four, unequal p and q, and n below 4.
  it('agree with the dense oracle for n = 1…23 and random band widths', () => {
    const rand = lcg(12345);
    for (let n = 1; n <= 23; n++) {
      for (const [pl, pu] of [[1, 1], [2, 5], [6, 2], [9, 9], [n, 1]] as const) checkRawAgainstOracle(n, rand, () => [pl, pu], 0, `n ${n}, p ${pl}, q ${pu}`);
    }
  });

  it('rows that reach far on one side only (a ragged envelope): factors and sweeps agree with the dense oracle', () => {
    // Each row reaches the full band on one side and 0–1 columns on the other, at random: the envelope is ragged
    // and its column tops are not monotone — the factorisation and both sweeps stop at the envelope and must
    // still give the exact LU's answer.
    const rand = lcg(777);
    for (const n of [5, 8, 13, 31, 64, 101]) {
      for (const band of [3, 6, 11]) {
        const reach = (): [number, number] => {
          const oneSided = rand() < 0.5;
          const short = Math.floor(rand() * 2);
          return oneSided ? [short, band] : [band, short];
        };
        checkRawAgainstOracle(n, rand, reach, 0.3, `n ${n}, band ${band}`);
      }
    }
  });
});
