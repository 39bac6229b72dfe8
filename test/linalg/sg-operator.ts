/**
 * Test-local generator of Scharfetter–Gummel finite-volume Fokker–Planck
 * operators K on a structured box grid (cell index i0 + n0·(i1 + n1·i2), axis
 * 0 fastest), and a dense LU oracle. Not the project's operator module: it
 * exists so the linear algebra is tested on realistic matrices.
 *
 * Face between P and its +e_a neighbour Q (spacing h, face area S):
 *   F = S·[(D/h)(B(−Pe) ρ_P − B(Pe) ρ_Q) − Σ_{b≠a} D_ab ∂_b ρ],  Pe = v h / D,
 *   B(x) = x/(eˣ − 1);
 * row P of K gets −F, row Q gets +F (so column sums of K are zero). The cross
 * gradient ∂_b ρ is the average of the centred differences in the P and Q
 * columns (one-sided at walls): it brings the 9-/19-point stencil with small
 * negative entries.
 */
import { csrFromTriplets, shiftedMatrix } from '../../src/linalg/csr.js';
import type { Csr } from '../../src/linalg/types.js';

export interface SgSpec {
  shape: number[];
  lo: number[];
  hi: number[];
  periodic: boolean[];
  /** Diagonal diffusion D_aa (scalar: the same on all axes). */
  diffusion: number;
  /** Constant cross diffusion D_ab (a ≠ b); 0 gives the 5/7-point stencil. */
  cross?: number;
  /** Drift component along `axis` at point x (a face centre). */
  drift: (x: number[], axis: number) => number;
}

/** Bernoulli function B(x) = x/(eˣ − 1), B(0) = 1, series near 0. */
export function bernoulli(x: number): number {
  if (Math.abs(x) < 1e-6) return 1 - x / 2 + (x * x) / 12;
  return x / Math.expm1(x);
}

export interface SgOperator {
  K: Csr;
  volumes: Float64Array;
  h: number[];
  n: number;
  centre(i: number): number[];
}

export function sgOperator(spec: SgSpec): SgOperator {
  const d = spec.shape.length;
  const shape = [...spec.shape, 1, 1].slice(0, 3);
  const periodic = [...spec.periodic, false, false].slice(0, 3);
  const h = spec.shape.map((m, a) => (spec.hi[a] - spec.lo[a]) / m);
  const n = shape[0] * shape[1] * shape[2];
  const stride = [1, shape[0], shape[0] * shape[1]];
  const vol = h.reduce((a, b) => a * b, 1);
  const D = spec.diffusion;
  const Dx = spec.cross ?? 0;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const coord = (i: number): number[] => [i % shape[0], Math.floor(i / shape[0]) % shape[1], Math.floor(i / (shape[0] * shape[1]))];
  const index = (c: number[]): number => c[0] + shape[0] * (c[1] + shape[1] * c[2]);
  /** Neighbour of cell c along axis b by step s (±1), or −1 at a wall. */
  const neighbour = (c: number[], b: number, s: number): number => {
    const v = c[b] + s;
    const c2 = c.slice();
    if (v < 0 || v >= shape[b]) {
      if (!periodic[b] || shape[b] < 2) return -1;
      c2[b] = (v + shape[b]) % shape[b];
    } else c2[b] = v;
    return index(c2);
  };
  const centre = (i: number): number[] => {
    const c = coord(i);
    return spec.shape.map((_, a) => spec.lo[a] + (c[a] + 0.5) * h[a]);
  };
  const add = (r: number, c: number, v: number): void => {
    rows.push(r);
    cols.push(c);
    vals.push(v);
  };
  for (let P = 0; P < n; P++) {
    const cP = coord(P);
    for (let a = 0; a < d; a++) {
      const Q = neighbour(cP, a, +1);
      if (Q < 0 || Q === P) continue;
      const x = centre(P);
      x[a] += 0.5 * h[a]; // face centre (periodic wrap only shifts the point outside the box: drift is periodic there)
      const S = vol / h[a];
      const v = spec.drift(x, a);
      const pe = (v * h[a]) / D;
      const fP = (S * D * bernoulli(-pe)) / h[a];
      const fQ = (-S * D * bernoulli(pe)) / h[a];
      // F = fP ρ_P + fQ ρ_Q + cross terms; row P −F, row Q +F.
      const terms: Array<[number, number]> = [
        [P, fP],
        [Q, fQ],
      ];
      if (Dx !== 0) {
        const cQ = coord(Q);
        for (let b = 0; b < d; b++) {
          if (b === a || shape[b] < 2) continue;
          const part: Array<[number, number]> = [];
          for (const [cell, cc] of [
            [P, cP],
            [Q, cQ],
          ] as Array<[number, number[]]>) {
            const up = neighbour(cc, b, +1);
            const dn = neighbour(cc, b, -1);
            const hi = up >= 0 ? up : cell;
            const lo = dn >= 0 ? dn : cell;
            const dist = (up >= 0 ? 1 : 0) + (dn >= 0 ? 1 : 0);
            if (dist === 0) continue;
            // ∂_b ρ ≈ (ρ_hi − ρ_lo)/(dist·h_b), averaged over the two columns (weight ½).
            const w = (-S * Dx * 0.5) / (dist * h[b]);
            part.push([hi, w], [lo, -w]);
          }
          terms.push(...part);
        }
      }
      for (const [c, w] of terms) {
        add(P, c, -w);
        add(Q, c, w);
      }
    }
  }
  const K = csrFromTriplets(n, rows, cols, vals);
  return { K, volumes: new Float64Array(n).fill(vol), h, n, centre };
}

