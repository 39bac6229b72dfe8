/**
 * Fast kernels for a CSR matrix of a structured cell-centred grid (cell index
 * i0 + n0·(i1 + n1·i2), axis 0 fastest): the matrix is kept as CSR and, for
 * the interior cells (1 ≤ i_a ≤ n_a − 2 on every axis with n_a > 1), also
 * as one coefficient array per stencil offset (d0, d1, d2) ∈ {−1, 0, 1}³.
 * Interior rows then run with constant index offsets and no column-index
 * loads; boundary rows (walls, periodic wrap) keep the CSR loop. The loops are
 * generated as JavaScript source for the level's offset set (`new Function`,
 * as the formula compiler does), so a 5-point level pays for 5 terms and a
 * 27-point level for 27. The arithmetic is that of the CSR loops up to
 * rounding: terms may be summed in another order, and in a sweep the term of
 * the neighbour along axis 0 just updated is a_ij·(1/a_ii)·x_j, taken out of
 * the sum that is multiplied by 1/a_ii.
 *
 * If some interior row holds an entry beyond the nearest neighbours, the
 * stencil path is disabled and every row uses CSR (still correct, slower);
 * whole-level calls on such a level then run the same CSR loops compiled to
 * WebAssembly (wasm-csr.ts: the same bits, ×0.41 a sweep on scalar-net).
 *
 * Kernels: y = A x; r = b − A x; forward/backward Gauss–Seidel sweeps (the
 * lexicographic order of the CSR rows: the same sweep as a plain CSR loop);
 * and the residual b − A x summed into the aggregates of a coarse grid
 * (restriction by constant aggregation with factor 1 or 2 per axis). Sweeps
 * and the restriction can be run on a range of lines ℓ = i1 + n1·i2. The
 * sweeps take two consecutive interior lines at a time (`gsPairRun`: the same
 * arithmetic, two dependency chains in flight) unless axis 0 wraps.
 */
import type { Csr } from './types.js';
import { WasmCsr } from './wasm-csr.js';

type Vec = Float64Array;
type Shape3 = readonly [number, number, number];

export interface StencilKernels {
  /** y = A x. */
  matVec(x: Vec, y: Vec): void;
  /** r = b − A x. */
  residual(b: Vec, x: Vec, r: Vec): void;
  /**
   * Forward Gauss–Seidel sweep (rows ascending); `zero`: x is taken as 0 on entry. Optionally only
   * the lines (ℓ = i1 + n1·i2) in [la, lb).
   */
  gsForward(b: Vec, x: Vec, zero: boolean, la?: number, lb?: number): void;
  /** Backward Gauss–Seidel sweep (rows descending), optionally only the lines in [la, lb). */
  gsBackward(b: Vec, x: Vec, la?: number, lb?: number): void;
  /**
   * bc = R (b − A x) with R the aggregation onto `coarse` (set by `setRestriction`).
   * `upperOnly`: x came from one forward sweep from 0, so r_i = −Σ_{j>i} a_ij x_j. With a line
   * range [la, lb) only those lines are added (bc is zeroed only by a whole-level call).
   */
  residualRestrict(b: Vec, x: Vec, bc: Vec, upperOnly: boolean, la?: number, lb?: number): void;
  /** bc = R (b − A x) as `residualRestrict` (full residual, whole level); returns ‖b − A x‖². */
  residualRestrictNorm(b: Vec, x: Vec, bc: Vec): number;
}

/** The structured view of one level's matrix. */
export class StencilMatrix implements StencilKernels {
  readonly n: number;
  readonly shape: Shape3;
  /** Whether interior rows use the stencil path. */
  readonly structured: boolean;
  /** Number of lines (ℓ = i1 + n1·i2). */
  readonly lines: number;
  /** Offsets (d0, d1, d2) present in interior rows, the diagonal included. */
  readonly offsets: [number, number, number][];
  private A: Csr;
  private readonly diagPos: Int32Array;
  private readonly invDiag: Float64Array;
  private readonly coef: Float64Array[];
  /** All coefficient arrays, back to back (coef[q] are views of it). */
  private readonly flat: Float64Array;
  private factors: Shape3 = [1, 1, 1];
  private coarse: Shape3 = [1, 1, 1];
  private factory!: (...args: unknown[]) => StencilKernels;
  private k!: StencilKernels;
  /**
   * The same kernels with the level's own b, x and the next level's b bound as constants of the generated code
   * (`bindVectors`), used when a call passes exactly those arrays. V8 compiles loops over typed arrays it knows
   * as constants tighter than over arguments (256² valley: residual + restriction 0.222 → 0.139 ms, a two-line
   * sweep 0.152 → 0.112 ms); the arithmetic is the same.
   */
  private boundFactory: ((...args: unknown[]) => StencilKernels) | null = null;
  private kb: StencilKernels | null = null;
  private bv: { b: Vec; x: Vec; bc: Vec } | null = null;
  /** WebAssembly CSR kernels for whole-level calls of an unstructured level (wasm-csr.ts), or null. */
  private readonly wasm: WasmCsr | null;

