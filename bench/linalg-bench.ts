/**
 * Linear-solver benchmarks on Scharfetter–Gummel Fokker–Planck matrices.
 *
 * valley: L = ½(1.5 + sin x) y² on [−2,2]×[−1,1], drift −η⁻¹∇L (η = 0.05)
 * at face centres, D = ½ (σ² = 1), zero-flux walls; backward Euler
 * A = M − dt·K with dt = 0.01 and b = M·ρ for a Gaussian ρ (x₀ = ρ, the
 * previous state, as a time stepper would pass it); tol 1e-10.
 * valley3d: L = ½(1.5 + sin x) y² + ½(2 + cos x) z² on [−2,2]×[−1,1]², 7-point.
 * tube: 64 cells across (walls) × 1024 along (periodic), 9-point (cross
 * diffusion 0.05), L = ½(1.5 + sin s) n²; banded LU.
 *
 * setupSeconds: solver setup (factorisation / multigrid hierarchy), not the
 * assembly. stepMsMedian: median wall time of one solve. peakRssMB: the
 * process's peak resident set so far (monotone over the run).
 *
 * Standalone: `npx tsx bench/linalg-bench.ts [--quick]`.
 */
import { pathToFileURL } from 'node:url';
import { matVec } from '../src/linalg/csr.js';
import { makeSolver, type ConcreteMethod } from '../src/linalg/solver.js';
import type { Csr, GridStructure } from '../src/linalg/types.js';

export interface LinalgBenchResult {
  name: string;
  cells: number;
  setupSeconds: number;
  stepMsMedian: number;
  iterationsPerStep: number;
  peakRssMB: number;
  /** Extra figures (mat-vec time, solve cost in mat-vecs, bandwidth, levels). */
  detail?: Record<string, number | string>;
}

function bernoulli(x: number): number {
  if (Math.abs(x) < 1e-6) return 1 - x / 2 + (x * x) / 12;
  return x / Math.expm1(x);
}

export interface Problem {
  A: Csr;
  b: Float64Array;
  rho: Float64Array;
  structure: GridStructure;
}

/**
 * Assembles A = M − dt·K directly in CSR for the nearest-neighbour SG
 * operator (5-point 2D, 7-point 3D; optional 2D cross diffusion → 9-point is
 * not supported here: use `tubeProblem`). Face P→Q along axis a:
 * F = S(D/h)[B(−Pe)ρ_P − B(Pe)ρ_Q], row P −F, row Q +F.
 */
