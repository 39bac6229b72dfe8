/**
 * Manufactured test of the Koren-limited flux along Γ (operator/flux-limited.ts) in defect-correction form:
 * pure transport along a closed curve. A ring tube around the circle of radius 1 (along axis periodic, the
 * chart parameter s the angle) carries the rigid rotation β = ω(−θ₂, θ₁) with no diffusion, so b^s = ω and
 * the exact density is ρ(s, n, t) = ρ₀(s − ωt): after one turn it is ρ₀ again. Cell averages of ρ₀ are exact
 * (ρ₀ depends on s alone, and a cell's volume factorises into its s-width times an across factor).
 *
 * Checks: the L1 order on a smooth bump over three grids (≥ 1.8), no new extrema on a step (backward Euler,
 * the scheme whose converged stages are positivity-preserving for any step), mass conserved to round-off,
 * the assembled matrix an M-matrix (the correction stays out of it). The unlimited QUICK face value on the
 * same step makes new extrema, which shows the extremum check can fail.
 */
import { describe, expect, it } from 'vitest';
import { tubeGrid2d } from '../../src/grid/tube-2d.js';
import type { StructuredGrid } from '../../src/grid/types.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { assembleOperator } from '../../src/operator/assemble.js';
import { faceCoefficients, type AlongFlux } from '../../src/operator/face-coefficients.js';
import { FctLimiter } from '../../src/operator/flux-fct.js';
import { korenIncrement, limitedCorrection } from '../../src/operator/flux-limited.js';
import type { DriftDiffusionFields } from '../../src/operator/types.js';
import { ImplicitStepper } from '../../src/stepper/implicit.js';
import type { SchemeName, StepperOptions } from '../../src/stepper/types.js';
import { circle } from '../grid/tube-fixtures.js';

const OMEGA = 1;

/** Rigid rotation, no potential, no diffusion. */
const rotation: DriftDiffusionFields = {
  dim: 2,
  potential: () => 0,
  potentialGrad: (_x, out) => out.fill(0),
  extraDrift: (x, out) => {
    out[0] = -OMEGA * x[1];
    out[1] = OMEGA * x[0];
  },
  diffusion: (_x, out) => out.fill(0),
};

/** Gauss–Legendre 3-point cell average of f over [a, b]. */
function cellAverage(f: (s: number) => number, a: number, b: number): number {
  const m = 0.5 * (a + b);
  const r = 0.5 * (b - a);
  const z = Math.sqrt(3 / 5);
  return (5 * f(m - r * z) + 8 * f(m) + 5 * f(m + r * z)) / 18;
}

function ring(along: number): StructuredGrid {
  return tubeGrid2d(circle(1), { along, across: 4, halfWidth: 0.2 });
}

interface Run {
  rho: Float64Array;
  rho0: Float64Array;
  exact: Float64Array;
  grid: StructuredGrid;
  massDrift: number;
  mMatrix: boolean;
}

/**
 * Transport ρ₀ over time T with a fixed step dt = cfl·Δs/ω; `flux` the face value along Γ; the exact answer
 * is the cell average of ρ₀(s − ωT).
 */
