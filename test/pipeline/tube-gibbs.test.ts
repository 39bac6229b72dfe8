/**
 * Gibbs states on grids around Γ (isotropic noise): the discrete operator keeps
 * exp(−2L/(ησ²)) stationary to round-off, at two values of η, and the
 * stationary marginal along Γ matches the exact marginal — the Gibbs density
 * integrated over each station's part of the tube by Gauss–Legendre quadrature
 * through the grid's own map — and, to O(η), the closed-form leading order.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import type { CaseSpec } from '../../src/case/types.js';
import { gaussLegendre } from '../../src/grid/quadrature.js';
import { relativeImbalance } from '../support/assertions.js';
import { invertSmall } from '../../src/operator/face-coefficients.js';
import { checkOperator } from '../../src/operator/invariants.js';
import { buildProblem, type Problem } from '../../src/pipeline.js';
import { marginalAlong, stationLayout } from '../../src/trackers/along-gamma.js';

function gibbsCells(p: Problem, sigma2: number): Float64Array {
  const { grid, landscape, eta } = p;
  const d = grid.dim;
  const rho = new Float64Array(grid.nCells);
  for (let c = 0; c < grid.nCells; c++) rho[c] = Math.exp((-2 * landscape.value(grid.centres.subarray(c * d, c * d + d))) / (eta * sigma2));
  return rho;
}

/** Exact marginal per station: ∫ exp(−2L/(ησ²)) |det J| dξ over each cell (Gauss–Legendre, q points per axis), summed across. */
function exactMarginal(p: Problem, sigma2: number, q = 4): Float64Array {
  const { grid, landscape, eta } = p;
  const d = grid.dim;
  const layout = stationLayout(grid);
  const rule = gaussLegendre(q);
  const xi = new Float64Array(d);
  const th = new Float64Array(d);
  const J = new Float64Array(d * d);
  const inv = new Float64Array(d * d);
  const out = new Float64Array(layout.nS);
  const idx = new Array(d).fill(0);
  const pts = d === 2 ? q * q : q * q * q;
  for (let c = 0; c < grid.nCells; c++) {
    let r = c;
    for (let a = 0; a < d; a++) {
      idx[a] = r % grid.shape[a];
      r = Math.floor(r / grid.shape[a]);
    }
    let m = 0;
    for (let k = 0; k < pts; k++) {
      let w = 1;
      let kk = k;
      for (let a = 0; a < d; a++) {
        const g = kk % q;
        kk = Math.floor(kk / q);
        const lo = grid.edges[a][idx[a]];
        const hi = grid.edges[a][idx[a] + 1];
        xi[a] = lo + (hi - lo) * 0.5 * (rule.nodes[g] + 1);
        w *= (hi - lo) * 0.5 * rule.weights[g];
      }
      grid.map(xi, th, J);
      m += w * invertSmall(J, d, inv) * Math.exp((-2 * landscape.value(th)) / (eta * sigma2));
    }
    out[Math.floor(c / layout.nX)] += m;
  }
  for (let j = 0; j < layout.nS; j++) out[j] /= layout.width[j];
  return normalise(out, layout.width);
}

function normalise(p: Float64Array, w: Float64Array): Float64Array {
  let m = 0;
  for (let j = 0; j < p.length; j++) m += p[j] * w[j];
  for (let j = 0; j < p.length; j++) p[j] /= m;
  return p;
}

function l1(a: Float64Array, b: Float64Array, w: Float64Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += Math.abs(a[j] - b[j]) * w[j];
  return s;
}

const cases: { name: string; leading: (s: number) => number; edit?: (c: CaseSpec) => void }[] = [
  { name: 'valley', leading: (s) => (1.5 + Math.sin(s)) ** -0.5 },
  { name: 'hyperbola-iso', leading: () => 1 },
  { name: 'twisted-curve', leading: (s) => (2 + Math.cos(s)) ** -0.5 },
];

describe('Gibbs states on tubes around Γ (isotropic noise)', () => {
  for (const { name, leading } of cases) {
    it(`${name}: exp(−2L/(ησ²)) is stationary to ≤ 1e-12 and its marginal along Γ matches the exact one to ≤ 1e-3 (η = 0.01, 0.002)`, () => {
      for (const eta of [0.01, 0.002]) {
        const spec = loadCase(name);
        const p = buildProblem(spec, eta);
        const sigma2 = (spec.noise as { sigma2: number }).sigma2;
        const rho = gibbsCells(p, sigma2);
        const imb = relativeImbalance(p.K, rho);
        const chk = checkOperator(p.K);
        const layout = stationLayout(p.grid);
        const pm = normalise(marginalAlong(layout, p.grid.volumes, rho, new Float64Array(layout.nS)), layout.width);
        const exact = exactMarginal(p, sigma2);
        const lead = normalise(Float64Array.from(layout.centre, leading), layout.width);
        const eExact = l1(pm, exact, layout.width);
        const eLead = l1(pm, lead, layout.width);
        console.log(`${name} η=${eta}: ${p.grid.nCells} cells, imbalance ${imb.toExponential(2)}, L1 vs exact marginal ${eExact.toExponential(2)}, vs leading order ${eLead.toExponential(2)}`);
        expect(imb).toBeLessThanOrEqual(1e-12);
        expect(chk.columnSumRel).toBeLessThanOrEqual(1e-13);
        expect(chk.worstNegativeOffDiagonal).toBe(0);
        expect(eExact).toBeLessThanOrEqual(1e-3);
        // The leading-order marginal holds up to O(η) corrections (curvature, cubic terms of L).
        expect(eLead).toBeLessThanOrEqual(Math.max(1e-3, 2 * eta));
      }
    });
  }
});