function sgProblem(shape: number[], lo: number[], hi: number[], periodic: boolean[], drift: (x: number[], a: number) => number, dt: number, mean: number[], width: number): Problem {
  const d = shape.length;
  const h = shape.map((m, a) => (hi[a] - lo[a]) / m);
  const n = shape.reduce((a, b) => a * b, 1);
  const vol = h.reduce((a, b) => a * b, 1);
  const D = 0.5;
  const stride = [1, shape[0], shape[0] * (shape[1] ?? 1)];
  // fP[a][P], fQ[a][P]: coefficients of the face P → P + e_a (0 at walls).
  const fP = shape.map(() => new Float64Array(n));
  const fQ = shape.map(() => new Float64Array(n));
  const c = new Array<number>(d).fill(0);
  const x = new Array<number>(d).fill(0);
  for (let P = 0; P < n; P++) {
    let t = P;
    for (let a = 0; a < d; a++) {
      c[a] = t % shape[a];
      t = (t - c[a]) / shape[a];
    }
    for (let a = 0; a < d; a++) {
      if (c[a] === shape[a] - 1 && !periodic[a]) continue;
      for (let b = 0; b < d; b++) x[b] = lo[b] + (c[b] + (b === a ? 1 : 0.5)) * h[b];
      const S = vol / h[a];
      const pe = (drift(x, a) * h[a]) / D;
      fP[a][P] = (S * D * bernoulli(-pe)) / h[a];
      fQ[a][P] = (-S * D * bernoulli(pe)) / h[a];
    }
  }
  const rowPtr = new Int32Array(n + 1);
  const colIdx = new Int32Array(n * (2 * d + 1));
  const values = new Float64Array(n * (2 * d + 1));
  const cols = new Int32Array(2 * d + 1);
  const vals = new Float64Array(2 * d + 1);
  let nnz = 0;
  for (let P = 0; P < n; P++) {
    let t = P;
    for (let a = 0; a < d; a++) {
      c[a] = t % shape[a];
      t = (t - c[a]) / shape[a];
    }
    let m = 0;
    let diagK = 0;
    for (let a = 0; a < d; a++) {
      // + face (P → Q): K[P,P] −= fP, K[P,Q] −= fQ.
      if (c[a] < shape[a] - 1 || periodic[a]) {
        const Q = c[a] < shape[a] - 1 ? P + stride[a] : P - (shape[a] - 1) * stride[a];
        diagK -= fP[a][P];
        cols[m] = Q;
        vals[m++] = dt * fQ[a][P]; // A = −dt·K off the diagonal
      }
      // − face (R → P, R = P − e_a): K[P,R] += fP(R), K[P,P] += fQ(R).
      if (c[a] > 0 || periodic[a]) {
        const R = c[a] > 0 ? P - stride[a] : P + (shape[a] - 1) * stride[a];
        diagK += fQ[a][R];
        cols[m] = R;
        vals[m++] = -dt * fP[a][R];
      }
    }
    cols[m] = P;
    vals[m++] = vol - dt * diagK;
    // Sort the ≤ 7 entries by column, merging duplicates (periodic axes of length 2).
    for (let s = 1; s < m; s++) {
      const cc = cols[s];
      const vv = vals[s];
      let u = s - 1;
      while (u >= 0 && cols[u] > cc) {
        cols[u + 1] = cols[u];
        vals[u + 1] = vals[u];
        u--;
      }
      cols[u + 1] = cc;
      vals[u + 1] = vv;
    }
    for (let s = 0; s < m; s++) {
      if (s > 0 && cols[s] === cols[s - 1]) values[nnz - 1] += vals[s];
      else {
        colIdx[nnz] = cols[s];
        values[nnz++] = vals[s];
      }
    }
    rowPtr[P + 1] = nnz;
  }
  const A: Csr = { n, rowPtr, colIdx: colIdx.slice(0, nnz), values: values.slice(0, nnz) };
  const rho = new Float64Array(n);
  const b = new Float64Array(n);
  for (let P = 0; P < n; P++) {
    let t = P;
    let r2 = 0;
    for (let a = 0; a < d; a++) {
      c[a] = t % shape[a];
      t = (t - c[a]) / shape[a];
      r2 += (lo[a] + (c[a] + 0.5) * h[a] - mean[a]) ** 2;
    }
    rho[P] = Math.exp(-r2 / (2 * width * width));
    b[P] = vol * rho[P];
  }
  return { A, b, rho, structure: { shape, periodic } };
}

const ETA = 0.05;

export function valleyProblem(N: number): Problem {
  return sgProblem(
    [N, N],
    [-2, -1],
    [2, 1],
    [false, false],
    (x, a) => (a === 0 ? -(0.5 * Math.cos(x[0]) * x[1] * x[1]) / ETA : -((1.5 + Math.sin(x[0])) * x[1]) / ETA),
    0.01,
    [0.5, 0.3],
    0.2,
  );
}

export function valley3dProblem(N: number): Problem {
  return sgProblem(
    [N, N, N],
    [-2, -1, -1],
    [2, 1, 1],
    [false, false, false],
    (x, a) => {
      const [s, y, z] = x;
      if (a === 0) return -(0.5 * Math.cos(s) * y * y - 0.5 * Math.sin(s) * z * z) / ETA;
      if (a === 1) return -((1.5 + Math.sin(s)) * y) / ETA;
      return -((2 + Math.cos(s)) * z) / ETA;
    },
    0.01,
    [0.5, 0.3, 0],
    0.2,
  );
}

/**
 * Tube: 64 across × 1024 along (periodic), 9-point: the 5-point SG operator
 * plus cross diffusion D_sn = 0.05 in flux form (centred tangential
 * differences), assembled through triplets.
 */
