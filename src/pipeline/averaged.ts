/**
 * The averaged problem on Γ (DESIGN.md §6), one per drift formula, through the
 * same finite-volume assembly and stepper as the full problem. Curves only:
 * the 1D equation in the chart parameter s.
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
  /** Cell widths Δs (the mass matrix). */
  widths: Float64Array;
  /** Solver structure: one row of cells, periodic on a closed curve. */
  structure: { shape: number[]; periodic: boolean[] };
}

/** The averaged 1D problem along a curve Γ on the tube grid's own along cells. */
export function averagedProblem(problem: Problem, formula: DriftFormula): AveragedProblem {
  const { grid, landscape, noise } = problem;
  const gamma = problem.gamma as CurveParam;
  const axis = grid.alongAxes[0];
  const edges = grid.edges[axis];
  const closed = grid.periodic[axis];
  const sFaces = chartFaces1d(edges, closed);
  const coef = averagedCurveCoefficients(landscape, noise, gamma, sFaces, formula);
  const faces = faceCoefficients1d(edges, closed, coef.b, coef.G);
  return {
    formula,
    K: assembleOperator(faces),
    widths: cellWidths(edges),
    structure: { shape: [1, edges.length - 1], periodic: [false, closed] },
  };
}
