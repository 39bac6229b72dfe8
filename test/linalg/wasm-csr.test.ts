/**
 * The WebAssembly CSR kernels (src/linalg/wasm-csr.ts) against the JavaScript loops they replace, bit for bit:
 * Gauss–Seidel sweeps (forward from x, forward from 0, backward), mat-vec, residual, residual + restriction
 * (full and upper part, three aggregations) and its norm, on matrices whose rows reach two cells (so the level is
 * not structured); a multigrid solve with and without them; and the committed binary against the assembly of
 * csr-kernels.wat.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { csrFromTriplets, diagonalPositions } from '../../src/linalg/csr.js';
import { Multigrid } from '../../src/linalg/multigrid.js';
import { StencilMatrix } from '../../src/linalg/stencil.js';
import type { Csr } from '../../src/linalg/types.js';
import { wasmCsrAvailable } from '../../src/linalg/wasm-csr.js';

type Shape3 = [number, number, number];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A diagonally dominant matrix on a grid whose rows reach ±1 along axis 0 and ±1, ±2 along axes 1 and 2 (QUICK-like), random values. */
function wideMatrix(shape: Shape3, seed: number): Csr {
  const [n0, n1, n2] = shape;
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  const offsets: [number, number, number][] = [[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, -2, 0], [0, 2, 0], [0, 0, -1], [0, 0, 1], [0, 0, -2], [0, 0, 2], [1, 1, 0], [-1, 0, 1]];
  for (let i2 = 0; i2 < n2; i2++)
    for (let i1 = 0; i1 < n1; i1++)
      for (let i0 = 0; i0 < n0; i0++) {
        const c = i0 + n0 * (i1 + n1 * i2);
        let off = 0;
        for (const [d0, d1, d2] of offsets) {
          const j0 = i0 + d0;
          const j1 = i1 + d1;
          const j2 = i2 + d2;
          if (j0 < 0 || j0 >= n0 || j1 < 0 || j1 >= n1 || j2 < 0 || j2 >= n2) continue;
          const v = -rnd() - 0.05 + (rnd() < 0.1 ? 0.3 : 0);
          rows.push(c);
          cols.push(j0 + n0 * (j1 + n1 * j2));
          vals.push(v);
          off += Math.abs(v);
        }
        rows.push(c);
        cols.push(c);
        vals.push(off * (1.1 + rnd()));
      }
  return csrFromTriplets(n0 * n1 * n2, Int32Array.from(rows), Int32Array.from(cols), Float64Array.from(vals));
}

/** The JavaScript and the WebAssembly kernels of A, sharing 1/a_ii (`inv`, as a multigrid level shares it). */
function pair(A: Csr, shape: Shape3): { js: StencilMatrix; wasm: StencilMatrix; inv: Float64Array } {
  const dp = diagonalPositions(A);
  const inv = Float64Array.from({ length: A.n }, (_, i) => 1 / A.values[dp[i]]);
  return { js: new StencilMatrix(A, shape, dp, inv, { wasm: false }), wasm: new StencilMatrix(A, shape, dp, inv), inv };
}

const vec = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const bits = (v: Float64Array) => Array.from(v);

afterEach(() => {
  delete process.env['GAMMAFP_WASM'];
});

