import { describe, expect, it } from 'vitest';
import { csrFromTriplets, matVec, residual, residualNorm } from '../../src/linalg/csr.js';
import { Ilu0 } from '../../src/linalg/ilu0.js';
import { BiCgStab, Gmres, identityPreconditioner } from '../../src/linalg/krylov.js';
import { NumericalError } from '../../src/util/errors.js';
import { backwardEulerSystem, denseOracleSolve, sgOperator, tubeSpec, valley3dSpec } from './sg-operator.js';
import { maxRelDiff } from '../support/assertions.js';


const systems = [
  ['2D periodic tube, 9-point cross terms', backwardEulerSystem(sgOperator(tubeSpec(10, 14, 0.05, 0.1)), 0.01, [0.2, 2], 0.4)],
  ['3D periodic, 19-point cross terms', backwardEulerSystem(sgOperator(valley3dSpec(6, 5, 4, 0.05, 0.05, true)), 0.02, [1, 0.1, 0], 0.5)],
] as const;

describe('BiCGSTAB and GMRES against a dense LU oracle', () => {
  for (const [name, sys] of systems) {
    const exact = denseOracleSolve(sys.A, sys.b);
    for (const side of ['right', 'left'] as const) {
      for (const pc of ['ilu0', 'none'] as const) {
        const preconditioner = pc === 'ilu0' ? new Ilu0(sys.A) : identityPreconditioner;
        it(`${name}: BiCGSTAB ${side} ${pc}`, () => {
          const x = new Float64Array(sys.A.n);
          const info = new BiCgStab(sys.A, { tol: 1e-11, side, preconditioner, maxIter: 2000 }).solve(sys.b, x);
          expect(info.converged).toBe(true);
          expect(info.residual).toBeLessThanOrEqual(1e-11);
          expect(residualNorm(sys.A, x, sys.b)).toBeCloseTo(info.residual, 15);
          expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
        });
        it(`${name}: GMRES(20) ${side} ${pc}`, () => {
          const x = new Float64Array(sys.A.n).fill(1);
          const info = new Gmres(sys.A, { tol: 1e-11, side, preconditioner, restart: 20, maxIter: 5000 }).solve(sys.b, x);
          expect(info.residual).toBeLessThanOrEqual(1e-11);
          expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
          expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
        });
      }
    }
  }
});

describe('Krylov edge cases', () => {
  const sys = systems[0][1];
  it('b = 0 returns x = 0 with zero iterations', () => {
    for (const s of [new BiCgStab(sys.A), new Gmres(sys.A)]) {
      const x = new Float64Array(sys.A.n).fill(3);
      const info = s.solve(new Float64Array(sys.A.n), x);
      expect(info.iterations).toBe(0);
      expect(x.every((v) => v === 0)).toBe(true);
    }
  });
  it('maxIter 1 throws NumericalError carrying iterations and residual history', () => {
    for (const s of [new BiCgStab(sys.A, { maxIter: 1 }), new Gmres(sys.A, { maxIter: 1 })]) {
      let err: unknown;
      try {
        s.solve(sys.b, new Float64Array(sys.A.n));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NumericalError);
      const detail = (err as NumericalError).detail;
      expect(detail.iterations).toBe(1);
      expect(Array.isArray(detail.history)).toBe(true);
      expect((detail.history as number[]).length).toBeGreaterThan(0);
      expect(detail.residual as number).toBeGreaterThan(1e-10);
    }
  });
  it('an exact initial guess returns after zero iterations', () => {
    const x = denseOracleSolve(sys.A, sys.b);
    const info = new BiCgStab(sys.A, { tol: 1e-8 }).solve(sys.b, x);
    expect(info.iterations).toBe(0);
  });
  it('NaN in the right-hand side is a NumericalError', () => {
    const b = sys.b.slice();
    b[3] = NaN;
    expect(() => new BiCgStab(sys.A).solve(b, new Float64Array(sys.A.n))).toThrow(NumericalError);
  });
});

describe('ILU(0)', () => {
  it('is the exact LU for a tridiagonal matrix (no fill)', () => {
    const n = 30;
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      r.push(i);
      c.push(i);
      v.push(4 + Math.sin(i));
      if (i > 0) r.push(i), c.push(i - 1), v.push(-1.3);
      if (i + 1 < n) r.push(i), c.push(i + 1), v.push(-0.7);
    }
    const A = csrFromTriplets(n, r, c, v);
    const x = Float64Array.from({ length: n }, (_, i) => i * 0.1 - 1);
    const b = matVec(A, x, new Float64Array(n));
    const z = new Float64Array(n);
    new Ilu0(A).apply(b, z);
    expect(maxRelDiff(z, x)).toBeLessThan(1e-14);
  });
  it('refuses a zero pivot', () => {
    const A = csrFromTriplets(2, [0, 1], [1, 0], [1, 1]);
    expect(() => new Ilu0(A)).toThrow(NumericalError);
  });
});

