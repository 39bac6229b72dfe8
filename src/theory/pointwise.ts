/**
 * The averaged generator's quantities at one point θ* ∈ Γ (DESIGN.md §6).
 *
 * Conventions (d = 2 or 3, flat row-major Float64Array):
 *   matrices     M[i*d + j] = Mᵢⱼ
 *   tensors      T[(i*d + j)*d + k] = Tᵢⱼₖ = ∂ᵢ∂ⱼ∂ₖL
 *   ∂P           dP[(l*d + i)*d + k] = ∂ₗPᵢₖ
 *   eigenvectors V[i*d + k] = (eₖ)ᵢ (column k), eigenvalues ascending.
 *
 * Definitions, at θ*:
 *   H = ∇²L = Σₖ λₖ eₖeₖᵀ; tangent space = ker H = span{eₖ : |λₖ| ≤ tol·λ_max};
 *   P = Σ_{tangent} eₖeₖᵀ, Q = 1 − P, H† = Σ_{normal} λₖ⁻¹ eₖeₖᵀ;
 *   Σ∥ = PΣP, Σ⊥ = QΣQ, Σ⊥∥ = QΣP;
 *   Ω solves HΩ + ΩH = Σ⊥ on the normal space: Ωₖₗ = eₖᵀΣ⊥eₗ/(λₖ + λₗ) for
 *     normal k, l (zero on tangent rows/columns);
 *   T[M]ᵢ = Σⱼₖ Tᵢⱼₖ Mⱼₖ;
 *   ∂ₗH = Tₗ·· ((∂ₗH)ᵢⱼ = Tₗᵢⱼ), ∂ₗP = −(H†(∂ₗH)P + P(∂ₗH)H†)
 *     (first-order perturbation of the kernel projector; exact along Γ).
 *
 * Drifts (both implemented as printed; the project does not assume either is right):
 *   Li–Wang–Arora 2022 (½∂²Φ[Σ], Katzenberger):
 *     f̄_Li = −½ H† T[Σ∥] − P T[H†Σ⊥∥] − ½ P T[Ω]
 *   seed (source paper eq. 10, written ½ Σ : (P·∇P) in eq. 13/14b). Eq. 10 gives the
 *   averaged generator; its coefficient of ∂/∂θ*ᵏ is
 *       f̄ᵏ = −Pᵢᵏ Ω^{jl} ∇H^i_{jl} + ½ Σ^{ij} Pⱼˡ ∂Pᵢᵏ/∂θ*ˡ      (summed over i, j, l)
 *   where Σ^{ij} is the NOISE COVARIANCE (not a summation sign). In our indices
 *       f̄_seed,ₖ = −(P T[Ω])ₖ + gₖ,   gₖ = ½ Σ_{i,j,l} Σᵢⱼ Pⱼₗ ∂ₗPᵢₖ
 *                                          = ½ Σⱼ [(∂_{Peⱼ}P)ᵀ Σ eⱼ]ₖ
 *   (∂_v P = Σₗ vₗ ∂ₗP, the derivative of P along the tangent vector v = Peⱼ).
 *   Facts that follow (tested): g = 0 for label noise (Σ is normal to Γ, so
 *   ΣP = 0); g is purely normal to Γ for isotropic σ²I (P(∂P)P = 0); g has a
 *   component along Γ only where Σ mixes tangent and normal directions
 *   (Σ⊥∥ = QΣP ≠ 0). At θ = (2, ½) on L = ½(uv − 1)² with Σ = [[1, ½], [½, 1]]:
 *   g = (0.070018, 0.072461), f̄_seed = (−0.442907, 0.200692),
 *   f̄_Li = (−0.137594, 0.124364).
 *   (Earlier versions offered two Σ-free readings of this term; neither is the
 *   printed formula, and they were removed.)
 *   Slow noise: Σ̄ = PΣP.
 */
import type { Landscape, Vec } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { InputError, NumericalError } from '../util/errors.js';
import { matMul, matMul3, matVec, symEigen } from './dense.js';