/** Valley L = ½(1.5 + sin x) y² on [−2,2]×[−1,1], drift −∇L/η, D = ½. */
export function valleySpec(nx: number, ny: number, eta = 0.05, cross = 0): SgSpec {
  return {
    shape: [nx, ny],
    lo: [-2, -1],
    hi: [2, 1],
    periodic: [false, false],
    diffusion: 0.5,
    cross,
    drift: (x, a) => (a === 0 ? -(0.5 * Math.cos(x[0]) * x[1] * x[1]) / eta : -((1.5 + Math.sin(x[0])) * x[1]) / eta),
  };
}

/** 3D valley L = ½(1.5 + sin x) y² + ½(2 + cos x) z² on [−2,2]×[−1,1]², drift −∇L/η, D = ½. */
export function valley3dSpec(nx: number, ny: number, nz: number, eta = 0.05, cross = 0, periodicX = false): SgSpec {
  return {
    shape: [nx, ny, nz],
    lo: [periodicX ? 0 : -2, -1, -1],
    hi: [periodicX ? 2 * Math.PI : 2, 1, 1],
    periodic: [periodicX, false, false],
    diffusion: 0.5,
    cross,
    drift: (x, a) => {
      const [s, y, z] = x;
      if (a === 0) return -(0.5 * Math.cos(s) * y * y - 0.5 * Math.sin(s) * z * z) / eta;
      if (a === 1) return -((1.5 + Math.sin(s)) * y) / eta;
      return -((2 + Math.cos(s)) * z) / eta;
    },
  };
}

/**
 * Tube-like case: axis 0 across Γ (n ∈ [−w, w], walls), axis 1 along a closed
 * Γ (s ∈ [0, 2π), periodic); L = ½(1.5 + sin s) n².
 */
export function tubeSpec(nAcross: number, nAlong: number, eta = 0.05, cross = 0, halfWidth = 1): SgSpec {
  return {
    shape: [nAcross, nAlong],
    lo: [-halfWidth, 0],
    hi: [halfWidth, 2 * Math.PI],
    periodic: [false, true],
    diffusion: 0.5,
    cross,
    drift: (x, a) => (a === 0 ? -((1.5 + Math.sin(x[1])) * x[0]) / eta : -(0.5 * Math.cos(x[1]) * x[0] * x[0]) / eta),
  };
}

/** Backward-Euler system A = M − dt·K and b = M·ρ for a Gaussian ρ centred at `mean` with width `width`. */
export function backwardEulerSystem(op: SgOperator, dt: number, mean: number[], width: number): { A: Csr; b: Float64Array; rho: Float64Array } {
  const A = shiftedMatrix(op.K, op.volumes, dt);
  const rho = new Float64Array(op.n);
  for (let i = 0; i < op.n; i++) {
    const x = op.centre(i);
    let r2 = 0;
    for (let a = 0; a < x.length; a++) r2 += (x[a] - (mean[a] ?? 0)) ** 2;
    rho[i] = Math.exp(-r2 / (2 * width * width));
  }
  const b = new Float64Array(op.n);
  for (let i = 0; i < op.n; i++) b[i] = op.volumes[i] * rho[i];
  return { A, b, rho };
}

/** Dense Gaussian elimination with partial pivoting on a copy of A: the test oracle (independent of src/linalg solvers). */
export function denseOracleSolve(A: Csr, b: Float64Array): Float64Array {
  const n = A.n;
  const a: number[][] = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  for (let i = 0; i < n; i++) {
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) a[i][A.colIdx[k]] += A.values[k];
    a[i][n] = b[i];
  }
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    for (let i = k + 1; i < n; i++) {
      const l = a[i][k] / a[k][k];
      if (l === 0) continue;
      for (let j = k; j <= n; j++) a[i][j] -= l * a[k][j];
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let j = i + 1; j < n; j++) s -= a[i][j] * x[j];
    x[i] = s / a[i][i];
  }
  return x;
}
