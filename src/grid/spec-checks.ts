/**
 * Shared checks and helpers for the grids around Γ (tube, shell): cell counts,
 * half-width functions and their derivatives, number formatting for messages.
 */
import { GridSpecError } from '../util/errors.js';

/** A half-width across Γ: a constant, or a function of the along coordinate. */
export type HalfWidth1 = number | ((s: number) => number);

/** Short number for messages: 3 significant digits, no trailing zeros. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return String(Number(x.toPrecision(3)));
}

/** A positive integer cell count, or a GridSpecError on `field`. */
export function checkCount(field: string, n: unknown, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new GridSpecError(field, `cell count ${String(n)} must be an integer ≥ ${min}`);
  }
  return n;
}

/** GL points per along cell (per along direction) for the volume quadrature (1–16, default `dflt`). */
export function checkQuadrature(q: number | undefined, dflt: number): number {
  if (q === undefined) return dflt;
  if (!Number.isInteger(q) || q < 1 || q > 16) throw new GridSpecError('grid.quadrature', `quadrature ${q} must be an integer in [1, 16] (Gauss points per cell along Γ)`);
  return q;
}

/** Wrap s into [s0, s0 + P) (P = s1 − s0), for a closed curve's periodic parameter. */
export function wrapPeriodic(s: number, s0: number, period: number): number {
  let r = (s - s0) % period;
  if (r < 0) r += period;
  if (r >= period) r = 0;
  return s0 + r;
}

/**
 * A half-width w(s) with its derivative w′(s). A constant gives w′ ≡ 0 exactly.
 * A function without a supplied derivative is differentiated numerically:
 * centred difference (w(s+δ) − w(s−δ))/(2δ), δ = 6·10⁻⁶·(s1 − s0) (truncation
 * ≈ δ²w‴/6, round-off ≈ ε|w|/δ, both ~10⁻¹¹ relative); within δ of an end of
 * an open range the second-order one-sided formula (∓3w(s) ± 4w(s±δ) ∓ w(s±2δ))/(2δ)
 * keeps the evaluation inside [s0, s1]; on a closed curve w is evaluated at s wrapped into the range.
 */
export interface HalfWidthFn {
  readonly constant: boolean;
  value(s: number): number;
  deriv(s: number): number;
}

export function halfWidthFn(
  field: string,
  w: HalfWidth1,
  dw: ((s: number) => number) | undefined,
  range: readonly [number, number],
  closed: boolean,
): HalfWidthFn {
  if (typeof w === 'number') {
    if (!Number.isFinite(w) || w <= 0) throw new GridSpecError(field, `half-width ${w} must be a finite number > 0`);
    return { constant: true, value: () => w, deriv: () => 0 };
  }
  if (typeof w !== 'function') throw new GridSpecError(field, `half-width must be a number or a function of the along coordinate, got ${typeof w}`);
  const [s0, s1] = range;
  const d = 6e-6 * (s1 - s0);
  const wf = w;
  const ww = closed ? (s: number): number => wf(wrapPeriodic(s, s0, s1 - s0)) : wf;
  const deriv =
    dw ??
    ((s: number): number => {
      if (closed || (s - d >= s0 && s + d <= s1)) return (ww(s + d) - ww(s - d)) / (2 * d);
      if (s - d < s0) return (-3 * w(s) + 4 * w(s + d) - w(s + 2 * d)) / (2 * d);
      return (3 * w(s) - 4 * w(s - d) + w(s - 2 * d)) / (2 * d);
    });
  return { constant: false, value: ww, deriv };
}

/** Check a sampled half-width value: finite and > 0. */
export function checkWidthValue(field: string, w: number, where: string): void {
  if (!Number.isFinite(w) || w <= 0) throw new GridSpecError(field, `half-width ${w} at ${where} must be finite and > 0`);
}