export interface TheoryOptions {
  /** Kernel tolerance: eigenvalues with |λ| ≤ tol·λ_max are tangent. Default 1e-6. */
  tol?: number;
  /** Normal eigenvalues must exceed gap·tol·λ_max ("clearly positive"). Default 10. */
  gap?: number;
  /** JSON path reported as the InputError field. Default "gamma". */
  field?: string;
  /** Name of the point, prefixed to error messages (e.g. "gamma (curve) at s = 0.3"). */
  label?: string;
}

/** Everything computed at one point of Γ. All arrays are freshly allocated and owned by the caller. */
export interface TheoryPoint {
  readonly d: 2 | 3;
  readonly tangentDim: 1 | 2;
  readonly theta: Float64Array;
  /** ∇L at θ (should be ~0 on Γ; reported, not checked). */
  readonly grad: Float64Array;
  readonly H: Float64Array;
  /** Ascending. */
  readonly eigenvalues: Float64Array;
  /** Column k = eₖ. */
  readonly eigenvectors: Float64Array;
  /** Indices (into eigenvalues) of the tangent and the normal eigenpairs. */
  readonly tangentIdx: readonly number[];
  readonly normalIdx: readonly number[];
  readonly P: Float64Array;
  readonly Q: Float64Array;
  readonly Hpinv: Float64Array;
  readonly T: Float64Array;
  readonly Sigma: Float64Array;
  readonly SigmaPar: Float64Array;
  readonly SigmaPerp: Float64Array;
  /** QΣP */
  readonly SigmaPerpPar: Float64Array;
  readonly Omega: Float64Array;
  /** dP[(l*d + i)*d + k] = ∂ₗPᵢₖ */
  readonly dP: Float64Array;
  /** Li–Wang–Arora drift and its three terms (ambient vectors). */
  readonly driftLi: Float64Array;
  readonly liTerms: { readonly hpinvTSigmaPar: Float64Array; readonly pTHpinvSigmaPerpPar: Float64Array; readonly pTOmega: Float64Array };
  /** Seed drift (eq. 10) and its projector term g = ½ Σ : (P·∇P) alone. */
  readonly driftSeed: Float64Array;
  readonly seedProjectorTerm: Float64Array;
  /** Σ̄ = PΣP (same array contents as SigmaPar). */
  readonly sigmaBar: Float64Array;
}

/** out = T[M], T[M]ᵢ = Σⱼₖ Tᵢⱼₖ Mⱼₖ. */
export function contractT(T: ArrayLike<number>, M: ArrayLike<number>, d: number, out: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) s += T[(i * d + j) * d + k] * M[j * d + k];
    out[i] = s;
  }
  return out;
}

/**
 * ∂ₗP = −(H†(∂ₗH)P + P(∂ₗH)H†) for every l, with (∂ₗH)ᵢⱼ = Tₗᵢⱼ.
 * out[(l*d + i)*d + k] = ∂ₗPᵢₖ (length d³).
 */
export function projectorDerivative(
  T: ArrayLike<number>,
  P: ArrayLike<number>,
  Hpinv: ArrayLike<number>,
  d: number,
  out: Float64Array,
): Float64Array {
  const dH = new Float64Array(d * d);
  const a = new Float64Array(d * d);
  const b = new Float64Array(d * d);
  for (let l = 0; l < d; l++) {
    for (let i = 0; i < d * d; i++) dH[i] = T[l * d * d + i];
    matMul3(Hpinv, dH, P, d, a);
    matMul3(P, dH, Hpinv, d, b);
    for (let i = 0; i < d * d; i++) out[l * d * d + i] = -(a[i] + b[i]);
  }
  return out;
}

/**
 * The seed formula's projector term (eq. 10's second coefficient, eq. 13's ½ Σ : (P·∇P)):
 *   out[k] = ½ Σ_{i,j,l} Σᵢⱼ Pⱼₗ ∂ₗPᵢₖ,
 * with Sigma[i*d + j] = Σᵢⱼ the noise covariance, P[j*d + l] = Pⱼₗ and
 * dP[(l*d + i)*d + k] = ∂ₗPᵢₖ.
 */
