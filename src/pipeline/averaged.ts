/**
 * The averaged problem on Γ (DESIGN.md §6), one per drift formula, through the
 * same finite-volume assembly and stepper as the full problem:
 *   curve: ∂ₜp + ∂ₛJ = 0, J = b p − G ∂ₛp (p per unit s), 1D;
 *   surface: ∂ₜp + ∂ₐJᵃ = 0, Jᵃ = vᵃp − Gᵃᵇ∂_bp (p per unit chart area), on
 *   the chart rectangle as a Cartesian grid in (a, b), so the cross terms of
 *   Gᵃᵇ are handled by the same face-coefficient code as the full problem.
 *
 * The averaged problem is solved on the tube's along cells subdivided
 * `refine` times (curves 8, surfaces 2): with label noise it has no diffusion
 * along Γ, so the SG flux is upwind there and its numerical diffusion (∝ Δs)
 * would otherwise be part of the comparison. Densities are summed back onto
 * the tube's stations for every comparison.
 */
import { cartesianGrid } from '../grid/cartesian.js';
import type { CurveParam, SurfaceParam } from '../landscape/types.js';
import type { Csr } from '../linalg/types.js';
import { assembleOperator } from '../operator/assemble.js';
import { cellWidths, chartFaces1d, faceCoefficients1d } from '../operator/chart-1d.js';
import { faceCoefficients } from '../operator/face-coefficients.js';
import { averagedCurveCoefficients, type DriftFormula } from '../theory/along-curve.js';
import { averagedSurfacePoint } from '../theory/along-surface.js';
import type { Landscape } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import type { StepperOptions } from '../stepper/types.js';
import { fluxCorrection, type Problem } from './problem.js';

export interface AveragedProblem {
  formula: DriftFormula;
  K: Csr;
  /** The limited flux correction along Γ (the stepper's `correction` or `fct`), when the full problem uses it. */
  flux: Pick<StepperOptions, 'correction' | 'fct' | 'fctDefect'>;
  /** Fine cell measures (Δs, or ΔaΔb): the mass matrix. */
  widths: Float64Array;
  /** Solver structure of the fine grid. */
  structure: { shape: number[]; periodic: boolean[] };
  /** Fine density from station densities (piecewise constant: the same station masses). */
  spread(pStations: Float64Array, out: Float64Array): Float64Array;
  /** Station densities from the fine density: station mass / station measure. */
  gather(pFine: Float64Array, out: Float64Array): Float64Array;
}

function subdivide(e: Float64Array, r: number): Float64Array {
  const n = e.length - 1;
  const out = new Float64Array(n * r + 1);
  for (let j = 0; j < n; j++) for (let k = 0; k < r; k++) out[j * r + k] = e[j] + ((e[j + 1] - e[j]) * k) / r;
  out[n * r] = e[n];
  return out;
}

export function averagedProblem(problem: Problem, formula: DriftFormula, refine?: number): AveragedProblem {
  const { grid } = problem;
  return grid.alongAxes.length === 1 ? curveProblem(problem, formula, refine ?? 8) : surfaceProblem(problem, formula, refine ?? 2);
}

function curveProblem(problem: Problem, formula: DriftFormula, r: number): AveragedProblem {
  const { grid, landscape, noise } = problem;
  const gamma = problem.gamma as CurveParam;
  const axis = grid.alongAxes[0];
  const n = grid.shape[axis];
  const edges = subdivide(grid.edges[axis], r);
  const closed = grid.periodic[axis];
  const coef = averagedCurveCoefficients(landscape, noise, gamma, chartFaces1d(edges, closed), formula);
  const widths = cellWidths(edges);
  const faces = faceCoefficients1d(edges, closed, coef.b, coef.G, problem.alongOrder === 2 && problem.alongFlux);
  return {
    formula,
    K: assembleOperator(faces),
    flux: fluxCorrection(faces, problem.alongFlux, widths),
    widths,
    structure: { shape: [1, n * r], periodic: [false, closed] },
    spread(p, out) {
      for (let j = 0; j < n; j++) for (let k = 0; k < r; k++) out[j * r + k] = p[j];
      return out;
    },
    gather(pf, out) {
      for (let j = 0; j < n; j++) {
        let m = 0;
        let w = 0;
        for (let k = 0; k < r; k++) {
          m += pf[j * r + k] * widths[j * r + k];
          w += widths[j * r + k];
        }
        out[j] = m / w;
      }
      return out;
    },
  };
}

