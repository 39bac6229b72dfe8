/**
 * Built-in landscapes (DESIGN.md §8), built through the same formula path as a
 * user's loss, each with a parametrisation of its Γ as formula strings.
 *
 *   valley        L = ½(1.5 + sin x) y²             Γ: y = 0,        γ(s) = (s, 0),            s ∈ [−π, π]
 *   hyperbola     L = ½(uv − 1)²                    Γ: uv = 1,       γ(s) = (eˢ, e⁻ˢ),         s ∈ [−1.2, 1.2]
 *   scalar-net    L = ½(xyz − 1)²                   Γ: xyz = 1,      S(a,b) = (eᵃ, eᵇ, e^(−a−b)), a, b ∈ [−0.6, 0.6]
 *   twisted-curve L = ½(y − sin x)² + ½(2 + cos x)z² Γ: y = sin x, z = 0, γ(s) = (s, sin s, 0), s ∈ [−π, π]
 */
import { InputError } from '../util/errors.js';
import type { GammaParam } from './types.js';
import { landscapeFromFormula, type FormulaLandscape } from './from-formula.js';
import { curveFromFormula, surfaceFromFormula } from './gamma-param.js';

/** Γ of a built-in landscape, in the case-file form (DESIGN.md §9 `gamma`). */
export type BuiltinGamma =
  | { readonly kind: 'curve'; readonly param: readonly string[]; readonly range: readonly [number, number]; readonly closed: boolean }
  | { readonly kind: 'surface'; readonly param: readonly string[]; readonly range: readonly [readonly [number, number], readonly [number, number]] };

interface Entry {
  readonly loss: string;
  readonly variables: readonly string[];
  readonly gamma: BuiltinGamma;
  readonly description: string;
}

const CATALOG: Readonly<Record<string, Entry>> = {
  valley: {
    loss: '0.5*(1.5 + sin(x))*y^2',
    variables: ['x', 'y'],
    gamma: { kind: 'curve', param: ['s', '0'], range: [-Math.PI, Math.PI], closed: false },
    description: 'L = ½ a(x) y², a = 1.5 + sin x; Γ: y = 0',
  },
  hyperbola: {
    loss: '0.5*(u*v - 1)^2',
    variables: ['u', 'v'],
    gamma: { kind: 'curve', param: ['exp(s)', 'exp(-s)'], range: [-1.2, 1.2], closed: false },
    description: 'L = ½(uv − 1)²; Γ: uv = 1',
  },
  'scalar-net': {
    loss: '0.5*(x*y*z - 1)^2',
    variables: ['x', 'y', 'z'],
    gamma: { kind: 'surface', param: ['exp(a)', 'exp(b)', 'exp(-a-b)'], range: [[-0.6, 0.6], [-0.6, 0.6]] },
    description: 'L = ½(xyz − 1)²; Γ: the surface xyz = 1',
  },
  'twisted-curve': {
    loss: '0.5*(y - sin(x))^2 + 0.5*(2 + cos(x))*z^2',
    variables: ['x', 'y', 'z'],
    gamma: { kind: 'curve', param: ['s', 'sin(s)', '0'], range: [-Math.PI, Math.PI], closed: false },
    description: 'L = ½(y − sin x)² + ½(2 + cos x) z²; Γ: y = sin x, z = 0',
  },
};

/** Names of the built-in landscapes. */
export function builtinLandscapeNames(): string[] {
  return Object.keys(CATALOG);
}

function entry(name: string, field: string): Entry {
  if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(CATALOG, name))
    throw new InputError(field, `unknown landscape ${JSON.stringify(name)}; known: ${builtinLandscapeNames().join(', ')} (or give "loss" as a formula)`);
  return CATALOG[name];
}

/** The loss formula, variables and a one-line description of a built-in landscape. */
export function builtinLandscapeInfo(name: string, field = 'landscape'): { loss: string; variables: readonly string[]; description: string } {
  const e = entry(name, field);
  return { loss: e.loss, variables: e.variables, description: e.description };
}

/** A built-in landscape by name (unknown name → InputError(field) listing the known names). */
export function builtinLandscape(name: string, field = 'landscape'): FormulaLandscape {
  const e = entry(name, field);
  return landscapeFromFormula(e.loss, e.variables, `${field}(${name}).loss`, name);
}

/** Γ of a built-in landscape as formula strings and ranges. */
export function builtinGamma(name: string, field = 'landscape'): BuiltinGamma {
  return entry(name, field).gamma;
}

/** Γ of a built-in landscape as a compiled parametrisation. */
export function builtinGammaParam(name: string, field = 'landscape'): GammaParam {
  const g = builtinGamma(name, field);
  const f = `${field}(${name}).gamma`;
  return g.kind === 'curve' ? curveFromFormula(g.param, g.range, g.closed, f) : surfaceFromFormula(g.param, g.range[0], g.range[1], f);
}
