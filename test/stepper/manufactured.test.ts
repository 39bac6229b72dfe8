/**
 * Manufactured solution with anisotropic, state-dependent Σ(θ) (cross
 * diffusion active) on the periodic square [0, 2π)²: the source is derived
 * symbolically by mathjs (independently of the solver's own derivative code),
 * so the discrete solution must converge to ρ* at the scheme's orders.
 */
import { derivative, parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { cartesianGrid } from '../../src/grid/cartesian.js';
import { compileScalar } from '../../src/landscape/formula.js';
import { landscapeFromFormula } from '../../src/landscape/from-formula.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { formulaNoise } from '../../src/noise/formula-noise.js';
import { assembleOperator } from '../../src/operator/assemble.js';
import { faceCoefficients } from '../../src/operator/face-coefficients.js';
import { fokkerPlanckFields } from '../../src/pipeline.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import type { SchemeName } from '../../src/stepper/types.js';

const RHO = '1 + 0.5*exp(-t)*sin(x + 0.3)*cos(y)';
const LOSS = '0.3*cos(x) + 0.2*sin(y)*cos(x)';
const S = [['1 + 0.3*sin(y)', '0.3*cos(x)'], ['0.3*cos(x)', '0.8 + 0.2*cos(x)']];

function sourceFormula(): string {
  const d = (e: string, v: string) => derivative(e, v, { simplify: false }).toString();
  const dL = [d(LOSS, 'x'), d(LOSS, 'y')];
  const vars = ['x', 'y'];
  const J = [0, 1].map((i) => {
    const div = [0, 1].map((j) => d(`(${RHO})*(${S[i][j]})`, vars[j])).join(' + ');
    return `-(${RHO})*(${dL[i]}) - 0.5*(${div})`;
  });
  const g = `${d(RHO, 't')} + ${d(J[0], 'x')} + ${d(J[1], 'y')}`;
  return parse(g).toString();
}

const exactRho = compileScalar(RHO, ['x', 'y', 't'], 'rho');
const source = compileScalar(sourceFormula(), ['x', 'y', 't'], 'source');

function solve(n: number, scheme: SchemeName, dt: number, T: number) {
  const grid = cartesianGrid({ bounds: [[0, 2 * Math.PI], [0, 2 * Math.PI]], shape: [n, n], periodic: [true, true] });
  const landscape = landscapeFromFormula(LOSS, ['x', 'y']);
  const noise = formulaNoise(S, ['x', 'y']);
  const fc = faceCoefficients(grid, fokkerPlanckFields(landscape, noise, 1));
  expect(fc.cross).not.toBeNull();
  const K = assembleOperator(fc);
  const N = grid.nCells;
  const p = new Float64Array(3);
  const rho = new Float64Array(N);
  const at = (f: { f(x: ArrayLike<number>): number }, c: number, t: number) => {
    p[0] = grid.centres[2 * c];
    p[1] = grid.centres[2 * c + 1];
    p[2] = t;
    return f.f(p);
  };
  for (let c = 0; c < N; c++) rho[c] = at(exactRho, c, 0);
  const stepper = new ImplicitStepper(K, grid.volumes, {
    scheme,
    dt,
    makeSolver: (A) => makeSolver(A, { tol: 1e-13, structure: { shape: grid.shape, periodic: grid.periodic } }),
    source: (t, out) => {
      for (let c = 0; c < N; c++) out[c] = grid.volumes[c] * at(source, c, t);
    },
    negativeTol: Infinity,
  });
  stepper.advance(rho, 0, T);
  return { grid, rho, exact: Float64Array.from({ length: N }, (_, c) => at(exactRho, c, T)) };
}

function l1(grid: { volumes: Float64Array }, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let c = 0; c < a.length; c++) s += grid.volumes[c] * Math.abs(a[c] - b[c]);
  return s;
}

describe('manufactured solution, anisotropic state-dependent Σ', () => {
  it('spatial order ≥ 1.8', () => {
    const T = 0.5;
    const errs = [16, 32, 64].map((n) => {
      const r = solve(n, 'tr-bdf2', T / 64, T);
      return l1(r.grid, r.rho, r.exact);
    });
    const orders = [Math.log2(errs[0] / errs[1]), Math.log2(errs[1] / errs[2])];
    console.log(`MMS space: L1 errors ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders.map((o) => o.toFixed(2)).join(', ')}`);
    expect(orders[1]).toBeGreaterThanOrEqual(1.8);
  });

  for (const [scheme, minOrder] of [['tr-bdf2', 1.8], ['backward-euler', 0.9]] as const) {
    it(`${scheme}: time order ≥ ${minOrder}`, () => {
      const T = 0.5;
      const ref = solve(24, scheme, T / 1024, T).rho;
      const errs = [8, 16, 32].map((k) => {
        const r = solve(24, scheme, T / k, T);
        return l1(r.grid, r.rho, ref);
      });
      const orders = [Math.log2(errs[0] / errs[1]), Math.log2(errs[1] / errs[2])];
      console.log(`MMS time ${scheme}: errors ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders.map((o) => o.toFixed(2)).join(', ')}`);
      expect(orders[1]).toBeGreaterThanOrEqual(minOrder);
    });
  }
});
