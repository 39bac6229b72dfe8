/**
 * Small exact curve and surface fixtures for the grid tests (γ, γ′, γ″ and S with
 * its first and second derivatives in closed form), and shared numeric helpers.
 */
import type { CurveParam, SurfaceParam } from '../../src/landscape/types.js';

function curve2(
  range: [number, number],
  closed: boolean,
  p: (s: number) => [number, number],
  d1: (s: number) => [number, number],
  d2: (s: number) => [number, number],
): CurveParam {
  const put = (v: number[], out: Float64Array): Float64Array => {
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  };
  return { kind: 'curve', dim: 2, range, closed, point: (s, o) => put(p(s), o), d1: (s, o) => put(d1(s), o), d2: (s, o) => put(d2(s), o) };
}

function curve3(
  range: [number, number],
  closed: boolean,
  p: (s: number) => [number, number, number],
  d1: (s: number) => [number, number, number],
  d2: (s: number) => [number, number, number],
): CurveParam {
  const put = (v: number[], out: Float64Array): Float64Array => {
    for (let i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  };
  return { kind: 'curve', dim: 3, range, closed, point: (s, o) => put(p(s), o), d1: (s, o) => put(d1(s), o), d2: (s, o) => put(d2(s), o) };
}

/** Circle of radius R, counter-clockwise, s ∈ [0, 2π) (κ = 1/R, n̂ points inwards). */
export const circle = (R: number): CurveParam =>
  curve2(
    [0, 2 * Math.PI],
    true,
    (s) => [R * Math.cos(s), R * Math.sin(s)],
    (s) => [-R * Math.sin(s), R * Math.cos(s)],
    (s) => [-R * Math.cos(s), -R * Math.sin(s)],
  );

/** Ellipse (A cos s, B sin s), s ∈ [0, 2π); max κ = A/B² (A ≥ B). */
export const ellipse = (A: number, B: number): CurveParam =>
  curve2(
    [0, 2 * Math.PI],
    true,
    (s) => [A * Math.cos(s), B * Math.sin(s)],
    (s) => [-A * Math.sin(s), B * Math.cos(s)],
    (s) => [-A * Math.cos(s), -B * Math.sin(s)],
  );

/** The hyperbola uv = 1 as (e^s, e^{−s}), s ∈ [s0, s1] (open). */
export const expHyperbola = (s0 = -1.2, s1 = 1.2): CurveParam =>
  curve2(
    [s0, s1],
    false,
    (s) => [Math.exp(s), Math.exp(-s)],
    (s) => [Math.exp(s), -Math.exp(-s)],
    (s) => [Math.exp(s), Math.exp(-s)],
  );

/** Helix (ρ cos s, ρ sin s, c s), s ∈ [0, S]: κ = ρ/(ρ²+c²), τ = c/(ρ²+c²), |γ′| = √(ρ²+c²). */
export const helix = (rho: number, c: number, S: number): CurveParam =>
  curve3(
    [0, S],
    false,
    (s) => [rho * Math.cos(s), rho * Math.sin(s), c * s],
    (s) => [-rho * Math.sin(s), rho * Math.cos(s), c],
    (s) => [-rho * Math.cos(s), -rho * Math.sin(s), 0],
  );

/** Trefoil knot (sin s + 2 sin 2s, cos s − 2 cos 2s, −sin 3s), closed on [0, 2π). */
export const trefoil = (): CurveParam =>
  curve3(
    [0, 2 * Math.PI],
    true,
    (s) => [Math.sin(s) + 2 * Math.sin(2 * s), Math.cos(s) - 2 * Math.cos(2 * s), -Math.sin(3 * s)],
    (s) => [Math.cos(s) + 4 * Math.cos(2 * s), -Math.sin(s) + 4 * Math.sin(2 * s), -3 * Math.cos(3 * s)],
    (s) => [-Math.sin(s) - 8 * Math.sin(2 * s), -Math.cos(s) + 8 * Math.cos(2 * s), 9 * Math.sin(3 * s)],
  );

/** Sphere of radius R, a = longitude ∈ [0, 2π], b = latitude ∈ [b0, b1]; N̂ = S_a × S_b/|·| is outward. */
export const sphereBand = (R: number, b0: number, b1: number): SurfaceParam => {
  const put = (x: number, y: number, z: number, o: Float64Array): Float64Array => {
    o[0] = x;
    o[1] = y;
    o[2] = z;
    return o;
  };
  const C = Math.cos;
  const S = Math.sin;
  return {
    kind: 'surface',
    dim: 3,
    rangeA: [0, 2 * Math.PI],
    rangeB: [b0, b1],
    point: (a, b, o) => put(R * C(b) * C(a), R * C(b) * S(a), R * S(b), o),
    da: (a, b, o) => put(-R * C(b) * S(a), R * C(b) * C(a), 0, o),
    db: (a, b, o) => put(-R * S(b) * C(a), -R * S(b) * S(a), R * C(b), o),
    daa: (a, b, o) => put(-R * C(b) * C(a), -R * C(b) * S(a), 0, o),
    dab: (a, b, o) => put(R * S(b) * S(a), -R * S(b) * C(a), 0, o),
    dbb: (a, b, o) => put(-R * C(b) * C(a), -R * C(b) * S(a), -R * S(b), o),
  };
};

/** A non-orthogonal chart of a curved sheet: S = (a + 0.3b, b, 0.2a² − 0.3b² + 0.1ab), a, b ∈ [−1, 1]. */
export const skewSheet = (): SurfaceParam => {
  const put = (x: number, y: number, z: number, o: Float64Array): Float64Array => {
    o[0] = x;
    o[1] = y;
    o[2] = z;
    return o;
  };
  return {
    kind: 'surface',
    dim: 3,
    rangeA: [-1, 1],
    rangeB: [-1, 1],
    point: (a, b, o) => put(a + 0.3 * b, b, 0.2 * a * a - 0.3 * b * b + 0.1 * a * b, o),
    da: (a, b, o) => put(1, 0, 0.4 * a + 0.1 * b, o),
    db: (a, b, o) => put(0.3, 1, -0.6 * b + 0.1 * a, o),
    daa: (_a, _b, o) => put(0, 0, 0.4, o),
    dab: (_a, _b, o) => put(0, 0, 0.1, o),
    dbb: (_a, _b, o) => put(0, 0, -0.6, o),
  };
};

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type MapFn = (xi: ArrayLike<number>, theta: Float64Array, jac: Float64Array | null) => void;

/** Max |jac − central difference of map| over the given points, relative to max |jac|. */
export function jacobianFdError(map: MapFn, d: number, points: number[][], h = 1e-6): number {
  const th = new Float64Array(d);
  const tp = new Float64Array(d);
  const tm = new Float64Array(d);
  const jac = new Float64Array(d * d);
  let worst = 0;
  for (const p of points) {
    map(p, th, jac);
    let scale = 0;
    for (const v of jac) scale = Math.max(scale, Math.abs(v));
    for (let a = 0; a < d; a++) {
      const xp = p.slice();
      const xm = p.slice();
      xp[a] += h;
      xm[a] -= h;
      map(xp, tp, null);
      map(xm, tm, null);
      for (let i = 0; i < d; i++) {
        const fd = (tp[i] - tm[i]) / (2 * h);
        worst = Math.max(worst, Math.abs(fd - jac[i * d + a]) / scale);
      }
    }
  }
  return worst;
}

/** ∫ |det ∂θ/∂ξ| over the ξ box [lo, hi] by a tensor Gauss–Legendre rule (map's own Jacobian). */
export function boxVolumeFromJacobian(map: MapFn, d: number, lo: number[], hi: number[], nodes: Float64Array, weights: Float64Array): number {
  const th = new Float64Array(d);
  const J = new Float64Array(d * d);
  const xi = new Array<number>(d).fill(0);
  const n = nodes.length;
  let total = 0;
  const idx = new Array<number>(d).fill(0);
  const count = n ** d;
  for (let k = 0; k < count; k++) {
    let r = k;
    let wt = 1;
    for (let a = 0; a < d; a++) {
      idx[a] = r % n;
      r = Math.floor(r / n);
      xi[a] = lo[a] + 0.5 * (hi[a] - lo[a]) * (nodes[idx[a]] + 1);
      wt *= 0.5 * (hi[a] - lo[a]) * weights[idx[a]];
    }
    map(xi, th, J);
    const det =
      d === 2
        ? J[0] * J[3] - J[1] * J[2]
        : J[0] * (J[4] * J[8] - J[5] * J[7]) - J[1] * (J[3] * J[8] - J[5] * J[6]) + J[2] * (J[3] * J[7] - J[4] * J[6]);
    total += wt * Math.abs(det);
  }
  return total;
}

/** Fitted order log2(e_k / e_{k+1}) for each refinement (halving). */
export function orders(errors: number[]): number[] {
  const out: number[] = [];
  for (let k = 0; k + 1 < errors.length; k++) out.push(Math.log2(errors[k] / errors[k + 1]));
  return out;
}
