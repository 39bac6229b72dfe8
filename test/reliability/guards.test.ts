/**
 * Guarded numerics, each guard triggered on purpose: a non-finite state or
 * operator coefficient stops with where it appeared; a linear solve that
 * misses its tolerance is retried with smaller steps and then stops with its
 * residual history; TR-BDF2 steps that go negative on an M-matrix operator are
 * redone with backward Euler and counted; a Σ that is not finite is refused by
 * field; a grid that cannot resolve √(ηΩ) and a grid too large for memory are
 * refused before the run with the numbers.
 */
import { describe, expect, it } from 'vitest';
import { cartesianGrid } from '../../src/grid/cartesian.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { formulaNoise } from '../../src/noise/formula-noise.js';
import { checkNoiseAt } from '../../src/noise/check-noise.js';
import { assembleOperator } from '../../src/operator/assemble.js';
import { faceCoefficients } from '../../src/operator/face-coefficients.js';
import { buildProblem, initialDensity, solverFactory } from '../../src/pipeline.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import { InputError, NumericalError } from '../../src/util/errors.js';
import { valleyCartesian } from '../support/cases.js';

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return null;
}

describe('guards', () => {
  it('a non-finite density stops the run naming the cell and the time', () => {
    const p = buildProblem(valleyCartesian({}, [24, 16]));
    const rho = initialDensity(p);
    rho[37] = NaN;
    const st = new ImplicitStepper(p.K, p.grid.volumes, { scheme: 'backward-euler', dt: 0.01, makeSolver: solverFactory(p.grid) });
    const e = catchError(() => st.advance(rho, 0, 0.02));
    expect(e).toBeInstanceOf(NumericalError);
    expect((e as Error).message).toMatch(/not finite \(NaN\) at cell 37, t = 0/);
  });

  it('a non-finite operator coefficient stops assembly naming the face and θ', () => {
    const grid = cartesianGrid({ bounds: [[-1, 1], [-1, 1]], shape: [8, 8] });
    const e = catchError(() =>
      faceCoefficients(grid, {
        dim: 2,
        potential: (x) => x[0] * x[0],
        potentialGrad: (x, out) => {
          out[0] = x[0] > 0.5 ? Infinity : 2 * x[0];
          out[1] = 0;
        },
        diffusion: (_x, out) => out.set([0.5, 0, 0, 0.5]),
      }),
    );
    // Normal drifts come from potential differences; the tangential gradient is only used on
    // non-orthogonal maps — so poison the diffusion instead, which every face uses.
    const e2 = catchError(() =>
      faceCoefficients(grid, {
        dim: 2,
        potential: (x) => x[0] * x[0],
        potentialGrad: (x, out) => out.set([2 * x[0], 0]),
        diffusion: (x, out) => out.set([x[0] > 0.5 ? NaN : 0.5, 0, 0, 0.5]),
      }),
    );
    expect(e === null || e instanceof NumericalError).toBe(true);
    expect(e2).toBeInstanceOf(NumericalError);
    expect((e2 as Error).message).toMatch(/not finite at face \d+ .*θ = \(/);
  });

  it('a Σ that is not finite on the grid is refused with the field and the point', () => {
    const noise = formulaNoise([['log(x)', '0'], ['0', '1']], ['x', 'y']);
    const pts = Float64Array.from([0.5, 0, -0.5, 0]);
    const e = catchError(() => checkNoiseAt(noise, pts, 'noise.Sigma', ['x', 'y']));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe('noise.Sigma');
  });

  it('a solve that misses its tolerance is retried with smaller steps (which can succeed)', () => {
    const p = buildProblem(valleyCartesian({}, [24, 16]));
    const rho = initialDensity(p);
    const st = new ImplicitStepper(p.K, p.grid.volumes, {
      scheme: 'tr-bdf2',
      dtInitial: 0.05,
      makeSolver: (A) => makeSolver(A, { method: 'ilu-bicgstab', tol: 1e-12, maxIter: 2 }),
    });
    st.advance(rho, 0, 0.1);
    console.log(`one-iteration solver: ${st.stats.rejected} steps refused and retried smaller, ${st.stats.steps} accepted`);
    expect(st.stats.rejected).toBeGreaterThan(0);
    expect(st.stats.steps).toBeGreaterThan(0);
  });

  it('a solve that cannot meet its tolerance stops the run with the residual history', () => {
    const p = buildProblem(valleyCartesian({}, [24, 16]));
    const rho = initialDensity(p);
    const st = new ImplicitStepper(p.K, p.grid.volumes, {
      scheme: 'tr-bdf2',
      makeSolver: (A) => makeSolver(A, { method: 'ilu-bicgstab', tol: 1e-300, maxIter: 2 }),
    });
    const e = catchError(() => st.advance(rho, 0, 0.1));
    expect(e).toBeInstanceOf(NumericalError);
    expect(st.stats.rejected).toBeGreaterThanOrEqual(8);
    const detail = (e as NumericalError).detail as { history?: number[]; residual?: number };
    expect(Array.isArray(detail.history)).toBe(true);
    expect(detail.residual).toBeGreaterThan(1e-300);
  });

  it('TR-BDF2 steps that go negative on an M-matrix operator are redone with backward Euler and counted', () => {
    // A sharp start and steps far larger than the collapse time: the trapezoidal stage overshoots.
    const p = buildProblem(valleyCartesian({ eta: 0.05, initial: { kind: 'gaussian', mean: [0.5, 0.6], cov: [[0.002, 0], [0, 0.002]] } }, [48, 32]));
    const rho = initialDensity(p);
    const st = new ImplicitStepper(p.K, p.grid.volumes, { scheme: 'tr-bdf2', dt: 0.05, makeSolver: solverFactory(p.grid) });
    st.advance(rho, 0, 0.5);
    console.log(`TR-BDF2 with dt = 0.05: ${st.stats.beFallbacks} of ${st.stats.steps} steps redone with backward Euler; min ρ ${st.stats.minDensity.toExponential(2)}`);
    expect(st.mMatrix).toBe(true);
    expect(st.stats.beFallbacks).toBeGreaterThan(0);
    expect(st.stats.minDensity).toBeGreaterThanOrEqual(-1e-6 * Math.max(...rho));
  });

  it('a Cartesian grid that cannot resolve √(ηΩ) across Γ is refused with the numbers', () => {
    const e = catchError(() => buildProblem(valleyCartesian({ eta: 1e-4 }, [64, 32])));
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).field).toBe('grid.shape');
    expect((e as Error).message).toMatch(/cannot resolve the predicted width √\(ηΩ\) = [\d.e-]+/);
  });

  it('a grid too large for memory is refused before anything is allocated', () => {
    const e = catchError(() => buildProblem(valleyCartesian({}, [40000, 40000])));
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toMatch(/1\.60e\+9 cells .*GB/);
  });
});