export function seedProjectorTerm(Sigma: ArrayLike<number>, P: ArrayLike<number>, dP: ArrayLike<number>, d: number, out: Float64Array): Float64Array {
  for (let k = 0; k < d; k++) {
    let s = 0;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const sij = Sigma[i * d + j];
        if (sij === 0) continue;
        for (let l = 0; l < d; l++) s += sij * P[j * d + l] * dP[(l * d + i) * d + k];
      }
    }
    out[k] = 0.5 * s;
  }
  return out;
}

function fmtPoint(theta: ArrayLike<number>): string {
  return '(' + Array.from(theta, (v) => Number(v.toPrecision(8))).join(', ') + ')';
}

/**
 * All averaged-generator quantities at θ ∈ Γ for a tangent space of dimension
 * `tangentDim`. Throws InputError (field `gamma`, or opts.label) naming the
 * point and all Hessian eigenvalues when the kernel dimension differs from
 * `tangentDim` or a normal eigenvalue is not clearly positive; NumericalError
 * on non-finite derivatives.
 */
export function theoryAt(landscape: Landscape, noise: NoiseModel, theta: Vec, tangentDim: 1 | 2, opts: TheoryOptions = {}): TheoryPoint {
  const d = landscape.dim;
  if (noise.dim !== d) {
    throw new InputError('noise', `noise dimension ${noise.dim} does not match the landscape dimension ${d}; give a noise model in ${d} variables`);
  }
  if (tangentDim >= d) {
    throw new InputError('gamma', `tangent dimension ${tangentDim} must be below the space dimension ${d}`);
  }
  if ('seedReading' in (opts as object)) {
    throw new InputError(
      'seedReading',
      `the option was removed: the seed formula has one reading, eq. 10's ½ Σᵢⱼ Pⱼₗ ∂ₗPᵢₖ with Σ the noise covariance (got ${JSON.stringify((opts as { seedReading?: unknown }).seedReading)}); drop the option`,
    );
  }
  const tol = opts.tol ?? 1e-6;
  const gap = opts.gap ?? 10;
  const field = opts.field ?? 'gamma';
  const where = opts.label ? `${opts.label}: ` : '';
  const x = Float64Array.from(theta as ArrayLike<number>);
  const dd = d * d;

  const grad = landscape.grad(x, new Float64Array(d));
  const H = landscape.hessian(x, new Float64Array(dd));
  const T = landscape.third(x, new Float64Array(dd * d));
  const Sigma = noise.sigma(x, new Float64Array(dd));
  for (const [name, arr] of [['Hessian', H], ['third derivative', T], ['Sigma', Sigma]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) {
        throw new NumericalError(`theoryAt: non-finite ${name} entry ${i} = ${arr[i]} at θ = ${fmtPoint(x)}`, { theta: Array.from(x), name, index: i });
      }
    }
  }

  const lam = new Float64Array(d);
  const V = new Float64Array(dd);
  symEigen(H, d, lam, V);
  let lamMax = 0;
  for (let k = 0; k < d; k++) lamMax = Math.max(lamMax, Math.abs(lam[k]));
  const eigText = `Hessian eigenvalues [${Array.from(lam, (v) => v.toPrecision(6)).join(', ')}]`;
  if (!(lamMax > 0)) {
    throw new InputError(field, `${where}at θ = ${fmtPoint(x)} the Hessian is zero (${eigText}); Γ must be a manifold of non-degenerate minima transversally`);
  }
  const tangentIdx: number[] = [];
  const normalIdx: number[] = [];
  for (let k = 0; k < d; k++) (Math.abs(lam[k]) <= tol * lamMax ? tangentIdx : normalIdx).push(k);
  if (tangentIdx.length !== tangentDim) {
    throw new InputError(
      field,
      `${where}at θ = ${fmtPoint(x)} the Hessian kernel has dimension ${tangentIdx.length} (|λ| ≤ ${tol}·λmax), expected ${tangentDim}; ${eigText}. Is the point on Γ, and is Γ a ${tangentDim === 1 ? 'curve' : 'surface'}?`,
    );
  }
  for (const k of normalIdx) {
    if (!(lam[k] > gap * tol * lamMax)) {
      throw new InputError(
        field,
        `${where}at θ = ${fmtPoint(x)} the normal Hessian eigenvalue ${lam[k].toPrecision(6)} is not clearly positive (need > ${(gap * tol * lamMax).toPrecision(3)}); ${eigText}. Γ must be a manifold of minima with positive-definite normal Hessian`,
      );
    }
  }

  const P = new Float64Array(dd);
  const Hpinv = new Float64Array(dd);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      let p = 0;
      let h = 0;
      for (const k of tangentIdx) p += V[i * d + k] * V[j * d + k];
      for (const k of normalIdx) h += (V[i * d + k] * V[j * d + k]) / lam[k];
      P[i * d + j] = p;
      Hpinv[i * d + j] = h;
    }
  }
  const Q = new Float64Array(dd);
  for (let i = 0; i < dd; i++) Q[i] = (i % (d + 1) === 0 ? 1 : 0) - P[i];

  const SigmaPar = matMul3(P, Sigma, P, d, new Float64Array(dd));
  const SigmaPerp = matMul3(Q, Sigma, Q, d, new Float64Array(dd));
  const SigmaPerpPar = matMul3(Q, Sigma, P, d, new Float64Array(dd));

  // Ω in H's eigenbasis: Ω̃ₖₗ = eₖᵀΣ⊥eₗ/(λₖ+λₗ) for normal k, l; Ω = V Ω̃ Vᵀ.
  const Omega = new Float64Array(dd);
  const sv = new Float64Array(d);
  for (const k of normalIdx) {
    for (const l of normalIdx) {
      // eₖᵀ Σ⊥ eₗ
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += SigmaPerp[i * d + j] * V[j * d + l];
        sv[i] = s;
      }
      let ekl = 0;
      for (let i = 0; i < d; i++) ekl += V[i * d + k] * sv[i];
      const w = ekl / (lam[k] + lam[l]);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) Omega[i * d + j] += w * V[i * d + k] * V[j * d + l];
    }
  }

  const dP = projectorDerivative(T, P, Hpinv, d, new Float64Array(dd * d));

  // Li–Wang–Arora terms.
  const tmpV = new Float64Array(d);
  const hpinvTSigmaPar = matVec(Hpinv, contractT(T, SigmaPar, d, tmpV), d, new Float64Array(d));
  const hs = matMul(Hpinv, SigmaPerpPar, d, new Float64Array(dd));
  const pTHpinvSigmaPerpPar = matVec(P, contractT(T, hs, d, tmpV), d, new Float64Array(d));
  const pTOmega = matVec(P, contractT(T, Omega, d, tmpV), d, new Float64Array(d));
  const driftLi = new Float64Array(d);
  for (let i = 0; i < d; i++) driftLi[i] = -0.5 * hpinvTSigmaPar[i] - pTHpinvSigmaPerpPar[i] - 0.5 * pTOmega[i];

  const projTerm = seedProjectorTerm(Sigma, P, dP, d, new Float64Array(d));
  const driftSeed = new Float64Array(d);
  for (let i = 0; i < d; i++) driftSeed[i] = -pTOmega[i] + projTerm[i];

  for (const [name, arr] of [['driftLi', driftLi], ['driftSeed', driftSeed], ['Omega', Omega]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) {
        throw new NumericalError(`theoryAt: non-finite ${name}[${i}] at θ = ${fmtPoint(x)}`, { theta: Array.from(x), name });
      }
    }
  }

  return {
    d,
    tangentDim,
    theta: x,
    grad,
    H,
    eigenvalues: lam,
    eigenvectors: V,
    tangentIdx,
    normalIdx,
    P,
    Q,
    Hpinv,
    T,
    Sigma,
    SigmaPar,
    SigmaPerp,
    SigmaPerpPar,
    Omega,
    dP,
    driftLi,
    liTerms: { hpinvTSigmaPar, pTHpinvSigmaPerpPar, pTOmega },
    driftSeed,
    seedProjectorTerm: projTerm,
    sigmaBar: Float64Array.from(SigmaPar),
  };
}
