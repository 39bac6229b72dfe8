import { describe, expect, it } from 'vitest';
import { residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { makeSolver } from '../../src/linalg/solver.js';
import { BiCgStab, Gmres } from '../../src/linalg/krylov.js';
import { collapse, Multigrid } from '../../src/linalg/multigrid.js';
import { csrFromTriplets } from '../../src/linalg/csr.js';
import { InputError } from '../../src/util/errors.js';
import { backwardEulerSystem, denseOracleSolve, sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';
import { maxRelDiff } from '../support/assertions.js';


describe('multigrid-preconditioned Krylov against a dense LU oracle', () => {
  const cases = [
    ['2D walls, 5-point', sgOperator(valleySpec(16, 12)), { shape: [16, 12], periodic: [false, false] }],
    ['2D periodic along, 9-point cross terms, odd size', sgOperator(tubeSpec(9, 22, 0.05, 0.1)), { shape: [9, 22], periodic: [false, true] }],
    ['3D periodic x, 19-point cross terms', sgOperator(valley3dSpec(8, 6, 5, 0.05, 0.05, true)), { shape: [8, 6, 5], periodic: [true, false, false] }],
    ['3D walls, 7-point', sgOperator(valley3dSpec(6, 6, 6)), { shape: [6, 6, 6], periodic: [false, false, false] }],
  ] as const;
  for (const [name, op, structure] of cases) {
    it(name, () => {
      const sys = backwardEulerSystem(op, 0.01, [0.5, 0.2, 0], 0.3);
      const exact = denseOracleSolve(sys.A, sys.b);
      const mg = new Multigrid(sys.A, structure, { coarsestSize: 20 });
      expect(mg.describe().length).toBeGreaterThanOrEqual(3);
      for (const solver of [new BiCgStab(sys.A, { tol: 1e-11, preconditioner: mg }), new Gmres(sys.A, { tol: 1e-11, preconditioner: mg })]) {
        const x = new Float64Array(op.n);
        const info = solver.solve(sys.b, x);
        expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
        expect(info.iterations).toBeLessThan(30);
        expect(maxRelDiff(x, exact)).toBeLessThan(1e-8);
      }
      // dt changes: refresh recomputes the Galerkin operators on the same patterns.
      const A2 = shiftedMatrix(op.K, op.volumes, 0.2);
      mg.refresh(A2);
      const x = new Float64Array(op.n);
      new BiCgStab(A2, { tol: 1e-11, preconditioner: mg }).solve(sys.b, x);
      expect(maxRelDiff(x, denseOracleSolve(A2, sys.b))).toBeLessThan(1e-8);
    });
  }

  it('a cycle is a linear map of the residual', () => {
    const op = sgOperator(valleySpec(16, 16));
    const sys = backwardEulerSystem(op, 0.01, [0, 0], 0.3);
    const mg = new Multigrid(sys.A, { shape: [16, 16], periodic: [false, false] }, { coarsestSize: 16 });
    const r1 = Float64Array.from({ length: op.n }, (_, i) => Math.sin(i));
    const r2 = Float64Array.from({ length: op.n }, (_, i) => Math.cos(3 * i));
    const z1 = new Float64Array(op.n);
    const z2 = new Float64Array(op.n);
    const z12 = new Float64Array(op.n);
    mg.apply(r1, z1);
    mg.apply(r2, z2);
    mg.apply(r1.map((v, i) => 2 * v - r2[i]), z12);
    for (let i = 0; i < op.n; i++) expect(z12[i]).toBeCloseTo(2 * z1[i] - z2[i], 10);
  });

  it('iterate: x ← cycle(x) reports the true residual norm of the iterate it checked, and converges to the oracle', () => {
    const op = sgOperator(tubeSpec(12, 40, 0.05, 0.1));
    const structure = { shape: [12, 40], periodic: [false, true] };
    const sys = backwardEulerSystem(op, 0.01, [0.3, 1], 0.3);
    const mg = new Multigrid(sys.A, structure, { coarsestSize: 30 });
    const x = sys.rho.slice();
    const bNorm = Math.hypot(...sys.b);
    let rho = Infinity;
    for (let k = 0; k < 40 && rho > 1e-12 * bNorm; k++) {
      const stopAt = 1e-12 * bNorm;
      rho = mg.iterate(sys.b, x, stopAt);
      if (rho <= stopAt) {
        // Stopped after the pre-smoothing: rho is the residual of the returned x.
        expect(Math.abs(residualNorm(sys.A, x, sys.b) * bNorm - rho)).toBeLessThan(1e-6 * rho);
      }
    }
    expect(rho).toBeLessThanOrEqual(1e-12 * bNorm);
    expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-12);
    expect(maxRelDiff(x, denseOracleSolve(sys.A, sys.b))).toBeLessThan(1e-9);
    // A stop above the residual returns at once with that residual and leaves the pre-smoothed x.
    const y = sys.rho.slice();
    const r0 = mg.iterate(sys.b, y, Infinity);
    expect(Math.abs(residualNorm(sys.A, y, sys.b) * bNorm - r0)).toBeLessThan(1e-9 * r0);
  });

  it('semi-coarsens the strongly coupled axis first', () => {
    // hx = 4/64, hy = 2/64: y-couplings are 4× the x-couplings.
    const op = sgOperator(valleySpec(64, 64));
    const sys = backwardEulerSystem(op, 0.01, [0, 0], 0.3);
    const levels = new Multigrid(sys.A, { shape: [64, 64], periodic: [false, false] }).describe();
    expect(levels[0].factors?.slice(0, 2)).toEqual([1, 2]);
    expect(levels[1].shape.slice(0, 2)).toEqual([64, 32]);
    const full = new Multigrid(sys.A, { shape: [64, 64], periodic: [false, false] }, { semiCoarsenRatio: 0 }).describe();
    expect(full[0].factors?.slice(0, 2)).toEqual([2, 2]);
  });

  it('coarse operators: collapsed to 2d+1 points by default (cross terms too), 3^d-point Galerkin products on request', () => {
    const perRow = (mg: Multigrid) => mg.describe().slice(1).map((l) => l.nnz / l.n);
    const v2 = backwardEulerSystem(sgOperator(valleySpec(32, 32)), 0.01, [0, 0], 0.3).A;
    const s2 = { shape: [32, 32], periodic: [false, false] };
    for (const q of perRow(new Multigrid(v2, s2, { coarsestSize: 16 }))) expect(q).toBeLessThanOrEqual(5);
    expect(Math.max(...perRow(new Multigrid(v2, s2, { coarsestSize: 16, coarseOperator: 'galerkin' })))).toBeGreaterThan(8);
    const v3 = backwardEulerSystem(sgOperator(valley3dSpec(8, 8, 8)), 0.01, [0, 0, 0], 0.3).A;
    for (const q of perRow(new Multigrid(v3, { shape: [8, 8, 8], periodic: [false, false, false] }, { coarsestSize: 8 }))) expect(q).toBeLessThanOrEqual(7);
    // The 9-point tube (cross diffusion): 5 points a row below the fine level, 9 with Galerkin products.
    const t = backwardEulerSystem(sgOperator(tubeSpec(12, 40, 0.05, 0.1)), 0.01, [0.2, 2], 0.4).A;
    const st = { shape: [12, 40], periodic: [false, true] };
    for (const q of perRow(new Multigrid(t, st, { coarsestSize: 16 }))) expect(q).toBeLessThanOrEqual(5);
    for (const q of perRow(new Multigrid(t, st, { coarsestSize: 16, coarseOperator: 'galerkin' }))) expect(q).toBeGreaterThan(5);
  });

  it('collapse: the row action on every linear function and the row sums are unchanged, only axis neighbours remain', () => {
    // A random 9-point matrix on 7 × 6 cells, the second axis periodic.
    const [n0, n1] = [7, 6];
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    for (let i1 = 0; i1 < n1; i1++)
      for (let i0 = 0; i0 < n0; i0++)
        for (let d1 = -1; d1 <= 1; d1++)
          for (let d0 = -1; d0 <= 1; d0++) {
            const j0 = i0 + d0;
            if (j0 < 0 || j0 >= n0) continue;
            rows.push(i0 + n0 * i1);
            cols.push(j0 + n0 * ((i1 + d1 + n1) % n1));
            vals.push(d0 === 0 && d1 === 0 ? 5 : rnd());
          }
    const G = csrFromTriplets(n0 * n1, Int32Array.from(rows), Int32Array.from(cols), Float64Array.from(vals));
    const C = collapse(G, [n0, n1, 1], [false, true, false]);
    const apply = (A: typeof G, f: (i0: number, i1: number) => number, i: number) => {
      let s = 0;
      for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) s += A.values[k] * f(A.colIdx[k] % n0, Math.floor(A.colIdx[k] / n0));
      return s;
    };
    for (let i = 0; i < G.n; i++) {
      const i1 = Math.floor(i / n0);
      // Linear along the wall-bounded axis 0 everywhere; along the periodic axis 1, linear on rows whose neighbours do not wrap.
      expect(apply(C, () => 1, i)).toBeCloseTo(apply(G, () => 1, i), 13);
      expect(apply(C, (a) => 0.3 + 2 * a, i)).toBeCloseTo(apply(G, (a) => 0.3 + 2 * a, i), 12);
      if (i1 > 0 && i1 < n1 - 1) expect(apply(C, (a, b) => a - 3 * b, i)).toBeCloseTo(apply(G, (a, b) => a - 3 * b, i), 12);
      for (let k = C.rowPtr[i]; k < C.rowPtr[i + 1]; k++) {
        const j = C.colIdx[k];
        const d0 = (j % n0) - (i % n0);
        const d1 = (((Math.floor(j / n0) - i1 + n1 + 1) % n1) - 1);
        expect(d0 === 0 || d1 === 0).toBe(true);
      }
    }
    // Refresh form: new values on the same pattern.
    const G2 = { ...G, values: G.values.map((v) => 2 * v) };
    const C2 = collapse(G2, [n0, n1, 1], [false, true, false], { ...C, values: new Float64Array(C.values.length) });
    for (let k = 0; k < C.values.length; k++) expect(C2.values[k]).toBeCloseTo(2 * C.values[k], 13);
  });

  it('rejects a structure that does not match the matrix', () => {
    const op = sgOperator(valleySpec(4, 4));
    expect(() => new Multigrid(op.K, { shape: [4, 5], periodic: [false, false] })).toThrow(InputError);
  });
});

