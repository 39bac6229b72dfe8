/**
 * The stepper's vector loops, one small function each.
 *
 * Why separate functions: a loop written inside a method that runs once per step over 32 768 cells is
 * optimised on its first call by on-stack replacement, before the code after the loop has ever run, so
 * that code has no type feedback. V8 11 (Node 20) then deoptimised at the loop's exit on every later call
 * and kept re-entering the same cached OSR code: in the first run of a thread, afterStep, errorRatio and
 * stepTrbdf2 deoptimised ≈ 3 500 times, finishing their steps in the interpreter (≈ 0.4 s of a 5 s run on
 * hyperbola-label). A kernel called many times is optimised as a whole function instead.
 *
 * Each computes exactly the expression the stepper used to compute inline, in the same order, so results
 * are bitwise unchanged.
 */

/** Σ mᵢ·|vᵢ| over i < n. */
export function weightedAbsSum(m: Float64Array, v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += m[i] * Math.abs(v[i]);
  return s;
}

/** Σ mᵢ·vᵢ over i < n. */
export function weightedSum(m: Float64Array, v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += m[i] * v[i];
  return s;
}

/** Σ vᵢ over i < n. */
export function plainSum(v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v[i];
  return s;
}

/** x ← r·x. */
export function scaleInPlace(x: Float64Array, r: number, n: number): void {
  for (let i = 0; i < n; i++) x[i] *= r;
}

/** x ← x + g. */
export function addInPlace(x: Float64Array, g: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) x[i] += g[i];
}

/**
 * min and max of y into out[0], out[1] and, in the same pass, Σ mᵢ|yᵢ| and Σ mᵢyᵢ into out[2], out[3] (each
 * summed in the order of weightedAbsSum and weightedSum, so bitwise the same as those); returns the index of
 * the first non-finite entry, or −1 (then out[0..1] hold the range of the entries before it).
 */
export function rangeAndSums(y: Float64Array, m: Float64Array, n: number, out: Float64Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  let abs = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = y[i];
    if (!Number.isFinite(v)) {
      out[0] = lo;
      out[1] = hi;
      return i;
    }
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    abs += m[i] * Math.abs(v);
    sum += m[i] * v;
  }
  out[0] = lo;
  out[1] = hi;
  out[2] = abs;
  out[3] = sum;
  return -1;
}

/** x ← max(0, b + (τ − 1)(b − a)): the point at τ on the line through a and b, clamped at 0. */
export function clampedLine(x: Float64Array, a: Float64Array, b: Float64Array, tau: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = b[i] + (tau - 1) * (b[i] - a[i]);
    x[i] = v > 0 ? v : 0;
  }
}

/** rhs ← M·y + c·(f + g) (g omitted when null): the trapezoidal stage's right-hand side. */
export function trapezoidRhs(rhs: Float64Array, M: Float64Array, y: Float64Array, f: Float64Array, g: Float64Array | null, c: number, n: number): void {
  if (g) for (let i = 0; i < n; i++) rhs[i] = M[i] * y[i] + c * (f[i] + g[i]);
  else for (let i = 0; i < n; i++) rhs[i] = M[i] * y[i] + c * (f[i] + 0);
}

/** rhs ← M·(a·Y − b·y) + c·g (g omitted when null): the BDF2 stage's right-hand side. */
export function bdf2Rhs(rhs: Float64Array, M: Float64Array, Y: Float64Array, y: Float64Array, a: number, b: number, g: Float64Array | null, c: number, n: number): void {
  if (g) for (let i = 0; i < n; i++) rhs[i] = M[i] * (a * Y[i] - b * y[i]) + c * g[i];
  else for (let i = 0; i < n; i++) rhs[i] = M[i] * (a * Y[i] - b * y[i]) + 0;
}

/** rhs ← h·(c1·f1 − f2/3 + c3·f3): TR-BDF2's embedded error estimate before its solve. */
export function trbdf2ErrorRhs(rhs: Float64Array, f1: Float64Array, f2: Float64Array, f3: Float64Array, h: number, c1: number, c3: number, n: number): void {
  for (let i = 0; i < n; i++) rhs[i] = h * (c1 * f1[i] - f2[i] / 3 + c3 * f3[i]);
}

/** rhs ← M·y + c·g (g omitted when null): backward Euler's right-hand side. */
export function beRhs(rhs: Float64Array, M: Float64Array, y: Float64Array, g: Float64Array | null, c: number, n: number): void {
  if (g) for (let i = 0; i < n; i++) rhs[i] = M[i] * y[i] + c * g[i];
  else for (let i = 0; i < n; i++) rhs[i] = M[i] * y[i] + 0;
}

/** rhs ← ½h·(f2 − f1): backward Euler's error estimate before its solve. */
export function beErrorRhs(rhs: Float64Array, f1: Float64Array, f2: Float64Array, h: number, n: number): void {
  for (let i = 0; i < n; i++) rhs[i] = 0.5 * h * (f2[i] - f1[i]);
}

/** min vᵢ over i < n (Infinity when n = 0). */
export function minOf(v: Float64Array, n: number): number {
  let lo = Infinity;
  for (let i = 0; i < n; i++) if (v[i] < lo) lo = v[i];
  return lo;
}

/** Σ (mᵢρᵢ)·fᵢ / Σ mᵢρᵢ over i < n: the mean of f under the density ρ with cell measures m. */
export function massWeightedMean(m: Float64Array, rho: Float64Array, f: Float64Array, n: number): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const w = m[i] * rho[i];
    num += w * f[i];
    den += w;
  }
  return num / den;
}

/** out ← a + c·b. */
export function axpyInto(out: Float64Array, a: Float64Array, c: number, b: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + c * b[i];
}

/** Σ |vᵢ| over i < n. */
export function absSum(v: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(v[i]);
  return s;
}

/** Σ |aᵢ − bᵢ| over i < n. */
export function absDiffSum(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(a[i] - b[i]);
  return s;
}
