/** Central finite differences shared by the landscape and noise tests. */
import type { Vec } from '../../src/landscape/types.js';

/** Deterministic pseudo-random numbers in [lo, hi). */
export function rng(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((hi - lo) * s) / 4294967296;
  };
}

/** out[k*m + j] ≈ ∂ₖ F_j(x) by central differences of a vector function F: ℝᵈ → ℝᵐ. */
export function fdJacobian(F: (x: Vec, out: Float64Array) => Float64Array, x: Float64Array, m: number, h = 1e-5): Float64Array {
  const d = x.length;
  const out = new Float64Array(d * m);
  const fp = new Float64Array(m);
  const fm = new Float64Array(m);
  for (let k = 0; k < d; k++) {
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[k] += h;
    xm[k] -= h;
    F(xp, fp);
    F(xm, fm);
    for (let j = 0; j < m; j++) out[k * m + j] = (fp[j] - fm[j]) / (2 * h);
  }
  return out;
}

/** max |a − b| / max(1, max |b|). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  let s = 1;
  for (let i = 0; i < b.length; i++) s = Math.max(s, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return a.length === b.length ? e / s : Infinity;
}
