/**
 * The operators the linear solver must solve (issue 20). Systems A = M − c·h·K with c = 1 − 1/√2 (the
 * TR-BDF2 stage shift) at the smallest step a run starts with (h = min(T/1000, 0.05η)) and at the largest it
 * allows (h = T/frames), right-hand side M·ρ₀ (the case's initial density) and M·(a positive random
 * density), solved by the solver the pipeline builds (`solverFactory`: banded, multigrid or dense, each with its
 * ladder) and by the multigrid ladder forced ('mg-bicgstab'), on
 *  * every shipped case (grids/*.json) on its own grid, and the xyz = 1 isotropic shell of issue 20
 *    (examples/xyz-iso.json, 64²×32);
 *  * ≥ 200 random valid tube and shell cases on small grids (solver-corpus-cases.ts): both noise kinds,
 *    graded and uniform, widthAlong constant and local.
 * Every solve must reach the tolerance 1e-10 in the true relative residual, whatever rung finishes it; the
 * rungs are counted and printed; on the shipped operators the pipeline's solver must finish on its first rung. Property: on the shipped operators the multigrid cycle alone,
 * x ← x + B⁻¹(b − Ax), contracts: every cycle's residual ratio after the first is < 1 (a convergent
 * iteration; hyperbola-iso at h = T/frames grew it ×3.7e10 a cycle while linear interpolation was kept on coarse
 * levels where Gauss–Seidel diverges). The factors are printed per case, issue 20's shell included.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { shippedCaseNames } from '../../src/case/case-paths.js';
import { loadCase, parseCase } from '../../src/case/schema.js';
import { residual, residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { Multigrid } from '../../src/linalg/multigrid.js';
import { makeSolver } from '../../src/linalg/solver.js';
import type { Csr, LinearSolver, SolveInfo } from '../../src/linalg/types.js';
import { buildProblem, initialDensity, solverFactory, type Problem } from '../../src/pipeline.js';
import { xyzIsoJson } from '../support/xyz-iso-case.js';
import { corpusCase } from './solver-corpus-cases.js';

const TOL = 1e-10;
/** Coarsest multigrid level of the forced multigrid solves (the default 1500 would solve most small grids directly). */
const MG_COARSEST = 24;
const STAGE_SHIFT = 1 - Math.SQRT1_2;
const tallies: Record<string, Record<string, number>> = {};

afterAll(() => {
  for (const [group, t] of Object.entries(tallies)) console.log(`solver corpus, ${group}: ${JSON.stringify(t)}`);
});

function count(group: string, key: string): void {
  const t = (tallies[group] ??= {});
  t[key] = (t[key] ?? 0) + 1;
}

/** The corpus systems of a problem: the smallest and the largest step, ρ₀ and a random positive density. */
function systems(p: Problem): { h: string; A: Csr; b: Float64Array }[] {
  const { spec, grid } = p;
  const M = grid.volumes;
  const rho0 = initialDensity(p);
  let s = 0x2545f491;
  const rand = Float64Array.from(rho0, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return 0.5 + (s >>> 0) / 2 ** 32;
  });
  const frames = spec.time.frames ?? spec.output.frames;
  const steps = [['small', Math.min(spec.time.end / 1000, 0.05 * p.eta)], ['large', spec.time.end / frames]] as const;
  return steps.map(([h, dt], i) => ({ h, A: shiftedMatrix(p.K, M, STAGE_SHIFT * dt), b: Float64Array.from(i === 0 ? rho0 : rand, (v, c) => v * M[c]) }));
}

/** Solves A x = b from x = 0 and checks the true residual; counts the rung under `group`. */
function solveChecked(solver: LinearSolver, A: Csr, b: Float64Array, group: string): SolveInfo {
  const x = new Float64Array(A.n);
  const info = solver.solve(b, x);
  expect(residualNorm(A, x, b)).toBeLessThanOrEqual(TOL);
  count(group, info.rung ?? 'unnamed');
  if (info.fallback) count(group, 'fallbacks');
  solver.dispose?.();
  return info;
}

/**
 * Both solvers on every system of p: the pipeline's (with its ladder) and the multigrid ladder forced. With
 * `firstRung`, the pipeline's solver must finish on its own first rung (no fallback).
 */