  /**
   * Whether the sweeps run two lines at a time (`gsPairRun`): by default, unless axis 0 is periodic
   * (`opts.pairLines` false: one line at a time, to test against).
   */
  readonly pairLines: boolean;

  constructor(A: Csr, shape: Shape3, diagPos: Int32Array, invDiag: Float64Array, opts: { pairLines?: boolean; wasm?: boolean } = {}) {
    this.A = A;
    this.pairLines = (opts.pairLines ?? true) && !wrapsAxis0(A, shape[0]);
    this.n = A.n;
    this.shape = shape;
    this.diagPos = diagPos;
    this.invDiag = invDiag;
    this.lines = shape[1] * shape[2];
    const offs = interiorOffsets(A, shape);
    this.structured = offs !== null;
    this.offsets = offs ?? [];
    const m = this.offsets.length;
    const len = this.structured ? A.n : 0;
    this.flat = new Float64Array(m * len);
    this.coef = Array.from({ length: m }, (_, q) => this.flat.subarray(q * len, (q + 1) * len));
    this.fill();
    this.compile();
    this.wasm = this.structured || opts.wasm === false ? null : WasmCsr.create(A, invDiag, diagPos);
  }

  /** Whether this level's whole-level calls run the WebAssembly CSR kernels. */
  get usesWasm(): boolean {
    return this.wasm !== null;
  }

  /** New values on the same pattern (the CSR arrays may be new objects). */
  setMatrix(A: Csr): void {
    this.A = A;
    this.fill();
    this.bind();
    this.wasm?.setValues(A, this.invDiag, this.diagPos);
  }

  /** Aggregation onto a coarse grid: factor 1 or 2 per axis, coarse shape ceil(n_a / f_a). */
  setRestriction(factors: Shape3, coarse: Shape3): void {
    this.factors = factors;
    this.coarse = coarse;
    this.compile();
  }

  matVec(x: Vec, y: Vec): void {
    if (this.wasm) this.wasm.matVec(x, y);
    else this.k.matVec(x, y);
  }
  residual(b: Vec, x: Vec, r: Vec): void {
    if (this.wasm) this.wasm.residual(b, x, r);
    else this.k.residual(b, x, r);
  }
  gsForward(b: Vec, x: Vec, zero: boolean, la?: number, lb?: number): void {
    if (this.wasm && this.whole(la, lb)) this.wasm.gs(b, x, 1, zero);
    else this.kFor(b, x).gsForward(b, x, zero, la, lb);
  }
  gsBackward(b: Vec, x: Vec, la?: number, lb?: number): void {
    if (this.wasm && this.whole(la, lb)) this.wasm.gs(b, x, -1, false);
    else this.kFor(b, x).gsBackward(b, x, la, lb);
  }
  residualRestrict(b: Vec, x: Vec, bc: Vec, upperOnly: boolean, la?: number, lb?: number): void {
    if (this.wasm && this.whole(la, lb)) this.wasm.residualRestrict(b, x, bc, upperOnly, this.shape, this.aggregation());
    else this.kFor(b, x, bc).residualRestrict(b, x, bc, upperOnly, la, lb);
  }
  residualRestrictNorm(b: Vec, x: Vec, bc: Vec): number {
    if (this.wasm) return this.wasm.residualRestrict(b, x, bc, false, this.shape, this.aggregation());
    return this.kFor(b, x, bc).residualRestrictNorm(b, x, bc);
  }

  /** A line range that is the whole level (the only calls the WebAssembly kernels take). */
  private whole(la: number | undefined, lb: number | undefined): boolean {
    return (la ?? 0) === 0 && (lb ?? this.lines) === this.lines;
  }