export async function tubeProblem(nAcross: number, nAlong: number): Promise<Problem> {
  const { csrFromTriplets, shiftedMatrix } = await import('../src/linalg/csr.js');
  const shape = [nAcross, nAlong];
  const h = [2 / nAcross, (2 * Math.PI) / nAlong];
  const n = nAcross * nAlong;
  const vol = h[0] * h[1];
  const D = 0.5;
  const Dx = 0.05;
  const cap = n * 2 * 20;
  const rows = new Int32Array(cap);
  const cols = new Int32Array(cap);
  const vals = new Float64Array(cap);
  let m = 0;
  const idx = (i0: number, i1: number): number => i0 + nAcross * (((i1 % nAlong) + nAlong) % nAlong);
  const add = (P: number, Q: number, col: number, w: number): void => {
    rows[m] = P;
    cols[m] = col;
    vals[m++] = -w;
    rows[m] = Q;
    cols[m] = col;
    vals[m++] = w;
  };
  const drift = (nn: number, s: number, a: number): number => (a === 0 ? -((1.5 + Math.sin(s)) * nn) / ETA : -(0.5 * Math.cos(s) * nn * nn) / ETA);
  for (let i1 = 0; i1 < nAlong; i1++) {
    for (let i0 = 0; i0 < nAcross; i0++) {
      const P = idx(i0, i1);
      for (let a = 0; a < 2; a++) {
        if (a === 0 && i0 === nAcross - 1) continue;
        const Q = a === 0 ? idx(i0 + 1, i1) : idx(i0, i1 + 1);
        const xn = -1 + (i0 + (a === 0 ? 1 : 0.5)) * h[0];
        const xs = (i1 + (a === 1 ? 1 : 0.5)) * h[1];
        const S = vol / h[a];
        const pe = (drift(xn, xs, a) * h[a]) / D;
        add(P, Q, P, (S * D * bernoulli(-pe)) / h[a]);
        add(P, Q, Q, (-S * D * bernoulli(pe)) / h[a]);
        // Cross term −D_x ∂_b ρ, b the other axis, averaged over the P and Q columns.
        for (const [X0, X1] of [
          [i0, i1],
          [a === 0 ? i0 + 1 : i0, a === 1 ? i1 + 1 : i1],
        ]) {
          if (a === 0) {
            const w = (-S * Dx * 0.5) / (2 * h[1]);
            add(P, Q, idx(X0, X1 + 1), w);
            add(P, Q, idx(X0, X1 - 1), -w);
          } else {
            const up = X0 + 1 < nAcross;
            const dn = X0 > 0;
            const dist = (up ? 1 : 0) + (dn ? 1 : 0);
            const w = (-S * Dx * 0.5) / (dist * h[0]);
            add(P, Q, idx(up ? X0 + 1 : X0, X1), w);
            add(P, Q, idx(dn ? X0 - 1 : X0, X1), -w);
          }
        }
      }
    }
  }
  const K = csrFromTriplets(n, rows.subarray(0, m), cols.subarray(0, m), vals.subarray(0, m));
  const A = shiftedMatrix(K, new Float64Array(n).fill(vol), 0.01);
  const rho = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i1 = 0; i1 < nAlong; i1++) {
    for (let i0 = 0; i0 < nAcross; i0++) {
      const xn = -1 + (i0 + 0.5) * h[0];
      const xs = (i1 + 0.5) * h[1];
      const P = idx(i0, i1);
      rho[P] = Math.exp(-(xn * xn) / (2 * 0.1) - ((xs - 3) * (xs - 3)) / (2 * 0.3));
      b[P] = vol * rho[P];
    }
  }
  return { A, b, rho, structure: { shape, periodic: [false, true] } };
}

function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : 0.5 * (s[k - 1] + s[k]);
}

function matVecMs(A: Csr, x: Float64Array): number {
  const y = new Float64Array(A.n);
  for (let k = 0; k < 5; k++) matVec(A, x, y);
  const reps = Math.max(5, Math.min(200, Math.floor(2e7 / A.values.length)));
  const t = performance.now();
  for (let k = 0; k < reps; k++) matVec(A, x, y);
  return (performance.now() - t) / reps;
}