function transport(
  along: number,
  rho0f: (s: number) => number,
  T: number,
  cfl: number,
  scheme: SchemeName,
  flux: AlongFlux | 'first-order',
  form: 'defect' | 'linearised' = 'defect',
): Run {
  const grid = ring(along);
  const fc = faceCoefficients(grid, rotation, flux === 'first-order' ? {} : { highOrderAxes: grid.alongAxes, alongFlux: flux });
  if (flux === 'limited' || flux === 'fct') expect(fc.limited).toBeTruthy();
  const K = assembleOperator(fc);
  const sAxis = grid.alongAxes[0];
  const eS = grid.edges[sAxis];
  const nX = grid.shape[0];
  const N = grid.nCells;
  const rho0 = new Float64Array(N);
  const exact = new Float64Array(N);
  const wrap = (s: number) => s - 2 * Math.PI * Math.floor(s / (2 * Math.PI));
  for (let c = 0; c < N; c++) {
    const j = Math.floor(c / nX);
    rho0[c] = cellAverage((s) => rho0f(wrap(s)), eS[j], eS[j + 1]);
    exact[c] = cellAverage((s) => rho0f(wrap(s - OMEGA * T)), eS[j], eS[j + 1]);
  }
  const limited = fc.limited ?? null;
  const stepper = new ImplicitStepper(K, grid.volumes, {
    scheme,
    dt: (cfl * (eS[1] - eS[0])) / OMEGA,
    makeSolver: (A) => makeSolver(A, { tol: 1e-13, structure: { shape: grid.shape, periodic: grid.periodic } }),
    correction: limited && flux === 'limited' ? (r, out) => limitedCorrection(limited, r, out) : undefined,
    ...(limited && flux === 'fct' ? fctOptions(new FctLimiter(limited, grid.volumes, K), form) : {}),
    defectTol: 1e-13,
    defectMaxIter: 400,
    negativeTol: Infinity,
  });
  const rho = Float64Array.from(rho0);
  let mass0 = 0;
  for (let c = 0; c < N; c++) mass0 += grid.volumes[c] * rho0[c];
  let massDrift = 0;
  stepper.advance(rho, 0, T, (_t, y) => {
    let m = 0;
    for (let c = 0; c < N; c++) m += grid.volumes[c] * y[c];
    massDrift = Math.max(massDrift, Math.abs(m - mass0) / mass0);
  });
  return { rho, rho0, exact, grid, massDrift, mMatrix: stepper.mMatrix };
}

/** The FCT limiter as the stepper's defect-correction hook or as the linearised once-per-stage correction. */
function fctOptions(l: FctLimiter, form: 'defect' | 'linearised'): Pick<StepperOptions, 'fct' | 'fctDefect'> {
  if (form === 'linearised') return { fct: (x, prev, ch, e) => l.correct(x, prev, ch, e) };
  return { fctDefect: (x, prev, ch, e, out) => void l.limited(x, prev, ch, e, out) };
}

function l1Error(r: Run): number {
  let e = 0;
  let m = 0;
  for (let c = 0; c < r.rho.length; c++) {
    e += r.grid.volumes[c] * Math.abs(r.rho[c] - r.exact[c]);
    m += r.grid.volumes[c] * Math.abs(r.exact[c]);
  }
  return e / m;
}

const bump = (s: number) => Math.exp(-(((s - Math.PI) / 0.6) ** 2));
const step = (s: number) => (s > 0.5 * Math.PI && s < 1.5 * Math.PI ? 1 : 0);