describe('iteration counts stay bounded under refinement', () => {
  it('2D valley 32², 64², 128², 256² (BE dt = 0.01, tol 1e-10)', () => {
    const its: number[] = [];
    for (const N of [32, 64, 128, 256]) {
      const op = sgOperator(valleySpec(N, N));
      const sys = backwardEulerSystem(op, 0.01, [0.5, 0.3], 0.2);
      const mg = new Multigrid(sys.A, { shape: [N, N], periodic: [false, false] }, { coarsestSize: 64 });
      const x = sys.rho.slice();
      const info = new BiCgStab(sys.A, { tol: 1e-10, preconditioner: mg }).solve(sys.b, x);
      expect(info.residual).toBeLessThanOrEqual(1e-10);
      its.push(info.iterations);
      console.log(`mg-bicgstab valley ${N}²: ${info.iterations} iterations, levels ${mg.describe().map((l) => l.shape.slice(0, 2).join('×')).join(' → ')}`);
    }
    expect(Math.max(...its)).toBeLessThanOrEqual(6);
    expect(its[3]).toBeLessThanOrEqual(its[0] + 2);
  });
  it('2D periodic tube with cross terms 16×64, 32×128, 64×256', () => {
    const its: number[] = [];
    for (const N of [16, 32, 64]) {
      const op = sgOperator(tubeSpec(N, 4 * N, 0.05, 0.1));
      const sys = backwardEulerSystem(op, 0.01, [0, 2], 0.4);
      const mg = new Multigrid(sys.A, { shape: [N, 4 * N], periodic: [false, true] }, { coarsestSize: 64 });
      const x = new Float64Array(op.n);
      const info = new BiCgStab(sys.A, { tol: 1e-10, preconditioner: mg }).solve(sys.b, x);
      its.push(info.iterations);
      console.log(`mg-bicgstab tube ${N}×${4 * N}: ${info.iterations} iterations`);
    }
    expect(Math.max(...its)).toBeLessThanOrEqual(8);
    expect(its[2]).toBeLessThanOrEqual(its[0] + 2);
  });
  it('3D valley 8³, 16³, 32³', () => {
    const its: number[] = [];
    for (const N of [8, 16, 32]) {
      const op = sgOperator(valley3dSpec(N, N, N));
      const sys = backwardEulerSystem(op, 0.01, [0.5, 0.2, 0], 0.3);
      const mg = new Multigrid(sys.A, { shape: [N, N, N], periodic: [false, false, false] }, { coarsestSize: 64 });
      const x = new Float64Array(op.n);
      const info = new BiCgStab(sys.A, { tol: 1e-10, preconditioner: mg }).solve(sys.b, x);
      its.push(info.iterations);
      console.log(`mg-bicgstab valley3d ${N}³: ${info.iterations} iterations`);
    }
    expect(Math.max(...its)).toBeLessThanOrEqual(7);
    expect(its[2]).toBeLessThanOrEqual(its[0] + 3);
  });
});

