/**
 * Cartesian boxes in 2D and 3D: ξ = θ, uniform cells.
 * Cell (i₀,i₁[,i₂]) has index i₀ + n₀(i₁ + n₁ i₂); its centre is
 * loₐ + (iₐ + ½)hₐ with hₐ = (hiₐ − loₐ)/nₐ.
 */
import { GridSpecError } from '../util/errors.js';
import type { StructuredGrid } from './types.js';

export interface CartesianSpec {
  bounds: readonly (readonly [number, number])[];
  shape: readonly number[];
  /** Periodic axes (default none: zero-flux walls). */
  periodic?: readonly boolean[];
  /** Cell edges per axis (strictly increasing, from lo to hi, shape[a] + 1 of them); default uniform. */
  edges?: readonly Float64Array[];
}

export function cartesianGrid(spec: CartesianSpec): StructuredGrid {
  const dim = spec.shape.length;
  if (dim !== 2 && dim !== 3) throw new GridSpecError('grid.shape', `expected 2 or 3 axes, got ${dim}`);
  if (spec.bounds.length !== dim) {
    throw new GridSpecError('grid.bounds', `expected ${dim} [lo, hi] pairs to match grid.shape, got ${spec.bounds.length}`);
  }
  const shape = spec.shape.map((n, a) => {
    if (!Number.isInteger(n) || n < 2) throw new GridSpecError(`grid.shape[${a}]`, `expected an integer ≥ 2, got ${n}`);
    return n;
  });
  const edges = spec.bounds.map(([lo, hi], a) => {
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi)) {
      throw new GridSpecError(`grid.bounds[${a}]`, `expected finite lo < hi, got [${lo}, ${hi}]`);
    }
    const given = spec.edges?.[a];
    if (given) {
      if (given.length !== shape[a] + 1 || given[0] !== lo || given[shape[a]] !== hi || given.some((x, i) => i > 0 && !(x > given[i - 1]))) {
        throw new GridSpecError(`grid.edges[${a}]`, `expected ${shape[a] + 1} increasing edges from ${lo} to ${hi}`);
      }
      return Float64Array.from(given);
    }
    const e = new Float64Array(shape[a] + 1);
    for (let i = 0; i <= shape[a]; i++) e[i] = lo + ((hi - lo) * i) / shape[a];
    e[shape[a]] = hi;
    return e;
  });
  const nCells = shape.reduce((p, n) => p * n, 1);
  const centres = new Float64Array(nCells * dim);
  const volumes = new Float64Array(nCells);
  const n0 = shape[0];
  const n1 = shape[1];
  for (let c = 0; c < nCells; c++) {
    const idx = [c % n0, Math.floor(c / n0) % n1, Math.floor(c / (n0 * n1))];
    let vol = 1;
    for (let a = 0; a < dim; a++) {
      const i = idx[a];
      centres[c * dim + a] = 0.5 * (edges[a][i] + edges[a][i + 1]);
      vol *= edges[a][i + 1] - edges[a][i];
    }
    volumes[c] = vol;
  }
  return {
    kind: 'cartesian',
    dim: dim as 2 | 3,
    shape,
    periodic: spec.periodic ? [...spec.periodic] : shape.map(() => false),
    edges,
    alongAxes: [],
    acrossAxes: [],
    nCells,
    centres,
    xiCentres: centres,
    volumes,
    map(xi, theta, jac) {
      for (let i = 0; i < dim; i++) theta[i] = xi[i];
      if (jac) {
        jac.fill(0);
        for (let i = 0; i < dim; i++) jac[i * dim + i] = 1;
      }
    },
  };
}
