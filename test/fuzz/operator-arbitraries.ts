/**
 * fast-check generators of small Fokker–Planck problems (as CaseSpec objects)
 * for the operator fuzz test: random smooth landscapes written as formulas,
 * random noise (isotropic, constant SPD, label noise with a random output,
 * formula Σ that stays SPD), η ∈ [0.02, 1], on small Cartesian grids (2D and
 * 3D) and on small tubes around the straight Γ = {y = 0} of a valley
 * L = A(p + sin(qx))y²(1 + rx²) + ky⁴ (p > 1, so Γ is the set of minima).
 */
import fc from 'fast-check';
import type { CaseSpec, NoiseSpec } from '../../src/case/types.js';

/** A coefficient as formula text; negatives in parentheses. */
export const fmt = (v: number): string => (v < 0 ? `(${v.toFixed(4)})` : v.toFixed(4));

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });

// ---------------------------------------------------------------- landscapes
const term2d = fc.oneof(
  fc.tuple(real(-1, 1), real(-2, 2), real(-2, 2)).map(([a, b, c]) => `${fmt(a)}*sin(${fmt(b)}*x + ${fmt(c)}*y)`),
  real(0, 1).map((a) => `${fmt(a)}*(x*y - 1)^2`),
  fc.tuple(real(-1, 1), real(-1, 1), real(-1, 1)).map(([a, b, c]) => `${fmt(a)}*x^2 + ${fmt(b)}*x*y + ${fmt(c)}*y^2`),
  fc.tuple(real(-1, 1), real(-2, 2)).map(([a, b]) => `${fmt(a)}*cos(${fmt(b)}*x)*y^2`),
  fc.tuple(real(-1, 1), real(0, 1), real(0, 1)).map(([a, b, c]) => `${fmt(a)}*exp(-(${fmt(b)}*x^2 + ${fmt(c)}*y^2))`),
);

const term3d = fc.oneof(
  fc.tuple(real(-1, 1), real(-2, 2), real(-2, 2), real(-2, 2)).map(
    ([a, b, c, d]) => `${fmt(a)}*sin(${fmt(b)}*x + ${fmt(c)}*y + ${fmt(d)}*z)`,
  ),
  real(0, 0.5).map((a) => `${fmt(a)}*(x*y*z - 1)^2`),
  fc.tuple(real(-1, 1), real(-1, 1), real(-1, 1), real(-1, 1)).map(
    ([a, b, c, d]) => `${fmt(a)}*x^2 + ${fmt(b)}*y*z + ${fmt(c)}*z^2 + ${fmt(d)}*x*y`,
  ),
  fc.tuple(real(-1, 1), real(-2, 2)).map(([a, b]) => `${fmt(a)}*cos(${fmt(b)}*z)*(x^2 + y^2)`),
  fc.tuple(real(-1, 1), real(0, 1)).map(([a, b]) => `${fmt(a)}*exp(-${fmt(b)}*(x^2 + y^2 + z^2))`),
);

const sumOf = (term: fc.Arbitrary<string>) =>
  fc.array(term, { minLength: 1, maxLength: 4 }).map((ts) => ts.join(' + '));

// ---------------------------------------------------------------- noise
/** LLᵀ + εI, exactly symmetric. */
const spd = (d: number) =>
  fc.tuple(fc.array(real(-1.5, 1.5), { minLength: d * d, maxLength: d * d }), real(0.05, 1)).map(([l, eps]) => {
    const m = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < d; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += l[i * d + k]! * l[j * d + k]!;
        m[i]![j] = m[j]![i] = s + (i === j ? eps : 0);
      }
    return m;
  });

const isotropic = real(0.05, 4).map((sigma2): NoiseSpec => ({ kind: 'isotropic', sigma2 }));
const constant = (d: number) => spd(d).map((Sigma): NoiseSpec => ({ kind: 'constant', Sigma }));
const label2d = fc
  .tuple(fc.boolean(), real(-1, 1), real(-1, 1), real(-1, 1), real(0.1, 2))
  .map(([sinForm, a, b, c, k]): NoiseSpec => ({
    kind: 'label',
    output: sinForm ? `sin(${fmt(a)}*x) + ${fmt(b)}*y` : `${fmt(a)}*x + ${fmt(b)}*y + ${fmt(c)}*x*y`,
    c: k,
  }));
const label3d = fc
  .tuple(real(-1, 1), real(-1, 1), real(-1, 1), real(0.1, 2))
  .map(([a, b, c, k]): NoiseSpec => ({ kind: 'label', output: `${fmt(a)}*x + ${fmt(b)}*y*z + sin(${fmt(c)}*z)`, c: k }));
/** Σ = [[1 + a sin²x, b cos x], [b cos x, 1 + a cos²y]]: diagonal ≥ 1 > |b| ≥ |off-diagonal|, so SPD. */
const formulaSigma = fc.tuple(real(0, 1), real(-0.9, 0.9)).map(
  ([a, b]): NoiseSpec => ({
    kind: 'formula',
    Sigma: [
      [`1 + ${fmt(a)}*sin(x)^2`, `${fmt(b)}*cos(x)`],
      [`${fmt(b)}*cos(x)`, `1 + ${fmt(a)}*cos(y)^2`],
    ],
  }),
);

