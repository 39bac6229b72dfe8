/**
 * The particle kernel: one block of particles, start to end, returning the
 * per-time sums in the SLOT layout of types.ts. Runs identically in a worker and
 * in the main thread (the bits depend only on the job and the block index).
 *
 * One step (both modes; h = dt/η, ζ ~ N(0, I) fresh every step):
 *   θ ← θ − h ∇L(θ) + √dt · B(θ) ζ,    B Bᵀ = Σ(θ)   (Euler–Maruyama)
 * The SGD rule θ ← θ − η(∇L + ξ), Cov ξ = Σ, is exactly this with dt = η²
 * (h = η, √dt = η; the sign of ξ is immaterial as ζ is symmetric).
 * B(θ) per noise kind:
 *   isotropic σ²I:   B = σ I (d normals);
 *   label:           B = √c ∇f (d×1, ONE normal): the step −η(∇L − √c ζ ∇f) is the
 *                    gradient step on ½(f − y − √c ζ)² when L = ½(f − y)², i.e. the
 *                    label perturbed y → y + √c ζ, since
 *                    ∇½(f − y − √cζ)² − ∇½(f − y)² = −√c ζ ∇f;
 *   constant Σ:      B = chol(Σ) once (rank-deficient allowed, psd-factor.ts);
 *   formula Σ(θ):    B = chol(Σ(θ)) every step;
 *   task:            sgd: the task's rule itself, θ ← θ − η∇L̂ with the batch, the labels' noise and the
 *                    DropConnect mask drawn every step (task/rule.ts); sde: B = chol(Σ(θ)) of the derived Σ.
 * Particles are run one at a time through all tracker times (particle-outer),
 * so the state lives in one small array and the sums are accumulated in a
 * fixed order.
 */
import { caseModels } from '../models/case-models.js';
import { compileGradient, compileScalar, derivativeTrees, parseFormula, type CompiledScalar } from '../landscape/formula.js';
import type { CurveParam, GammaParam, Landscape, SurfaceParam } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { symEigen } from '../theory/dense.js';
import { InputError, NumericalError } from '../util/errors.js';
import { makeProjector, type Projector } from './project.js';
import { psdFactor } from './psd-factor.js';
import { taskRule } from '../task/rule.js';
import { blockStream, PairedNormals, type NormalSource, type Xoshiro128 } from './rng.js';
import { SLOT, sumsStride, type ParticleJob } from './types.js';

/** Advance x by one step of size dt (see the module comment). */
type StepFn = (x: Float64Array, dt: number, rng: Xoshiro128) => void;
/** A step that draws only standard normals (every Euler–Maruyama step; the coupled coarse step replays them). */
type NormalStepFn = (x: Float64Array, dt: number, rng: NormalSource) => void;
/** Draw an initial point into x. */
type SampleFn = (x: Float64Array, rng: Xoshiro128) => void;

export interface KernelContext {
  readonly job: ParticleJob;
  readonly d: number;
  readonly landscape: Landscape;
  readonly noise: NoiseModel;
  readonly gamma: GammaParam;
  readonly step: StepFn;
  /** sde mode: `step` itself, typed to take replayed normals (the coupled coarse run); null for sgd. */
  readonly sdeStep: NormalStepFn | null;
  readonly sample: SampleFn;
  readonly projector: Projector;
  readonly slow: CompiledScalar | null;
  readonly stride: number;
}

/** Build everything a block needs from the plain-data job (compiles the case's formulas). */
export function buildContext(job: ParticleJob): KernelContext {
  const { spec } = job;
  const { landscape, noise, gamma } = caseModels(spec);
  if (!gamma) throw new InputError('gamma', 'particle runs track the position along Γ: give `gamma` (a parametrisation or `traced`) or a built-in `landscape`');
  const d = landscape.dim;
  const sdeStep = job.mode === 'sde' ? noiseStep(job, landscape, noise) : null;
  const step = sdeStep ?? makeStep(job, landscape, noise);
  const sample = makeSampler(job, gamma, d);
  const projector = makeProjector(gamma);
  const slow = job.slowFormula ? compileScalar(job.slowFormula, spec.variables, 'slowFormula') : null;
  const nBins = job.histEdges ? job.histEdges.length - 1 : 0;
  return { job, d, landscape, noise, gamma, step, sdeStep, sample, projector, slow, stride: sumsStride(nBins) };
}