function run(name: string, p: Problem, method: ConcreteMethod, solves: number): LinalgBenchResult {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const solver = makeSolver(p.A, { method, structure: p.structure, tol: 1e-10, maxIter: 2000 });
  const setupSeconds = (performance.now() - t0) / 1000;
  const dc0 = process.cpuUsage(c0);
  const setupCpuSeconds = (dc0.user + dc0.system) / 1e6;
  const x = new Float64Array(p.A.n);
  const times: number[] = [];
  const cpu: number[] = [];
  const its: number[] = [];
  let residual = 0;
  for (let k = 0; k < solves; k++) {
    x.set(p.rho);
    const t = performance.now();
    const c = process.cpuUsage();
    const info = solver.solve(p.b, x);
    times.push(performance.now() - t);
    const dc = process.cpuUsage(c);
    cpu.push((dc.user + dc.system) / 1000);
    its.push(info.iterations);
    residual = Math.max(residual, info.residual);
  }
  const mv = matVecMs(p.A, x);
  const stepMsMedian = median(times);
  return {
    name,
    cells: p.A.n,
    setupSeconds,
    stepMsMedian,
    iterationsPerStep: median(its),
    peakRssMB: peakRssMB(),
    detail: { method, stepCpuMsMedian: +median(cpu).toFixed(2), setupCpuSeconds: +setupCpuSeconds.toFixed(3), matVecMs: +mv.toFixed(3), solveInMatVecs: +(stepMsMedian / mv).toFixed(1), maxResidual: residual, solves },
  };
}

/** Runs every linear-solver benchmark; `quick` skips the largest cases. */
export async function runLinalgBench(opts: { quick?: boolean; log?: (line: string) => void } = {}): Promise<LinalgBenchResult[]> {
  const out: LinalgBenchResult[] = [];
  const log = opts.log ?? (() => {});
  const push = (r: LinalgBenchResult): void => {
    out.push(r);
    log(formatRow(r));
  };
  const v256 = valleyProblem(256);
  push(run('valley-cartesian-256', v256, 'mg-bicgstab', 10));
  push(run('valley-cartesian-256-mg-gmres', v256, 'mg-gmres', 10));
  push(run('valley-cartesian-256-ilu-bicgstab', v256, 'ilu-bicgstab', 5));
  if (!opts.quick) push(run('valley-cartesian-256-banded', v256, 'banded', 3));
  const t = await tubeProblem(64, 1024);
  push(run('tube-64x1024-periodic-9pt-banded', t, 'banded', 5));
  push(run('tube-64x1024-periodic-9pt-mg-bicgstab', t, 'mg-bicgstab', 5));
  for (const N of opts.quick ? [64, 128] : [64, 128, 512]) push(run(`valley-cartesian-${N}`, valleyProblem(N), 'mg-bicgstab', N >= 512 ? 4 : 10));
  push(run('valley-cartesian-128-banded', valleyProblem(128), 'banded', 5));
  for (const N of opts.quick ? [32] : [32, 64, 128]) push(run(`valley3d-cartesian-${N}`, valley3dProblem(N), 'mg-bicgstab', N >= 128 ? 3 : 5));
  return out;
}

function formatRow(r: LinalgBenchResult): string {
  const d = r.detail ?? {};
  return `${r.name.padEnd(40)} cells ${String(r.cells).padStart(8)}  setup ${r.setupSeconds.toFixed(3)} s (cpu ${d.setupCpuSeconds})  solve ${r.stepMsMedian.toFixed(1).padStart(8)} ms (cpu ${d.stepCpuMsMedian})  its ${String(r.iterationsPerStep).padStart(3)}  (${d.solveInMatVecs} mat-vecs of ${d.matVecMs} ms)  peak RSS ${r.peakRssMB.toFixed(0)} MB`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  runLinalgBench({ quick, log: (l) => console.log(l) }).then((rows) => {
    // Growth exponents of the solve time per cell count.
    const fit = (prefix: RegExp): string => {
      const pts = rows.filter((r) => prefix.test(r.name)).map((r) => [Math.log(r.cells), Math.log(r.stepMsMedian)]);
      if (pts.length < 2) return 'n/a';
      const mx = pts.reduce((a, p) => a + p[0], 0) / pts.length;
      const my = pts.reduce((a, p) => a + p[1], 0) / pts.length;
      const sxy = pts.reduce((a, p) => a + (p[0] - mx) * (p[1] - my), 0);
      const sxx = pts.reduce((a, p) => a + (p[0] - mx) ** 2, 0);
      return (sxy / sxx).toFixed(2);
    };
    console.log(`solve time ∝ cells^p: 2D mg-bicgstab p = ${fit(/^valley-cartesian-\d+$/)}, 3D p = ${fit(/^valley3d-cartesian-\d+$/)}`);
  });
}