  private aggregation(): { shifts: [number, number, number]; coarse: Shape3 } {
    const f = this.factors;
    return { shifts: [f[0] === 2 ? 1 : 0, f[1] === 2 ? 1 : 0, f[2] === 2 ? 1 : 0], coarse: this.coarse };
  }

  private fill(): void {
    if (!this.structured) return;
    const { rowPtr, colIdx, values } = this.A;
    const { shift, key } = neighbourTable(this.shape);
    // key (0..26) → coefficient array
    const slotOfKey = new Int32Array(27).fill(-1);
    this.offsets.forEach(([d0, d1, d2], q) => (slotOfKey[d0 + 1 + 3 * (d1 + 1) + 9 * (d2 + 1)] = q));
    const slot = new Int32Array(key.length);
    for (let o = 0; o < key.length; o++) slot[o] = key[o] < 0 ? -1 : slotOfKey[key[o]];
    const flat = this.flat;
    const n = this.n;
    flat.fill(0);
    forInteriorRuns(this.shape, (c0, c1) => fillRun(flat, n, slot, shift, rowPtr, colIdx, values, c0, c1));
  }

  private compile(): void {
    const src = kernelSource(this.shape, this.offsets, this.structured, this.factors, this.coarse, this.pairLines);
    this.factory = new Function('C', 'inv', 'rp', 'ci', 'va', 'dp', src) as (...args: unknown[]) => StencilKernels;
    this.boundFactory = null;
    if (this.bv) {
      const bsrc = kernelSource(this.shape, this.offsets, this.structured, this.factors, this.coarse, this.pairLines, true);
      this.boundFactory = new Function('C', 'inv', 'rp', 'ci', 'va', 'dp', 'B', 'X', 'BC', bsrc) as (...args: unknown[]) => StencilKernels;
    }
    this.bind();
  }

  private bind(): void {
    const { rowPtr, colIdx, values } = this.A;
    this.k = this.factory(this.coef, this.invDiag, rowPtr, colIdx, values, this.diagPos);
    const v = this.bv;
    this.kb = v && this.boundFactory ? this.boundFactory(this.coef, this.invDiag, rowPtr, colIdx, values, this.diagPos, v.b, v.x, v.bc) : null;
  }

  /**
   * Binds the arrays this level's sweeps and restriction are called with (a coarse level's own b and x, the
   * next level's b; the fine level's copies in the multigrid): calls with exactly these arrays run kernels that
   * hold them as constants.
   */
  bindVectors(b: Vec, x: Vec, bc: Vec): void {
    this.bv = { b, x, bc };
    this.compile();
  }

  /** The kernels for a call with b and x (and bc): the bound ones when those are the bound arrays. */
  private kFor(b: Vec, x: Vec, bc?: Vec): StencilKernels {
    const v = this.bv;
    return this.kb && v && b === v.b && x === v.x && (bc === undefined || bc === v.bc) ? this.kb : this.k;
  }
}

/**
 * Linear offsets of the 3^d nearest-neighbour stencil of an interior cell:
 * key[o + shift] = d0 + 1 + 3(d1 + 1) + 9(d2 + 1) for o = d0 + n0 (d1 + n1 d2),
 * −1 for other offsets. Unique when every axis has 1 or ≥ 3 cells (otherwise
 * there are no interior cells).
 */
function neighbourTable(shape: Shape3): { shift: number; key: Int32Array } {
  const [n0, n1, n2] = shape;
  const shift = (n2 >= 3 ? n0 * n1 : 0) + (n1 >= 3 ? n0 : 0) + 1;
  const key = new Int32Array(2 * shift + 1).fill(-1);
  for (let d2 = -1; d2 <= 1; d2++) {
    if (d2 !== 0 && n2 < 3) continue;
    for (let d1 = -1; d1 <= 1; d1++) {
      if (d1 !== 0 && n1 < 3) continue;
      for (let d0 = -1; d0 <= 1; d0++) {
        if (d0 !== 0 && n0 < 3) continue;
        key[d0 + n0 * (d1 + n1 * d2) + shift] = d0 + 1 + 3 * (d1 + 1) + 9 * (d2 + 1);
      }
    }
  }
  return { shift, key };
}

/** flat[slot·n + c] = a_c,j for the rows c in [s, e) (slot of the offset j − c). */
function fillRun(flat: Float64Array, n: number, slot: Int32Array, shift: number, rowPtr: Int32Array, colIdx: Int32Array, values: Float64Array, s: number, e: number): void {
  for (let c = s; c < e; c++) {
    const end = rowPtr[c + 1];
    for (let k = rowPtr[c]; k < end; k++) flat[slot[colIdx[k] - c + shift] * n + c] = values[k];
  }
}

