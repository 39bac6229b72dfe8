/**
 * Face coefficients of the Fokker–Planck operator on a structured grid in
 * computational coordinates ξ, from the physical drift–diffusion fields.
 *
 * With θ = X(ξ), J = ∂θ/∂ξ, √g = |det J|, the conservation law
 * ∂ₜρ + ∇·J = 0 becomes ∂ₜ(√g ρ) + ∂ₐ(√g Jᵃ) = 0 with the contravariant flux
 *
 *   Jᵃ = bᵃ ρ − Σ_b Gᵃᵇ ∂_b ρ,   b = J⁻¹(−∇U + β),   G = J⁻¹ D J⁻ᵀ.
 *
 * On the face between cells P and Q along axis a (centres Δξₐ apart, face
 * area A = Π_{b≠a} Δξ_b in ξ):
 *   a_f = A √g Gᵃᵃ / Δξₐ,   u_f = A √g bᵃ,
 * where in bᵃ = −Σ_b gᵃᵇ ∂_bU + (J⁻¹β)ᵃ the normal derivative ∂ₐU is the
 * difference (U_Q − U_P)/Δξₐ of the cell-centre values. For an orthogonal map
 * and D = ½σ²I this makes Pe = −(U_Q − U_P)/(½σ²), so exp(−2U/σ²) is an exact
 * discrete steady state. The cross terms −A √g Gᵃᵇ ∂_bρ (b ≠ a) use the mean of
 * the centred differences of ρ along b in P and Q (one-sided at walls).
 * Everything is evaluated at the face centre (second order). With
 * `fields.slotboomScale` = D̄ the cross terms are exponentially fitted (see
 * DriftDiffusionFields), which keeps the Gibbs state exact on non-orthogonal
 * grids (a tube whose half-width follows √(ηΩ(s))).
 */
import type { StructuredGrid } from '../grid/types.js';
import { NumericalError } from '../util/errors.js';
import { bernoulli } from './flux-sg.js';
import { LimitedStencilBuilder } from './flux-limited.js';
import type { DriftDiffusionFields, FaceCoefficients } from './types.js';

/** The high-resolution face value along Γ (FaceCoefficientOptions.alongFlux). */
export type AlongFlux = 'quick' | 'limited' | 'fct';

/** Inverse and |det| of a d×d row-major matrix (d = 1, 2, 3). Returns |det|; 0 if singular. */
export function invertSmall(m: Float64Array, d: number, inv: Float64Array): number {
  if (d === 1) {
    inv[0] = 1 / m[0];
    return Math.abs(m[0]);
  }
  if (d === 2) {
    const det = m[0] * m[3] - m[1] * m[2];
    if (det === 0) return 0;
    inv[0] = m[3] / det;
    inv[1] = -m[1] / det;
    inv[2] = -m[2] / det;
    inv[3] = m[0] / det;
    return Math.abs(det);
  }
  const [a, b, c, e, f, g, h, i, k] = [m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8]];
  const c00 = f * k - g * i;
  const c01 = g * h - e * k;
  const c02 = e * i - f * h;
  const det = a * c00 + b * c01 + c * c02;
  if (det === 0) return 0;
  inv[0] = c00 / det;
  inv[1] = (c * i - b * k) / det;
  inv[2] = (b * g - c * f) / det;
  inv[3] = c01 / det;
  inv[4] = (a * k - c * h) / det;
  inv[5] = (c * e - a * g) / det;
  inv[6] = c02 / det;
  inv[7] = (b * h - a * i) / det;
  inv[8] = (a * f - b * e) / det;
  return Math.abs(det);
}

/** Strides of the index i₀ + n₀(i₁ + n₁ i₂). */
export function strides(shape: readonly number[]): number[] {
  const s: number[] = [];
  let p = 1;
  for (const n of shape) {
    s.push(p);
    p *= n;
  }
  return s;
}

/** Multi-index of cell c. */
export function cellIndex(c: number, shape: readonly number[], out: number[]): number[] {
  let r = c;
  for (let a = 0; a < shape.length; a++) {
    out[a] = r % shape[a];
    r = Math.floor(r / shape[a]);
  }
  return out;
}