function solveAll(p: Problem, group: string, firstRung = false): string[] {
  const structure = { shape: p.grid.shape, periodic: p.grid.periodic };
  const out: string[] = [];
  const show = (i: SolveInfo) => `${i.rung}${i.fallback ? ' (fallback)' : ''}, ${i.iterations} iterations`;
  for (const { h, A, b } of systems(p)) {
    const solver = solverFactory(p.grid)(A);
    const viaMg = solver.name.startsWith('mg-bicgstab');
    const auto = solveChecked(solver, A, b, `${group}, the pipeline's solver`);
    if (firstRung) expect(auto.fallback ?? false, `${h} step: ${solver.name} fell back to ${auto.rung}`).toBe(false);
    // The multigrid ladder forced where the pipeline chose another method (there it is the same solve), with a
    // coarsest level small enough that the small grids get a hierarchy of several levels.
    const mg = viaMg ? auto : solveChecked(makeSolver(A, { tol: TOL, structure, method: 'mg-bicgstab', multigrid: { coarsestSize: MG_COARSEST } }), A, b, `${group}, mg-bicgstab forced`);
    out.push(`${h} step: ${solver.name} ${show(auto)}${viaMg ? '' : `; mg-bicgstab ${show(mg)}`}`);
  }
  return out;
}

/** Residual ratios ‖r_{k+1}‖/‖r_k‖ of the stationary multigrid iteration from x = 0 (stops near round-off). */
function cycleRatios(A: Csr, b: Float64Array, structure: { shape: readonly number[]; periodic: readonly boolean[] }, cycles: number): number[] {
  const mg = new Multigrid(A, structure);
  const n = A.n;
  const x = new Float64Array(n);
  const r = Float64Array.from(b);
  const z = new Float64Array(n);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((a, e) => a + e * e, 0));
  const bNorm = norm(b);
  const ratios: number[] = [];
  let prev = bNorm;
  for (let k = 0; k < cycles && prev > 1e-13 * bNorm; k++) {
    mg.apply(r, z);
    for (let i = 0; i < n; i++) x[i] += z[i];
    residual(A, x, b, r);
    const now = norm(r);
    ratios.push(now / prev);
    prev = now;
  }
  return ratios;
}

const operators: [string, boolean, () => Problem][] = [
  ...shippedCaseNames().map((name): [string, boolean, () => Problem] => [name, true, () => buildProblem(loadCase(name))]),
  ['xyz-iso (issue 20, examples/xyz-iso.json)', false, () => buildProblem(parseCase(xyzIsoJson(), 'examples/xyz-iso.json'))],
];

describe('the shipped operators and issue 20: the ladder solves them, the multigrid cycle alone contracts', () => {
  for (const [name, shipped, build] of operators) {
    it(name, () => {
      const p = build();
      const lines = solveAll(p, 'shipped + issue 20', shipped);
      const structure = { shape: p.grid.shape, periodic: p.grid.periodic };
      const factors = systems(p).map(({ h, A, b }) => {
        const ratios = cycleRatios(A, b, structure, 8);
        const asymptotic = Math.max(...ratios.slice(1));
        const mean = Math.pow(ratios.reduce((a, v) => a * v, 1), 1 / ratios.length);
        lines.push(`${h} step: multigrid cycle alone, ${ratios.length} cycles: worst ratio after the first ${asymptotic.toFixed(3)}, geometric mean ${mean.toFixed(3)}`);
        return asymptotic;
      });
      console.log(`${name} (${p.grid.nCells} cells, ${p.grid.shape.join('×')}):\n  ${lines.join('\n  ')}`);
      // The property is asserted on the shipped operators. On issue 20's shell the V(1,2) cycle with aggregation
      // leaves one mode on Γ at the chart corner (λ = 55, the tube ±34 local standard deviations wide) growing
      // ×1.10 a cycle at h = T/frames from a random right-hand side; BiCGSTAB with the cycle converges there.
      if (shipped) for (const f of factors) expect(f).toBeLessThan(1);
    }, 300_000);
  }
});

describe('≥ 200 random valid tube and shell cases on small grids: every solve reaches the tolerance', () => {
  it('solves each with the pipeline solver and with the multigrid ladder', () => {
    const kinds: Record<string, number> = {};
    fc.assert(
      fc.property(corpusCase, ({ label, json }) => {
        let p: Problem;
        try {
          p = buildProblem(parseCase(json, label));
        } catch (e) {
          // Not a valid case after all (a half-width beyond the focal distance): the grid refuses it, by name.
          expect((e as Error).name).toMatch(/InputError|GridSpecError/);
          fc.pre(false);
          return;
        }
        const [family, , noise, grading, width] = label.split(' ');
        for (const k of [family, noise, grading, width]) kinds[k] = (kinds[k] ?? 0) + 1;
        solveAll(p, 'random cases');
      }),
      { numRuns: 200, seed: 20, endOnFailure: true },
    );
    console.log(`random cases by kind: ${JSON.stringify(kinds)}`);
    expect(Object.values(kinds).reduce((a, b) => a + b, 0)).toBe(4 * 200);
  }, 600_000);
});