/** Interior index range [lo, hi) along an axis of n cells. */
function range(n: number): [number, number] {
  return n === 1 ? [0, 1] : [1, Math.max(1, n - 1)];
}

/** Calls fn(first, end) for each run of interior cells along axis 0 (cells first … end − 1). */
function forInteriorRuns(shape: Shape3, fn: (c0: number, c1: number) => void): void {
  const [n0, n1, n2] = shape;
  const [l0, h0] = range(n0);
  const [l1, h1] = range(n1);
  const [l2, h2] = range(n2);
  for (let i2 = l2; i2 < h2; i2++) {
    for (let i1 = l1; i1 < h1; i1++) {
      const base = n0 * (i1 + n1 * i2);
      fn(base + l0, base + h0);
    }
  }
}

/**
 * Whether some entry couples cells more than one apart along axis 0 (a periodic axis 0): the wrap joins the
 * head of one line to the tail of the next, which the two-line sweep would update out of order.
 */
function wrapsAxis0(A: Csr, n0: number): boolean {
  const { rowPtr, colIdx } = A;
  for (let c = 0; c < A.n; c++) {
    const i0 = c % n0;
    for (let k = rowPtr[c]; k < rowPtr[c + 1]; k++) if (Math.abs((colIdx[k] % n0) - i0) > 1) return true;
  }
  return false;
}

/** Offsets of interior rows, or null if one of them reaches beyond the nearest neighbours. */
function interiorOffsets(A: Csr, shape: Shape3): [number, number, number][] | null {
  const { rowPtr, colIdx } = A;
  const { shift, key } = neighbourTable(shape);
  const seen = new Uint8Array(27);
  let farReach = false;
  forInteriorRuns(shape, (c0, c1) => {
    for (let c = c0; c < c1 && !farReach; c++) {
      const end = rowPtr[c + 1];
      for (let k = rowPtr[c]; k < end; k++) {
        const o = colIdx[k] - c + shift;
        const q = o >= 0 && o < key.length ? key[o] : -1;
        if (q < 0) {
          farReach = true;
          break;
        }
        seen[q] = 1;
      }
    }
  });
  if (farReach) return null;
  seen[13] = 1; // the diagonal always has an array
  const out: [number, number, number][] = [];
  // Fixed order: by linear offset (key order is the same: axis 2 slowest).
  for (let q = 0; q < 27; q++) if (seen[q]) out.push([(q % 3) - 1, (Math.floor(q / 3) % 3) - 1, Math.floor(q / 9) - 1]);
  return out;
}

/**
 * Source of the kernel factory for one level. Interior rows: constant
 * offsets; the previous (forward) or next (backward) unknown of the row is
 * carried in a register, which shortens the sweep's dependency chain.
 */
