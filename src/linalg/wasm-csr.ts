/**
 * WebAssembly CSR kernels for the levels `StencilMatrix` cannot run on constant offsets (rows reaching beyond
 * the nearest neighbours: the fine level of a surface tube with the QUICK flux along Γ, its Galerkin coarse
 * levels). There the JavaScript loops load a column index, bounds-check it and load x for every entry; the same
 * loops compiled to WebAssembly (wasm/csr-kernels.wat) run a Gauss–Seidel sweep of scalar-net's 99 008-row,
 * 20-entry matrix in 1.6 ms against 4.5 ms, copies in and out included. The arithmetic is the JavaScript
 * loops', operation by operation, so the results are the same bits (test/linalg/wasm-csr.test.ts).
 *
 * The matrix (rowPtr, colIdx, values, diagonal positions, 1/a_ii) is copied into a memory of its own when the
 * level is built and again when its values change (`setValues`); each call copies its vectors in and its result
 * out (≈ 10 % of a sweep's traffic at 20 entries a row). Only whole-level calls run here. `GAMMAFP_WASM=0`
 * (or a host without WebAssembly, or a matrix past 2 GB) leaves every level on the JavaScript loops.
 */
import { CSR_KERNELS_WASM_BASE64 } from './wasm/csr-kernels-binary.js';
import type { Csr } from './types.js';

/** The part of the WebAssembly JS API used here (the DOM library that types it is not in this build). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
};

interface Exports {
  gs(c0: number, c1: number, dir: number, lowerOnly: number, rp: number, ci: number, va: number, dp: number, inv: number, b: number, x: number): void;
  matvec(n: number, rp: number, ci: number, va: number, x: number, y: number): void;
  residual(n: number, rp: number, ci: number, va: number, b: number, x: number, r: number): void;
  resrestrict(nLines: number, n0: number, n1: number, f0: number, f1: number, f2: number, cc0: number, cc1: number, upper: number, rp: number, ci: number, va: number, dp: number, b: number, x: number, bc: number): number;
}

let compiled: object | null | undefined;

/** The compiled module (once per thread), or null when this host cannot run it. */
function kernelsModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(Buffer.from(CSR_KERNELS_WASM_BASE64, 'base64'));
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Whether the WebAssembly kernels are on (`GAMMAFP_WASM=0` turns them off) and this host runs them. */
export function wasmCsrAvailable(): boolean {
  return process.env['GAMMAFP_WASM'] !== '0' && kernelsModule() !== null;
}

/** Byte offsets of the copied arrays in the memory. */
interface Layout {
  rp: number;
  ci: number;
  dp: number;
  va: number;
  inv: number;
  b: number;
  x: number;
  y: number;
  bc: number;
  bytes: number;
}

function layout(n: number, nnz: number): Layout {
  let at = 0;
  const take = (bytes: number) => {
    const o = at;
    at += Math.ceil(bytes / 8) * 8;
    return o;
  };
  const rp = take(4 * (n + 1));
  const ci = take(4 * nnz);
  const dp = take(4 * n);
  const va = take(8 * nnz);
  const inv = take(8 * n);
  const b = take(8 * n);
  const x = take(8 * n);
  const y = take(8 * n);
  const bc = take(8 * n);
  return { rp, ci, dp, va, inv, b, x, y, bc, bytes: at };
}

/** Aggregation of `residualRestrict`: shifts (factor 2 → 1) per axis and the coarse shape. */
export interface WasmRestriction {
  shifts: readonly [number, number, number];
  coarse: readonly [number, number, number];
}

/** One CSR matrix in WebAssembly memory with its kernels. */
export class WasmCsr {
  private readonly k: Exports;
  private readonly L: Layout;
  private readonly n: number;
  private readonly va: Float64Array;
  private readonly inv: Float64Array;
  private readonly rpW: Int32Array;
  private readonly ciW: Int32Array;
  private readonly dpW: Int32Array;
  private readonly bW: Float64Array;
  private readonly xW: Float64Array;
  private readonly yW: Float64Array;
  private readonly bcW: Float64Array;

