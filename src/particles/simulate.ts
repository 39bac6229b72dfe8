/**
 * Particle simulations of the SDE and of the discrete learning rule — a
 * third witness next to the Fokker–Planck solution and the averaged problem.
 *
 * Time scaling (DESIGN.md §2: slow time t = η²·(step count)).
 *   SDE in slow time (Itô):  dθ = −η⁻¹∇L(θ) dt + σ(θ) dW,  Σ = σσᵀ.
 *   Learning rule:           θ ← θ − η(∇L(θ) + ξ),  E ξ = 0, Cov ξ = Σ(θ).
 * One step of the rule is a slow-time increment Δt = η²: its drift
 * −η∇L = −η⁻¹∇L·η² is the SDE drift times Δt, and its noise −ηξ has
 * covariance η²Σ = Σ·Δt, the SDE's diffusion over Δt. So the rule IS the
 * Euler–Maruyama scheme of the SDE with dt = η²; `sgd` runs exactly t/η²
 * steps (each tracker time is rounded to a whole step count, the actual
 * t = steps·η² is reported), `sde` runs Euler–Maruyama with
 * dt = dtFactor·η/λ_max (λ_max the largest Hessian eigenvalue on Γ; default
 * dtFactor 0.05), the last step of each tracker interval shortened so every
 * tracker time is hit exactly. Both schemes are governed by h = dt/η
 * (SGD: h = η; SDE: h = dtFactor/λ_max): the relaxation across Γ is resolved
 * when hλ ≪ 1, and the O(h) discretisation bias does not vanish with the
 * number of particles.
 *
 * Noise: label noise perturbs the label, y → y + √c ζ: with L = ½(f − y)²
 * the stochastic gradient is ∇L − √c ζ ∇f (the gradient of ½(f − y − √cζ)²),
 * whose noise −√cζ∇f has covariance c∇f∇fᵀ = Σ. Isotropic noise adds
 * σ·N(0, I) to the gradient; constant and formula Σ use a PSD Cholesky
 * factor (rank-deficient allowed). See block-kernel.ts.
 *
 * Worked example of the bias (hyperbola, label noise, q = u² − v²): one step
 * multiplies q exactly by (1 − a²), a = h(uv − 1) − √(c·dt)ζ, so
 * E[q'] = q(1 − c·dt − h²(uv − 1)²). Across Γ, r = uv − 1 relaxes to variance
 * cηλ/(2 − hλ) (λ = u² + v² = √(q² + 4) on Γ), so E[q] decays at the rate
 * 2c/(2 − hλ) = c(1 + hλ/2 + …), not c: the SDE's exact E[q](0)e^(−ct) holds
 * for the rule only up to a relative O(hλ·ct/2) (≈ 1% at η = 0.01, t = 0.5).
 *
 * Particles: blocks of `blockSize`, one RNG stream per block (rng.ts), run on
 * `node:worker_threads` (blocks handed out as workers free up); each block
 * returns per-time sums (types.ts SLOT), combined in block order, so seeded
 * runs are bitwise reproducible for any number of workers.
 *
 * Trackers, per time: position along Γ (nearest point of the chart,
 * project.ts) — mean, variance and standard error; histogram along a curve
 * (density per unit parameter); offsets across Γ (E|θ − γ(s*)|², and the
 * signed offset on a plane curve); the exact slow variable (a formula) with
 * its standard error.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaseSpec } from '../case/types.js';
import type { GammaParam, Landscape } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { caseModels } from '../models/case-models.js';
import { theoryAt } from '../theory/pointwise.js';
import { InputError } from '../util/errors.js';
import { buildContext, runBlock } from './block-kernel.js';
import { SLOT, sumsStride, type ParticleJob, type ParticleOptions, type ParticleResult } from './types.js';
import { rebuildError, type SerialisedError } from './worker-errors.js';

/** Tracker times 0, end/(frames−1), …, end from the case (`output.frames`, `time.end`). */
export function particleTimes(spec: CaseSpec, frames = spec.output.frames): number[] {
  const m = Math.max(2, Math.floor(frames));
  return Array.from({ length: m }, (_, k) => (spec.time.end * k) / (m - 1));
}

/** The default slow variable: q = u² − v² when the variables are exactly [u, v], else none. */
export function defaultSlowFormula(spec: CaseSpec): string | null {
  return spec.variables.length === 2 && spec.variables[0] === 'u' && spec.variables[1] === 'v' ? 'u^2 - v^2' : null;
}

