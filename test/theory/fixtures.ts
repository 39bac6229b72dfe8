/**
 * Hand-coded landscapes, noise models and parametrisations of Γ for the theory
 * tests (independent of the formula compiler in src/landscape/).
 *
 * Index conventions as in src/landscape/types.ts: H[i*d+j], T[(i*d+j)*d+k].
 */
import type { CurveParam, Landscape, SurfaceParam, Vec } from '../../src/landscape/types.js';
import type { NoiseModel } from '../../src/noise/types.js';

/**
 * L = ½ r(θ)² from the residual r and its derivatives:
 *   ∇L = r∇r, Hᵢⱼ = rᵢrⱼ + r rᵢⱼ, Tᵢⱼₖ = rᵢⱼrₖ + rᵢₖrⱼ + rⱼₖrᵢ + r rᵢⱼₖ.
 */
export function halfSquare(
  name: string,
  variables: string[],
  r: (x: Vec) => number,
  dr: (x: Vec, out: Float64Array) => void,
  d2r: (x: Vec, out: Float64Array) => void,
  d3r: (x: Vec, out: Float64Array) => void,
): Landscape {
  const d = variables.length as 2 | 3;
  const g = new Float64Array(d);
  const h = new Float64Array(d * d);
  const t = new Float64Array(d * d * d);
  return {
    name,
    dim: d,
    variables,
    value: (x) => 0.5 * r(x) ** 2,
    grad(x, out) {
      const rv = r(x);
      dr(x, g);
      for (let i = 0; i < d; i++) out[i] = rv * g[i];
      return out;
    },
    hessian(x, out) {
      const rv = r(x);
      dr(x, g);
      d2r(x, h);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = g[i] * g[j] + rv * h[i * d + j];
      return out;
    },
    third(x, out) {
      const rv = r(x);
      dr(x, g);
      d2r(x, h);
      d3r(x, t);
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++)
          for (let k = 0; k < d; k++)
            out[(i * d + j) * d + k] = h[i * d + j] * g[k] + h[i * d + k] * g[j] + h[j * d + k] * g[i] + rv * t[(i * d + j) * d + k];
      return out;
    },
  };
}

/** Valley L = ½ a(x) y², a = 1.5 + sin x; Γ = {y = 0}. */
export const valley: Landscape = {
  name: 'valley',
  dim: 2,
  variables: ['x', 'y'],
  value: (p) => 0.5 * (1.5 + Math.sin(p[0])) * p[1] * p[1],
  grad(p, out) {
    const [x, y] = [p[0], p[1]];
    out[0] = 0.5 * Math.cos(x) * y * y;
    out[1] = (1.5 + Math.sin(x)) * y;
    return out;
  },
  hessian(p, out) {
    const [x, y] = [p[0], p[1]];
    out[0] = -0.5 * Math.sin(x) * y * y;
    out[1] = out[2] = Math.cos(x) * y;
    out[3] = 1.5 + Math.sin(x);
    return out;
  },
  third(p, out) {
    const [x, y] = [p[0], p[1]];
    // index (i*2+j)*2+k: xxx=0, xxy=1, xyx=2, xyy=3, yxx=4, yxy=5, yyx=6, yyy=7
    out[0] = -0.5 * Math.cos(x) * y * y;
    out[1] = out[2] = out[4] = -Math.sin(x) * y;
    out[3] = out[5] = out[6] = Math.cos(x);
    out[7] = 0;
    return out;
  },
};

/** Hyperbola L = ½(uv − 1)²; Γ = {uv = 1}. */
export const hyperbola: Landscape = halfSquare(
  'hyperbola',
  ['u', 'v'],
  (x) => x[0] * x[1] - 1,
  (x, o) => {
    o[0] = x[1];
    o[1] = x[0];
  },
  (_x, o) => {
    o[0] = 0;
    o[1] = 1;
    o[2] = 1;
    o[3] = 0;
  },
  (_x, o) => {
    o.fill(0);
  },
);

/** Scalar net L = ½(xyz − 1)²; Γ = {xyz = 1} (a surface). */
export const scalarNet: Landscape = halfSquare(
  'scalar-net',
  ['x', 'y', 'z'],
  (p) => p[0] * p[1] * p[2] - 1,
  (p, o) => {
    o[0] = p[1] * p[2];
    o[1] = p[0] * p[2];
    o[2] = p[0] * p[1];
  },
  (p, o) => {
    const [x, y, z] = [p[0], p[1], p[2]];
    o.set([0, z, y, z, 0, x, y, x, 0]);
  },
  (_p, o) => {
    o.fill(0);
    for (const [i, j, k] of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) o[(i * 3 + j) * 3 + k] = 1;
  },
);