export interface FaceCoefficientOptions {
  /**
   * Axes whose convection-dominated faces (|Pe| > 2) get a high-resolution
   * correction: F += w·u·(ρ_Q3 − ρ_U), with ρ_Q3 = ⅜ρ_D + ¾ρ_U − ⅛ρ_UU the
   * upwind-biased quadratic (QUICK) face value (central at a wall) and
   * w = 1 − 2/|Pe|, which removes the SG flux's numerical diffusion
   * (≈ uΔξ/2 − D for large Pe) and leaves a second-order flux. Linear, so the
   * implicit steppers are unchanged; it is not positivity-preserving (min ρ is
   * monitored). Used along Γ when the noise has no Gibbs state to keep exact:
   * with label noise there is no diffusion along Γ and the plain SG flux is
   * first-order upwind there.
   */
  highOrderAxes?: readonly number[];
  /**
   * The high-resolution face value on `highOrderAxes`: 'quick' (default; the
   * linear QUICK weights above, in the matrix) or 'limited' (Koren-limited
   * MUSCL, flux-limited.ts: returned as `limited`, kept out of the matrix, which
   * stays the first-order SG M-matrix; positivity-preserving) or 'fct' (the same
   * stencil, for Zalesak's flux-corrected transport after each stage, flux-fct.ts).
   */
  alongFlux?: AlongFlux;
  /** Skip the cross-diffusion stencil even where Gᵃᵇ ≠ 0 (for tests of the two-point part). */
  noCross?: boolean;
  /** Relative size below which a cross coefficient is dropped (default 1e-14 of Gᵃᵃ). */
  crossDropTol?: number;
}