  /** The kernels for A (1/a_ii in `invDiag`, diagonal positions `diagPos`), or null when they are off or A does not fit. */
  static create(A: Csr, invDiag: Float64Array, diagPos: Int32Array): WasmCsr | null {
    if (!wasmCsrAvailable()) return null;
    const L = layout(A.n, A.values.length);
    if (L.bytes >= 2 ** 31) return null;
    try {
      const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(L.bytes / 65536)) });
      const instance = new WebAssembly.Instance(kernelsModule()!, { env: { mem: memory } });
      return new WasmCsr(A, invDiag, diagPos, memory, instance.exports as unknown as Exports, L);
    } catch {
      return null;
    }
  }

  private constructor(A: Csr, invDiag: Float64Array, diagPos: Int32Array, memory: WasmMemory, k: Exports, L: Layout) {
    const n = A.n;
    const nnz = A.values.length;
    const buf = memory.buffer;
    this.k = k;
    this.L = L;
    this.n = n;
    this.rpW = new Int32Array(buf, L.rp, n + 1);
    this.ciW = new Int32Array(buf, L.ci, nnz);
    this.dpW = new Int32Array(buf, L.dp, n);
    this.va = new Float64Array(buf, L.va, nnz);
    this.inv = new Float64Array(buf, L.inv, n);
    this.bW = new Float64Array(buf, L.b, n);
    this.xW = new Float64Array(buf, L.x, n);
    this.yW = new Float64Array(buf, L.y, n);
    this.bcW = new Float64Array(buf, L.bc, n);
    this.setValues(A, invDiag, diagPos);
  }

  /** Copies A (same order and entry count as at creation) and 1/a_ii in again. */
  setValues(A: Csr, invDiag: Float64Array, diagPos: Int32Array): void {
    this.rpW.set(A.rowPtr);
    this.ciW.set(A.colIdx);
    this.dpW.set(diagPos);
    this.va.set(A.values);
    this.inv.set(invDiag);
  }

  /** A Gauss–Seidel sweep over every row, ascending (dir 1) or descending (−1); lowerOnly: x is 0 on entry (forward). */
  gs(b: Float64Array, x: Float64Array, dir: 1 | -1, lowerOnly: boolean): void {
    const L = this.L;
    this.bW.set(b);
    if (!lowerOnly) this.xW.set(x);
    this.k.gs(0, this.n, dir, lowerOnly ? 1 : 0, L.rp, L.ci, L.va, L.dp, L.inv, L.b, L.x);
    x.set(this.xW);
  }

  /** y = A x. */
  matVec(x: Float64Array, y: Float64Array): void {
    const L = this.L;
    this.xW.set(x);
    this.k.matvec(this.n, L.rp, L.ci, L.va, L.x, L.y);
    y.set(this.yW);
  }

  /** r = b − A x. */
  residual(b: Float64Array, x: Float64Array, r: Float64Array): void {
    const L = this.L;
    this.bW.set(b);
    this.xW.set(x);
    this.k.residual(this.n, L.rp, L.ci, L.va, L.b, L.x, L.y);
    r.set(this.yW);
  }

  /**
   * bc = R(b − A x) on the aggregates of `agg` (lines of n0 cells, ℓ = i1 + n1·i2; upper: r_i = −Σ_{j>i} a_ij x_j),
   * bc zeroed first; returns Σ r_i² in the order of the cells.
   */
  residualRestrict(b: Float64Array, x: Float64Array, bc: Float64Array, upper: boolean, shape: readonly [number, number, number], agg: WasmRestriction): number {
    const L = this.L;
    if (!upper) this.bW.set(b);
    this.xW.set(x);
    const nc = bc.length;
    this.bcW.fill(0, 0, nc);
    const [f0, f1, f2] = agg.shifts;
    const ss = this.k.resrestrict(shape[1] * shape[2], shape[0], shape[1], f0, f1, f2, agg.coarse[0], agg.coarse[1], upper ? 1 : 0, L.rp, L.ci, L.va, L.dp, L.b, L.x, L.bc);
    bc.set(this.bcW.subarray(0, nc));
    return ss;
  }
}
