/**
 * Exact slow-variable facts used to judge the averaged drift formulas
 * (DESIGN.md §6, §8).
 *
 * Conserved quantities. If q(θ) is conserved by the gradient flow
 * (∇q·∇L = 0 everywhere), Itô's formula for dθ = −η⁻¹∇L dt + σ dW gives
 *   dq = ½ tr(Σ∇²q) dt + ∇qᵀσ dW
 * with no η⁻¹ term: the exact drift of q is ½tr(Σ∇²q), for every η.
 * On the averaged dynamics on Γ (drift f̄, noise Σ̄ = PΣP) the drift of q is
 *   ∇q·f̄ + ½ tr(Σ̄∇²q),
 * so a correct f̄ satisfies, at θ ∈ Γ (leading order in η),
 *   ∇q·f̄ + ½ tr(Σ̄∇²q) = ½ tr(Σ∇²q).
 * For label noise Σ̄ = 0 on Γ and this reads ∇q·f̄ = ½tr(Σ∇²q); for isotropic
 * noise the Σ̄ term is needed (hyperbola-iso: ∇q·f̄ ≠ 0 but the total is 0).
 *
 * Closed forms:
 *   hyperbola L = ½(uv−1)², label Σ = c∇f∇fᵀ, f = uv, q = u² − v²:
 *     ½tr(Σ∇²q) = c(v² − u²) = −c q everywhere, so E[q](t) = E[q](0)e^(−ct)
 *     exactly; on Γ (v = 1/u) the drift is −c(u²−1)(u²+1)/u².
 *   hyperbola with Σ = σ²I: ½tr(Σ∇²q) = σ²(1 − 1) = 0: E[q] is constant.
 *   scalar net L = ½(xyz−1)², label noise, f = xyz:
 *     q₁ = x² − y²: ½tr(Σ∇²q₁) = c(f_x² − f_y²) = c z²(y² − x²)  (= c(1/x² − 1/y²) on Γ);
 *     q₂ = y² − z²: ½tr(Σ∇²q₂) = c x²(z² − y²)  (= c(1/y² − 1/z²) on Γ).
 *   valley L = ½a(x)y², Σ = σ²I: stationary density Gibbs ∝ exp(−2L/(ησ²)),
 *     marginal in x ∝ a(x)^(−1/2); slow drift along Γ −σ²a′/(4a).
 *   twisted curve L = ½(y − sin x)² + ½(2 + cos x)z², Σ = σ²I: marginal in
 *     x ∝ (2 + cos x)^(−1/2).
 */
import type { Vec } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { traceProduct } from './dense.js';

/** A scalar q(θ) with exact gradient and Hessian (row-major d×d). */
export interface SlowQuantity {
  readonly name: string;
  readonly dim: 2 | 3;
  value(x: Vec): number;
  grad(x: Vec, out: Float64Array): Float64Array;
  hessian(x: Vec, out: Float64Array): Float64Array;
}

/** q = u² − v² for the hyperbola (variables u, v). */
export const hyperbolaQ: SlowQuantity = {
  name: 'u^2 - v^2',
  dim: 2,
  value: (x) => x[0] * x[0] - x[1] * x[1],
  grad: (x, o) => ((o[0] = 2 * x[0]), (o[1] = -2 * x[1]), o),
  hessian: (_x, o) => (o.set([2, 0, 0, -2]), o),
};

/** q₁ = x² − y² for the scalar net (variables x, y, z). */
export const scalarNetQ12: SlowQuantity = {
  name: 'x^2 - y^2',
  dim: 3,
  value: (x) => x[0] * x[0] - x[1] * x[1],
  grad: (x, o) => (o.set([2 * x[0], -2 * x[1], 0]), o),
  hessian: (_x, o) => (o.set([2, 0, 0, 0, -2, 0, 0, 0, 0]), o),
};

/** q₂ = y² − z² for the scalar net. */
export const scalarNetQ23: SlowQuantity = {
  name: 'y^2 - z^2',
  dim: 3,
  value: (x) => x[1] * x[1] - x[2] * x[2],
  grad: (x, o) => (o.set([0, 2 * x[1], -2 * x[2]]), o),
  hessian: (_x, o) => (o.set([0, 0, 0, 0, 2, 0, 0, 0, -2]), o),
};

/** Exact Itô drift ½tr(Σ(θ)∇²q(θ)) of a quantity conserved by the gradient flow. */
export function exactConservedDrift(noise: NoiseModel, q: SlowQuantity, theta: Vec): number {
  const d = q.dim;
  const S = noise.sigma(theta, new Float64Array(d * d));
  const Hq = q.hessian(theta, new Float64Array(d * d));
  return 0.5 * traceProduct(S, Hq, d);
}

/** Drift of q under the averaged dynamics on Γ: ∇q·f̄ + ½tr(Σ̄∇²q). */
export function averagedDriftOf(q: SlowQuantity, theta: Vec, drift: ArrayLike<number>, sigmaBar: ArrayLike<number>): number {
  const d = q.dim;
  const g = q.grad(theta, new Float64Array(d));
  const Hq = q.hessian(theta, new Float64Array(d * d));
  let s = 0;
  for (let i = 0; i < d; i++) s += g[i] * drift[i];
  return s + 0.5 * traceProduct(sigmaBar, Hq, d);
}

/** Hyperbola, label noise: E[q](t) = E[q](0)·e^(−ct) (exact for every η). */
export function hyperbolaLabelMeanQ(q0: number, c: number, t: number): number {
  return q0 * Math.exp(-c * t);
}

/** Hyperbola, label noise: drift of q at the point (u, 1/u) of Γ, −c(u²−1)(u²+1)/u². */
export function hyperbolaLabelQDriftOnGamma(c: number, u: number): number {
  return (-c * (u * u - 1) * (u * u + 1)) / (u * u);
}

/** Valley a(x) = 1.5 + sin x: slow drift along Γ −σ²a′/(4a). */
export function valleySlowDrift(sigma2: number, x: number): number {
  return (-sigma2 * Math.cos(x)) / (4 * (1.5 + Math.sin(x)));
}

/** Valley: unnormalised stationary marginal in x, a(x)^(−1/2). */
export function valleyMarginal(x: number): number {
  return (1.5 + Math.sin(x)) ** -0.5;
}

/** Twisted curve: unnormalised stationary marginal in x, (2 + cos x)^(−1/2). */
export function twistedMarginal(x: number): number {
  return (2 + Math.cos(x)) ** -0.5;
}