// ---------------------------------------------------------------- problems
export interface OperatorCase {
  label: string;
  spec: CaseSpec;
  /** Isotropic constant noise on an orthogonal grid (a box, a constant-width tube): K must have the M-matrix sign pattern. */
  mMatrix: boolean;
  /** Backward-Euler step and number of steps. */
  dt: number;
  steps: number;
  /** Seed of the random positive initial density. */
  rhoSeed: number;
}

const eta = real(0.02, 1);
const stepping = fc.record({ dt: real(1e-3, 0.2), steps: fc.integer({ min: 2, max: 4 }), rhoSeed: fc.nat() });
const side = fc.tuple(real(0.5, 2), real(0.5, 2)).map(([a, b]) => [-a, b] as [number, number]);

function baseSpec(variables: string[], loss: string, noise: NoiseSpec, eta: number, grid: CaseSpec['grid']): CaseSpec {
  const d = variables.length;
  return {
    name: 'fuzz',
    description: '',
    variables,
    loss,
    noise,
    eta,
    grid,
    initial: {
      kind: 'gaussian',
      mean: new Array<number>(d).fill(0),
      cov: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0))),
    },
    time: { end: 1, scheme: 'backward-euler' },
    output: { frames: 2 },
  };
}

export const cartesian2d: fc.Arbitrary<OperatorCase> = fc
  .record({
    loss: sumOf(term2d),
    noise: fc.oneof(isotropic, constant(2), label2d, formulaSigma),
    eta,
    bounds: fc.tuple(side, side),
    shape: fc.tuple(fc.integer({ min: 6, max: 14 }), fc.integer({ min: 6, max: 14 })),
    st: stepping,
  })
  .map((r) => ({
    label: `2D ${r.shape.join('×')} ${r.noise.kind}`,
    spec: baseSpec(['x', 'y'], r.loss, r.noise, r.eta, { kind: 'cartesian', bounds: r.bounds, shape: r.shape }),
    mMatrix: r.noise.kind === 'isotropic',
    ...r.st,
  }));

export const cartesian3d: fc.Arbitrary<OperatorCase> = fc
  .record({
    loss: sumOf(term3d),
    noise: fc.oneof(isotropic, constant(3), label3d),
    eta,
    bounds: fc.tuple(side, side, side),
    shape: fc.tuple(fc.integer({ min: 4, max: 6 }), fc.integer({ min: 4, max: 6 }), fc.integer({ min: 4, max: 6 })),
    st: stepping,
  })
  .map((r) => ({
    label: `3D ${r.shape.join('×')} ${r.noise.kind}`,
    spec: baseSpec(['x', 'y', 'z'], r.loss, r.noise, r.eta, { kind: 'cartesian', bounds: r.bounds, shape: r.shape }),
    mMatrix: r.noise.kind === 'isotropic',
    ...r.st,
  }));

/** Label noise whose output has ∂_y f = 1 + b sin x ≠ 0 on Γ = {y = 0} (the noise reaches across Γ). */
const labelAcross = fc
  .tuple(real(-1, 1), real(-0.5, 0.5), real(0.1, 2))
  .map(([a, b, k]): NoiseSpec => ({ kind: 'label', output: `${fmt(a)}*x + y*(1 + ${fmt(b)}*sin(x))`, c: k }));

export const tube2d: fc.Arbitrary<OperatorCase> = fc
  .record({
    A: real(0.3, 2),
    p: real(1.2, 2),
    q: real(0.5, 2),
    r: real(0, 0.5),
    k: real(0, 0.5),
    noise: fc.oneof(isotropic, constant(2), labelAcross, formulaSigma),
    eta,
    along: fc.integer({ min: 8, max: 16 }),
    across: fc.integer({ min: 4, max: 8 }),
    halfWidth: real(2, 8),
    grading: fc.oneof(fc.constant(1), real(1, 2.5)),
    widthAlong: fc.constantFrom('constant' as const, 'local' as const),
    st: stepping,
  })
  .map((r) => ({
    label: `tube ${r.along}×${r.across} ${r.widthAlong} ${r.noise.kind}`,
    spec: {
      ...baseSpec(
        ['x', 'y'],
        `${fmt(r.A)}*(${fmt(r.p)} + sin(${fmt(r.q)}*x))*y^2*(1 + ${fmt(r.r)}*x^2) + ${fmt(r.k)}*y^4`,
        r.noise,
        r.eta,
        {
          kind: 'tube', along: r.along, across: r.across, halfWidth: r.halfWidth, grading: r.grading,
          crossSection: 'square', widthAlong: r.widthAlong,
        },
      ),
      gamma: { kind: 'curve', param: ['s', '0'], range: [-1, 1], closed: false },
      initial: { kind: 'on-gamma', at: 0, width: 0.3 },
    },
    // A constant width keeps the tube around a straight Γ orthogonal: isotropic noise gives an M-matrix.
    mMatrix: r.widthAlong === 'constant' && r.noise.kind === 'isotropic',
    ...r.st,
  }));