function kernelSource(shape: Shape3, offsets: [number, number, number][], structured: boolean, factors: Shape3, coarse: Shape3, pair: boolean, bound = false): string {
  const [n0, n1, n2] = shape;
  const lin = offsets.map(([a, b, c]) => a + n0 * (b + n1 * c));
  const terms = (which: (o: number) => boolean, xl: string | null, xr: string | null, c = 'c') =>
    lin
      .map((o, q) => ({ o, q }))
      .filter(({ o }) => which(o))
      .map(({ o, q }) => ` - A${q}[${c}] * ${o === -1 && xl ? xl : o === 1 && xr ? xr : `x[${c} + ${o}]`}`)
      .join('');
  const decl = lin.map((_, q) => `const A${q} = C[${q}];`).join('\n');
  const qL = lin.indexOf(-1);
  const qR = lin.indexOf(1);
  const [l0, h0] = range(n0);
  const [l1, h1] = range(n1);
  const [l2, h2] = range(n2);
  const hasL = n0 >= 3 && lin.includes(-1);
  const hasR = n0 >= 3 && lin.includes(1);
  const interior = `(i2 >= ${l2} && i2 < ${h2} && i1 >= ${l1} && i1 < ${h1})`;
  const useStencil = structured && h0 > l0;
  /**
   * Loops over the lines of cells, forward or backward, with `csr` the CSR body of a boundary cell and
   * `run` the call of the interior-run function on [base + l0, base + h0). (V8 optimises the constant-
   * offset loop better as the only loop of its function than nested in the line loop: 0.26 against
   * 0.41 ms for a 256² 5-point mat-vec.)
   */
  /** The CSR body `csr` over cells [a, b), ascending or descending. */
  const cellLoop = (fwd: boolean, csr: string) => (a: string, b: string) =>
    fwd ? `for (let c = ${a}; c < ${b}; c++) {${csr}}` : `for (let c = ${b} - 1; c >= ${a}; c--) {${csr}}`;
  const lines = (fwd: boolean, csr: string, run: string, pre = '', pair = '') => {
    const cells = cellLoop(fwd, csr);
    const inner = useStencil
      ? `if (${interior}) {
          ${pair}
          ${fwd ? cells('base', `base + ${l0}`) : cells(`base + ${h0}`, `base + ${n0}`)}
          ${run}
          ${fwd ? cells(`base + ${h0}`, `base + ${n0}`) : cells('base', `base + ${l0}`)}
        } else { ${cells('base', `base + ${n0}`)} }`
      : cells('base', `base + ${n0}`);
    // Lines ℓ = i1 + n1·i2 in [la, lb), ascending or descending.
    return `${fwd ? 'for (let l = la; l < lb; l++)' : 'for (let l = lb - 1; l >= la; l--)'} {
      const i1 = l % ${n1};
      const i2 = (l - i1) / ${n1};
      const base = ${n0} * l;
      ${pre}
      ${inner}
    }`;
  };
  const S = `base + ${l0}`;
  const E = `base + ${h0}`;
  const call = (f: string) => (a: string, e: string) => (bound ? `${f}(${a}, ${e});` : `${f}(b, x, ${a}, ${e});`);
  // Interior runs: with `bound` they read b, x and bc from the factory's constants (B, X, BC), not their arguments.
  const gsArgs = bound ? '(s, e)' : '(b, x, s, e)';
  const rrArgs = bound ? '(s, e, R, base)' : '(b, x, bc, s, e, R, base)';
  const rrCall = (f: string) => (bound ? `${f}(${S}, ${E}, R, base)` : `${f}(b, x, bc, ${S}, ${E}, R, base)`);
  /**
   * A Gauss–Seidel sweep's lines, as `lines`, but two consecutive interior lines of a plane at a time where
   * the run is long enough (`pairRun`, see gsPairRun): head cells of the first line, its first two run cells,
   * the second line's head, the pair run, the first line's tail, the second line's last two run cells, its
   * tail (mirrored backward). `single(s, e)` and `pairRun(s, e)` are calls of the run functions.
   */
  const gsLines = (fwd: boolean, csr: string, single: (s: string, e: string) => string, pairRun: (s: string, e: string) => string) => {
    if (!(pair && useStencil && h0 - l0 >= 4)) return lines(fwd, csr, single(S, E));
    const cells = cellLoop(fwd, csr);
    const paired = fwd
      ? `${cells('base', `base + ${l0}`)} ${single(`base + ${l0}`, `base + ${l0 + 2}`)} ${cells('nb', `nb + ${l0}`)}
         ${pairRun(`base + ${l0 + 2}`, `base + ${h0}`)}
         ${cells(`base + ${h0}`, `base + ${n0}`)} ${single(`nb + ${h0 - 2}`, `nb + ${h0}`)} ${cells(`nb + ${h0}`, `nb + ${n0}`)}`
      : `${cells(`base + ${h0}`, `base + ${n0}`)} ${single(`base + ${h0 - 2}`, `base + ${h0}`)} ${cells(`nb + ${h0}`, `nb + ${n0}`)}
         ${pairRun(`base + ${l0}`, `base + ${h0 - 2}`)}
         ${cells('base', `base + ${l0}`)} ${single(`nb + ${l0}`, `nb + ${l0 + 2}`)} ${cells('nb', `nb + ${l0}`)}`;
    const next = fwd ? `l + 1 < lb && i1 + 1 < ${h1}` : `l - 1 >= la && i1 - 1 >= ${l1}`;
    // Ahead of the one-line body of an interior line: the pair, when the next line is interior too.
    const pairBranch = `if (${next}) {
      const nb = base ${fwd ? '+' : '-'} ${n0};
      ${paired}
      ${fwd ? 'l++' : 'l--'};
      continue;
    }`;
    return lines(fwd, csr, single(S, E), '', pairBranch);
  };
  const csrGs = `let s = b[c]; const d = dp[c]; for (let k = rp[c]; k < d; k++) s -= va[k] * x[ci[k]];
    const e = rp[c + 1]; for (let k = d + 1; k < e; k++) s -= va[k] * x[ci[k]]; x[c] = s * inv[c];`;
  const csrGsZero = `let s = b[c]; const d = dp[c]; for (let k = rp[c]; k < d; k++) s -= va[k] * x[ci[k]]; x[c] = s * inv[c];`;
  const offDiag = (o: number) => o !== 0;
  /**
   * Interior Gauss–Seidel runs, ascending or descending. The sweep is latency-bound on the neighbour just
   * updated (kept in a register); its term comes last, pre-divided by a_ii ((a_ij·(1/a_ii))·x_j: the first
   * product does not wait), so only one multiply and one subtract wait for it. `gsCell` is one cell's update:
   * cell `c`, register `r`, result `v`.
   */
  const gsCell = (fwd: boolean, which: (o: number) => boolean, c: string, r: string, v: string) => {
    const reg = fwd ? hasL && which(-1) : hasR && which(1);
    const o = fwd ? -1 : 1;
    const tail = reg ? ` - A${fwd ? qL : qR}[${c}] * inv[${c}] * ${r}` : '';
    return `const ${v} = (b[${c}]${terms((p) => which(p) && !(reg && p === o), null, null, c)}) * inv[${c}]${tail}; x[${c}] = ${v};${reg ? ` ${r} = ${v};` : ''}`;
  };
  const gsRun = (fwd: boolean, which: (o: number) => boolean) =>
    fwd
      ? `${gsArgs} => { let xl = x[s - 1]; for (let c = s; c < e; c++) { ${gsCell(true, which, 'c', 'xl', 'v')} } }`
      : `${gsArgs} => { let xr = x[e]; for (let c = e - 1; c >= s; c--) { ${gsCell(false, which, 'c', 'xr', 'v')} } }`;
  /**
   * Two lines at once: the cells c of line ℓ over [s, e) and, two cells behind, the cells d = c ± (n0 − 2) of
   * the next line in the sweep's direction (ℓ + 1 forward, ℓ − 1 backward). The cell d needs the three cells
   * of line ℓ next to it updated (done: c is two cells ahead), and c needs those of the other line not yet
   * updated (d is two behind): the lexicographic sweep's arithmetic, cell by cell, with two independent
   * dependency chains in flight instead of one.
   */
  const gsPairRun = (fwd: boolean, which: (o: number) => boolean) =>
    fwd
      ? `${gsArgs} => { let xl = x[s - 1]; let yl = x[s + ${n0 - 3}];
          for (let c = s; c < e; c++) { ${gsCell(true, which, 'c', 'xl', 'v')} const d = c + ${n0 - 2}; ${gsCell(true, which, 'd', 'yl', 'w')} } }`
      : `${gsArgs} => { let xr = x[e]; let yr = x[e - ${n0 - 2}];
          for (let c = e - 1; c >= s; c--) { ${gsCell(false, which, 'c', 'xr', 'v')} const d = c - ${n0 - 2}; ${gsCell(false, which, 'd', 'yr', 'w')} } }`;
  const [f0, f1, f2] = factors.map((f) => (f === 2 ? 1 : 0));
  const [c0, c1] = coarse;
  // Aggregate of cell c = base + i0: R + (i0 >> f0), R the first aggregate of the line.
  const rrPre = `const R = ${c0} * ((i1 >> ${f1}) + ${c1} * (i2 >> ${f2}));`;
  const agg = f0 ? `R + ((c - base) >> 1)` : `R + (c - base)`;
  const csrRes = `let s = b[c]; const e = rp[c + 1]; for (let k = rp[c]; k < e; k++) s -= va[k] * x[ci[k]]; bc[${agg}] += s;`;
  const csrResUpper = `let s = 0; const e = rp[c + 1]; for (let k = dp[c] + 1; k < e; k++) s -= va[k] * x[ci[k]]; bc[${agg}] += s;`;
  /** Interior residual + restriction; with f0 = 2 the two cells of an aggregate are summed first (one update of bc). */
  const resRun = (upper: boolean) => {
    const which = upper ? (o: number) => o > 0 : () => true;
    const r = (c: string) => `${upper ? '0' : `b[${c}]`}${terms(which, null, null, c)}`;
    if (!f0) return `${rrArgs} => { for (let c = s; c < e; c++) bc[${agg}] += ${r('c')}; }`;
    return `${rrArgs} => {
      let c = s;
      if (((c - base) & 1) === 1) { bc[${agg}] += ${r('c')}; c++; }
      for (; c + 1 < e; c += 2) { const d = c + 1; bc[${agg}] += (${r('c')}) + (${r('d')}); }
      if (c < e) bc[${agg}] += ${r('c')};
    }`;
  };
  const csrResNorm = `let s = b[c]; const e = rp[c + 1]; for (let k = rp[c]; k < e; k++) s -= va[k] * x[ci[k]]; bc[${agg}] += s; ss += s * s;`;
  /** As resRun(false), also returning the sum of the squared residuals. */
  const resNormRun = () => {
    const r = (c: string) => `b[${c}]${terms(() => true, null, null, c)}`;
    if (!f0) return `${rrArgs} => { let ss = 0; for (let c = s; c < e; c++) { const r0 = ${r('c')}; bc[${agg}] += r0; ss += r0 * r0; } return ss; }`;
    return `${rrArgs} => {
      let ss = 0;
      let c = s;
      if (((c - base) & 1) === 1) { const r0 = ${r('c')}; bc[${agg}] += r0; ss += r0 * r0; c++; }
      for (; c + 1 < e; c += 2) { const d = c + 1; const r0 = ${r('c')}; const r1 = ${r('d')}; bc[${agg}] += r0 + r1; ss += r0 * r0 + r1 * r1; }
      if (c < e) { const r0 = ${r('c')}; bc[${agg}] += r0; ss += r0 * r0; }
      return ss;
    }`;
  };
  const csrMv = `let s = 0; const e = rp[c + 1]; for (let k = rp[c]; k < e; k++) s += va[k] * x[ci[k]]; y[c] = s;`;
  const mvRun = `(x, y, s, e) => { for (let c = s; c < e; c++) y[c] = 0${terms(() => true, null, null).replace(/ - /g, ' + ')}; }`;
  const csrR = `let s = b[c]; const e = rp[c + 1]; for (let k = rp[c]; k < e; k++) s -= va[k] * x[ci[k]]; r[c] = s;`;
  const rRun = `(b, x, r, s, e) => { for (let c = s; c < e; c++) r[c] = b[c]${terms(() => true, null, null)}; }`;
  return `"use strict";
${decl}
${bound ? 'const b = B, x = X, bc = BC;' : ''}
const mvRun = ${mvRun};
const rRun = ${rRun};
const gsFRun = ${gsRun(true, offDiag)};
const gsFZRun = ${gsRun(true, (o) => o < 0)};
const gsBRun = ${gsRun(false, offDiag)};
const gsFPair = ${gsPairRun(true, offDiag)};
const gsFZPair = ${gsPairRun(true, (o) => o < 0)};
const gsBPair = ${gsPairRun(false, offDiag)};
const rrRun = ${resRun(false)};
const rrURun = ${resRun(true)};
const rrNRun = ${resNormRun()};
const NL = ${n1 * n2};
return {
  matVec(x, y) { const la = 0, lb = NL; ${lines(true, csrMv, `mvRun(x, y, ${S}, ${E});`)} },
  residual(b, x, r) { const la = 0, lb = NL; ${lines(true, csrR, `rRun(b, x, r, ${S}, ${E});`)} },
  gsForward(b, x, zero, la = 0, lb = NL) {
    if (zero) { ${gsLines(true, csrGsZero, call('gsFZRun'), call('gsFZPair'))} }
    else { ${gsLines(true, csrGs, call('gsFRun'), call('gsFPair'))} }
  },
  gsBackward(b, x, la = 0, lb = NL) { ${gsLines(false, csrGs, call('gsBRun'), call('gsBPair'))} },
  residualRestrict(b, x, bc, upperOnly, la = 0, lb = NL) {
    if (la === 0 && lb === NL) bc.fill(0);
    if (upperOnly) { ${lines(true, csrResUpper, `${rrCall('rrURun')};`, rrPre)} }
    else { ${lines(true, csrRes, `${rrCall('rrRun')};`, rrPre)} }
  },
  residualRestrictNorm(b, x, bc) {
    const la = 0, lb = NL;
    bc.fill(0);
    let ss = 0;
    ${lines(true, csrResNorm, `ss += ${rrCall('rrNRun')};`, rrPre)}
    return ss;
  },
};`;
}
