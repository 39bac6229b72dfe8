/**
 * fast-check generators of small valid tube and shell cases for the solver corpus (issue 20): Γ a curve in 2D
 * (straight valley, hyperbola uv = 1, closed circle), a closed circle in 3D, or a surface in 3D (xyz = 1, a
 * sphere band, a plane); isotropic or label noise (label only where Γ has codimension 1, so that the rank-one
 * Σ = c∇f∇fᵀ reaches across Γ); η ∈ [0.005, 0.05]; graded or uniform across; widthAlong constant or local;
 * grids of a few hundred to a few thousand cells.
 */
import fc from 'fast-check';
import type { NoiseSpec } from '../../src/case/types.js';
import { fmt } from '../fuzz/operator-arbitraries.js';

const real = (lo: number, hi: number) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const TWO_PI = 2 * Math.PI;

/** A family: its landscape and Γ from random shape numbers, and the label-noise output (null: isotropic only). */
interface Family {
  name: string;
  variables: string[];
  surface: boolean;
  build(a: number, b: number): { loss: string; gamma: Record<string, unknown>; label: string | null; at: number | [number, number] };
}

const FAMILIES: Family[] = [
  {
    name: 'valley', variables: ['x', 'y'], surface: false,
    build: (a, b) => ({
      loss: `${fmt(0.3 + a)}*(${fmt(1.2 + b)} + sin(x))*y^2 + ${fmt(0.2 * a)}*y^4`,
      gamma: { kind: 'curve', param: ['s', '0'], range: [-1, 1] },
      label: `${fmt(b - 0.5)}*x + y*(1 + ${fmt(0.4 * a)}*sin(x))`,
      at: 0.6 * b - 0.3,
    }),
  },
  {
    name: 'hyperbola', variables: ['u', 'v'], surface: false,
    build: (a, b) => ({
      loss: `${fmt(0.25 + a)}*(u*v - 1)^2`,
      gamma: { kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-0.6 - 0.6 * b, 0.6 + 0.6 * b] },
      label: 'u*v',
      at: 0.4 * b - 0.2,
    }),
  },
  {
    name: 'circle', variables: ['x', 'y'], surface: false,
    build: (a, b) => ({
      loss: `${fmt(0.25 + a)}*(x^2 + y^2 - 1)^2`,
      gamma: { kind: 'curve', param: ['cos(s)', 'sin(s)'], range: [0, TWO_PI], closed: true },
      label: `x^2 + y^2 + ${fmt(0.3 * b)}*y`,
      at: TWO_PI * b,
    }),
  },
  {
    name: 'circle-3d', variables: ['x', 'y', 'z'], surface: false,
    build: (a, b) => ({
      loss: `${fmt(0.25 + a)}*(x^2 + y^2 - 1)^2 + ${fmt(0.5 + b)}*(1 + 0.3*sin(x))*z^2`,
      gamma: { kind: 'curve', param: ['cos(s)', 'sin(s)', '0'], range: [0, TWO_PI], closed: true },
      label: null,
      at: TWO_PI * b,
    }),
  },
  {
    name: 'xyz', variables: ['x', 'y', 'z'], surface: true,
    build: (a, b) => ({
      loss: `${fmt(0.25 + a)}*(x*y*z - 1)^2`,
      gamma: { kind: 'surface', param: ['exp(a)', 'exp(b)', 'exp(-a-b)'], range: [[-0.4 - 0.6 * b, 0.4 + 0.6 * b], [-0.4 - 0.6 * a, 0.4 + 0.6 * a]] },
      label: 'x*y*z',
      at: [0.3 * b - 0.15, 0.15 - 0.3 * a],
    }),
  },
  {
    name: 'sphere', variables: ['x', 'y', 'z'], surface: true,
    build: (a, b) => ({
      loss: `${fmt(0.25 + a)}*(x^2 + y^2 + z^2 - 1)^2`,
      gamma: { kind: 'surface', param: ['cos(a)*cos(b)', 'sin(a)*cos(b)', 'sin(b)'], range: [[-1, 1], [-0.6, 0.6]] },
      label: `x^2 + y^2 + z^2 + ${fmt(0.2 * b)}*x`,
      at: [b - 0.5, 0.2 * a],
    }),
  },
  {
    name: 'plane', variables: ['x', 'y', 'z'], surface: true,
    build: (a, b) => ({
      loss: `${fmt(0.3 + a)}*(${fmt(1.2 + b)} + sin(x)*cos(y))*z^2`,
      gamma: { kind: 'surface', param: ['a', 'b', '0'], range: [[-1, 1], [-1, 1]] },
      label: `z*(1 + ${fmt(0.4 * b)}*sin(x)) + ${fmt(a - 0.5)}*y`,
      at: [0.5 * a - 0.25, 0.5 * b - 0.25],
    }),
  },
];

/** A random valid tube/shell case (a plain case-file object; parseCase checks it) and a one-line label. */
export const corpusCase: fc.Arbitrary<{ label: string; json: Record<string, unknown> }> = fc
  .record({
    family: fc.constantFrom(...FAMILIES),
    a: real(0, 1),
    b: real(0, 1),
    labelNoise: fc.boolean(),
    sigma2: real(0.2, 3),
    c: real(0.3, 2),
    eta: real(0.005, 0.05),
    along: fc.integer({ min: 8, max: 40 }),
    alongShell: fc.tuple(fc.integer({ min: 6, max: 14 }), fc.integer({ min: 6, max: 14 })),
    across: fc.integer({ min: 4, max: 14 }),
    across3d: fc.tuple(fc.integer({ min: 4, max: 7 }), fc.integer({ min: 4, max: 7 })),
    halfWidth: real(3, 8),
    graded: fc.boolean(),
    grading: real(1.2, 2.5),
    widthAlong: fc.constantFrom('constant' as const, 'local' as const),
    end: real(0.05, 0.5),
  })
  .map((r) => {
    const f = r.family;
    const g = f.build(r.a, r.b);
    const useLabel = r.labelNoise && g.label !== null;
    const noise: NoiseSpec = useLabel ? { kind: 'label', output: g.label!, c: r.c } : { kind: 'isotropic', sigma2: r.sigma2 };
    const curve3d = !f.surface && f.variables.length === 3;
    const along = f.surface ? r.alongShell : curve3d ? Math.min(r.along, 20) : r.along;
    const across = curve3d ? r.across3d : f.surface ? Math.min(r.across, 10) : r.across;
    const grid = { kind: 'tube', along, across, halfWidth: r.halfWidth, grading: r.graded ? r.grading : 1, widthAlong: r.widthAlong };
    const json = {
      name: `corpus-${f.name}`, variables: f.variables, loss: g.loss, noise, gamma: g.gamma, eta: r.eta, grid,
      initial: { kind: 'on-gamma', at: g.at, width: f.surface ? [0.15, 0.15] : 0.15 },
      time: { end: r.end, scheme: 'tr-bdf2' }, output: { frames: 5 },
    };
    const shape = Array.isArray(along) ? along.join('×') : String(along);
    const label = `${f.name} ${shape}×${Array.isArray(across) ? across.join('×') : across} ${noise.kind} ${r.graded ? 'graded' : 'uniform'} ${r.widthAlong}`;
    return { label, json };
  });