function makeStep(job: ParticleJob, landscape: Landscape, noise: NoiseModel): StepFn {
  return job.spec.task && job.mode === 'sgd' ? taskRuleStep(job, landscape.dim) : noiseStep(job, landscape, noise);
}

/** The Euler–Maruyama step of the case's noise (the learning rule itself in sgd mode, dt = η²; not a task's sgd rule). */
function noiseStep(job: ParticleJob, landscape: Landscape, noise: NoiseModel): NormalStepFn {
  const spec = job.spec;
  const d = landscape.dim;
  const eta = job.eta;
  const g = new Float64Array(d);
  const B = new Float64Array(d * d);
  const S = new Float64Array(d * d);
  const z = new Float64Array(d);
  if (spec.task) return varyingSigmaStep(landscape, noise, eta);
  const ns = spec.noise!;
  switch (ns.kind) {
    case 'isotropic': {
      const sigma = Math.sqrt(ns.sigma2);
      return (x, dt, rng) => {
        landscape.grad(x, g);
        const h = dt / eta;
        const a = Math.sqrt(dt) * sigma;
        for (let i = 0; i < d; i++) x[i] += -h * g[i] + a * rng.normal();
      };
    }
    case 'label': {
      const f = parseFormula(ns.output, spec.variables, 'noise.output');
      const gf = compileGradient(derivativeTrees(f.expr, d, 1));
      const df = new Float64Array(d);
      const sc = Math.sqrt(ns.c);
      return (x, dt, rng) => {
        landscape.grad(x, g);
        gf.fill(x, df);
        const h = dt / eta;
        const a = Math.sqrt(dt) * sc * rng.normal();
        for (let i = 0; i < d; i++) x[i] += -h * g[i] + a * df[i];
      };
    }
    case 'constant': {
      noise.sigma(z, S);
      if (!psdFactor(S, d, B)) throw new InputError('noise.Sigma', `Σ must be symmetric positive semidefinite, got ${JSON.stringify(ns.Sigma)}`);
      return (x, dt, rng) => {
        landscape.grad(x, g);
        emStep(x, g, B, z, dt, eta, rng);
      };
    }
    case 'formula':
      return varyingSigmaStep(landscape, noise, eta);
  }
}

/**
 * One Euler–Maruyama step x ← x − (dt/η) g + √dt · B z with z ~ N(0, I) drawn into `z` and B the d×d lower
 * factor of Σ (row-major; B Bᵀ = Σ).
 */
function emStep(x: Float64Array, g: Float64Array, B: Float64Array, z: Float64Array, dt: number, eta: number, rng: NormalSource): void {
  const d = x.length;
  const h = dt / eta;
  const a = Math.sqrt(dt);
  for (let i = 0; i < d; i++) z[i] = rng.normal();
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += B[i * d + k] * z[k];
    x[i] += -h * g[i] + a * s;
  }
}

/** Euler–Maruyama with B = chol(Σ(θ)) every step (a formula Σ, a task's Σ in `sde` mode). */
function varyingSigmaStep(landscape: Landscape, noise: NoiseModel, eta: number): NormalStepFn {
  const d = landscape.dim;
  const g = new Float64Array(d);
  const B = new Float64Array(d * d);
  const S = new Float64Array(d * d);
  const z = new Float64Array(d);
  return (x, dt, rng) => {
    landscape.grad(x, g);
    noise.sigma(x, S);
    if (!psdFactor(S, d, B)) {
      throw new NumericalError(`noise: Σ(θ) is not positive semidefinite at θ = (${Array.from(x, (v) => v.toPrecision(6)).join(', ')})`, { theta: Array.from(x), Sigma: Array.from(S) });
    }
    emStep(x, g, B, z, dt, eta, rng);
  };
}