/** Twisted curve L = ½(y − sin x)² + ½(2 + cos x) z²; Γ = {y = sin x, z = 0}. */
export const twisted: Landscape = {
  name: 'twisted-curve',
  dim: 3,
  variables: ['x', 'y', 'z'],
  value: (p) => 0.5 * (p[1] - Math.sin(p[0])) ** 2 + 0.5 * (2 + Math.cos(p[0])) * p[2] ** 2,
  grad(p, out) {
    const [x, y, z] = [p[0], p[1], p[2]];
    const r = y - Math.sin(x);
    out[0] = -r * Math.cos(x) - 0.5 * Math.sin(x) * z * z;
    out[1] = r;
    out[2] = (2 + Math.cos(x)) * z;
    return out;
  },
  hessian(p, out) {
    const [x, y, z] = [p[0], p[1], p[2]];
    const r = y - Math.sin(x);
    // ½r² part: ∇r = (−cos x, 1, 0), r_xx = sin x.   ½b z² part, b = 2 + cos x.
    out.fill(0);
    out[0] = Math.cos(x) ** 2 + r * Math.sin(x) - 0.5 * Math.cos(x) * z * z;
    out[1] = out[3] = -Math.cos(x);
    out[4] = 1;
    out[2] = out[6] = -Math.sin(x) * z;
    out[8] = 2 + Math.cos(x);
    return out;
  },
  third(p, out) {
    const [x, y, z] = [p[0], p[1], p[2]];
    const r = y - Math.sin(x);
    const c = Math.cos(x);
    const s = Math.sin(x);
    out.fill(0);
    const set = (i: number, j: number, k: number, v: number) => {
      for (const [a, b, e] of [[i, j, k], [i, k, j], [j, i, k], [j, k, i], [k, i, j], [k, j, i]]) out[(a * 3 + b) * 3 + e] = v;
    };
    // ½r²: T = r_ij r_k + perms + r r_ijk; only r_xx = s, r_xxx = c nonzero among 2nd/3rd derivatives.
    // T_xxx = 3 r_xx r_x + r r_xxx = −3 s c + r c ; T_xxy = r_xx r_y = s.
    // ½bz²: T_xxx += ½ b''' z² = ½ s z², T_xxz = b'' z = −c z, T_xzz = b' = −s.
    set(0, 0, 0, -3 * s * c + r * c + 0.5 * s * z * z);
    set(0, 0, 1, s);
    set(0, 0, 2, -c * z);
    set(0, 2, 2, -s);
    return out;
  },
};

/** Σ = σ²I. */
export function isotropic(sigma2: number, dim: 2 | 3): NoiseModel {
  return {
    kind: 'isotropic',
    dim,
    description: `isotropic, sigma2 = ${sigma2}`,
    constant: true,
    sigma(_x, out) {
      out.fill(0);
      for (let i = 0; i < dim; i++) out[i * dim + i] = sigma2;
      return out;
    },
    divSigma(_x, out) {
      out.fill(0);
      return out;
    },
  };
}

/** Label noise Σ = c ∇f∇fᵀ, (∇·Σ)ᵢ = c(Σⱼ fᵢⱼ fⱼ + fᵢ Δf). */
export function labelNoise(
  c: number,
  dim: 2 | 3,
  df: (x: Vec, out: Float64Array) => void,
  d2f: (x: Vec, out: Float64Array) => void,
  fText: string,
): NoiseModel {
  const g = new Float64Array(dim);
  const h = new Float64Array(dim * dim);
  return {
    kind: 'label',
    dim,
    description: `label, c = ${c}, f = ${fText}`,
    constant: false,
    sigma(x, out) {
      df(x, g);
      for (let i = 0; i < dim; i++) for (let j = 0; j < dim; j++) out[i * dim + j] = c * g[i] * g[j];
      return out;
    },
    divSigma(x, out) {
      df(x, g);
      d2f(x, h);
      let lap = 0;
      for (let i = 0; i < dim; i++) lap += h[i * dim + i];
      for (let i = 0; i < dim; i++) {
        let s = 0;
        for (let j = 0; j < dim; j++) s += h[i * dim + j] * g[j];
        out[i] = c * (s + g[i] * lap);
      }
      return out;
    },
  };
}

