/**
 * The Bernoulli function of the Scharfetter–Gummel flux, B(x) = x/(eˣ − 1).
 * B(0) = 1, B(x) → 0 for x → +∞, B(x) ≈ −x for x → −∞, and B(−x) = B(x) + x.
 */
export function bernoulli(x: number): number {
  if (Math.abs(x) < 1e-8) return 1 - 0.5 * x;
  const d = Math.expm1(x);
  if (!Number.isFinite(d)) return 0;
  return x / d;
}

/**
 * Two-point SG flux coefficients (cP, cQ) with F = cP ρ_P + cQ ρ_Q for
 * conductance a ≥ 0 and advective volume flux u. Writes into out[0], out[1].
 * cP = a B(−Pe) ≥ 0, cQ = −a B(Pe) ≤ 0, Pe = u/a; pure upwind when a = 0.
 */
export function sgCoefficients(a: number, u: number, out: Float64Array): void {
  if (a > 0 && Math.abs(u) < 1e300 * a) {
    const pe = u / a;
    out[0] = a * bernoulli(-pe);
    out[1] = -a * bernoulli(pe);
  } else {
    out[0] = u > 0 ? u : 0;
    out[1] = u < 0 ? u : 0;
  }
}