export function faceCoefficients(
  grid: StructuredGrid,
  fields: DriftDiffusionFields,
  opts: FaceCoefficientOptions = {},
): FaceCoefficients {
  const d = grid.dim;
  if (fields.dim !== d) throw new Error(`faceCoefficients: fields have dim ${fields.dim}, grid ${d}`);
  const { shape, edges, periodic, nCells } = grid;
  const st = strides(shape);
  const dropTol = opts.crossDropTol ?? 1e-14;

  // Potential at cell centres.
  const U = new Float64Array(nCells);
  const th = new Float64Array(d);
  for (let c = 0; c < nCells; c++) {
    for (let i = 0; i < d; i++) th[i] = grid.centres[c * d + i];
    const u = fields.potential(th);
    if (!Number.isFinite(u)) {
      throw new NumericalError(`potential L/η is not finite (${u}) at cell ${c}, θ = (${Array.from(th).map((v) => v.toPrecision(6)).join(', ')})`, { cell: c });
    }
    U[c] = u;
  }

  // Count faces.
  let nFaces = 0;
  for (let a = 0; a < d; a++) nFaces += (nCells / shape[a]) * (periodic[a] ? shape[a] : shape[a] - 1);
  const owner = new Int32Array(nFaces);
  const neighbour = new Int32Array(nFaces);
  const cond = new Float64Array(nFaces);
  const vel = new Float64Array(nFaces);
  const crossFace: number[] = [];
  const crossCell: number[] = [];
  const crossW: number[] = [];

  const xi = new Float64Array(d);
  const theta = new Float64Array(d);
  const jac = new Float64Array(d * d);
  const jinv = new Float64Array(d * d);
  const gradU = new Float64Array(d);
  const dU = new Float64Array(d);
  const beta = new Float64Array(d);
  const D = new Float64Array(d * d);
  const G = new Float64Array(d * d);
  const tmp = new Float64Array(d * d);
  const idx = [0, 0, 0];
  const idxQ = [0, 0, 0];

  const Dbar = fields.slotboomScale;
  const addTangential = (f: number, X: number, ix: number[], b: number, coef: number) => {
    // coef · ∂_b ρ at cell X (centred; one-sided at walls), added to face f.
    const n = shape[b];
    const i = ix[b];
    const centre = (k: number) => 0.5 * (edges[b][k] + edges[b][k + 1]);
    const period = edges[b][n] - edges[b][0];
    let cm: number, cp: number, xm: number, xp: number;
    if (i > 0) {
      cm = X - st[b];
      xm = centre(i - 1);
    } else if (periodic[b]) {
      cm = X + (n - 1) * st[b];
      xm = centre(n - 1) - period;
    } else {
      cm = X;
      xm = centre(i);
    }
    if (i < n - 1) {
      cp = X + st[b];
      xp = centre(i + 1);
    } else if (periodic[b]) {
      cp = X - (n - 1) * st[b];
      xp = centre(0) + period;
    } else {
      cp = X;
      xp = centre(i);
    }
    const w = coef / (xp - xm);
    // Fitted form: e^{−φ}∂_b(ρ e^{φ}) with e^{−φ} over the segment cm → cp taken as the harmonic mean
    // 1/⟨e^{φ}⟩ for φ linear between the centres (Scharfetter & Gummel 1969 in Slotboom variables):
    // weights B(−Δφ) on ρ_cp and B(Δφ) on ρ_cm, Δφ = φ_cp − φ_cm. Gibbs-exact like any reference
    // potential, and the weights grow like |Δφ|, not e^{|Δφ|} (see NOTES.md, issue 20).
    const dPhi = Dbar && cp !== cm ? (U[cp] - U[cm]) / Dbar : 0;
    crossFace.push(f, f);
    crossCell.push(cp, cm);
    crossW.push(w * bernoulli(-dPhi), -w * bernoulli(dPhi));
  };

  // Face index of (axis a, owner cell P) for the high-resolution pass.
  const faceAt = Array.from({ length: d }, (_, a) => (opts.highOrderAxes?.includes(a) ? new Int32Array(nCells).fill(-1) : null)) as (Int32Array | null)[];
  let f = 0;
  // One face: the body of the loop below, as a function of its own, which V8 optimises after a few hundred
  // calls; one long loop was on-stack-replaced and deoptimised three times (cold 256² assembly 100 → 40 ms).
  const oneFace = (a: number, n: number, highOrder: boolean, P: number): void => {
    cellIndex(P, shape, idx);
    const i = idx[a];
    let Q: number;
    let dxi: number;
    if (i < n - 1) {
      Q = P + st[a];
      dxi = 0.5 * (edges[a][i + 2] - edges[a][i]);
    } else if (periodic[a]) {
      Q = P - (n - 1) * st[a];
      dxi = 0.5 * (edges[a][n] - edges[a][n - 1]) + 0.5 * (edges[a][1] - edges[a][0]);
    } else return;
    let area = 1;
    for (let b = 0; b < d; b++) {
      if (b === a) xi[b] = edges[a][i + 1];
      else {
        xi[b] = 0.5 * (edges[b][idx[b]] + edges[b][idx[b] + 1]);
        area *= edges[b][idx[b] + 1] - edges[b][idx[b]];
      }
    }
    grid.map(xi, theta, jac);
    const sg = invertSmall(jac, d, jinv);
    if (!(sg > 0) || !Number.isFinite(sg)) {
      throw new NumericalError(`grid map is singular at face ${f} (axis ${a}), ξ = (${Array.from(xi).join(', ')})`, { face: f });
    }
    // ∂_ξ U = Jᵀ ∇U, with the normal component from cell differences.
    fields.potentialGrad(theta, gradU);
    for (let b = 0; b < d; b++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += jac[k * d + b] * gradU[k];
      dU[b] = s;
    }
    dU[a] = (U[Q] - U[P]) / dxi;
    // bᵃ = −Σ_b gᵃᵇ ∂_bU + (J⁻¹β)ᵃ with gᵃᵇ = Σ_k J⁻¹ₐₖ J⁻¹_bₖ.
    let ba = 0;
    for (let b = 0; b < d; b++) {
      let gab = 0;
      for (let k = 0; k < d; k++) gab += jinv[a * d + k] * jinv[b * d + k];
      ba -= gab * dU[b];
    }
    if (fields.extraDrift) {
      fields.extraDrift(theta, beta);
      for (let k = 0; k < d; k++) ba += jinv[a * d + k] * beta[k];
    }
    // G = J⁻¹ D J⁻ᵀ
    fields.diffusion(theta, D);
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += D[r * d + k] * jinv[c * d + k];
        tmp[r * d + c] = s;
      }
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += jinv[r * d + k] * tmp[k * d + c];
        G[r * d + c] = s;
      }
    const Gaa = Math.max(0, G[a * d + a]);
    if (Dbar && !opts.noCross) {
      // Drift released by the fitted cross terms: Σ_{b≠a} Gᵃᵇ ∂_bφ = Σ_{b≠a} Gᵃᵇ ∂_bU / D̄.
      for (let b = 0; b < d; b++) {
        if (b === a || Math.abs(G[a * d + b]) <= dropTol * Math.max(Gaa, Math.abs(G[b * d + b]))) continue;
        ba += (G[a * d + b] / Dbar) * dU[b];
      }
    }
    owner[f] = P;
    neighbour[f] = Q;
    cond[f] = (area * sg * Gaa) / dxi;
    vel[f] = area * sg * ba;
    if (!Number.isFinite(cond[f]) || !Number.isFinite(vel[f])) {
      throw new NumericalError(
        `operator coefficient is not finite at face ${f} (axis ${a}), θ = (${Array.from(theta).map((v) => v.toPrecision(6)).join(', ')}): conductance ${cond[f]}, velocity ${vel[f]}`,
        { face: f },
      );
    }
    if (highOrder) faceAt[a]![P] = f;
    if (!opts.noCross) {
      cellIndex(Q, shape, idxQ);
      for (let b = 0; b < d; b++) {
        if (b === a) continue;
        const Gab = G[a * d + b];
        if (Math.abs(Gab) <= dropTol * Math.max(Gaa, Math.abs(G[b * d + b]))) continue;
        const coef = -0.5 * area * sg * Gab;
        addTangential(f, P, idx, b, coef);
        addTangential(f, Q, idxQ, b, coef);
      }
    }
    f++;
  };
  for (let a = 0; a < d; a++) {
    const n = shape[a];
    const highOrder = faceAt[a] !== null;
    for (let P = 0; P < nCells; P++) oneFace(a, n, highOrder, P);
  }
  if (f !== nFaces) throw new Error(`faceCoefficients: counted ${nFaces} faces, built ${f}`);
  const limited = opts.alongFlux === 'limited' || opts.alongFlux === 'fct' ? new LimitedStencilBuilder() : null;
  for (const a of opts.highOrderAxes ?? []) {
    const fa = faceAt[a]!;
    const n = shape[a];
    const back = (c: number, i: number) => (i > 0 ? c - st[a] : periodic[a] ? c + (n - 1) * st[a] : -1);
    const fwd = (c: number, i: number) => (i < n - 1 ? c + st[a] : periodic[a] ? c - (n - 1) * st[a] : -1);
    for (let P = 0; P < nCells; P++) {
      const face = fa[P];
      if (face < 0) continue;
      const Q = neighbour[face];
      const iP = cellIndex(P, shape, idx)[a];
      const iQ = (iP + 1) % n;
      const u = vel[face];
      const w = highResolutionWeight(cond[face], u);
      if (w === 0) continue;
      // Upwind cell U, downwind D, and the cell UU beyond U; the correction is used only
      // where the flow through U's other face runs the same way and is also convection
      // dominated (smooth advection), never at a divergence or convergence point.
      const [U, D] = u > 0 ? [P, Q] : [Q, P];
      const UU = u > 0 ? back(P, iP) : fwd(Q, iQ);
      const upFace = u > 0 ? (UU >= 0 ? fa[UU] : -1) : fa[Q];
      const upOk = UU >= 0 && UU !== D && upFace >= 0 && Math.sign(vel[upFace]) === Math.sign(u) && highResolutionWeight(cond[upFace], vel[upFace]) > 0;
      if (!upOk) continue;
      const wu = w * u;
      if (limited) {
        limited.add(face, P, Q, U, D, UU, wu);
        continue;
      }
      crossFace.push(face, face, face);
      crossCell.push(D, U, UU);
      crossW.push((3 / 8) * wu, (-2 / 8) * wu, (-1 / 8) * wu);
    }
  }
  const cross =
    crossFace.length > 0
      ? { face: Int32Array.from(crossFace), cell: Int32Array.from(crossCell), weight: Float64Array.from(crossW) }
      : null;
  return { nCells, owner, neighbour, cond, vel, cross, limited: limited?.build() ?? null };
}

/**
 * Weight of the high-resolution correction on a face of conductance a and
 * velocity u: 1 − 2/|Pe| for |Pe| = |u|/a > 2 (1 when a = 0), else 0.
 */
export function highResolutionWeight(a: number, u: number): number {
  const pe = a > 0 ? Math.abs(u) / a : u !== 0 ? Infinity : 0;
  if (!(pe > 2)) return 0;
  return Number.isFinite(pe) ? 1 - 2 / pe : 1;
}