describe("the default 'mg-bicgstab' (cycles first, BiCGSTAB when a cycle contracts poorly)", () => {
  it('2D valley 64², 128², 256² and 3D valley 16³, 32³: bounded cycle counts, solution checked against the CSR residual', () => {
    const run = (op: ReturnType<typeof sgOperator>, structure: { shape: number[]; periodic: boolean[] }, mean: number[]) => {
      const sys = backwardEulerSystem(op, 0.01, mean, 0.25);
      const s = makeSolver(sys.A, { method: 'mg-bicgstab', structure, tol: 1e-10 });
      const x = sys.rho.slice();
      const info = s.solve(sys.b, x);
      expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-10);
      return info.iterations;
    };
    const its2 = [64, 128, 256].map((N) => run(sgOperator(valleySpec(N, N)), { shape: [N, N], periodic: [false, false] }, [0.5, 0.3]));
    const its3 = [16, 32].map((N) => run(sgOperator(valley3dSpec(N, N, N)), { shape: [N, N, N], periodic: [false, false, false] }, [0.5, 0.2, 0]));
    console.log(`mg-bicgstab (cycles first): valley 64², 128², 256²: ${its2.join(', ')} iterations; valley3d 16³, 32³: ${its3.join(', ')}`);
    expect(Math.max(...its2, ...its3)).toBeLessThanOrEqual(12);
    expect(its2[2]).toBeLessThanOrEqual(its2[0] + 3);
    expect(its3[1]).toBeLessThanOrEqual(its3[0] + 3);
  });
});
