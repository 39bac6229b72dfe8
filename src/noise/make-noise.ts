/**
 * The noise model of a case file's `noise` object (DESIGN.md §9):
 *   { "kind": "isotropic", "sigma2": σ² }
 *   { "kind": "label", "output": "u*v", "c": 1 }
 *   { "kind": "constant", "Sigma": [[…], […]] }
 *   { "kind": "formula", "Sigma": [["…", "…"], ["…", "…"]] }
 * Unknown kinds and unknown fields are InputErrors with the field path.
 */
import { InputError, showValue } from '../util/errors.js';
import type { NoiseModel } from './types.js';
import { isotropicNoise } from './isotropic.js';
import { labelNoise } from './label.js';
import { constantNoise } from './constant.js';
import { formulaNoise } from './formula-noise.js';

export type NoiseSpec =
  | { readonly kind: 'isotropic'; readonly sigma2: number }
  | { readonly kind: 'label'; readonly output: string; readonly c: number }
  | { readonly kind: 'constant'; readonly Sigma: readonly (readonly number[])[] }
  | { readonly kind: 'formula'; readonly Sigma: readonly (readonly string[])[] };

const FIELDS: Record<string, readonly string[]> = {
  isotropic: ['sigma2'],
  label: ['output', 'c'],
  constant: ['Sigma'],
  formula: ['Sigma'],
};

export function makeNoise(spec: NoiseSpec, variables: readonly string[], field = 'noise'): NoiseModel {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec))
    throw new InputError(field, `expected an object with "kind" (${Object.keys(FIELDS).join(', ')}), got ${showValue(spec)}`);
  const kind = (spec as { kind?: unknown }).kind;
  if (typeof kind !== 'string' || !(kind in FIELDS))
    throw new InputError(`${field}.kind`, `unknown noise kind ${showValue(kind)}; known: ${Object.keys(FIELDS).join(', ')}`);
  const allowed = FIELDS[kind];
  for (const key of Object.keys(spec)) {
    if (key !== 'kind' && !allowed.includes(key))
      throw new InputError(`${field}.${key}`, `unknown field for noise kind "${kind}"; allowed: kind, ${allowed.join(', ')}`);
  }
  for (const key of allowed)
    if (!(key in spec)) throw new InputError(`${field}.${key}`, `missing; noise kind "${kind}" needs ${allowed.join(', ')}`);
  const d = variables.length;
  if (d !== 2 && d !== 3) throw new InputError('variables', `expected 2 or 3 variables, got ${d}`);
  switch (spec.kind) {
    case 'isotropic':
      return isotropicNoise(spec.sigma2, d, `${field}.sigma2`);
    case 'label':
      return labelNoise(spec.output, spec.c, variables, field);
    case 'constant': {
      const m = constantNoise(spec.Sigma, `${field}.Sigma`);
      if (m.dim !== d) throw new InputError(`${field}.Sigma`, `Σ is ${m.dim}×${m.dim} but there are ${d} variables (${variables.join(', ')})`);
      return m;
    }
    case 'formula':
      return formulaNoise(spec.Sigma, variables, `${field}.Sigma`);
  }
}