function surfaceProblem(problem: Problem, formula: DriftFormula, r: number): AveragedProblem {
  const { grid, landscape, noise } = problem;
  const S = problem.gamma as SurfaceParam;
  const [axA, axB] = grid.alongAxes;
  const na = grid.shape[axA];
  const nb = grid.shape[axB];
  const eA = subdivide(grid.edges[axA], r);
  const eB = subdivide(grid.edges[axB], r);
  const chart = cartesianGrid({
    bounds: [[eA[0], eA[eA.length - 1]], [eB[0], eB[eB.length - 1]]],
    shape: [na * r, nb * r],
    periodic: [grid.periodic[axA], grid.periodic[axB]],
    edges: [eA, eB],
  });
  // Coefficients at one chart point, from the per-thread table (the face code asks for drift and diffusion at
  // the same point; the Li and the seed problem, and every η of a verify lane, at the same points).
  const coefficients = pointTable(landscape, noise, S);
  let lastA = NaN;
  let lastB = NaN;
  let c: Float64Array = new Float64Array(8);
  const vOff = formula === 'li' ? 0 : 2;
  const at = (x: ArrayLike<number>) => {
    if (x[0] === lastA && x[1] === lastB) return;
    c = coefficients(x[0], x[1]);
    lastA = x[0];
    lastB = x[1];
  };
  const faces = faceCoefficients(chart, {
    dim: 2,
    potential: () => 0,
    potentialGrad: (_x, out) => out.fill(0),
    extraDrift: (x, out) => {
      at(x);
      out[0] = c[vOff];
      out[1] = c[vOff + 1];
    },
    diffusion: (x, out) => {
      at(x);
      out.set(c.subarray(4, 8));
    },
  }, { highOrderAxes: problem.alongOrder === 2 ? [0, 1] : undefined, alongFlux: problem.alongFlux });
  const nA = na * r;
  return {
    formula,
    K: assembleOperator(faces),
    flux: fluxCorrection(faces, problem.alongFlux, chart.volumes),
    widths: chart.volumes,
    structure: { shape: [nA, nb * r], periodic: [...chart.periodic] },
    spread(p, out) {
      for (let jb = 0; jb < nb; jb++)
        for (let ja = 0; ja < na; ja++)
          for (let kb = 0; kb < r; kb++) for (let ka = 0; ka < r; ka++) out[ja * r + ka + nA * (jb * r + kb)] = p[ja + na * jb];
      return out;
    },
    gather(pf, out) {
      for (let jb = 0; jb < nb; jb++)
        for (let ja = 0; ja < na; ja++) {
          let m = 0;
          let w = 0;
          for (let kb = 0; kb < r; kb++)
            for (let ka = 0; ka < r; ka++) {
              const i = ja * r + ka + nA * (jb * r + kb);
              m += pf[i] * chart.volumes[i];
              w += chart.volumes[i];
            }
          out[ja + na * jb] = m / w;
        }
      return out;
    },
  };
}

/** Points a thread's table of averaged surface coefficients holds at most before it is cleared. */
const POINT_TABLE_MAX = 400_000;

const pointTables = new WeakMap<SurfaceParam, { landscape: Landscape; noise: NoiseModel; point: (a: number, b: number, out: Float64Array) => void; rows: Map<number, Map<number, Float64Array>>; size: number }>();

/**
 * (a, b) ↦ the averaged coefficients at that chart point for both formulas (`averagedSurfacePoint`:
 * [v_Li (2), v_seed (2), G (4)]), computed once per thread for the case's models (shared per thread by
 * `caseModels`, and pure): the averaged problem is the same at every η, and its coefficients (a station's
 * theory and sixteen Σ̄ evaluations for ∂_bΣ̄ᵃᵇ per face) were ≈ 15 % of a scalar-net run, twice.
 */
function pointTable(landscape: Landscape, noise: NoiseModel, S: SurfaceParam): (a: number, b: number) => Float64Array {
  let t = pointTables.get(S);
  if (!t || t.landscape !== landscape || t.noise !== noise) {
    t = { landscape, noise, point: averagedSurfacePoint(landscape, noise, S), rows: new Map(), size: 0 };
    pointTables.set(S, t);
  }
  const table = t;
  return (a, b) => {
    let row = table.rows.get(a);
    let hit = row?.get(b);
    if (hit) return hit;
    if (table.size >= POINT_TABLE_MAX) {
      table.rows.clear();
      table.size = 0;
      row = undefined;
    }
    if (!row) table.rows.set(a, (row = new Map()));
    hit = new Float64Array(8);
    table.point(a, b, hit);
    row.set(b, hit);
    table.size++;
    return hit;
  };
}