describe('a fast operator inside the recurrence and the true-residual check, checked against the CSR matrix once per matrix', () => {
  const sys = backwardEulerSystem(sgOperator(tubeSpec(10, 14, 0.05, 0.1)), 0.01, [0.2, 2], 0.4);
  const exact = denseOracleSolve(sys.A, sys.b);
  const csrOp = { matVec: (x: Float64Array, y: Float64Array) => void matVec(sys.A, x, y), residual: (b: Float64Array, x: Float64Array, r: Float64Array) => void residual(sys.A, x, b, r) };
  it('BiCGSTAB and GMRES with an operator equal to A converge to the oracle', () => {
    for (const solver of [new BiCgStab(sys.A, { tol: 1e-11, preconditioner: new Ilu0(sys.A), operator: csrOp }), new Gmres(sys.A, { tol: 1e-11, preconditioner: new Ilu0(sys.A), operator: csrOp })]) {
      const x = new Float64Array(sys.A.n);
      const info = solver.solve(sys.b, x);
      expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
      expect(info.residual).toBeLessThanOrEqual(1e-11);
      expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
    }
  });
  it('an operator equal to A up to the order of its sums passes the check (25-entry rows, entries ≪ the vector)', () => {
    // Rows of 25 entries (a 5×5 block of neighbours, periodic), values spread over four decades and small against
    // the vector's entries, as in M − dt·K on fine cells (the residual check then subtracts many terms from vᵢ).
    const side = 48;
    const n = side * side;
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < n; i++) {
      let off = 0;
      for (let d1 = -2; d1 <= 2; d1++)
        for (let d0 = -2; d0 <= 2; d0++) {
          if (d0 === 0 && d1 === 0) continue;
          const j = ((i % side) + d0 + side) % side + side * ((Math.floor(i / side) + d1 + side) % side);
          const a = -Math.abs(Math.sin(3.1 * i + 7.7 * j)) * 10 ** ((i + j) % 4 - 9);
          rows.push(i);
          cols.push(j);
          vals.push(a);
          off += Math.abs(a);
        }
      rows.push(i);
      cols.push(i);
      vals.push(1.5 * off + 1e-7);
    }
    const A = csrFromTriplets(n, Int32Array.from(rows), Int32Array.from(cols), Float64Array.from(vals));
    // Sums in reverse order of the CSR row.
    const reversed = {
      matVec: (x: Float64Array, y: Float64Array) => {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let k = A.rowPtr[i + 1] - 1; k >= A.rowPtr[i]; k--) s += A.values[k] * x[A.colIdx[k]];
          y[i] = s;
        }
      },
      residual: (b: Float64Array, x: Float64Array, r: Float64Array) => {
        for (let i = 0; i < n; i++) {
          let s = b[i];
          for (let k = A.rowPtr[i + 1] - 1; k >= A.rowPtr[i]; k--) s -= A.values[k] * x[A.colIdx[k]];
          r[i] = s;
        }
      },
    };
    const b = Float64Array.from({ length: n }, (_, i) => 1 + Math.cos(i));
    const x = new Float64Array(n);
    const info = new BiCgStab(A, { tol: 1e-11, preconditioner: new Ilu0(A), operator: reversed }).solve(b, x);
    expect(info.converged).toBe(true);
    expect(residualNorm(A, x, b)).toBeLessThanOrEqual(1e-11);
  });
  it('an operator that differs from A is caught before the solve (NumericalError, no silent answer)', () => {
    const wrong = {
      matVec: (x: Float64Array, y: Float64Array) => {
        matVec(sys.A, x, y);
        for (let i = 0; i < y.length; i++) y[i] *= 1.01;
      },
      residual: (b: Float64Array, x: Float64Array, r: Float64Array) => {
        matVec(sys.A, x, r);
        for (let i = 0; i < r.length; i++) r[i] = b[i] - 1.01 * r[i];
      },
    };
    const x = new Float64Array(sys.A.n);
    expect(() => new BiCgStab(sys.A, { tol: 1e-11, preconditioner: new Ilu0(sys.A), operator: wrong, maxIter: 200 }).solve(sys.b, x)).toThrow(NumericalError);
  });
  it('stationary phase (x += M⁻¹r while it contracts) then BiCGSTAB: same answer; a weak M hands over to BiCGSTAB', () => {
    for (const factor of [0.5, 0.05]) {
      const x = new Float64Array(sys.A.n);
      const info = new BiCgStab(sys.A, { tol: 1e-11, preconditioner: new Ilu0(sys.A), stationaryFactor: factor }).solve(sys.b, x);
      expect(info.residual).toBeLessThanOrEqual(1e-11);
      expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
      expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
    }
    // Without a preconditioner the step x += r contracts poorly (or not at all): the phase hands over at once.
    const x = new Float64Array(sys.A.n);
    const info = new BiCgStab(sys.A, { tol: 1e-11, stationaryFactor: 0.5, maxIter: 2000 }).solve(sys.b, x);
    expect(info.residual).toBeLessThanOrEqual(1e-11);
    expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
  });
});
