/**
 * Face coefficients of a 1D conservation law on a chart of Γ (the averaged
 * problem along a curve):  ∂ₜp + ∂ₛJ = 0,  J = b p − G ∂ₛp,  p per unit s.
 * Cells are the intervals between `edges`; faces are the interior edges
 * e₁ … e_{n−1}, plus the wrap edge e_n ≡ e₀ (joining cell n−1 to cell 0) on a
 * closed curve, in that order — `chartFaces1d` lists their s values.
 * The SG flux with a = G/Δs and u = b makes this the same operator as the full
 * problem's (same assembly, same stepper).
 */
import { highResolutionWeight, type AlongFlux } from './face-coefficients.js';
import { LimitedStencilBuilder } from './flux-limited.js';
import type { FaceCoefficients } from './types.js';

/** The s of each face, in the order the coefficients are expected. */
export function chartFaces1d(edges: Float64Array, closed: boolean): Float64Array {
  const n = edges.length - 1;
  const out = new Float64Array(closed ? n : n - 1);
  for (let j = 1; j < n; j++) out[j - 1] = edges[j];
  if (closed) out[n - 1] = edges[n];
  return out;
}

/**
 * With `highOrder`, faces with |Pe| > 2 get the same high-resolution (QUICK)
 * correction as the full problem's faces along Γ (see FaceCoefficientOptions.
 * highOrderAxes): without it the averaged problem of a noise with no diffusion
 * along Γ would be first-order upwind. `highOrder` = 'limited' gives the
 * Koren-limited correction instead (flux-limited.ts), outside the matrix.
 */
export function faceCoefficients1d(edges: Float64Array, closed: boolean, b: Float64Array, G: Float64Array, highOrder: boolean | AlongFlux = false): FaceCoefficients {
  const n = edges.length - 1;
  const nF = closed ? n : n - 1;
  if (b.length !== nF || G.length !== nF) throw new Error(`faceCoefficients1d: expected ${nF} face values, got ${b.length}, ${G.length}`);
  const owner = new Int32Array(nF);
  const neighbour = new Int32Array(nF);
  const cond = new Float64Array(nF);
  const vel = new Float64Array(nF);
  for (let f = 0; f < nF; f++) {
    const P = f;
    const Q = f === n - 1 ? 0 : f + 1;
    const dxi = f === n - 1 ? 0.5 * (edges[n] - edges[n - 1] + edges[1] - edges[0]) : 0.5 * (edges[f + 2] - edges[f]);
    owner[f] = P;
    neighbour[f] = Q;
    cond[f] = Math.max(0, G[f]) / dxi;
    vel[f] = b[f];
  }
  if (!highOrder) return { nCells: n, owner, neighbour, cond, vel, cross: null };
  const limited = highOrder === 'limited' || highOrder === 'fct' ? new LimitedStencilBuilder() : null;
  const cf: number[] = [];
  const cc: number[] = [];
  const cw: number[] = [];
  // Face f joins cell f to cell f+1 (wrap at the end on a closed curve).
  const faceLeftOf = (c: number) => (c < nF ? c : -1); // the face with owner c
  const faceRightOf = (c: number) => (c > 0 ? c - 1 : closed ? nF - 1 : -1); // the face with neighbour c
  for (let f = 0; f < nF; f++) {
    const u = vel[f];
    const w = highResolutionWeight(cond[f], u);
    if (w === 0) continue;
    const P = owner[f];
    const Q = neighbour[f];
    const [U, D] = u > 0 ? [P, Q] : [Q, P];
    const upFace = u > 0 ? faceRightOf(P) : faceLeftOf(Q);
    if (upFace < 0) continue;
    const UU = u > 0 ? owner[upFace] : neighbour[upFace];
    if (UU === D || Math.sign(vel[upFace]) !== Math.sign(u) || highResolutionWeight(cond[upFace], vel[upFace]) === 0) continue;
    const wu = w * u;
    if (limited) {
      limited.add(f, P, Q, U, D, UU, wu);
      continue;
    }
    cf.push(f, f, f);
    cc.push(D, U, UU);
    cw.push((3 / 8) * wu, (-2 / 8) * wu, (-1 / 8) * wu);
  }
  const cross = cf.length ? { face: Int32Array.from(cf), cell: Int32Array.from(cc), weight: Float64Array.from(cw) } : null;
  return { nCells: n, owner, neighbour, cond, vel, cross, limited: limited?.build() ?? null };
}

/** Cell widths of a 1D chart grid (the "volumes" of the averaged problem). */
export function cellWidths(edges: Float64Array): Float64Array {
  const n = edges.length - 1;
  const w = new Float64Array(n);
  for (let j = 0; j < n; j++) w[j] = edges[j + 1] - edges[j];
  return w;
}
