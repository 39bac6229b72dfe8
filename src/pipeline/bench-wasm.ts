/**
 * Benchmark of the WebAssembly CSR kernels (linalg/wasm-csr.ts) against the JavaScript loops they replace, on the
 * matrix they exist for: scalar-net's fine level (the QUICK flux along the surface reaches two cells, so the level
 * runs on CSR rows), the backward-Euler matrix M − dt·K at dt = 0.002 of the shipped 56 × 68 × 26 tube. A
 * Gauss–Seidel sweep and a multigrid V-cycle of the full hierarchy, each timed in alternating rounds with the
 * kernels on and off in the same process, so the ratio is taken within a round (the host's speed drifts).
 */
import { loadCase } from '../case/schema.js';
import { diagonalPositions, shiftedMatrix } from '../linalg/csr.js';
import { Multigrid } from '../linalg/multigrid.js';
import { StencilMatrix } from '../linalg/stencil.js';
import { wasmCsrAvailable } from '../linalg/wasm-csr.js';
import { buildProblem, initialDensity } from './problem.js';

/** Times of one kernel, JavaScript against WebAssembly: medians of the rounds' fastest repetitions. */
export interface KernelPair {
  jsMs: number;
  wasmMs: number;
  /** Median over the rounds of wasm / js in each round. */
  ratio: number;
  roundRatios: number[];
}

export interface WasmBench {
  case: string;
  cells: number;
  entriesPerRow: number;
  sweep: KernelPair;
  cycle: KernelPair;
}

const ROUNDS = 5;
const REPS = 8;

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];

/** Fastest of REPS calls of f, in ms. */
function fastest(f: () => void): number {
  let best = Infinity;
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    f();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function pairOf(js: number[], wasm: number[]): KernelPair {
  const roundRatios = js.map((j, k) => wasm[k] / j);
  return { jsMs: median(js), wasmMs: median(wasm), ratio: median(roundRatios), roundRatios };
}

/** Multigrid hierarchies of A with the WebAssembly kernels off and on (the switch is read when a level is built). */
function hierarchies(A: ReturnType<typeof shiftedMatrix>, structure: { shape: number[]; periodic: boolean[] }): [Multigrid, Multigrid] {
  const before = process.env['GAMMAFP_WASM'];
  process.env['GAMMAFP_WASM'] = '0';
  const js = new Multigrid(A, structure);
  if (before === undefined) delete process.env['GAMMAFP_WASM'];
  else process.env['GAMMAFP_WASM'] = before;
  return [js, new Multigrid(A, structure)];
}

/** The benchmark, or null (with the reason logged) where the WebAssembly kernels do not run. */
export function wasmKernelBench(log: (line: string) => void): WasmBench | null {
  if (!wasmCsrAvailable()) {
    log('WebAssembly CSR kernels: skipped (off: GAMMAFP_WASM=0, or this host has no WebAssembly)');
    return null;
  }
  const problem = buildProblem(loadCase('scalar-net'));
  const A = shiftedMatrix(problem.K, problem.grid.volumes, 0.002);
  const dp = diagonalPositions(A);
  const inv = Float64Array.from({ length: A.n }, (_, i) => 1 / A.values[dp[i]]);
  const shape = [...problem.grid.shape, 1, 1].slice(0, 3) as [number, number, number];
  const sJs = new StencilMatrix(A, shape, dp, inv, { wasm: false });
  const sWasm = new StencilMatrix(A, shape, dp, inv);
  const [mgJs, mgWasm] = hierarchies(A, { shape: [...problem.grid.shape], periodic: [...problem.grid.periodic] });
  const rho = initialDensity(problem);
  const b = Float64Array.from(rho, (v, i) => v * problem.grid.volumes[i]);
  const xs = [Float64Array.from(rho), Float64Array.from(rho), Float64Array.from(rho), Float64Array.from(rho)];
  const t: number[][] = [[], [], [], []];
  for (let k = 0; k < ROUNDS; k++) {
    t[0].push(fastest(() => sJs.gsBackward(b, xs[0])));
    t[1].push(fastest(() => sWasm.gsBackward(b, xs[1])));
    t[2].push(fastest(() => mgJs.iterate(b, xs[2], 0)));
    t[3].push(fastest(() => mgWasm.iterate(b, xs[3], 0)));
  }
  const out: WasmBench = { case: 'scalar-net', cells: A.n, entriesPerRow: A.values.length / A.n, sweep: pairOf(t[0], t[1]), cycle: pairOf(t[2], t[3]) };
  log(
    `WebAssembly CSR kernels on scalar-net's fine level (${A.n} rows, ${out.entriesPerRow.toFixed(1)} entries a row): ` +
      `Gauss–Seidel sweep ${out.sweep.jsMs.toFixed(2)} ms in JavaScript, ${out.sweep.wasmMs.toFixed(2)} ms in WebAssembly (×${out.sweep.ratio.toFixed(2)}); ` +
      `V-cycle ${out.cycle.jsMs.toFixed(2)} → ${out.cycle.wasmMs.toFixed(2)} ms (×${out.cycle.ratio.toFixed(2)}; medians of ${ROUNDS} alternating rounds)`,
  );
  return out;
}