export const hyperbolaLabel = (c: number): NoiseModel =>
  labelNoise(
    c,
    2,
    (x, o) => {
      o[0] = x[1];
      o[1] = x[0];
    },
    (_x, o) => o.set([0, 1, 1, 0]),
    'u*v',
  );

export const scalarNetLabel = (c: number): NoiseModel =>
  labelNoise(
    c,
    3,
    (p, o) => {
      o[0] = p[1] * p[2];
      o[1] = p[0] * p[2];
      o[2] = p[0] * p[1];
    },
    (p, o) => o.set([0, p[2], p[1], p[2], 0, p[0], p[1], p[0], 0]),
    'x*y*z',
  );

/** Valley's Γ: γ(s) = (s, 0). */
export const valleyCurve: CurveParam = {
  kind: 'curve',
  dim: 2,
  range: [-Math.PI, Math.PI],
  closed: false,
  point: (s, o) => (o.set([s, 0]), o),
  d1: (_s, o) => (o.set([1, 0]), o),
  d2: (_s, o) => (o.set([0, 0]), o),
};

/** Hyperbola's Γ: γ(s) = (eˢ, e⁻ˢ). */
export const hyperbolaCurve: CurveParam = {
  kind: 'curve',
  dim: 2,
  range: [-1.2, 1.2],
  closed: false,
  point: (s, o) => (o.set([Math.exp(s), Math.exp(-s)]), o),
  d1: (s, o) => (o.set([Math.exp(s), -Math.exp(-s)]), o),
  d2: (s, o) => (o.set([Math.exp(s), Math.exp(-s)]), o),
};

/** Twisted curve's Γ: γ(s) = (s, sin s, 0). */
export const twistedCurve: CurveParam = {
  kind: 'curve',
  dim: 3,
  range: [-Math.PI, Math.PI],
  closed: false,
  point: (s, o) => (o.set([s, Math.sin(s), 0]), o),
  d1: (s, o) => (o.set([1, Math.cos(s), 0]), o),
  d2: (s, o) => (o.set([0, -Math.sin(s), 0]), o),
};

/** Scalar net's Γ: S(a, b) = (eᵃ, eᵇ, e^(−a−b)). */
export const scalarNetSurface: SurfaceParam = {
  kind: 'surface',
  dim: 3,
  rangeA: [-0.8, 0.8],
  rangeB: [-0.8, 0.8],
  point: (a, b, o) => (o.set([Math.exp(a), Math.exp(b), Math.exp(-a - b)]), o),
  da: (a, b, o) => (o.set([Math.exp(a), 0, -Math.exp(-a - b)]), o),
  db: (a, b, o) => (o.set([0, Math.exp(b), -Math.exp(-a - b)]), o),
  daa: (a, b, o) => (o.set([Math.exp(a), 0, Math.exp(-a - b)]), o),
  dab: (a, b, o) => (o.set([0, 0, Math.exp(-a - b)]), o),
  dbb: (a, b, o) => (o.set([0, Math.exp(b), Math.exp(-a - b)]), o),
};

/** Finite-difference check helpers. */
export function fdHessianCheck(L: Landscape, x: number[], h = 1e-5): number {
  const d = L.dim;
  const H = L.hessian(x, new Float64Array(d * d));
  const gp = new Float64Array(d);
  const gm = new Float64Array(d);
  let err = 0;
  for (let j = 0; j < d; j++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[j] += h;
    xm[j] -= h;
    L.grad(xp, gp);
    L.grad(xm, gm);
    for (let i = 0; i < d; i++) err = Math.max(err, Math.abs((gp[i] - gm[i]) / (2 * h) - H[i * d + j]));
  }
  return err;
}

export function fdThirdCheck(L: Landscape, x: number[], h = 1e-5): number {
  const d = L.dim;
  const T = L.third(x, new Float64Array(d * d * d));
  const hp = new Float64Array(d * d);
  const hm = new Float64Array(d * d);
  let err = 0;
  for (let l = 0; l < d; l++) {
    const xp = x.slice();
    const xm = x.slice();
    xp[l] += h;
    xm[l] -= h;
    L.hessian(xp, hp);
    L.hessian(xm, hm);
    for (let i = 0; i < d * d; i++) err = Math.max(err, Math.abs((hp[i] - hm[i]) / (2 * h) - T[l * d * d + i]));
  }
  return err;
}
