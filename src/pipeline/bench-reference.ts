/**
 * The bench's same-run references: figures from hosts and hours that drift by large factors mean something only
 * as ratios to a yardstick measured beside them.
 *
 * * Always: a fixed plain-JavaScript CSR mat-vec y = A·x on the 256² valley's backward-Euler matrix
 *   A = M − dt·K (dt = 0.01, M = diag(cell volumes)), written here and never optimised with the solver's kernels,
 *   so that its time measures the host and not the code: the median over batches of the time per product.
 * * When `python3` with SciPy is importable: SciPy's SuperLU (`splu`, COLAMD ordering) on the same A, exported
 *   as raw CSR arrays and a JSON header to a temporary folder and read by bench/superlu-reference.py — factor
 *   (median of three), then 20 backward-Euler solves x ← A⁻¹(M·x), median per solve. Without Python or SciPy the
 *   reference is skipped with one line; nothing else of gammafp uses Python. A result whose residual or mass
 *   drift shows it did not solve the exported system is refused (skipped, with the numbers).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Csr } from '../linalg/types.js';

/** The JS mat-vec yardstick: ms per product (median over batches) and each batch's figure. */
export interface JsMatVecReference {
  matrix: string;
  n: number;
  nnz: number;
  ms: number;
  batchMs: number[];
  productsPerBatch: number;
}

/** SciPy SuperLU on the same matrix: medians and every measured time, in ms. */
export interface SuperLuReference {
  python: string;
  scipy: string;
  permcSpec: string;
  fill: number;
  factorMs: number;
  solveMs: number;
  matVecMs: number;
  factorRunsMs: number[];
  solveRunsMs: number[];
  maxRelResidual: number;
  /** |Σ M·x after the steps − Σ M·x₀| / Σ M·x₀: the exported system conserves mass (zero column sums of K). */
  massDrift: number;
}

const median = (a: number[]) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

/**
 * y = A·x in plain JavaScript, the textbook CSR loop. Deliberately its own copy (not linalg/csr.ts `matVec`):
 * the yardstick must not move when the solver's kernels are made faster.
 */
function plainCsrMatVec(A: Csr, x: Float64Array, y: Float64Array): void {
  const { n, rowPtr, colIdx, values } = A;
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = rowPtr[r]; k < rowPtr[r + 1]; k++) s += values[k] * x[colIdx[k]];
    y[r] = s;
  }
}

/** Median ms per product of the plain-JS CSR mat-vec on A: `batches` batches of `perBatch` products after a warm-up. */
export function jsMatVecReference(A: Csr, matrix: string, batches = 15, perBatch = 20): JsMatVecReference {
  const x = new Float64Array(A.n);
  for (let i = 0; i < A.n; i++) x[i] = 1 + ((i * 7919) % 13) / 13;
  const y = new Float64Array(A.n);
  for (let i = 0; i < 3 * perBatch; i++) plainCsrMatVec(A, x, y);
  const batchMs: number[] = [];
  let sink = 0;
  for (let b = 0; b < batches; b++) {
    const t = performance.now();
    for (let i = 0; i < perBatch; i++) plainCsrMatVec(A, x, y);
    batchMs.push((performance.now() - t) / perBatch);
    sink += y[b % A.n];
  }
  if (!Number.isFinite(sink)) batchMs.push(NaN); // keeps the products observable to the compiler
  return { matrix, n: A.n, nnz: A.values.length, ms: median(batchMs), batchMs, productsPerBatch: perBatch };
}

/** bench/superlu-reference.py, from src/pipeline (tsx, vitest) or dist/src/pipeline (compiled). */
function referenceScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of [['..', '..'], ['..', '..', '..']]) {
    const p = join(here, ...up, 'bench', 'superlu-reference.py');
    if (existsSync(p)) return p;
  }
  return null;
}

/** Outcome of the SciPy reference: its figures, or why it was skipped (one line). */
export type SuperLuOutcome = { ok: true; result: SuperLuReference } | { ok: false; skipped: string };

/**
 * Exports A (CSR, int32/float64 little-endian), the mass diagonal and x₀ to a fresh temporary folder, runs the
 * SciPy script on it with one BLAS thread (our solver uses one core), and removes the folder. `python`: the
 * interpreter to start (tests name a missing one to take the skip path).
 */
export function superLuReference(A: Csr, mass: Float64Array, x0: Float64Array, steps = 20, python = 'python3'): SuperLuOutcome {
  const script = referenceScript();
  if (!script) return { ok: false, skipped: 'bench/superlu-reference.py not found' };
  const dir = mkdtempSync(join(tmpdir(), 'gammafp-superlu-'));
  try {
    const files = { rowPtr: 'rowPtr.i32', colIdx: 'colIdx.i32', values: 'values.f64', mass: 'mass.f64', x0: 'x0.f64' };
    const raw = (a: Int32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, files.rowPtr), raw(A.rowPtr));
    writeFileSync(join(dir, files.colIdx), raw(A.colIdx));
    writeFileSync(join(dir, files.values), raw(A.values));
    writeFileSync(join(dir, files.mass), raw(mass));
    writeFileSync(join(dir, files.x0), raw(x0));
    writeFileSync(join(dir, 'header.json'), JSON.stringify({ n: A.n, nnz: A.values.length, endian: 'little', files, steps, factorRepeats: 3, matVecRepeats: 50 }));
    const one = '1';
    const r = spawnSync(python, [script, dir], {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: one, OPENBLAS_NUM_THREADS: one, MKL_NUM_THREADS: one },
      maxBuffer: 1 << 24,
      timeout: 600_000,
    });
    if (r.error) return { ok: false, skipped: (r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'python3/scipy not found' : `python3 failed to start (${r.error.message})` };
    let out: Record<string, unknown>;
    try {
      out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
    } catch {
      return { ok: false, skipped: `the SciPy script exited with code ${r.status} without a result (${(r.stderr || '').trim().split('\n').pop() ?? ''})` };
    }
    if (typeof out.skipped === 'string') return { ok: false, skipped: 'python3/scipy not found' };
    if (typeof out.error === 'string') return { ok: false, skipped: `the SciPy script failed: ${out.error}` };
    const factorRunsMs = out.factorMs as number[];
    const solveRunsMs = out.solveMs as number[];
    let m0 = 0;
    for (let i = 0; i < mass.length; i++) m0 += mass[i] * x0[i];
    const residual = out.maxRelResidual as number;
    const massDrift = Math.abs((out.massEnd as number) - m0) / m0;
    if (!(residual <= 1e-8 && massDrift <= 1e-10)) {
      return { ok: false, skipped: `SciPy's result is not a solve of the exported system (relative residual ${residual}, mass drift ${massDrift})` };
    }
    return {
      ok: true,
      result: {
        python: String(out.python),
        scipy: String(out.scipy),
        permcSpec: String(out.permcSpec),
        fill: out.fill as number,
        factorMs: median(factorRunsMs),
        solveMs: median(solveRunsMs),
        matVecMs: median(out.matVecMs as number[]),
        factorRunsMs,
        solveRunsMs,
        maxRelResidual: residual,
        massDrift,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
