import { describe, expect, it } from 'vitest';
import { csrFromTriplets, diagonalPositions, matVec, shiftedMatrix } from '../../src/linalg/csr.js';
import { StencilMatrix } from '../../src/linalg/stencil.js';
import type { Csr } from '../../src/linalg/types.js';
import { maxRelDiff } from '../support/assertions.js';
import { sgOperator, tubeSpec, valley3dSpec, valleySpec } from './sg-operator.js';

type Shape3 = [number, number, number];

/** Plain CSR Gauss–Seidel sweep (the reference the stencil kernels must reproduce). */
function csrSweep(A: Csr, b: Float64Array, x: Float64Array, forward: boolean): void {
  const n = A.n;
  for (let t = 0; t < n; t++) {
    const i = forward ? t : n - 1 - t;
    let s = b[i];
    let d = 0;
    for (let k = A.rowPtr[i]; k < A.rowPtr[i + 1]; k++) {
      if (A.colIdx[k] === i) d = A.values[k];
      else s -= A.values[k] * x[A.colIdx[k]];
    }
    x[i] = s / d;
  }
}


function parts(A: Csr): { dp: Int32Array; inv: Float64Array } {
  const dp = diagonalPositions(A);
  const inv = new Float64Array(A.n);
  for (let i = 0; i < A.n; i++) inv[i] = 1 / A.values[dp[i]];
  return { dp, inv };
}

function setup(A: Csr, shape: Shape3): StencilMatrix {
  const { dp, inv } = parts(A);
  return new StencilMatrix(A, shape, dp, inv);
}

const vec = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));

const cases: [string, Csr, Shape3][] = [
  ['2D walls 5-point 13×11', shiftedMatrix(sgOperator(valleySpec(13, 11)).K, sgOperator(valleySpec(13, 11)).volumes, 0.01), [13, 11, 1]],
  ['2D periodic along, 9-point', (() => { const o = sgOperator(tubeSpec(9, 16, 0.05, 0.1)); return shiftedMatrix(o.K, o.volumes, 0.02); })(), [9, 16, 1]],
  ['3D periodic x, 19-point', (() => { const o = sgOperator(valley3dSpec(7, 6, 5, 0.05, 0.05, true)); return shiftedMatrix(o.K, o.volumes, 0.01); })(), [7, 6, 5]],
  ['3D walls, 19-point', (() => { const o = sgOperator(valley3dSpec(8, 6, 5, 0.05, 0.05)); return shiftedMatrix(o.K, o.volumes, 0.01); })(), [8, 6, 5]],
  ['3D walls 7-point, thin axis', (() => { const o = sgOperator(valley3dSpec(6, 2, 5)); return shiftedMatrix(o.K, o.volumes, 0.01); })(), [6, 2, 5]],
];