describe('WebAssembly CSR kernels', () => {
  it('run on this host, and only on levels that are not structured', () => {
    expect(wasmCsrAvailable()).toBe(true);
    const shape: Shape3 = [5, 6, 7];
    const { js, wasm } = pair(wideMatrix(shape, 1), shape);
    expect(js.structured).toBe(false);
    expect(js.usesWasm).toBe(false);
    expect(wasm.usesWasm).toBe(true);
    process.env['GAMMAFP_WASM'] = '0';
    expect(pair(wideMatrix(shape, 1), shape).wasm.usesWasm).toBe(false);
  });

  const shapes: Shape3[] = [[5, 6, 7], [9, 8, 1], [4, 11, 6]];
  for (const shape of shapes) {
    it(`give the JavaScript loops' bits on ${shape.join('×')}: sweeps, mat-vec, residual, restriction`, () => {
      const A = wideMatrix(shape, 7 + shape[0]);
      const { js, wasm } = pair(A, shape);
      expect(wasm.usesWasm).toBe(true);
      const n = A.n;
      const b = vec(n, (i) => Math.cos(0.37 * i) + 0.2);
      const x0 = vec(n, (i) => Math.sin(0.71 * i) - 0.1);
      // Sweeps: forward from x, forward from 0 (lower part only), backward; three in a row so errors would compound.
      for (const run of [
        (S: StencilMatrix, x: Float64Array) => S.gsForward(b, x, false),
        (S: StencilMatrix, x: Float64Array) => S.gsForward(b, x, true),
        (S: StencilMatrix, x: Float64Array) => S.gsBackward(b, x),
      ]) {
        const xj = Float64Array.from(x0);
        const xw = Float64Array.from(x0);
        for (let k = 0; k < 3; k++) {
          run(js, xj);
          run(wasm, xw);
        }
        expect(bits(xw)).toEqual(bits(xj));
        expect(xw.some((v, i) => v !== x0[i])).toBe(true);
      }
      const yj = new Float64Array(n);
      const yw = new Float64Array(n);
      js.matVec(x0, yj);
      wasm.matVec(x0, yw);
      expect(bits(yw)).toEqual(bits(yj));
      js.residual(b, x0, yj);
      wasm.residual(b, x0, yw);
      expect(bits(yw)).toEqual(bits(yj));
      // Restriction onto aggregates of 2 along the axes with ≥ 2 cells, or only some of them.
      for (const f of [[2, 2, 2], [1, 2, 1], [2, 1, 2]] as Shape3[]) {
        const factors = shape.map((m, a) => (m > 1 ? f[a] : 1)) as Shape3;
        const coarse = shape.map((m, a) => Math.ceil(m / factors[a])) as Shape3;
        js.setRestriction(factors, coarse);
        wasm.setRestriction(factors, coarse);
        const nc = coarse[0] * coarse[1] * coarse[2];
        for (const upper of [false, true]) {
          const cj = new Float64Array(nc).fill(9);
          const cw = new Float64Array(nc).fill(9);
          js.residualRestrict(b, x0, cj, upper);
          wasm.residualRestrict(b, x0, cw, upper);
          expect(bits(cw)).toEqual(bits(cj));
        }
        const cj = new Float64Array(nc);
        const cw = new Float64Array(nc);
        const nj = js.residualRestrictNorm(b, x0, cj);
        const nw = wasm.residualRestrictNorm(b, x0, cw);
        expect(bits(cw)).toEqual(bits(cj));
        expect(nw).toBe(nj);
        expect(nw).toBeGreaterThan(0);
      }
      // A partial line range stays on the JavaScript loops (and is therefore the same).
      const xj = Float64Array.from(x0);
      const xw = Float64Array.from(x0);
      js.gsForward(b, xj, false, 1, 3);
      wasm.gsForward(b, xw, false, 1, 3);
      expect(bits(xw)).toEqual(bits(xj));
    });
  }

  it('new values on the same pattern reach the WebAssembly copy (setMatrix)', () => {
    const shape: Shape3 = [5, 6, 7];
    const A = wideMatrix(shape, 3);
    const { js, wasm, inv } = pair(A, shape);
    const B: Csr = { ...A, values: A.values.map((v, k) => v * (1 + 0.01 * (k % 5))) };
    const dp = diagonalPositions(B);
    // 1/a_ii is written in place before setMatrix, as the multigrid does.
    for (let i = 0; i < B.n; i++) inv[i] = 1 / B.values[dp[i]];
    js.setMatrix(B);
    wasm.setMatrix(B);
    const b = vec(B.n, (i) => 1 + 0.1 * Math.sin(i));
    const xj = new Float64Array(B.n);
    const xw = new Float64Array(B.n);
    js.gsBackward(b, xj);
    wasm.gsBackward(b, xw);
    expect(bits(xw)).toEqual(bits(xj));
  });

  it('a multigrid solve gives the same iterates with and without them', () => {
    const shape: Shape3 = [12, 16, 18];
    const A = wideMatrix(shape, 11);
    const structure = { shape: [...shape], periodic: [false, false, false] };
    const withWasm = new Multigrid(A, structure);
    process.env['GAMMAFP_WASM'] = '0';
    const without = new Multigrid(A, structure);
    delete process.env['GAMMAFP_WASM'];
    expect(withWasm.operator.usesWasm).toBe(true);
    expect(without.operator.usesWasm).toBe(false);
    const b = vec(A.n, (i) => Math.exp(-((i % 97) / 40)));
    const xa = new Float64Array(A.n);
    const xb = new Float64Array(A.n);
    let ra = 0;
    let rb = 0;
    for (let k = 0; k < 6; k++) {
      ra = withWasm.iterate(b, xa, 0);
      rb = without.iterate(b, xb, 0);
    }
    expect(ra).toBe(rb);
    expect(bits(xa)).toEqual(bits(xb));
    expect(ra).toBeLessThan(1e-2 * Math.sqrt(b.reduce((t, v) => t + v * v, 0)));
  });

  it('the committed binary is the assembly of csr-kernels.wat', async () => {
    const build = (await import(pathToFileURL(join(ROOT, 'scripts/build-wasm.mjs')).href)) as { assemble(): Promise<string>; source(b64: string): string };
    const committed = readFileSync(join(ROOT, 'src/linalg/wasm/csr-kernels-binary.ts'), 'utf8');
    expect(committed).toBe(build.source(await build.assemble()));
  });
});
