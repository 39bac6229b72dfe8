/**
 * Manufactured solutions on tubes where the curvature of Γ is active: a tube
 * around the unit circle in 2D and a square-section tube around a circle in 3D.
 * ρ*(θ,t) = 1 + 0.3 e^{−t} cos(π n₁/w)[cos(π n₂/w)] cos φ has zero normal
 * derivative on the tube walls n = ±w, and the state-dependent noise
 * Σ = (1 + 0.3 sin φ) I (so −½∇·(ρΣ) has no normal component there: an
 * anisotropic Σ with Σ_rr ≠ Σ_φφ would add (Σ_rr − Σ_φφ)ρ/r to the wall flux)
 * keeps the zero-flux walls exact; the source is derived symbolically by mathjs.
 * The measured spatial order must be ≥ 1.8.
 */
import { derivative, parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { curveFrame3d } from '../../src/grid/frames.js';
import { tubeGrid2d } from '../../src/grid/tube-2d.js';
import { tubeGrid3d } from '../../src/grid/tube-3d.js';
import type { StructuredGrid } from '../../src/grid/types.js';
import { compileScalar } from '../../src/landscape/formula.js';
import { curveFromFormula } from '../../src/landscape/gamma-param.js';
import { landscapeFromFormula } from '../../src/landscape/from-formula.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { formulaNoise } from '../../src/noise/formula-noise.js';
import { assembleOperator } from '../../src/operator/assemble.js';
import { faceCoefficients } from '../../src/operator/face-coefficients.js';
import { fokkerPlanckFields } from '../../src/pipeline.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';

const W = 0.4;

function sourceOf(rho: string, Sigma: string[][], vars: string[]): string {
  const d = (e: string, v: string) => derivative(e, v, { simplify: false }).toString();
  const J = vars.map((_, i) => `-0.5*(${vars.map((v, j) => d(`(${rho})*(${Sigma[i][j]})`, v)).join(' + ')})`);
  return parse(`${d(rho, 't')} + ${vars.map((v, i) => d(J[i], v)).join(' + ')}`).toString();
}

function solveOn(grid: StructuredGrid, rhoText: string, Sigma: string[][], vars: string[], T: number): number {
  const d = grid.dim;
  const landscape = landscapeFromFormula('0*x', vars);
  const noise = formulaNoise(Sigma, vars);
  const K = assembleOperator(faceCoefficients(grid, fokkerPlanckFields(landscape, noise, 1)));
  const all = [...vars, 't'];
  const exact = compileScalar(rhoText, all, 'rho');
  const src = compileScalar(sourceOf(rhoText, Sigma, vars), all, 'source');
  const p = new Float64Array(d + 1);
  const at = (f: { f(x: ArrayLike<number>): number }, c: number, t: number) => {
    for (let i = 0; i < d; i++) p[i] = grid.centres[c * d + i];
    p[d] = t;
    return f.f(p);
  };
  const N = grid.nCells;
  const rho = Float64Array.from({ length: N }, (_, c) => at(exact, c, 0));
  const stepper = new ImplicitStepper(K, grid.volumes, {
    scheme: 'tr-bdf2',
    dt: T / 32,
    negativeTol: Infinity,
    makeSolver: (A) => makeSolver(A, { tol: 1e-12, structure: { shape: grid.shape, periodic: grid.periodic } }),
    source: (t, out) => {
      for (let c = 0; c < N; c++) out[c] = grid.volumes[c] * at(src, c, t);
    },
  });
  stepper.advance(rho, 0, T);
  let err = 0;
  for (let c = 0; c < N; c++) err += grid.volumes[c] * Math.abs(rho[c] - at(exact, c, T));
  return err;
}

const orders = (e: number[]) => e.slice(1).map((v, i) => Math.log2(e[i] / v));

describe('manufactured solutions on tubes (curvature active)', () => {
  it('2D tube around the unit circle: spatial order ≥ 1.8', () => {
    const gamma = curveFromFormula(['cos(s)', 'sin(s)'], [0, 2 * Math.PI], true);
    const r = 'sqrt(x^2 + y^2)';
    const rho = `1 + 0.3*exp(-t)*cos(pi*(${r} - 1)/${W})*x/${r}`;
    const s = `(1 + 0.3*y/${r})`;
    const Sigma = [
      [s, '0'],
      ['0', s],
    ];
    const errs = [[8, 32], [16, 64], [32, 128]].map(([across, along]) => solveOn(tubeGrid2d(gamma, { along, across, halfWidth: W }), rho, Sigma, ['x', 'y'], 0.2));
    console.log(`tube 2D MMS: L1 errors ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders(errs).map((o) => o.toFixed(2)).join(', ')}`);
    expect(orders(errs).at(-1)!).toBeGreaterThanOrEqual(1.8);
  });

  it('3D square tube around a circle: spatial order ≥ 1.8', () => {
    const gamma = curveFromFormula(['cos(s)', 'sin(s)', '0'], [0, 2 * Math.PI], true);
    // The frame of a plane circle is a constant rotation of (radial, z): n₁ = (θ − γ)·N₁, n₂ = (θ − γ)·N₂.
    const f = curveFrame3d(gamma, 0); // at s = 0: γ = (1,0,0), radial = (1,0,0), z = (0,0,1)
    const [a1, b1] = [f.N1[0], f.N1[2]];
    const [a2, b2] = [f.N2[0], f.N2[2]];
    const r = 'sqrt(x^2 + y^2)';
    const n1 = `(${a1}*(${r} - 1) + ${b1}*z)`;
    const n2 = `(${a2}*(${r} - 1) + ${b2}*z)`;
    const rho = `1 + 0.3*exp(-t)*cos(pi*${n1}/${W})*cos(pi*${n2}/${W})*x/${r}`;
    const s = `(1 + 0.3*y/${r})`;
    const Sigma = [
      [s, '0', '0'],
      ['0', s, '0'],
      ['0', '0', s],
    ];
    const errs = [[4, 16], [8, 32], [16, 64]].map(([across, along]) =>
      solveOn(tubeGrid3d(gamma, { along, across, halfWidth: W }), rho, Sigma, ['x', 'y', 'z'], 0.2),
    );
    console.log(`tube 3D MMS: L1 errors ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders(errs).map((o) => o.toFixed(2)).join(', ')}`);
    expect(orders(errs).at(-1)!).toBeGreaterThanOrEqual(1.8);
  });
});