describe('structured stencil kernels equal the CSR loops', () => {
  for (const [name, A, shape] of cases) {
    it(name, () => {
      const S = setup(A, shape);
      const { dp, inv } = parts(A);
      // The same kernels one line at a time, to compare the default two-line sweeps with.
      const one = new StencilMatrix(A, shape, dp, inv, { pairLines: false });
      expect(S.structured).toBe(true);
      // Two lines at a time unless axis 0 wraps (the periodic x case).
      expect(S.pairLines).toBe(!name.includes('periodic x'));
      if (name === '3D walls, 19-point') expect(S.offsets.length).toBe(19);
      const n = A.n;
      const x = vec(n, (i) => Math.sin(0.7 * i) + 0.3);
      const b = vec(n, (i) => Math.cos(0.3 * i));
      // Products and residuals.
      const y = new Float64Array(n);
      const yRef = new Float64Array(n);
      S.matVec(x, y);
      matVec(A, x, yRef);
      expect(maxRelDiff(y, yRef)).toBeLessThan(1e-14);
      const r = new Float64Array(n);
      S.residual(b, x, r);
      for (let i = 0; i < n; i++) expect(r[i]).toBeCloseTo(b[i] - yRef[i], 13);
      // Sweeps (forward from x, forward from 0, backward), and line ranges equal the whole sweep.
      for (const kind of ['fwd', 'zero', 'bwd'] as const) {
        const xs = kind === 'zero' ? new Float64Array(n) : x.slice();
        const xr = xs.slice();
        const xl = xs.slice();
        if (kind === 'bwd') S.gsBackward(b, xs);
        else S.gsForward(b, xs, kind === 'zero');
        csrSweep(A, b, xr, kind !== 'bwd');
        expect(maxRelDiff(xs, xr)).toBeLessThan(1e-13);
        const L = S.lines;
        const cut = Math.floor(L / 3);
        if (kind === 'bwd') {
          S.gsBackward(b, xl, cut, L);
          S.gsBackward(b, xl, 0, cut);
        } else {
          S.gsForward(b, xl, kind === 'zero', 0, cut);
          S.gsForward(b, xl, kind === 'zero', cut, L);
        }
        expect(xl).toEqual(xs);
        // Two lines at a time (the default) is the one-line sweep to the last bit.
        const x1 = kind === 'zero' ? new Float64Array(n) : x.slice();
        if (kind === 'bwd') one.gsBackward(b, x1);
        else one.gsForward(b, x1, kind === 'zero');
        expect(x1).toEqual(xs);
      }
      // Residual + restriction onto aggregates (factor 2 on every axis with ≥ 2 cells).
      const f = shape.map((m) => (m >= 2 ? 2 : 1)) as Shape3;
      const cs = shape.map((m, a) => Math.ceil(m / f[a])) as Shape3;
      S.setRestriction(f, cs);
      const bc = new Float64Array(cs[0] * cs[1] * cs[2]);
      const ref = new Float64Array(bc.length);
      const agg = (i: number) => {
        const i0 = i % shape[0];
        const t = (i - i0) / shape[0];
        const i1 = t % shape[1];
        const i2 = (t - i1) / shape[1];
        return Math.floor(i0 / f[0]) + cs[0] * (Math.floor(i1 / f[1]) + cs[1] * Math.floor(i2 / f[2]));
      };
      S.residualRestrict(b, x, bc, false);
      for (let i = 0; i < n; i++) ref[agg(i)] += b[i] - yRef[i];
      expect(maxRelDiff(bc, ref)).toBeLessThan(1e-12);
      // Upper-only form after one forward sweep from 0: equals the full residual of that iterate.
      const x1 = new Float64Array(n);
      S.gsForward(b, x1, true);
      S.residualRestrict(b, x1, bc, true);
      const full = new Float64Array(bc.length);
      S.residualRestrict(b, x1, full, false);
      expect(maxRelDiff(bc, full)).toBeLessThan(1e-10);
      // New values on the same pattern.
      const A2: Csr = { ...A, values: A.values.map((v) => 2 * v) };
      S.setMatrix(A2);
      S.matVec(x, y);
      for (let i = 0; i < n; i++) expect(y[i]).toBeCloseTo(2 * yRef[i], 12);
    });
  }

  for (const [name, A, shape] of cases) {
    it(`${name}: kernels with bound vectors give the same bits as the ones taking them as arguments`, () => {
      const n = A.n;
      const f = shape.map((m) => (m >= 2 ? 2 : 1)) as Shape3;
      const cs = shape.map((m, a) => Math.ceil(m / f[a])) as Shape3;
      const nc = cs[0] * cs[1] * cs[2];
      const free = setup(A, shape);
      const bound = setup(A, shape);
      free.setRestriction(f, cs);
      bound.setRestriction(f, cs);
      const bB = vec(n, (i) => Math.cos(0.3 * i));
      const xB = vec(n, (i) => Math.sin(0.7 * i) + 0.3);
      const bcB = new Float64Array(nc);
      bound.bindVectors(bB, xB, bcB);
      const b = bB.slice();
      const x = xB.slice();
      const bc = new Float64Array(nc);
      const same = () => {
        expect(Array.from(xB)).toEqual(Array.from(x));
        expect(Array.from(bcB)).toEqual(Array.from(bc));
      };
      bound.gsForward(bB, xB, false);
      free.gsForward(b, x, false);
      same();
      bound.gsBackward(bB, xB);
      free.gsBackward(b, x);
      same();
      expect(bound.residualRestrictNorm(bB, xB, bcB)).toBe(free.residualRestrictNorm(b, x, bc));
      same();
      bound.residualRestrict(bB, xB, bcB, false);
      free.residualRestrict(b, x, bc, false);
      same();
      xB.fill(0);
      x.fill(0);
      bound.gsForward(bB, xB, true);
      free.gsForward(b, x, true);
      bound.residualRestrict(bB, xB, bcB, true);
      free.residualRestrict(b, x, bc, true);
      same();
      // New values keep the binding (and the bits).
      const A2: Csr = { ...A, values: A.values.map((v) => 2 * v) };
      bound.setMatrix(A2);
      free.setMatrix(A2);
      bound.gsBackward(bB, xB);
      free.gsBackward(b, x);
      same();
      // Other arrays than the bound ones take the argument kernels: the same answer.
      const x2 = x.slice();
      bound.gsBackward(b, x2);
      free.gsBackward(b, x);
      expect(Array.from(x2)).toEqual(Array.from(x));
    });
  }

  it('falls back to CSR rows when an interior row reaches beyond its neighbours', () => {
    // 1D Laplacian on 8 cells plus one long-range entry a_{3,7}.
    const rows: number[] = [];
    const cols: number[] = [];
    const vals: number[] = [];
    for (let i = 0; i < 8; i++) {
      rows.push(i);
      cols.push(i);
      vals.push(4);
      if (i > 0) rows.push(i), cols.push(i - 1), vals.push(-1);
      if (i < 7) rows.push(i), cols.push(i + 1), vals.push(-1);
    }
    rows.push(3);
    cols.push(7);
    vals.push(-0.5);
    const A = csrFromTriplets(8, rows, cols, vals);
    const S = setup(A, [8, 1, 1]);
    expect(S.structured).toBe(false);
    const x = vec(8, (i) => i + 1);
    const b = vec(8, (i) => 1 - 0.1 * i);
    const y = new Float64Array(8);
    const yRef = new Float64Array(8);
    S.matVec(x, y);
    matVec(A, x, yRef);
    expect(y).toEqual(yRef);
    const xs = x.slice();
    const xr = x.slice();
    S.gsBackward(b, xs);
    csrSweep(A, b, xr, false);
    expect(maxRelDiff(xs, xr)).toBeLessThan(1e-15);
  });
});
