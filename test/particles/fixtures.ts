/** Case literals for the particle tests (shape: src/case/types.ts). */
import type { CaseSpec } from '../../src/case/types.js';

export const hyperbolaLabel: CaseSpec = {
  name: 'hyperbola-label',
  description: 'L = ½(uv − 1)², label noise c = 1',
  variables: ['u', 'v'],
  loss: '0.5*(u*v - 1)^2',
  noise: { kind: 'label', output: 'u*v', c: 1 },
  gamma: { kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-1.2, 1.2], closed: false },
  eta: 0.01,
  grid: { kind: 'tube', along: 128, across: 32 },
  initial: { kind: 'on-gamma', at: 0.7, width: 0.05 },
  time: { end: 0.5, scheme: 'tr-bdf2' },
  output: { frames: 11 },
};

/**
 * The valley on an open stretch of five periods, [−5π, 5π] (the loss is
 * 2π-periodic in x; folding the histogram by 2π gives the periodic marginal).
 */
export const valleyIso: CaseSpec = {
  name: 'valley',
  description: 'L = ½(1.5 + sin x) y², σ² = 1',
  variables: ['x', 'y'],
  landscape: 'valley',
  noise: { kind: 'isotropic', sigma2: 1 },
  gamma: { kind: 'curve', param: ['s', '0'], range: [-5 * Math.PI, 5 * Math.PI], closed: false },
  eta: 0.1,
  grid: { kind: 'tube', along: 64, across: 16 },
  initial: { kind: 'on-gamma', at: 0, width: 2 },
  time: { end: 8, scheme: 'tr-bdf2' },
  output: { frames: 5 },
};

/**
 * Modified-equation prediction of E[q](t) for the hyperbola with label noise
 * under Euler–Maruyama / SGD with h = dt/η (see src/particles/simulate.ts):
 * dq/dt = −2c q/(2 − h√(q² + 4)) (RK4, 400 steps). h = 0 gives q₀e^(−ct).
 */
export function hyperbolaQModified(q0: number, c: number, h: number, t: number): number {
  const f = (q: number) => (-2 * c * q) / (2 - h * Math.sqrt(q * q + 4));
  const m = 400;
  const k = t / m;
  let q = q0;
  for (let i = 0; i < m; i++) {
    const k1 = f(q);
    const k2 = f(q + 0.5 * k * k1);
    const k3 = f(q + 0.5 * k * k2);
    const k4 = f(q + k * k3);
    q += (k / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return q;
}

/** A ring: L = ⅛(x² + y² − 1)², Γ the unit circle (closed), isotropic noise; the angle is a martingale. */
export const ringIso: CaseSpec = {
  name: 'ring',
  description: 'L = (x² + y² − 1)²/8, σ² = 1',
  variables: ['x', 'y'],
  loss: '0.125*(x^2 + y^2 - 1)^2',
  noise: { kind: 'isotropic', sigma2: 1 },
  gamma: { kind: 'curve', param: ['cos(s)', 'sin(s)'], range: [0, 2 * Math.PI], closed: true },
  eta: 0.01,
  grid: { kind: 'tube', along: 32, across: 16 },
  initial: { kind: 'on-gamma', at: 0.05, width: 0.3 },
  time: { end: 0.5, scheme: 'tr-bdf2' },
  output: { frames: 3 },
};
