/**
 * Assembly of the finite-volume operator K from face coefficients:
 *
 *   d/dt (V_P ρ_P) = (Kρ)_P = −Σ_{faces f out of P} F_f + Σ_{faces f into P} F_f,
 *
 * so every face adds its two-point coefficients (cP, cQ) with F = cP ρ_P + cQ ρ_Q
 * (and its cross-stencil weights) to row P with a minus sign and to row Q with
 * a plus sign. Each column therefore sums to zero: mass Σ V_P ρ_P is conserved
 * to round-off by construction.
 */
import { csrFromTriplets } from '../linalg/csr.js';
import type { Csr } from '../linalg/types.js';
import { sgCoefficients } from './flux-sg.js';
import type { FaceCoefficients } from './types.js';

export function assembleOperator(fc: FaceCoefficients): Csr {
  const nF = fc.owner.length;
  const nX = fc.cross ? fc.cross.face.length : 0;
  const nnz = 4 * nF + 2 * nX;
  const rows = new Int32Array(nnz);
  const cols = new Int32Array(nnz);
  const vals = new Float64Array(nnz);
  const c = new Float64Array(2);
  let k = 0;
  for (let f = 0; f < nF; f++) {
    const P = fc.owner[f];
    const Q = fc.neighbour[f];
    sgCoefficients(fc.cond[f], fc.vel[f], c);
    rows[k] = P; cols[k] = P; vals[k++] = -c[0];
    rows[k] = P; cols[k] = Q; vals[k++] = -c[1];
    rows[k] = Q; cols[k] = P; vals[k++] = c[0];
    rows[k] = Q; cols[k] = Q; vals[k++] = c[1];
  }
  if (fc.cross) {
    const { face, cell, weight } = fc.cross;
    for (let j = 0; j < nX; j++) {
      const f = face[j];
      rows[k] = fc.owner[f]; cols[k] = cell[j]; vals[k++] = -weight[j];
      rows[k] = fc.neighbour[f]; cols[k] = cell[j]; vals[k++] = weight[j];
    }
  }
  return csrFromTriplets(fc.nCells, rows, cols, vals);
}

/** Fluxes F_f for a density ρ (mass per unit time from owner to neighbour). */
export function faceFluxes(fc: FaceCoefficients, rho: Float64Array, out: Float64Array): Float64Array {
  const c = new Float64Array(2);
  for (let f = 0; f < fc.owner.length; f++) {
    sgCoefficients(fc.cond[f], fc.vel[f], c);
    out[f] = c[0] * rho[fc.owner[f]] + c[1] * rho[fc.neighbour[f]];
  }
  if (fc.cross) {
    const { face, cell, weight } = fc.cross;
    for (let j = 0; j < face.length; j++) out[face[j]] += weight[j] * rho[cell[j]];
  }
  return out;
}