/** Run the particles of a case; see the module comment. */
export async function simulateParticles(spec: CaseSpec, opts: ParticleOptions): Promise<ParticleResult> {
  const t0 = performance.now();
  const { job, gamma, lambdaMax, dt, cumSteps, tActual } = planJob(spec, opts);
  const nBlocks = Math.ceil(job.n / job.blockSize);
  const requested = opts.workers ?? availableParallelism();
  if (!Number.isInteger(requested) || requested < 0) throw new InputError('workers', `expected a whole number ≥ 0, got ${requested}`);
  const nW = Math.min(requested, nBlocks);
  let blockSums: Float64Array[];
  if (nW === 0) {
    const ctx = buildContext(job);
    blockSums = [];
    for (let b = 0; b < nBlocks; b++) blockSums.push(runBlock(ctx, b));
  } else blockSums = await runInWorkers(job, nBlocks, nW);
  const nBins = job.histEdges ? job.histEdges.length - 1 : 0;
  const stride = sumsStride(nBins);
  const nT = tActual.length;
  const total = new Float64Array(nT * stride);
  for (let b = 0; b < nBlocks; b++) {
    const s = blockSums[b];
    for (let i = 0; i < total.length; i++) total[i] += s[i];
  }
  const result = summarise(spec, job, gamma, total, stride, tActual, cumSteps);
  return {
    ...result,
    dt,
    dtOverEta: dt / job.eta,
    lambdaMax,
    blockSize: job.blockSize,
    blocks: nBlocks,
    workers: nW,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

export interface ParticlePlan {
  job: ParticleJob;
  gamma: GammaParam;
  lambdaMax: number;
  dt: number;
  cumSteps: number[];
  tActual: number[];
}

/** Validate the options and build the plain-data job (λ_max and the Ω table from the theory on Γ). */
export function planJob(spec: CaseSpec, opts: ParticleOptions): ParticlePlan {
  const mode = opts.mode;
  if (mode !== 'sde' && mode !== 'sgd') throw new InputError('mode', `expected "sde" or "sgd", got ${JSON.stringify(mode)}`);
  const n = opts.n;
  if (!Number.isSafeInteger(n) || n < 2) throw new InputError('n', `expected a whole number of particles ≥ 2, got ${n}`);
  if (!Number.isSafeInteger(opts.seed) || opts.seed < 0) throw new InputError('seed', `expected a whole number ≥ 0, got ${opts.seed}`);
  const eta = opts.eta ?? spec.eta;
  if (!(eta > 0 && eta <= 1)) throw new InputError('eta', `expected a number in (0, 1], got ${eta}`);
  const blockSize = opts.blockSize ?? 4096;
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new InputError('blockSize', `expected a whole number ≥ 1, got ${blockSize}`);
  const dtFactor = opts.dtFactor ?? 0.05;
  const sdeScheme = opts.sdeScheme ?? 'extrapolated';
  if (!(dtFactor > 0 && dtFactor <= 1)) throw new InputError('dtFactor', `expected a number in (0, 1], got ${dtFactor}`);
  const times = opts.times;
  if (!Array.isArray(times) || times.length === 0) throw new InputError('times', 'expected at least one tracker time');
  for (let k = 0; k < times.length; k++) {
    if (!(Number.isFinite(times[k]) && times[k] >= 0) || (k > 0 && times[k] < times[k - 1]))
      throw new InputError(`times[${k}]`, `tracker times must be finite, ≥ 0 and non-decreasing, got ${JSON.stringify(times)}`);
  }
  if (spec.initial.kind === 'density') {
    throw new InputError('initial.kind', 'particle runs cannot sample a "density" formula; use "gaussian" (mean, cov) or "on-gamma" (at, width)');
  }
  const { landscape, noise, gamma } = caseModels(spec);
  if (!gamma) throw new InputError('gamma', 'particle runs track the position along Γ: give `gamma` (a parametrisation or `traced`) or a built-in `landscape`');
  const { lambdaMax, table } = omegaTable(landscape, noise, gamma);

  const stepsPerInterval: number[] = [];
  const dtPerInterval: number[] = [];
  const cumSteps: number[] = [];
  const tActual: number[] = [];
  let dt: number;
  if (mode === 'sgd') {
    dt = eta * eta;
    let prev = 0;
    for (const t of times) {
      const m = Math.round(t / dt);
      stepsPerInterval.push(m - prev);
      dtPerInterval.push(dt);
      cumSteps.push(m);
      tActual.push(m * dt);
      prev = m;
    }
  } else {
    dt = (dtFactor * eta) / lambdaMax;
    let prevT = 0;
    let cum = 0;
    for (const t of times) {
      const gap = t - prevT;
      // Extrapolated: an even count, so the coarse steps of 2dt land on the tracker times too.
      const m = gap > 0 ? (sdeScheme === 'extrapolated' ? 2 * Math.ceil(gap / (2 * dt) - 1e-9) : Math.ceil(gap / dt - 1e-9)) : 0;
      stepsPerInterval.push(m);
      dtPerInterval.push(m > 0 ? gap / m : dt);
      cum += m;
      cumSteps.push(cum);
      tActual.push(t);
      prevT = t;
    }
  }
  let histEdges: number[] | null = null;
  if (gamma.kind === 'curve') {
    const bins = opts.bins ?? (spec.grid.kind === 'tube' && typeof spec.grid.along === 'number' ? spec.grid.along : 64);
    if (!Number.isSafeInteger(bins) || bins < 1) throw new InputError('bins', `expected a whole number ≥ 1, got ${bins}`);
    const [s0, s1] = gamma.range;
    histEdges = Array.from({ length: bins + 1 }, (_, k) => s0 + ((s1 - s0) * k) / bins);
  }
  const slowFormula = opts.slowFormula === undefined ? defaultSlowFormula(spec) : opts.slowFormula || null;
  if (sdeScheme !== 'extrapolated' && sdeScheme !== 'euler') throw new InputError('sdeScheme', `expected "extrapolated" or "euler", got ${JSON.stringify(sdeScheme)}`);
  const job: ParticleJob = {
    spec,
    eta,
    mode,
    sdeScheme,
    n,
    seed: opts.seed,
    blockSize,
    stepsPerInterval,
    dtPerInterval,
    histEdges,
    slowFormula,
    omegaTable: spec.initial.kind === 'on-gamma' ? table : null,
  };
  return { job, gamma, lambdaMax, dt, cumSteps, tActual };
}

/** Ω(θ) (before the factor η) on uniform chart nodes of Γ, and the largest Hessian eigenvalue over them. */
function omegaTable(landscape: Landscape, noise: NoiseModel, gamma: GammaParam): { lambdaMax: number; table: { shape: number[]; values: Float64Array } } {
  const d = landscape.dim;
  const dd = d * d;
  let lambdaMax = 0;
  if (gamma.kind === 'curve') {
    const N = 257;
    const values = new Float64Array(N * dd);
    const p = new Float64Array(d);
    const [s0, s1] = gamma.range;
    for (let k = 0; k < N; k++) {
      const s = s0 + ((s1 - s0) * k) / (N - 1);
      const tp = theoryAt(landscape, noise, gamma.point(s, p), 1, { label: `gamma at s = ${s.toPrecision(6)}` });
      values.set(tp.Omega, k * dd);
      lambdaMax = Math.max(lambdaMax, tp.eigenvalues[d - 1]);
    }
    return { lambdaMax, table: { shape: [N], values } };
  }
  const Na = 33;
  const Nb = 33;
  const values = new Float64Array(Na * Nb * dd);
  const p = new Float64Array(3);
  const [a0, a1] = gamma.rangeA;
  const [b0, b1] = gamma.rangeB;
  for (let j = 0; j < Nb; j++)
    for (let i = 0; i < Na; i++) {
      const a = a0 + ((a1 - a0) * i) / (Na - 1);
      const b = b0 + ((b1 - b0) * j) / (Nb - 1);
      const tp = theoryAt(landscape, noise, gamma.point(a, b, p), 2, { label: `gamma at (a, b) = (${a.toPrecision(6)}, ${b.toPrecision(6)})` });
      values.set(tp.Omega, (j * Na + i) * dd);
      lambdaMax = Math.max(lambdaMax, tp.eigenvalues[d - 1]);
    }
  return { lambdaMax, table: { shape: [Na, Nb], values } };
}

/** Means, variances and standard errors from the combined sums. */
function summarise(spec: CaseSpec, job: ParticleJob, gamma: GammaParam, total: Float64Array, stride: number, t: number[], steps: number[]): Omit<ParticleResult, 'dt' | 'dtOverEta' | 'lambdaMax' | 'blockSize' | 'blocks' | 'workers' | 'wallSeconds'> {
  const nT = t.length;
  const ctxGamma = gammaFlags(gamma);
  const meanAlong: number[] = [];
  const seAlong: number[] = [];
  const varAlong: number[] = [];
  const seVarAlong: number[] = [];
  const mean2: number[] = [];
  const se2: number[] = [];
  const var2: number[] = [];
  const across: ParticleResult['across'] = { meanSq: [] };
  if (ctxGamma.plane) {
    across.mean = [];
    across.var = [];
  }
  const slow = job.slowFormula ? { name: job.slowFormula, mean: [] as number[], se: [] as number[], var: [] as number[] } : undefined;
  const nBins = job.histEdges ? job.histEdges.length - 1 : 0;
  const histogram = job.histEdges ? { s: [] as number[], p: [] as number[][], outside: [] as number[] } : undefined;
  if (histogram && job.histEdges) for (let j = 0; j < nBins; j++) histogram.s.push(0.5 * (job.histEdges[j] + job.histEdges[j + 1]));
  const { r0, period, closed } = ctxGamma;
  const TWO_PI = 2 * Math.PI;
  // Reference phase for the continued circular mean: the start along Γ.
  let phiRef = Math.PI;
  if (closed && spec.initial.kind === 'on-gamma' && typeof spec.initial.at === 'number') phiRef = (TWO_PI * (spec.initial.at - r0)) / period;
  const extrapolated = job.mode === 'sde' && job.sdeScheme === 'extrapolated';
  for (let k = 0; k < nT; k++) {
    const o = k * stride;
    const N = total[o + SLOT.count];
    // Extrapolated pairs: the SE of a mean from the per-pair values y = 2f − c (Σy² in a pair slot, E y = m).
    const pairSe = (m: number, sumSq: number) => Math.sqrt(Math.max(0, (sumSq - N * m * m) / (N - 1)) / N);
    const mv = (sum: number, sq: number): [number, number, number] => {
      const m = sum / N;
      const v = Math.max(0, (sq - N * m * m) / (N - 1));
      return [m, v, Math.sqrt(v / N)];
    };
    if (closed) {
      const C = total[o + SLOT.cos] / N;
      const S = total[o + SLOT.sin] / N;
      const R = Math.hypot(C, S);
      let mu = Math.atan2(S, C);
      mu += TWO_PI * Math.round((phiRef - mu) / TWO_PI);
      phiRef = mu;
      const R2 = (total[o + SLOT.cos2] * Math.cos(2 * mu) + total[o + SLOT.sin2] * Math.sin(2 * mu)) / N;
      const scale = period / TWO_PI;
      meanAlong.push(r0 + mu * scale);
      varAlong.push(R > 0 ? -2 * Math.log(R) * scale * scale : Infinity);
      seAlong.push(R > 0 ? Math.sqrt(Math.max(0, 1 - R2) / (2 * R * R * N)) * scale : Infinity);
      // Var −2 ln R̄ ≈ 4 Var(R̄)/R², Var(R̄) ≈ Var cos(φ − μ)/N = ((1 + R₂)/2 − R²)/N.
      seVarAlong.push(R > 0 ? (2 * scale * scale * Math.sqrt(Math.max(0, (1 + R2) / 2 - R * R) / N)) / R : Infinity);
    } else {
      const [m, v, se] = mv(total[o + SLOT.s1], total[o + SLOT.s1sq]);
      meanAlong.push(m);
      varAlong.push(v);
      seAlong.push(extrapolated ? pairSe(m, total[o + SLOT.pairS1Sq]) : se);
      // μ₄ about the mean from the moments about the range midpoint c: with d = m − c,
      // μ₄ = E(s−c)⁴ − 4d E(s−c)³ + 6d² E(s−c)² − 3d⁴; Var(sample variance) ≈ (μ₄ − σ⁴)/N.
      const c = r0 + 0.5 * period;
      const dm = m - c;
      const e2 = total[o + SLOT.s1sq] / N - 2 * c * m + c * c;
      const mu4 = total[o + SLOT.s1qu] / N - 4 * dm * (total[o + SLOT.s1cu] / N) + 6 * dm * dm * e2 - 3 * dm ** 4;
      seVarAlong.push(Math.sqrt(Math.max(0, mu4 - v * v) / N));
    }
    if (ctxGamma.surface) {
      const [m, v, se] = mv(total[o + SLOT.s2], total[o + SLOT.s2sq]);
      mean2.push(m);
      var2.push(v);
      se2.push(se);
    }
    across.meanSq.push(total[o + SLOT.dist2] / N);
    if (across.mean && across.var) {
      const [m, v] = mv(total[o + SLOT.nSigned], total[o + SLOT.nSignedSq]);
      across.mean.push(m);
      across.var.push(v);
    }
    if (slow) {
      const [m, v, se] = mv(total[o + SLOT.slow], total[o + SLOT.slowSq]);
      slow.mean.push(m);
      slow.var.push(v);
      slow.se.push(extrapolated ? pairSe(m, total[o + SLOT.pairSlowSq]) : se);
    }
    if (histogram && job.histEdges) {
      const w = (job.histEdges[nBins] - job.histEdges[0]) / nBins;
      const row: number[] = [];
      for (let j = 0; j < nBins; j++) row.push(total[o + SLOT.hist + 1 + j] / (N * w));
      histogram.p.push(row);
      histogram.outside.push((total[o + SLOT.hist] + total[o + SLOT.hist + 1 + nBins]) / N);
    }
  }
  const out: ReturnType<typeof summarise> = {
    case: spec.name,
    mode: job.mode,
    ...(job.mode === 'sde' ? { sdeScheme: job.sdeScheme } : {}),
    n: job.n,
    eta: job.eta,
    seed: job.seed,
    t,
    steps,
    meanAlong,
    seAlong,
    varAlong,
    seVarAlong,
    across,
  };
  if (ctxGamma.surface) {
    out.meanAlong2 = mean2;
    out.seAlong2 = se2;
    out.varAlong2 = var2;
  }
  if (histogram) out.histogram = histogram;
  if (slow) out.slow = slow;
  return out;
}

/** Range and shape flags of Γ. */
function gammaFlags(gamma: GammaParam): { closed: boolean; plane: boolean; surface: boolean; r0: number; period: number } {
  if (gamma.kind === 'surface') return { closed: false, plane: false, surface: true, r0: gamma.rangeA[0], period: gamma.rangeA[1] - gamma.rangeA[0] };
  return { closed: gamma.closed, plane: gamma.dim === 2, surface: false, r0: gamma.range[0], period: gamma.range[1] - gamma.range[0] };
}

// ---------------------------------------------------------------------------
// Workers

type FromWorker =
  | { type: 'ready' }
  | { type: 'sums'; block: number; sums: Float64Array }
  | { type: 'error'; block?: number; error: SerialisedError };

/**
 * Start a worker on particle-worker. Compiled (dist/…/simulate.js) it is the
 * sibling particle-worker.js; run from source (tsx, vitest: this file ends in
 * .ts) it is particle-worker.ts, loaded through an eval'd entry that first
 * registers tsx's ESM loader in the worker (a `--import tsx` execArgv does not
 * reach a worker's entry module on Node 20).
 */
function spawnWorker(job: ParticleJob): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./particle-worker.js', here), { workerData: job });
  const target = new URL('./particle-worker.ts', here).href;
  const api = tsxEsmApi(here);
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { eval: true, workerData: job });
}