describe('Koren-limited flux along Γ, defect correction', () => {
  it('the limiter: κ = ⅓ face value where smooth, zero at extrema, bounded by 2Δ', () => {
    expect(korenIncrement(1, 1)).toBeCloseTo(0.5, 15); // ψ(1) = 1: ½Δ
    expect(korenIncrement(3, 3)).toBeCloseTo(1.5, 15);
    expect(korenIncrement(1, -1)).toBe(0);
    expect(korenIncrement(-1, 1)).toBe(0);
    expect(korenIncrement(0, 1)).toBe(0);
    expect(korenIncrement(1, 1.3)).toBeCloseTo(0.5 * (1 + 2 * 1.3) / 3, 15);
    expect(korenIncrement(1, 100)).toBeCloseTo(1, 15); // ψ ≤ 2
    expect(korenIncrement(1, 0.01)).toBeCloseTo(0.01, 15); // ψ(r) ≤ 2r
    expect(korenIncrement(-2, -2.6)).toBeCloseTo(-korenIncrement(2, 2.6), 15);
  });

  it('smooth bump, one full turn with TR-BDF2: L1 order ≥ 1.8 over three grids, mass to round-off', () => {
    const levels = [64, 128, 256];
    const runs = levels.map((n) => transport(n, bump, (2 * Math.PI) / OMEGA, 0.5, 'tr-bdf2', 'limited'));
    const errs = runs.map(l1Error);
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    console.log(`limited flux, bump: L1 ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders.map((o) => o.toFixed(2)).join(', ')}`);
    for (const o of orders) expect(o).toBeGreaterThanOrEqual(1.8);
    for (const r of runs) {
      expect(r.mMatrix).toBe(true);
      expect(r.massDrift).toBeLessThan(1e-12);
    }
  });

  it('step, half a turn with backward Euler (CFL 0.8 and 3): no new extrema, mass to round-off', () => {
    for (const cfl of [0.8, 3]) {
      const r = transport(128, step, Math.PI / OMEGA, cfl, 'backward-euler', 'limited');
      const max0 = Math.max(...r.rho0);
      const lo = Math.min(...r.rho);
      const hi = Math.max(...r.rho);
      console.log(`limited flux, step, CFL ${cfl}: min ${lo.toExponential(3)}, max − 1 = ${(hi - max0).toExponential(3)}, L1 ${l1Error(r).toExponential(3)}`);
      expect(lo).toBeGreaterThanOrEqual(-1e-12 * max0);
      expect(hi).toBeLessThanOrEqual(max0 + 1e-12);
      expect(r.massDrift).toBeLessThan(1e-12);
      // And it moved half a turn (the unmoved step is at L1 distance 2; what is left is a smeared step).
      expect(l1Error(r)).toBeLessThan(0.5);
    }
  });

  for (const form of ['defect', 'linearised'] as const) {
    it(`FCT (Zalesak limiter, ${form} form): bump L1 order ≥ 1.8 with TR-BDF2, mass to round-off`, () => {
      const runs = [64, 128, 256].map((n) => transport(n, bump, (2 * Math.PI) / OMEGA, 0.5, 'tr-bdf2', 'fct', form));
      const errs = runs.map(l1Error);
      const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
      console.log(`fct (${form}), bump: L1 ${errs.map((e) => e.toExponential(3)).join(', ')}; orders ${orders.map((o) => o.toFixed(2)).join(', ')}`);
      for (const o of orders) expect(o).toBeGreaterThanOrEqual(1.8);
      for (const r of runs) {
        expect(r.mMatrix).toBe(true);
        expect(r.massDrift).toBeLessThan(1e-12);
      }
    });

    it(`FCT (${form} form): a step with backward Euler at CFL 0.8 and 3 makes no new extrema`, () => {
      for (const cfl of [0.8, 3]) {
        const r = transport(128, step, Math.PI / OMEGA, cfl, 'backward-euler', 'fct', form);
        const max0 = Math.max(...r.rho0);
        const lo = Math.min(...r.rho);
        const hi = Math.max(...r.rho);
        console.log(`fct (${form}), step, CFL ${cfl}: min ${lo.toExponential(3)}, max − 1 = ${(hi - max0).toExponential(3)}, L1 ${l1Error(r).toExponential(3)}`);
        expect(lo).toBeGreaterThanOrEqual(-1e-12 * max0);
        expect(hi).toBeLessThanOrEqual(max0 + 1e-12);
        expect(r.massDrift).toBeLessThan(1e-12);
        expect(l1Error(r)).toBeLessThan(0.5);
      }
    });
  }

  it('the unlimited QUICK face value on the same step makes new extrema (the check can fail)', () => {
    const r = transport(128, step, Math.PI / OMEGA, 0.8, 'backward-euler', 'quick');
    const max0 = Math.max(...r.rho0);
    expect(Math.min(...r.rho) < -1e-12 * max0 || Math.max(...r.rho) > max0 + 1e-12).toBe(true);
  });

  it('the limited flux beats the first-order SG flux on the bump by a factor > 5 at 128 cells', () => {
    const lim = l1Error(transport(128, bump, Math.PI / OMEGA, 0.5, 'tr-bdf2', 'limited'));
    const first = l1Error(transport(128, bump, Math.PI / OMEGA, 0.5, 'tr-bdf2', 'first-order'));
    expect(lim * 5).toBeLessThan(first);
  });
});
