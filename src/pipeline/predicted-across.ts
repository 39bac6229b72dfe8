/**
 * The prediction the run checks across Γ: ηΩ per station along Γ, in the grid's normal basis
 * (k×k per station, k the codimension of Γ; DESIGN.md §6).
 */
import { curveFrame3d } from '../grid/frames.js';
import type { CurveParam } from '../landscape/types.js';
import { curveStation } from '../theory/along-curve.js';
import { theoryAt } from '../theory/pointwise.js';
import type { StationLayout } from '../trackers/along-gamma.js';
import type { Problem } from './problem.js';

/** ηΩ across Γ per station in the grid's normal basis (k×k per station). */
export function predictedAcross(problem: Problem, layout: StationLayout): Float64Array {
  const { landscape, noise, eta, gamma, codim, grid } = problem;
  const k = codim;
  const out = new Float64Array(layout.nS * k * k);
  for (let j = 0; j < layout.nS; j++) {
    if (gamma!.kind === 'curve') {
      const s = layout.centre[j];
      let normals: Float64Array | undefined;
      if (grid.dim === 3) {
        const f = curveFrame3d(gamma as CurveParam, s);
        normals = Float64Array.from([...f.N1, ...f.N2]);
      }
      const st = curveStation(landscape, noise, gamma as CurveParam, s, normals ? { normals } : {});
      for (let a = 0; a < k * k; a++) out[j * k * k + a] = eta * st.omegaNormal[a];
    } else {
      const a = layout.centre[2 * j];
      const b = layout.centre[2 * j + 1];
      const S = gamma!;
      if (S.kind !== 'surface') continue;
      const Sa = S.da(a, b, new Float64Array(3));
      const Sb = S.db(a, b, new Float64Array(3));
      const N = [Sa[1] * Sb[2] - Sa[2] * Sb[1], Sa[2] * Sb[0] - Sa[0] * Sb[2], Sa[0] * Sb[1] - Sa[1] * Sb[0]];
      const nn = Math.hypot(N[0], N[1], N[2]);
      const th = S.point(a, b, new Float64Array(3));
      const O = theoryAt(problem.landscape, problem.noise, th, 2).Omega;
      let q = 0;
      for (let i = 0; i < 3; i++) for (let l = 0; l < 3; l++) q += (N[i] / nn) * O[i * 3 + l] * (N[l] / nn);
      out[j] = eta * q;
    }
  }
  return out;
}
