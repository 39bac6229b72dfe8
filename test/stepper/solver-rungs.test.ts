/**
 * The stepper counts which rung of the solver ladder (linalg/ladder.ts) finished each solve and each step
 * (StepperStats.rungSolves, rungSteps, fallbacks, fallbackSteps), and the run's summary, console text and report
 * warn when a fallback rung was needed.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { formatRunSummary } from '../../src/cli/summary-text.js';
import { makeSolver } from '../../src/linalg/solver.js';
import type { Csr } from '../../src/linalg/types.js';
import { renderReportHtml } from '../../src/output/report-html.js';
import { buildProblem, initialDensity, solverFactory, type RunSummary } from '../../src/pipeline.js';
import { fallbackWarning } from '../../src/pipeline/run-summary.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import { FALLBACK_STEPS_KEPT } from '../../src/stepper/types.js';

function stepped(makeFor: (grid: { shape: readonly number[]; periodic: readonly boolean[] }) => (A: Csr) => ReturnType<typeof makeSolver>, steps: number) {
  const spec = loadCase('hyperbola-label');
  spec.grid = { kind: 'tube', along: 48, across: 12, halfWidth: 8 };
  const problem = buildProblem(spec, 0.02);
  const stepper = new ImplicitStepper(problem.K, problem.grid.volumes, { scheme: 'tr-bdf2', dt: 0.5 / steps, makeSolver: makeFor(problem.grid) });
  const rho = initialDensity(problem);
  stepper.advance(rho, 0, 0.5);
  return { stepper, rho };
}

describe('solver rungs in the stepper statistics', () => {
  it('a run whose solves the first rung finishes: every solve and step under that rung, no fallback', () => {
    const st = stepped((grid) => solverFactory(grid), 8).stepper.stats;
    expect(st.rungSolves).toEqual({ direct: st.solves });
    expect(st.rungSteps).toEqual({ direct: st.steps });
    expect([st.fallbacks, st.fallbackSteps.length]).toEqual([0, 0]);
  });
  it('a multigrid ladder whose iterative rungs may take one iteration: the banded rung finishes, counted as fallbacks', () => {
    const { stepper, rho } = stepped((grid) => (A) => makeSolver(A, { method: 'mg-bicgstab', maxIter: 1, structure: grid, multigrid: { coarsestSize: 40 } }), 30);
    const st = stepper.stats;
    expect(st.steps).toBe(30);
    expect(st.rungSolves).toEqual({ direct: st.solves });
    expect(st.rungSteps).toEqual({ direct: 30 });
    expect(st.fallbacks).toBe(st.solves);
    expect(st.fallbackSteps).toHaveLength(FALLBACK_STEPS_KEPT);
    expect(st.fallbackSteps[0]).toEqual({ step: 1, t: 0.5 / 30, rung: 'direct' });
    // A snapshot (checkpoint) is a copy: later steps do not change it.
    const snap = stepper.snapshot();
    const before = snap.stats.rungSolves.direct;
    stepper.advance(rho, 0.5, 0.6);
    expect(snap.stats.rungSolves.direct).toBe(before);
    expect(stepper.stats.rungSolves.direct).toBeGreaterThan(before!);
    expect(snap.stats.fallbackSteps).toHaveLength(FALLBACK_STEPS_KEPT);
  });
});

describe('the warning of a fallback in the summary, the console text and the report', () => {
  const solver: RunSummary['solver'] = {
    name: 'mg-bicgstab:mg-iteration+bicgstab(right)', factorizations: 3, solves: 120, iterationsPerSolve: 6, setupSeconds: 0.1, solveSeconds: 2,
    solvesByRung: { mg: 117, krylov: 3 }, stepsByRung: { mg: 38, krylov: 2 }, fallbacks: 3,
    fallbackSteps: [{ step: 12, t: 0.0305, rung: 'krylov' }, { step: 13, t: 0.0312, rung: 'krylov' }],
  };
  it('names the first rung, the fallbacks, the first step that needed one and the solves by rung; none without fallbacks', () => {
    expect(fallbackWarning(solver)).toBe(
      "the linear solver's first rung (mg-bicgstab:mg-iteration+bicgstab(right)) failed and a fallback rung finished 3 of 120 solves (2 of 40 steps; the first at step 12 (t = 0.0305, rung krylov); solves by rung: mg 117, krylov 3); every solve still reached its tolerance — see summary.solver",
    );
    expect(fallbackWarning({ ...solver, fallbacks: 0, fallbackSteps: [] })).toBeNull();
  });
  it('run prints the solver line and every warning; the report shows them in a box', () => {
    const summary = { case: 'c', eta: 0.01, grid: { kind: 'tube', cells: 100, shape: [] }, solver, warnings: [fallbackWarning(solver)!], outputs: [] } as unknown as RunSummary;
    const text = formatRunSummary(summary);
    expect(text).toMatch(/solver +mg-bicgstab:mg-iteration\+bicgstab\(right\), 120 solves, 6 iterations each \(rungs: mg 117, krylov 3, 3 by a fallback\)/);
    expect(text).toMatch(/warning +the linear solver's first rung/);
    const html = renderReportHtml({ meta: { case: 'c', eta: 0.01, gridKind: 'tube', dim: 2, cells: 100, variables: ['u', 'v'] }, summary: summary as unknown as Record<string, unknown> } as never);
    expect(html).toContain(`<div class="warnings"><h2>Warnings</h2><ul><li>${fallbackWarning(solver)}</li></ul></div>`);
    expect(renderReportHtml({ meta: { case: 'c', eta: 0.01, gridKind: 'tube', dim: 2, cells: 100, variables: ['u', 'v'] }, summary: { ...summary, warnings: [] } } as never)).not.toContain('class="warnings"');
  });
});
