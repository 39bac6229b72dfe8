/**
 * Fourth-order first derivative of a smooth scalar function by finite
 * differences, for setup-time coefficient derivatives along Γ.
 *
 *   centred:   f′(x) ≈ (−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / (12h)
 *   one-sided: f′(x) ≈ ±(−25f(x) + 48f(x±h) − 36f(x±2h) + 16f(x±3h) − 3f(x±4h)) / (12h)
 *
 * The one-sided stencil is used when the centred one would leave [lo, hi]
 * (a chart's range) and the coordinate is not periodic. Error O(h⁴).
 */
export function derivative4(f: (x: number) => number, x: number, h: number, lo: number, hi: number, periodic: boolean): number {
  const slack = 1e-12 * Math.max(1, Math.abs(hi - lo));
  if (periodic || (x - 2 * h >= lo - slack && x + 2 * h <= hi + slack)) {
    return (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h);
  }
  const sgn = x - 2 * h < lo - slack ? 1 : -1;
  const k = sgn * h;
  return (-25 * f(x) + 48 * f(x + k) - 36 * f(x + 2 * k) + 16 * f(x + 3 * k) - 3 * f(x + 4 * k)) / (12 * k);
}
