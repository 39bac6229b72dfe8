/**
 * Ornstein–Uhlenbeck with constant anisotropic Σ (off-diagonal ≠ 0) in 2D and
 * 3D: the mean and covariance of the finite-volume solution follow the
 * closed-form law, and the error falls at second order under refinement.
 */
import { describe, expect, it } from 'vitest';
import { cartesianGrid } from '../../src/grid/cartesian.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { assembleOperator } from '../../src/operator/assemble.js';
import { faceCoefficients } from '../../src/operator/face-coefficients.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import { gaussianOnCells, moments, ouExact, ouFields } from '../support/ou.js';

function runOu(A: number[][], Sigma: number[][], m0: number[], C0: number[][], n: number, L: number, times: number[]) {
  const d = A.length;
  const grid = cartesianGrid({ bounds: Array.from({ length: d }, () => [-L, L] as [number, number]), shape: new Array(d).fill(n) });
  const K = assembleOperator(faceCoefficients(grid, ouFields(A, Sigma, 1)));
  const rho = gaussianOnCells(grid.centres, grid.volumes, d, m0, C0);
  const stepper = new ImplicitStepper(K, grid.volumes, {
    scheme: 'tr-bdf2',
    rtol: 1e-6,
    dtInitial: 1e-4,
    makeSolver: (M) => makeSolver(M, { tol: 1e-12, structure: { shape: grid.shape, periodic: grid.periodic } }),
  });
  const errs: { mean: number; cov: number }[] = [];
  let t = 0;
  for (const T of times) {
    t = stepper.advance(rho, t, T);
    const got = moments(grid.centres, grid.volumes, rho, d);
    const ex = ouExact(A, Sigma, 1, m0, C0, T);
    let em = 0;
    let ec = 0;
    for (let i = 0; i < d; i++) {
      em = Math.max(em, Math.abs(got.mean[i] - ex.mean[i]));
      for (let j = 0; j < d; j++) ec = Math.max(ec, Math.abs(got.cov[i][j] - ex.cov[i][j]));
    }
    errs.push({ mean: em, cov: ec });
  }
  return { errs, minDensity: stepper.stats.minDensity, steps: stepper.stats.steps };
}

const order = (e1: number, e2: number, r: number) => Math.log(e1 / e2) / Math.log(r);

describe('Ornstein–Uhlenbeck, anisotropic constant Σ', () => {
  it('2D: mean and covariance follow the exact law at t = 0.1, 0.5, 2 at second order', () => {
    const A = [[2, 0.5], [0.5, 1]];
    const Sigma = [[1, 0.6], [0.6, 0.8]];
    const m0 = [0.6, -0.4];
    const C0 = [[0.04, 0.01], [0.01, 0.05]];
    const times = [0.1, 0.5, 2];
    const runs = [48, 96].map((n) => runOu(A, Sigma, m0, C0, n, 4, times));
    for (let k = 0; k < times.length; k++) {
      const [c, f] = runs.map((r) => r.errs[k]);
      const pCov = order(c.cov, f.cov, 2);
      console.log(`OU 2D t=${times[k]}: cov err ${c.cov.toExponential(2)} → ${f.cov.toExponential(2)} (order ${pCov.toFixed(2)}), mean err ${c.mean.toExponential(2)} → ${f.mean.toExponential(2)}`);
      expect(f.cov).toBeLessThan(2e-3);
      expect(f.mean).toBeLessThan(2e-3);
      expect(pCov).toBeGreaterThan(1.8);
    }
  });

  it('3D: mean and covariance follow the exact law at t = 0.1, 0.5, 2 at second order', () => {
    const A = [[2, 0.3, 0], [0.3, 1.5, 0.2], [0, 0.2, 1]];
    const Sigma = [[1, 0.3, 0.1], [0.3, 0.8, -0.2], [0.1, -0.2, 0.6]];
    const m0 = [0.5, -0.3, 0.2];
    const C0 = [[0.08, 0, 0], [0, 0.08, 0], [0, 0, 0.08]];
    const times = [0.1, 0.5, 2];
    const runs = [14, 28].map((n) => runOu(A, Sigma, m0, C0, n, 3.5, times));
    for (let k = 0; k < times.length; k++) {
      const [c, f] = runs.map((r) => r.errs[k]);
      const pCov = order(c.cov, f.cov, 2);
      console.log(`OU 3D t=${times[k]}: cov err ${c.cov.toExponential(2)} → ${f.cov.toExponential(2)} (order ${pCov.toFixed(2)}), mean err ${c.mean.toExponential(2)} → ${f.mean.toExponential(2)}`);
      expect(f.cov).toBeLessThan(1e-2);
      expect(pCov).toBeGreaterThan(1.8);
    }
  });
});
