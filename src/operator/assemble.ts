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
import { csrFromBuckets } from '../linalg/csr.js';
import type { Csr } from '../linalg/types.js';
import { sgCoefficients } from './flux-sg.js';
import type { FaceCoefficients } from './types.js';
import { NumericalError } from '../util/errors.js';

export function assembleOperator(fc: FaceCoefficients): Csr {
  const n = fc.nCells;
  const { owner, neighbour } = fc;
  const nF = owner.length;
  const nX = fc.cross ? fc.cross.face.length : 0;
  // Entries bucketed by row straight away (two per face end, one per cross weight and end).
  const start = new Int32Array(n + 1);
  for (let f = 0; f < nF; f++) {
    start[owner[f] + 1] += 2;
    start[neighbour[f] + 1] += 2;
  }
  if (fc.cross) {
    const { face } = fc.cross;
    for (let j = 0; j < nX; j++) {
      start[owner[face[j]] + 1]++;
      start[neighbour[face[j]] + 1]++;
    }
  }
  for (let r = 0; r < n; r++) start[r + 1] += start[r];
  const next = start.slice(0, n);
  const m = start[n];
  const col = new Int32Array(m);
  const val = new Float64Array(m);
  const c = new Float64Array(2);
  for (let f = 0; f < nF; f++) {
    const P = owner[f];
    const Q = neighbour[f];
    sgCoefficients(fc.cond[f], fc.vel[f], c);
    if (!Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      throw new NumericalError(`non-finite flux coefficient (${c[0]}, ${c[1]}) on the face between cells ${P} and ${Q}`, { face: f, row: P, col: Q });
    }
    let p = next[P];
    col[p] = P;
    val[p] = -c[0];
    col[p + 1] = Q;
    val[p + 1] = -c[1];
    next[P] = p + 2;
    p = next[Q];
    col[p] = P;
    val[p] = c[0];
    col[p + 1] = Q;
    val[p + 1] = c[1];
    next[Q] = p + 2;
  }
  if (fc.cross) {
    const { face, cell, weight } = fc.cross;
    for (let j = 0; j < nX; j++) {
      const f = face[j];
      const w = weight[j];
      if (!Number.isFinite(w)) throw new NumericalError(`non-finite cross-stencil weight ${w} on face ${f}, cell ${cell[j]}`, { face: f, col: cell[j] });
      let p = next[owner[f]]++;
      col[p] = cell[j];
      val[p] = -w;
      p = next[neighbour[f]]++;
      col[p] = cell[j];
      val[p] = w;
    }
  }
  return csrFromBuckets(n, start, col, val);
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
