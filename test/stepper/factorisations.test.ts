/**
 * Factorisations are the dear part of a banded run (one costs about ten steps). Two rules keep their number
 * down without changing what is solved:
 *  - output intervals that are equal in exact arithmetic (frame times k·T/n) share one matrix per step
 *    level, although t₁ − t₀ differs in the last bits from frame to frame;
 *  - a direct solver pushed out of the cache is rebuilt in place for the next matrix and gives exactly what
 *    a new solver would.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import type { Csr, LinearSolver } from '../../src/linalg/types.js';
import { buildProblem, initialDensity, solverFactory } from '../../src/pipeline.js';
import { canonicalShift, ImplicitStepper } from '../../src/stepper/implicit.js';

function tubeProblem() {
  const spec = loadCase('hyperbola-label');
  spec.grid = { kind: 'tube', along: 96, across: 16, halfWidth: 8 };
  return buildProblem(spec, 0.02);
}

function run(frames: number[], opts: { cacheSize?: number; hideRebuild?: boolean } = {}) {
  const problem = tubeProblem();
  const base = solverFactory(problem.grid);
  let built = 0;
  const makeSolver = (A: Csr): LinearSolver => {
    built++;
    const s = base(A);
    return opts.hideRebuild ? { name: s.name, solve: (b, x) => s.solve(b, x) } : s;
  };
  const stepper = new ImplicitStepper(problem.K, problem.grid.volumes, { scheme: 'tr-bdf2', makeSolver, cacheSize: opts.cacheSize });
  const rho = initialDensity(problem);
  const afterFrame: number[] = [];
  let t = 0;
  for (const tf of frames) {
    t = stepper.advance(rho, t, tf);
    afterFrame.push(stepper.stats.factorizations);
  }
  return { rho, stats: stepper.stats, afterFrame, built, name: stepper.solverName };
}

const frames = Array.from({ length: 60 }, (_, k) => ((k + 1) * 0.5) / 60);

describe('factorisations per step level', () => {
  it('canonicalShift maps shifts that differ in the last bits to one value, and moves none by more than 2^-37', () => {
    const intervals = new Set(frames.map((t, k) => t - (k === 0 ? 0 : frames[k - 1])));
    expect(intervals.size).toBeGreaterThan(1); // the frame intervals really differ in their last bits
    const d = 1 - Math.SQRT1_2;
    const shifts = new Set([...intervals].map((h) => canonicalShift(d * h)));
    expect(shifts.size).toBe(1);
    for (const x of [1e-9, 3.7e-5, 0.1234567, 1, 2.5e3]) {
      expect(Math.abs(canonicalShift(x) - x) / x).toBeLessThanOrEqual(2 ** -37);
      expect(canonicalShift(canonicalShift(x))).toBe(canonicalShift(x));
    }
  });

  it('frames at k·T/n stop adding factorisations once the step level settles', () => {
    const r = run(frames);
    expect(r.name).toMatch(/banded/);
    const settled = r.afterFrame[9];
    console.log(`factorisations after frames 1, 10, 60: ${r.afterFrame[0]}, ${settled}, ${r.afterFrame[59]} (${r.stats.steps} steps)`);
    expect(r.afterFrame[59]).toBe(settled);
    expect(r.stats.factorizations).toBeLessThan(12);
  });

  it('a solver rebuilt in place for a new matrix gives the same density, bit for bit, as new solvers', () => {
    const few = frames.slice(0, 12);
    const a = run(few, { cacheSize: 1 });
    const b = run(few, { cacheSize: 1, hideRebuild: true });
    expect(a.stats.factorizations).toBe(b.stats.factorizations);
    expect(a.stats.factorizations).toBeGreaterThan(2);
    expect(a.built).toBe(1); // one solver, rebuilt for every later matrix
    expect(b.built).toBe(b.stats.factorizations);
    expect(a.stats.steps).toBe(b.stats.steps);
    for (let i = 0; i < a.rho.length; i++) if (a.rho[i] !== b.rho[i]) expect.fail(`cell ${i}: ${a.rho[i]} vs ${b.rho[i]}`);
  });
});
