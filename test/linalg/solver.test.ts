import { describe, expect, it } from 'vitest';
import { csrFromTriplets, residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { chooseMethod, makeSolver, type ConcreteMethod } from '../../src/linalg/solver.js';
import { InputError, NumericalError } from '../../src/util/errors.js';
import { backwardEulerSystem, denseOracleSolve, sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';
import { maxRelDiff } from '../support/assertions.js';


describe('makeSolver: every method against the dense oracle, then refresh for a new dt', () => {
  const cases = [
    ['2D periodic tube with cross terms', sgOperator(tubeSpec(10, 24, 0.05, 0.1)), { shape: [10, 24], periodic: [false, true] }],
    ['3D periodic with cross terms', sgOperator(valley3dSpec(8, 5, 4, 0.05, 0.05, true)), { shape: [8, 5, 4], periodic: [true, false, false] }],
  ] as const;
  const methods: ConcreteMethod[] = ['dense', 'banded', 'ilu-bicgstab', 'mg-bicgstab', 'mg-gmres'];
  for (const [name, op, structure] of cases) {
    const sys = backwardEulerSystem(op, 0.01, [0.3, 1, 0], 0.4);
    const exact = denseOracleSolve(sys.A, sys.b);
    const A2 = shiftedMatrix(op.K, op.volumes, 0.07);
    const exact2 = denseOracleSolve(A2, sys.b);
    for (const method of methods) {
      it(`${name}: ${method}`, () => {
        const s = makeSolver(sys.A, { method, structure, tol: 1e-11, multigrid: { coarsestSize: 30 } });
        expect(s.method).toBe(method);
        const x = new Float64Array(op.n);
        const info = s.solve(sys.b, x);
        expect(info.converged).toBe(true);
        expect(info.residual).toBeLessThanOrEqual(1e-11);
        expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
        expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
        s.refresh(A2);
        s.solve(sys.b, x);
        expect(residualNorm(A2, x, sys.b)).toBeLessThanOrEqual(1e-11);
        expect(maxRelDiff(x, exact2)).toBeLessThan(1e-8);
      });
    }
  }
});

describe("chooseMethod ('auto')", () => {
  it('dense for tiny systems, ILU without structure, banded for a narrow 2D grid, multigrid otherwise', () => {
    const small = sgOperator(valleySpec(10, 10)).K;
    expect(chooseMethod(small)).toBe('dense');
    const tube = sgOperator(tubeSpec(16, 40, 0.05, 0.1)).K;
    expect(chooseMethod(tube)).toBe('ilu-bicgstab');
    expect(chooseMethod(tube, { structure: { shape: [16, 40], periodic: [false, true] } })).toBe('banded');
    const wide = sgOperator(valleySpec(130, 130)).K;
    expect(chooseMethod(wide, { structure: { shape: [130, 130], periodic: [false, false] } })).toBe('mg-bicgstab');
    const cube = sgOperator(valley3dSpec(8, 8, 8)).K;
    expect(chooseMethod(cube, { structure: { shape: [8, 8, 8], periodic: [false, false, false] } })).toBe('mg-bicgstab');
    expect(chooseMethod(cube, { method: 'ilu-bicgstab' })).toBe('ilu-bicgstab');
  });
});

describe('makeSolver: errors', () => {
  const op = sgOperator(valleySpec(20, 16));
  const sys = backwardEulerSystem(op, 0.01, [0, 0], 0.3);
  it('bad options are InputErrors naming the field', () => {
    expect(() => makeSolver(sys.A, { tol: 0 })).toThrow(InputError);
    expect(() => makeSolver(sys.A, { maxIter: 0 })).toThrow(/maxIter/);
    expect(() => makeSolver(sys.A, { method: 'lu' as never })).toThrow(/method/);
    expect(() => makeSolver(sys.A, { structure: { shape: [20, 15], periodic: [false, false] } })).toThrow(/structure.shape/);
    expect(() => makeSolver(sys.A, { method: 'mg-bicgstab' })).toThrow(/structure/);
    expect(() => makeSolver(sys.A, { bandOrderAxis: 3, structure: { shape: [20, 16], periodic: [false, false] } })).toThrow(/bandOrderAxis/);
  });
  it('an iterative method stopped at maxIter 1 throws NumericalError with the history (no ladder)', () => {
    for (const method of ['ilu-bicgstab', 'mg-gmres'] as const) {
      const s = makeSolver(sys.A, { method, maxIter: 1, ladder: false, structure: { shape: [20, 16], periodic: [false, false] }, multigrid: { coarsestSize: 10 } });
      try {
        s.solve(sys.b, new Float64Array(op.n));
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(NumericalError);
        expect((e as NumericalError).exitCode).toBe(3);
        expect((e as NumericalError).detail.iterations).toBe(1);
      }
    }
  });
  it('with the ladder, the same stopped solves are finished by the banded rung', () => {
    for (const method of ['ilu-bicgstab', 'mg-gmres'] as const) {
      const s = makeSolver(sys.A, { method, maxIter: 1, structure: { shape: [20, 16], periodic: [false, false] }, multigrid: { coarsestSize: 10 } });
      const x = new Float64Array(op.n);
      const info = s.solve(sys.b, x);
      expect(info).toMatchObject({ converged: true, rung: 'direct', fallback: true });
      expect(residualNorm(sys.A, x, sys.b)).toBeLessThan(1e-10);
    }
  });
  it('a singular matrix is refused by the direct methods', () => {
    const S = csrFromTriplets(3, [0, 1, 2, 2], [0, 1, 0, 1], [1, 1, 1, 1]);
    expect(() => makeSolver(S, { method: 'dense' })).toThrow(NumericalError);
    expect(() => makeSolver(S, { method: 'banded' })).toThrow(NumericalError);
  });
});