/** file URL of tsx's ESM `register` API (its import-condition entry). */
function tsxEsmApi(here: string): string {
  const req = createRequire(here);
  let pkg: string;
  try {
    pkg = req.resolve('tsx/package.json');
  } catch {
    throw new Error('particles: running from TypeScript sources needs the dev dependency tsx to start worker threads; build with tsc and run dist/, or install tsx');
  }
  return pathToFileURL(join(dirname(pkg), 'dist', 'esm', 'api', 'index.mjs')).href;
}

function runInWorkers(job: ParticleJob, nBlocks: number, nW: number): Promise<Float64Array[]> {
  return new Promise((resolve, reject) => {
    const results: Float64Array[] = new Array<Float64Array>(nBlocks);
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let settled = false;
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolve(results);
    };
    for (let i = 0; i < nW; i++) {
      const w = spawnWorker(job);
      workers.push(w);
      const feed = () => {
        if (next < nBlocks) w.postMessage({ type: 'block', block: next++ });
      };
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') feed();
        else if (m.type === 'sums') {
          results[m.block] = m.sums;
          done++;
          if (done === nBlocks) finish();
          else feed();
        } else finish(rebuildError(m.error));
      });
      w.on('error', (e) => finish(e instanceof Error ? e : new Error(String(e))));
      w.on('exit', (code) => {
        if (!settled) finish(new Error(`particle worker exited (code ${code}) before the run ended`));
      });
    }
  });
}
