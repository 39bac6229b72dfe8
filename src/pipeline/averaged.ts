/**
 * The averaged problem on Γ (DESIGN.md §6), one per drift formula, through the
 * same finite-volume assembly and stepper as the full problem. Curves only:
 * the 1D equation in the chart parameter s.
 *
 * The averaged problem is solved on the tube's along cells subdivided `refine`
 * times (default 8): it is 1D and cheap, and with label noise it has no
 * diffusion along Γ, so the SG flux is upwind there and its numerical
 * diffusion (∝ Δs) would otherwise be part of the comparison. Densities are
 * summed back onto the tube's stations for every comparison.
 */
import type { CurveParam } from '../landscape/types.js';
import type { Csr } from '../linalg/types.js';
import { assembleOperator } from '../operator/assemble.js';
import { cellWidths, chartFaces1d, faceCoefficients1d } from '../operator/chart-1d.js';
import { averagedCurveCoefficients, type DriftFormula } from '../theory/along-curve.js';
import type { Problem } from './problem.js';

export interface AveragedProblem {
  formula: DriftFormula;
  K: Csr;
  /** Fine cell widths Δs (the mass matrix). */
  widths: Float64Array;
  /** Sub-cells per station. */
  refine: number;
  /** Solver structure: one row of cells, periodic on a closed curve. */
  structure: { shape: number[]; periodic: boolean[] };
}

/** The averaged 1D problem along a curve Γ on the tube grid's along cells, each split `refine` times. */
export function averagedProblem(problem: Problem, formula: DriftFormula, refine = 8): AveragedProblem {
  const { grid, landscape, noise } = problem;
  const gamma = problem.gamma as CurveParam;
  const axis = grid.alongAxes[0];
  const coarse = grid.edges[axis];
  const n = coarse.length - 1;
  const edges = new Float64Array(n * refine + 1);
  for (let j = 0; j < n; j++)
    for (let k = 0; k < refine; k++) edges[j * refine + k] = coarse[j] + ((coarse[j + 1] - coarse[j]) * k) / refine;
  edges[n * refine] = coarse[n];
  const closed = grid.periodic[axis];
  const sFaces = chartFaces1d(edges, closed);
  const coef = averagedCurveCoefficients(landscape, noise, gamma, sFaces, formula);
  const faces = faceCoefficients1d(edges, closed, coef.b, coef.G);
  return {
    formula,
    K: assembleOperator(faces),
    widths: cellWidths(edges),
    refine,
    structure: { shape: [1, n * refine], periodic: [false, closed] },
  };
}

/** Fine density from station densities (piecewise constant: exactly the same station masses). */
export function spreadToFine(avg: AveragedProblem, pStations: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < pStations.length; j++) for (let k = 0; k < avg.refine; k++) out[j * avg.refine + k] = pStations[j];
  return out;
}

/** Station densities (per unit s) from the fine density: station mass / station width. */
export function gatherToStations(avg: AveragedProblem, pFine: Float64Array, out: Float64Array): Float64Array {
  for (let j = 0; j < out.length; j++) {
    let m = 0;
    let w = 0;
    for (let k = 0; k < avg.refine; k++) {
      const i = j * avg.refine + k;
      m += pFine[i] * avg.widths[i];
      w += avg.widths[i];
    }
    out[j] = m / w;
  }
  return out;
}