/** The task's own rule (sgd mode): θ ← θ − h ∇L̂(θ) with batch, labels and masks drawn each step (task/rule.ts). */
function taskRuleStep(job: ParticleJob, d: number): StepFn {
  const rule = taskRule(job.spec.task!, job.spec.variables);
  const g = new Float64Array(d);
  const eta = job.eta;
  return (x, dt, rng) => {
    rule.stochasticGradient(x, rng, g);
    const h = dt / eta;
    for (let i = 0; i < d; i++) x[i] -= h * g[i];
  };
}

/**
 * Initial particles.
 *   gaussian:  x = mean + chol(cov) ζ.
 *   on-gamma:  s = at + width·ζ₀ (closed curve: wrapped; open: redrawn until inside
 *              the range, as the FPE's initial density lives on the grid), then
 *              x = γ(s) + F ζ with F Fᵀ = ηΩ(s): Ω linearly interpolated from the
 *              job's table (bilinear on a surface; PSD is kept since the weights are
 *              convex), F = V diag(√max(λ, 0)) from its eigen-decomposition.
 *   density:   not supported (InputError on initial.kind).
 */
function makeSampler(job: ParticleJob, gamma: GammaParam, d: number): SampleFn {
  const init = job.spec.initial;
  if (init.kind === 'density') {
    throw new InputError('initial.kind', 'particle runs cannot sample a "density" formula; use "gaussian" (mean, cov) or "on-gamma" (at, width)');
  }
  const z = new Float64Array(d);
  const F = new Float64Array(d * d);
  if (init.kind === 'gaussian') {
    if (!Array.isArray(init.mean) || init.mean.length !== d) throw new InputError('initial.mean', `expected ${d} numbers, got ${JSON.stringify(init.mean)}`);
    if (!Array.isArray(init.cov) || init.cov.length !== d || init.cov.some((r) => !Array.isArray(r) || r.length !== d))
      throw new InputError('initial.cov', `expected a ${d}×${d} matrix, got ${JSON.stringify(init.cov)}`);
    const C = Float64Array.from(init.cov.flat());
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++)
        if (C[i * d + j] !== C[j * d + i]) throw new InputError('initial.cov', `expected a symmetric matrix, got ${JSON.stringify(init.cov)}`);
    if (!psdFactor(C, d, F)) throw new InputError('initial.cov', `expected a positive semidefinite matrix, got ${JSON.stringify(init.cov)}`);
    const mean = Float64Array.from(init.mean);
    return (x, rng) => {
      for (let i = 0; i < d; i++) z[i] = rng.normal();
      for (let i = 0; i < d; i++) {
        let s = mean[i];
        for (let k = 0; k <= i; k++) s += F[i * d + k] * z[k];
        x[i] = s;
      }
    };
  }
  const table = job.omegaTable;
  if (!table) throw new Error('internal: on-gamma start without an Ω table');
  const dd = d * d;
  const Om = new Float64Array(dd);
  const lam = new Float64Array(d);
  const V = new Float64Array(dd);
  const eta = job.eta;
  const drawAcross = (x: Float64Array, rng: Xoshiro128) => {
    symEigen(Om, d, lam, V);
    for (let k = 0; k < d; k++) z[k] = Math.sqrt(Math.max(0, eta * lam[k])) * rng.normal();
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += V[i * d + k] * z[k];
      x[i] += s;
    }
  };
  if (gamma.kind === 'curve') {
    const at = init.at as number;
    const w = init.width as number;
    if (typeof at !== 'number' || typeof w !== 'number') throw new InputError('initial.at', `a curve takes single numbers for at and width, got ${JSON.stringify(init.at)}, ${JSON.stringify(init.width)}`);
    const c = gamma as CurveParam;
    const [s0, s1] = c.range;
    const period = s1 - s0;
    const N = table.shape[0];
    return (x, rng) => {
      let s = at + w * rng.normal();
      if (c.closed) s = s0 + ((((s - s0) % period) + period) % period);
      else {
        let tries = 0;
        while (s < s0 || s > s1) {
          if (++tries > 1000) throw new InputError('initial.at', `the start ${at} ± ${w} lies outside Γ's range [${s0}, ${s1}]; move it inside`);
          s = at + w * rng.normal();
        }
      }
      const u = Math.min(N - 1, Math.max(0, ((s - s0) / period) * (N - 1)));
      const k = Math.min(N - 2, Math.floor(u));
      const f = u - k;
      for (let i = 0; i < dd; i++) Om[i] = (1 - f) * table.values[k * dd + i] + f * table.values[(k + 1) * dd + i];
      c.point(s, x);
      drawAcross(x, rng);
    };
  }
  const surf = gamma as SurfaceParam;
  if (!Array.isArray(init.at) || !Array.isArray(init.width)) {
    throw new InputError('initial.at', `a surface takes pairs [a, b] for at and width, got ${JSON.stringify(init.at)}, ${JSON.stringify(init.width)}`);
  }
  const [atA, atB] = init.at;
  const [wA, wB] = init.width;
  const [a0, a1] = surf.rangeA;
  const [b0, b1] = surf.rangeB;
  const [Na, Nb] = table.shape;
  return (x, rng) => {
    let a = 0;
    let b = 0;
    for (let tries = 0; ; tries++) {
      if (tries > 1000) throw new InputError('initial.at', `the start ${JSON.stringify(init.at)} ± ${JSON.stringify(init.width)} lies outside Γ's chart ranges; move it inside`);
      a = atA + wA * rng.normal();
      b = atB + wB * rng.normal();
      if (a >= a0 && a <= a1 && b >= b0 && b <= b1) break;
    }
    const ua = ((a - a0) / (a1 - a0)) * (Na - 1);
    const ub = ((b - b0) / (b1 - b0)) * (Nb - 1);
    const ka = Math.min(Na - 2, Math.floor(ua));
    const kb = Math.min(Nb - 2, Math.floor(ub));
    const fa = ua - ka;
    const fb = ub - kb;
    const n00 = (kb * Na + ka) * dd;
    const n10 = n00 + dd;
    const n01 = n00 + Na * dd;
    const n11 = n01 + dd;
    for (let i = 0; i < dd; i++) {
      const v = table.values;
      Om[i] = (1 - fb) * ((1 - fa) * v[n00 + i] + fa * v[n10 + i]) + fb * ((1 - fa) * v[n01 + i] + fa * v[n11 + i]);
    }
    surf.point(a, b, x);
    drawAcross(x, rng);
  };
}

