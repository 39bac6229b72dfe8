/**
 * Landscapes L: ℝᵈ → ℝ (d = 2 or 3) with exact derivatives, and parametrisations of Γ.
 *
 * Index conventions (row-major, flat Float64Array):
 *   grad:    out[i]            = ∂ᵢL
 *   hessian: out[i*d + j]      = ∂ᵢ∂ⱼL
 *   third:   out[(i*d + j)*d + k] = Tᵢⱼₖ = ∂ᵢ∂ⱼ∂ₖL
 * Every evaluator writes into `out` and returns it; none allocates per call.
 */
export type Vec = ArrayLike<number>;

export interface Landscape {
  /** Catalog name or "formula". */
  readonly name: string;
  readonly dim: 2 | 3;
  /** Variable names in order, e.g. ["u", "v"]. */
  readonly variables: readonly string[];
  /** The formula text (mathjs syntax), when the landscape came from one. */
  readonly formula?: string;
  value(x: Vec): number;
  grad(x: Vec, out: Float64Array): Float64Array;
  hessian(x: Vec, out: Float64Array): Float64Array;
  third(x: Vec, out: Float64Array): Float64Array;
}

/** A curve γ: [s0, s1] → ℝᵈ with exact derivatives (the parameter is not arclength in general). */
export interface CurveParam {
  readonly kind: 'curve';
  readonly dim: 2 | 3;
  readonly range: readonly [number, number];
  readonly closed: boolean;
  point(s: number, out: Float64Array): Float64Array;
  /** γ′(s) */
  d1(s: number, out: Float64Array): Float64Array;
  /** γ″(s) */
  d2(s: number, out: Float64Array): Float64Array;
}

/** A surface S: [a0,a1]×[b0,b1] → ℝ³ with exact first and second derivatives. */
export interface SurfaceParam {
  readonly kind: 'surface';
  readonly dim: 3;
  readonly rangeA: readonly [number, number];
  readonly rangeB: readonly [number, number];
  point(a: number, b: number, out: Float64Array): Float64Array;
  /** ∂S/∂a, ∂S/∂b */
  da(a: number, b: number, out: Float64Array): Float64Array;
  db(a: number, b: number, out: Float64Array): Float64Array;
  /** ∂²S/∂a², ∂²S/∂a∂b, ∂²S/∂b² */
  daa(a: number, b: number, out: Float64Array): Float64Array;
  dab(a: number, b: number, out: Float64Array): Float64Array;
  dbb(a: number, b: number, out: Float64Array): Float64Array;
}

export type GammaParam = CurveParam | SurfaceParam;
