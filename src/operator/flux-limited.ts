/**
 * A limited high-resolution correction of the advective flux along Γ, for the
 * defect-correction form of the implicit steppers.
 *
 * On a convection-dominated face f (|Pe| > 2) with upwind cell U, downwind
 * cell D and the cell UU upstream of U, the SG flux is close to the upwind
 * flux u·ρ_U. The correction replaces ρ_U by the limited MUSCL face value
 *
 *   ρ_f = ρ_U + ½ ψ(r) (ρ_U − ρ_UU),   r = (ρ_D − ρ_U) / (ρ_U − ρ_UU),
 *
 * with Koren's limiter ψ(r) = max(0, min(2r, (1 + 2r)/3, 2)) (B. Koren, "A
 * robust upwind discretization method for advection, diffusion and source
 * terms", in Numerical Methods for Advection–Diffusion Problems, Vieweg 1993):
 * the κ = ⅓ upwind-biased face value where ρ is smooth (r near 1; third-order
 * face value, second-order flux), first-order upwind at extrema (r ≤ 0). The
 * correction flux on face f (owner → neighbour) is
 *
 *   F̃_f = w_f u_f · ½ ψ(r) (ρ_U − ρ_UU),   w_f = 1 − 2/|Pe_f|  (highResolutionWeight),
 *
 * and enters cell P = owner with −F̃_f and Q = neighbour with +F̃_f, so
 * Σ_P (Cρ)_P = 0 exactly (a flux difference: mass is conserved to round-off).
 *
 * Because 0 ≤ ψ(r) ≤ 2 and ψ(r)/r ≤ 2, the corrected semi-discretisation can be
 * written with nonnegative off-diagonal coefficients that depend on ρ (Harten's
 * form; Sweby 1984, SIAM J. Numer. Anal. 21:995): the low-order SG operator K
 * plus C stays local-extremum-diminishing where the flow is divergence free,
 * and backward Euler's solution of M(ρⁿ⁺¹ − ρⁿ) = h(Kρⁿ⁺¹ + C(ρⁿ⁺¹)) keeps
 * ρ ≥ 0 for any h. The nonlinear stage equation is solved by defect correction
 * (Koren 1993; Kuzmin & Turek, J. Comput. Phys. 175:525, 2002): the matrix is
 * always the first-order M-matrix M − chK, the limited correction is moved to
 * the right-hand side and iterated (see stepper/implicit.ts).
 *
 * Index convention: entries k = 0 … n−1, each one face `face[k]` with its cells
 * `up[k]` = U, `down[k]` = D, `upUp[k]` = UU and `coef[k]` = w·u (signed).
 */
export interface LimitedStencil {
  readonly face: Int32Array;
  readonly owner: Int32Array;
  readonly neighbour: Int32Array;
  readonly up: Int32Array;
  readonly down: Int32Array;
  readonly upUp: Int32Array;
  readonly coef: Float64Array;
}

/** Collects the entries of a LimitedStencil face by face. */
export class LimitedStencilBuilder {
  private readonly f: number[] = [];
  private readonly o: number[] = [];
  private readonly q: number[] = [];
  private readonly u: number[] = [];
  private readonly d: number[] = [];
  private readonly uu: number[] = [];
  private readonly c: number[] = [];

  add(face: number, owner: number, neighbour: number, up: number, down: number, upUp: number, coef: number): void {
    this.f.push(face);
    this.o.push(owner);
    this.q.push(neighbour);
    this.u.push(up);
    this.d.push(down);
    this.uu.push(upUp);
    this.c.push(coef);
  }

  build(): LimitedStencil | null {
    if (this.f.length === 0) return null;
    return {
      face: Int32Array.from(this.f),
      owner: Int32Array.from(this.o),
      neighbour: Int32Array.from(this.q),
      up: Int32Array.from(this.u),
      down: Int32Array.from(this.d),
      upUp: Int32Array.from(this.uu),
      coef: Float64Array.from(this.c),
    };
  }
}

/**
 * ½ψ(r)·Δ_U with Koren's limiter, r = Δ_D/Δ_U, written without the division:
 * ½·min(2Δ_D, (Δ_U + 2Δ_D)/3, 2Δ_U) when Δ_U, Δ_D > 0 (max of the same when both
 * are < 0), 0 when they differ in sign or either is 0.
 */
export function korenIncrement(dU: number, dD: number): number {
  if (dU > 0 && dD > 0) return 0.5 * Math.min(2 * dD, (dU + 2 * dD) / 3, 2 * dU);
  if (dU < 0 && dD < 0) return 0.5 * Math.max(2 * dD, (dU + 2 * dD) / 3, 2 * dU);
  return 0;
}

/** out ← (Cρ): the divergence of the limited correction fluxes, per cell (−F̃ out of the owner, +F̃ into the neighbour). */
export function limitedCorrection(st: LimitedStencil, rho: Float64Array, out: Float64Array): Float64Array {
  out.fill(0);
  const { owner, neighbour, up, down, upUp, coef } = st;
  for (let k = 0; k < coef.length; k++) {
    const rU = rho[up[k]];
    const F = coef[k] * korenIncrement(rU - rho[upUp[k]], rho[down[k]] - rU);
    out[owner[k]] -= F;
    out[neighbour[k]] += F;
  }
  return out;
}