/**
 * Run block `block` (particles block·blockSize … min(n, (block+1)·blockSize) − 1)
 * with stream blockStream(seed, block); returns the sums (times × stride).
 *
 * SDE with sdeScheme "extrapolated" (Richardson extrapolation in the step, Talay & Tubaro, Stoch. Anal.
 * Appl. 8 (1990) 483: Euler–Maruyama's weak error is C·dt + O(dt²) for smooth coefficients): each particle
 * runs twice from the same start — fine steps dt and coarse steps 2dt driven by the sums of the fine
 * Brownian increments (PairedNormals) — and enters every sum with weight 2 (fine) and −1 (coarse), so each
 * tracked expectation is 2E_dt − E_2dt, whose dt term cancels. Because the two runs share one path their
 * difference is O(√dt) and the pair adds little variance; the SE of the mean along Γ and of the slow
 * variable come from the per-pair values 2f − c (SLOT.pairS1Sq, pairSlowSq). Cost: 1.5× the fine run.
 */
export function runBlock(ctx: KernelContext, block: number): Float64Array {
  const { job, d, step, sdeStep, sample, projector, slow, stride, gamma } = ctx;
  const nT = job.stepsPerInterval.length;
  const sums = new Float64Array(nT * stride);
  const first = block * job.blockSize;
  const count = Math.min(job.n, first + job.blockSize) - first;
  if (!(count > 0)) throw new Error(`internal: block ${block} is empty`);
  const rng = blockStream(job.seed, block);
  const extrapolate = sdeStep !== null && job.sdeScheme === 'extrapolated';
  const paired = new PairedNormals(rng);
  const x = new Float64Array(d);
  const xc = new Float64Array(d);
  const param = new Float64Array(2);
  const foot = new Float64Array(d);
  const tan = new Float64Array(d);
  const edges = job.histEdges;
  const nBins = edges ? edges.length - 1 : 0;
  const closed = gamma.kind === 'curve' && gamma.closed;
  const plane = gamma.kind === 'curve' && d === 2;
  const [r0, r1] = gamma.kind === 'curve' ? gamma.range : gamma.rangeA;
  const period = r1 - r0;
  const mid = 0.5 * (r0 + r1);
  const e0 = edges ? edges[0] : 0;
  const eW = edges ? (edges[nBins] - edges[0]) / nBins : 1;
  let lastS = 0;
  let lastQ = 0;
  const checkFinite = (y: Float64Array, p: number, k: number) => {
    for (let i = 0; i < d; i++) {
      if (!Number.isFinite(y[i])) {
        throw new NumericalError(`particle ${first + p} (block ${block}) left every bound: θ = (${Array.from(y).join(', ')}) at tracker time ${k}; reduce η or dtFactor`, { block, particle: first + p, time: k, theta: Array.from(y) });
      }
    }
  };
  /** Add weight w times every tracked quantity of the point y into the sums at `base`; leaves s and q in lastS, lastQ. */
  const track = (y: Float64Array, w: number, base: number) => {
    const dist2 = projector.project(y, param, foot);
    const s = param[0];
    lastS = s;
    sums[base + SLOT.count] += w;
    sums[base + SLOT.s1] += w * s;
    sums[base + SLOT.s1sq] += w * s * s;
    const sc = (s - mid) * (s - mid);
    sums[base + SLOT.s1cu] += w * sc * (s - mid);
    sums[base + SLOT.s1qu] += w * sc * sc;
    if (projector.alongDim === 2) {
      sums[base + SLOT.s2] += w * param[1];
      sums[base + SLOT.s2sq] += w * param[1] * param[1];
    }
    if (closed) {
      const phi = (2 * Math.PI * (s - r0)) / period;
      sums[base + SLOT.cos] += w * Math.cos(phi);
      sums[base + SLOT.sin] += w * Math.sin(phi);
      sums[base + SLOT.cos2] += w * Math.cos(2 * phi);
      sums[base + SLOT.sin2] += w * Math.sin(2 * phi);
    }
    if (plane) {
      (gamma as CurveParam).d1(s, tan);
      const tn = Math.hypot(tan[0], tan[1]);
      const n = ((y[0] - foot[0]) * -tan[1] + (y[1] - foot[1]) * tan[0]) / tn;
      sums[base + SLOT.nSigned] += w * n;
      sums[base + SLOT.nSignedSq] += w * n * n;
    }
    sums[base + SLOT.dist2] += w * dist2;
    if (slow) {
      const q = slow.f(y);
      lastQ = q;
      sums[base + SLOT.slow] += w * q;
      sums[base + SLOT.slowSq] += w * q * q;
    }
    if (edges) {
      const u = (s - e0) / eW;
      let bin: number;
      if (u < 0) bin = -1;
      else if (u >= nBins) bin = closed ? nBins - 1 : nBins;
      else bin = Math.floor(u);
      sums[base + SLOT.hist + 1 + bin] += w;
    }
  };
  for (let p = 0; p < count; p++) {
    sample(x, rng);
    if (extrapolate) xc.set(x);
    for (let k = 0; k < nT; k++) {
      const m = job.stepsPerInterval[k];
      const dt = job.dtPerInterval[k];
      const base = k * stride;
      if (!extrapolate) {
        for (let j = 0; j < m; j++) step(x, dt, rng);
        checkFinite(x, p, k);
        track(x, 1, base);
        continue;
      }
      for (let j = 0; j < m; j += 2) {
        paired.record();
        sdeStep!(x, dt, paired);
        sdeStep!(x, dt, paired);
        paired.replay();
        sdeStep!(xc, 2 * dt, paired);
      }
      checkFinite(x, p, k);
      checkFinite(xc, p, k);
      track(x, 2, base);
      const sF = lastS;
      const qF = lastQ;
      track(xc, -1, base);
      const y = 2 * sF - lastS; // open curves and surfaces (a closed curve's SE is circular, from the weighted sums)
      sums[base + SLOT.pairS1Sq] += y * y;
      if (slow) sums[base + SLOT.pairSlowSq] += (2 * qF - lastQ) * (2 * qF - lastQ);
    }
  }
  return sums;
}
