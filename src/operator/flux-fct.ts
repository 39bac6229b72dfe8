/**
 * Flux-corrected transport along Γ for the implicit stages: Zalesak's limiter
 * of the antidiffusive flux (S. T. Zalesak, "Fully multidimensional flux-
 * corrected transport algorithms for fluids", J. Comput. Phys. 31:335, 1979)
 * applied after each low-order implicit stage, as in the linearised FEM-FCT of
 * D. Kuzmin ("Explicit and implicit FEM-FCT algorithms with flux
 * linearization", J. Comput. Phys. 228:2517, 2009; Kuzmin & Turek 2002).
 *
 * A stage first solves (M − chK) xᴸ = b with the first-order SG M-matrix (the
 * banded LU and the multigrid see nothing else). On every face of the stencil
 * (flux-limited.ts: upwind U, downwind D, UU upstream of U, coef = w·u) the
 * antidiffusive flux is the difference between the κ = ⅓ upwind-biased face
 * value (Koren's unlimited third-order value) and the upwind value, at xᴸ:
 *
 *   f_k = coef_k · (⅓(x_D − x_U) + ⅙(x_U − x_UU)),
 *
 * and the stage answer is x = xᴸ + ch M⁻¹ Σ_k α_k f_k (−out of the owner, +into
 * the neighbour) with Zalesak's weights α_k ∈ [0, 1]:
 *   P±_i = Σ of the positive / negative antidiffusive inflows of cell i,
 *   Q±_i = Mᵢ (x±_i − xᴸ_i) / (ch),  x±_i = max / min of xᴸ and of the stage's
 *   starting state over cell i and its stencil neighbours,
 *   R±_i = min(1, Q±_i / P±_i) (1 where P± = 0),
 *   α_k = min(R⁺_recv, R⁻_send) for the cell receiving / sending f_k.
 * So every cell stays within the local bounds of the low-order answer and the
 * previous state (no new extrema, ρ ≥ 0 whenever those are), and mass is moved
 * between cells only (conserved to round-off). Where nothing limits, α = 1 and
 * the flux is the third-order face value's: second order where ρ is smooth.
 */
import type { Csr } from '../linalg/types.js';
import type { LimitedStencil } from './flux-limited.js';

export class FctLimiter {
  private readonly st: LimitedStencil;
  private readonly mass: Float64Array;
  private readonly f: Float64Array;
  private readonly pPlus: Float64Array;
  private readonly pMinus: Float64Array;
  private readonly hi: Float64Array;
  private readonly lo: Float64Array;
  private readonly gBuf: Float64Array;

  /** Cells whose states bound cell i: row i of this pattern (the low-order operator's, all axes), else the stencil's faces. */
  private readonly pattern: Pick<Csr, 'rowPtr' | 'colIdx'> | null;

  constructor(st: LimitedStencil, mass: Float64Array, pattern: Pick<Csr, 'rowPtr' | 'colIdx'> | null = null) {
    this.st = st;
    this.pattern = pattern;
    this.mass = mass;
    const n = mass.length;
    this.f = new Float64Array(st.coef.length);
    this.pPlus = new Float64Array(n);
    this.pMinus = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.lo = new Float64Array(n);
    this.gBuf = new Float64Array(n);
  }

  /**
   * x ← xᴸ + ch M⁻¹ Σ α f (in place; x is the low-order stage answer, prev the stage's starting state). With
   * `explicitAt` (a trapezoid stage, whose right-hand side holds ch·Kρⁿ), f is the sum of the antidiffusive
   * fluxes at xᴸ and at explicitAt.
   */
  correct(x: Float64Array, prev: Float64Array, ch: number, explicitAt: Float64Array | null = null): void {
    const g = this.limited(x, prev, ch, explicitAt, this.gBuf);
    const { mass } = this;
    for (let i = 0; i < mass.length; i++) x[i] += g[i] / mass[i];
  }

  /**
   * out ← ch Σ α f per cell (mass units: −out of the owner, +into the neighbour), the limited antidiffusion
   * of a stage around the state x (bounds from x and prev over each cell's neighbours), x unchanged. The
   * defect-correction form of the stage adds it to the right-hand side and iterates (stepper/implicit.ts).
   */
  limited(x: Float64Array, prev: Float64Array, ch: number, explicitAt: Float64Array | null, out: Float64Array): Float64Array {
    const { owner, neighbour, up, down, upUp, coef } = this.st;
    const { f, pPlus, pMinus, hi, lo, mass } = this;
    const nE = coef.length;
    const n = mass.length;
    for (let i = 0; i < n; i++) {
      const a = x[i];
      const b = prev[i];
      hi[i] = a > b ? a : b;
      lo[i] = a < b ? a : b;
    }
    pPlus.fill(0);
    pMinus.fill(0);
    for (let k = 0; k < nE; k++) {
      const P = owner[k];
      const Q = neighbour[k];
      const xU = x[up[k]];
      let fk = coef[k] * ((x[down[k]] - xU) / 3 + (xU - x[upUp[k]]) / 6);
      if (explicitAt) {
        const eU = explicitAt[up[k]];
        fk += coef[k] * ((explicitAt[down[k]] - eU) / 3 + (eU - explicitAt[upUp[k]]) / 6);
      }
      f[k] = fk;
      if (fk > 0) {
        pPlus[Q] += fk;
        pMinus[P] -= fk;
      } else {
        pPlus[P] -= fk;
        pMinus[Q] += fk;
      }
    }
    // Local bounds over each cell's neighbours in the pattern, or over each face's two cells (both states).
    const pat = this.pattern;
    if (pat) {
      const { rowPtr, colIdx } = pat;
      for (let i = 0; i < n; i++) {
        let h = hi[i];
        let l = lo[i];
        for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) {
          const j = colIdx[p];
          const a = x[j];
          const b = prev[j];
          if (a > h) h = a;
          if (b > h) h = b;
          if (a < l) l = a;
          if (b < l) l = b;
        }
        hi[i] = h;
        lo[i] = l;
      }
    } else for (let k = 0; k < nE; k++) {
      const P = owner[k];
      const Q = neighbour[k];
      const hP = Math.max(x[P], prev[P]);
      const hQ = Math.max(x[Q], prev[Q]);
      const lP = Math.min(x[P], prev[P]);
      const lQ = Math.min(x[Q], prev[Q]);
      if (hQ > hi[P]) hi[P] = hQ;
      if (hP > hi[Q]) hi[Q] = hP;
      if (lQ < lo[P]) lo[P] = lQ;
      if (lP < lo[Q]) lo[Q] = lP;
    }
    // R± into pPlus / pMinus (reused): the fraction of each cell's inflows it can take.
    for (let i = 0; i < n; i++) {
      const room = (mass[i] * (hi[i] - x[i])) / ch;
      const roomDown = (mass[i] * (x[i] - lo[i])) / ch;
      pPlus[i] = pPlus[i] > room ? room / pPlus[i] : 1;
      pMinus[i] = -pMinus[i] > roomDown ? roomDown / -pMinus[i] : 1;
    }
    out.fill(0);
    for (let k = 0; k < nE; k++) {
      const P = owner[k];
      const Q = neighbour[k];
      const fk = f[k];
      const alpha = fk > 0 ? Math.min(pPlus[Q], pMinus[P]) : Math.min(pPlus[P], pMinus[Q]);
      const g = ch * alpha * fk;
      out[P] -= g;
      out[Q] += g;
    }
    return out;
  }
}
