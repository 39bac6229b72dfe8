/**
 * The full problem on Cartesian boxes: the Gibbs state is an exact discrete
 * steady state, solutions relax to it, mass is conserved to round-off and
 * backward Euler keeps ρ ≥ 0 at any step.
 */
import { describe, expect, it } from 'vitest';
import { relativeImbalance } from '../support/assertions.js';
import { checkOperator } from '../../src/operator/invariants.js';
import { buildProblem, initialDensity, solverFactory } from '../../src/pipeline.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import { valleyCartesian } from '../support/cases.js';

function gibbs(problem: ReturnType<typeof buildProblem>, sigma2: number): Float64Array {
  const { grid, landscape, eta } = problem;
  const rho = new Float64Array(grid.nCells);
  let mass = 0;
  for (let c = 0; c < grid.nCells; c++) {
    rho[c] = Math.exp((-2 * landscape.value(grid.centres.subarray(2 * c, 2 * c + 2))) / (eta * sigma2));
    mass += rho[c] * grid.volumes[c];
  }
  for (let c = 0; c < grid.nCells; c++) rho[c] /= mass;
  return rho;
}

describe('Cartesian valley (L = ½(1.5 + sin x)y², σ² = 1)', () => {
  it('the discrete operator keeps exp(−2L/(ησ²)) stationary to ≤ 1e-12, at η = 0.05 and 0.01', () => {
    for (const eta of [0.05, 0.01]) {
      const p = buildProblem(valleyCartesian({ eta }, [128, 96]));
      const imbalance = relativeImbalance(p.K, gibbs(p, 1));
      console.log(`Gibbs imbalance η=${eta}: ${imbalance.toExponential(2)}`);
      expect(imbalance).toBeLessThanOrEqual(1e-12);
      const chk = checkOperator(p.K);
      expect(chk.columnSumRel).toBeLessThanOrEqual(1e-14);
      expect(chk.worstNegativeOffDiagonal).toBe(0);
    }
  });

  it('from an off-centre Gaussian the solution relaxes to the Gibbs state', () => {
    const p = buildProblem(valleyCartesian({}, [64, 48]));
    const rho = initialDensity(p);
    const target = gibbs(p, 1);
    const stepper = new ImplicitStepper(p.K, p.grid.volumes, { scheme: 'tr-bdf2', rtol: 1e-4, makeSolver: solverFactory(p.grid, 1e-12) });
    const dist = () => {
      let s = 0;
      for (let c = 0; c < rho.length; c++) s += p.grid.volumes[c] * Math.abs(rho[c] - target[c]);
      return s;
    };
    const d0 = dist();
    let t = 0;
    for (const T of [1, 10, 100]) t = stepper.advance(rho, t, T);
    const d1 = dist();
    console.log(`relaxation: L1 distance to Gibbs ${d0.toExponential(2)} → ${d1.toExponential(2)} in ${stepper.stats.steps} steps`);
    expect(d0).toBeGreaterThan(0.5);
    expect(d1).toBeLessThan(1e-6);
  });

  it('mass is conserved to ≤ 1e-12 relative over 1000 steps (both schemes)', () => {
    for (const scheme of ['backward-euler', 'tr-bdf2'] as const) {
      const p = buildProblem(valleyCartesian({}, [48, 32]));
      const rho = initialDensity(p);
      const mass = () => rho.reduce((s, v, c) => s + v * p.grid.volumes[c], 0);
      const m0 = mass();
      let worst = 0;
      const stepper = new ImplicitStepper(p.K, p.grid.volumes, { scheme, dt: 0.001, makeSolver: solverFactory(p.grid) });
      stepper.advance(rho, 0, 1, () => {
        worst = Math.max(worst, Math.abs(mass() - m0) / m0);
      });
      expect(stepper.stats.steps).toBe(1000);
      console.log(`${scheme}: mass drift over 1000 steps ${worst.toExponential(2)}`);
      expect(worst).toBeLessThanOrEqual(1e-12);
    }
  });

  it('backward Euler keeps ρ ≥ 0 on isotropic cases at any dt', () => {
    for (const dt of [1e-5, 1e-2, 1, 1e3]) {
      const p = buildProblem(valleyCartesian({ eta: 0.01 }, [48, 32]));
      const rho = initialDensity(p);
      const stepper = new ImplicitStepper(p.K, p.grid.volumes, { scheme: 'backward-euler', dt, makeSolver: solverFactory(p.grid, 1e-9) });
      stepper.advance(rho, 0, 5 * dt);
      let lo = Infinity;
      for (const v of rho) lo = Math.min(lo, v);
      expect(lo).toBeGreaterThanOrEqual(0);
    }
  });
});
