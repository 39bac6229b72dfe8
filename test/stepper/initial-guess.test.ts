/**
 * With an iterative solver the stepper starts each solve from an extrapolation
 * in time and runs the error-estimate solve to a loose tolerance. Neither may
 * change the answer beyond the solver's tolerance: the same run with the
 * solver's `iterative` flag hidden (every solve from the last state, full
 * tolerance) must give the same density, the same accepted steps, and more
 * iterations.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import type { Csr, LinearSolver } from '../../src/linalg/types.js';
import { buildProblem, initialDensity, solverFactory } from '../../src/pipeline.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import { maxRelDiff } from '../support/assertions.js';

function run(plain: boolean, frames: number[]) {
  const spec = loadCase('valley-cartesian');
  spec.grid = { kind: 'cartesian', bounds: spec.grid.kind === 'cartesian' ? spec.grid.bounds : [[-2, 2], [-1, 1]], shape: [160, 160] };
  const problem = buildProblem(spec);
  const base = solverFactory(problem.grid);
  const makeSolver = (A: Csr): LinearSolver => {
    const s = base(A);
    if (!plain) return s;
    // Same solver, seen as direct: no extrapolated guess, and full tolerance for the error estimate.
    return { name: s.name, solve: (b, x) => s.solve(b, x) };
  };
  const stepper = new ImplicitStepper(problem.K, problem.grid.volumes, { scheme: 'tr-bdf2', rtol: 1e-4, dtInitial: 1e-3, makeSolver });
  const rho = initialDensity(problem);
  let t = 0;
  for (const tf of frames) t = stepper.advance(rho, t, tf);
  return { rho, stats: stepper.stats, name: stepper.solverName };
}

describe('extrapolated initial guesses and the loose error-estimate solve', () => {
  it('same density and steps as plain guesses, fewer iterations', () => {
    const frames = [0.05, 0.1, 0.2];
    const a = run(false, frames);
    const b = run(true, frames);
    expect(a.name).toMatch(/mg/);
    expect(a.stats.steps).toBe(b.stats.steps);
    expect(a.stats.rejected).toBe(b.stats.rejected);
    expect(maxRelDiff(a.rho, b.rho)).toBeLessThan(1e-7);
    console.log(`iterations per solve: extrapolated ${(a.stats.iterations / a.stats.solves).toFixed(2)}, plain ${(b.stats.iterations / b.stats.solves).toFixed(2)} (${a.stats.steps} steps)`);
    expect(a.stats.iterations).toBeLessThan(b.stats.iterations);
  });

});
