/**
 * `verify`: one case at several η. Each run compares the density's motion
 * along Γ with the averaged problem of both drift formulas; across η the
 * errors are fitted by err ≈ C·η^p (least squares in log–log), and the
 * verdict says which formula the Fokker–Planck equation supports.
 *
 * Error of a formula at one η: the L1 distance between the FPE's marginal
 * along Γ and the averaged solution at the end of the run (`l1Li`/`l1Seed`
 * of the run summary, last frame); its maximum over the frames and the
 * end-point error of the mean along Γ are reported beside it.
 *
 * Verdict: a formula is supported when its prediction converges to the FPE's
 * motion along Γ (fitted order ≥ 0.5 of the mean error or of the L1 error) and
 * both its errors are the smaller of the two at the smallest η; "neither" when
 * no formula qualifies, with the numbers in `verdictDetail`.
 *
 * Runs go to worker threads (one per core by default); each run is
 * deterministic, so the numbers do not depend on the number of workers.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaseSpec } from '../case/types.js';
import { InputError, NumericalError } from '../util/errors.js';
import type { ParticleRunOptions, RunSummary } from '../pipeline.js';

export interface VerifyOptions {
  /** Worker threads (default: available cores, at most the number of η). 1 runs in-process. */
  workers?: number;
  progress?: (fraction: number, message: string) => void;
  /** Also run the smallest η with twice (or, on large grids, half) the cells along and across Γ (default true). */
  resolutionCheck?: boolean;
  /** Run a single worker's jobs in this thread (default true when workers = 1); the bench sets false to compare like with like. */
  inProcess?: boolean;
  /** Particles beside each η run (the case's own `particles` section is not used by verify). */
  particles?: ParticleRunOptions;
}

/** One η of the particle columns: the particles' mean along Γ at the end against the FPE and Li. */
export interface VerifyParticleRow {
  eta: number;
  mean: number;
  se: number;
  meanFpe: number;
  /** mean − meanFpe */
  diffFpe: number;
  zMeanFpe: number;
  zMeanLi: number | null;
  zVarFpe: number | null;
  w1Fpe: number | null;
  w1Li: number | null;
  /** Largest |z| against the FPE over the frames. */
  maxAbsZMeanFpe: number;
}

export interface VerifyResult {
  case: string;
  etas: number[];
  runs: RunSummary[];
  errors: { li: number[]; seed: number[]; maxLi: number[]; maxSeed: number[]; meanLi: number[]; meanSeed: number[] };
  /** Fitted orders of the L1 error (DESIGN.md §10 `order.li`, `order.seed`). */
  order: { li: number; seed: number };
  /** Fitted orders of the end error of the mean along Γ. */
  orderMean: { li: number; seed: number };
  verdict: 'li' | 'seed' | 'neither';
  verdictDetail: string;
  /**
   * The smallest η again on other grids (`resolutionCheckGrids`): twice the cells along and across Γ, or,
   * on large grids, one run per direction with twice or half the cells. Σ|ΔL1| estimates the discretisation
   * error of the error measure itself (bounds it from above for a halved direction wherever the error falls
   * at least linearly with the cell size), to be compared with the L1 error it qualifies.
   */
  resolutionCheck: {
    eta: number;
    l1Li: number;
    runs: { changed: ResolutionCheckGrid['changed']; scale: ResolutionCheckGrid['scale']; along: number | number[]; across: number | number[]; l1Li: number; delta: number }[];
    discretisationError: number;
    belowError: boolean;
  } | null;
  /** `verify --particles`: the particle columns. */
  particles?: {
    mode: string;
    n: number;
    seed: number;
    rows: VerifyParticleRow[];
    /** Fitted order in η of |mean − meanFpe| over the η where it is resolved (|z| > 3), else null. */
    orderDiffFpe: number | null;
    detail: string;
  };
  workers: number;
  wallSeconds: number;
}

/** Least-squares slope of log y against log x. */
export function fitOrder(x: number[], y: number[]): number {
  const pts = x.map((xi, i) => [Math.log(xi), Math.log(y[i])]).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  if (pts.length < 2) return NaN;
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  let num = 0;
  let den = 0;
  for (const [a, b] of pts) {
    num += (a - mx) * (b - my);
    den += (a - mx) * (a - mx);
  }
  return num / den;
}

/** The compiled worker script (tests and the CLI both run after `tsc`). */
function workerScript(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'verify-worker.js'), join(here, '..', '..', 'dist', 'src', 'pipeline', 'verify-worker.js')];
  for (const c of candidates) if (existsSync(c)) return c;
  return null;
}

/** A worker kept for a lane of jobs; `run` sends one job and waits for its summary. */
class LaneWorker {
  private readonly w: Worker;
  private failed: Error | null = null;
  constructor(script: string) {
    this.w = new Worker(script);
    this.w.on('error', (e) => {
      this.failed = e;
    });
  }
  run(spec: CaseSpec, eta: number, particles?: ParticleRunOptions): Promise<RunSummary> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      const onExit = (code: number) => reject(new NumericalError(`verify worker for η = ${eta} exited with code ${code}`));
      this.w.once('exit', onExit);
      this.w.once('message', (msg: { ok: boolean; summary?: RunSummary; error?: { message: string; exitCode: number } }) => {
        this.w.off('exit', onExit);
        if (msg.ok) resolve(msg.summary!);
        else if (msg.error!.exitCode === 2) {
          // Keep the field the worker named: "field: message".
          const m = /^([^:\s]+): (.*)$/s.exec(msg.error!.message);
          reject(m ? new InputError(m[1], m[2]) : new InputError('case', msg.error!.message));
        } else reject(new NumericalError(msg.error!.message));
      });
      this.w.postMessage({ spec, eta, particles: particles ? { ...particles, workers: 0 } : false });
    });
  }
  async close(): Promise<void> {
    await this.w.terminate();
  }
}

/**
 * Cells beyond which a resolution-check run is not made finer (the surface at 128² × 24 with twice the cells
 * both ways would need 3.1M cells and, at η = 0.005, about ten times as long as the whole η sweep).
 */
export const RESOLUTION_CHECK_MAX_CELLS = 800_000;

/** Cells of a tube spec (a number across a 3D curve means a square n × n). */
export function tubeCells(g: { along: number | readonly number[]; across: number | readonly number[] }, dim: number): number {
  const count = (v: number | readonly number[]) => (typeof v === 'number' ? v : v.reduce((p, x) => p * x, 1));
  const alongDims = typeof g.along === 'number' ? 1 : g.along.length;
  const across = typeof g.across === 'number' && dim - alongDims === 2 ? g.across * g.across : count(g.across);
  return count(g.along) * across;
}

/** One run of the resolution check: which cell counts changed, and how. */
export interface ResolutionCheckGrid {
  spec: CaseSpec;
  changed: 'along+across' | 'along' | 'across';
  scale: 'twice' | 'half';
}

/**
 * The runs of the resolution check (tube grids), or null: one run with twice the cells along and across Γ
 * when that stays within RESOLUTION_CHECK_MAX_CELLS; otherwise one run per direction, each with twice the
 * cells in that direction if that fits, else half of them.
 */
export function resolutionCheckGrids(spec: CaseSpec): ResolutionCheckGrid[] | null {
  const g = spec.grid;
  if (g.kind !== 'tube') return null;
  const dim = spec.variables.length;
  const by = (f: number) => (v: number | [number, number]): number | [number, number] => {
    const one = (n: number) => Math.max(4, Math.round(n * f));
    return typeof v === 'number' ? one(v) : [one(v[0]), one(v[1])];
  };
  const fits = (t: typeof g) => tubeCells(t, dim) <= RESOLUTION_CHECK_MAX_CELLS;
  const both = { ...g, along: by(2)(g.along), across: by(2)(g.across) };
  if (fits(both)) return [{ spec: { ...spec, grid: both }, changed: 'along+across', scale: 'twice' }];
  const out: ResolutionCheckGrid[] = [];
  for (const dir of ['along', 'across'] as const) {
    const twice = { ...g, [dir]: by(2)(g[dir]) };
    const grid = fits(twice) ? twice : { ...g, [dir]: by(0.5)(g[dir]) };
    out.push({ spec: { ...spec, grid }, changed: dir, scale: fits(twice) ? 'twice' : 'half' });
  }
  return out;
}

type VerifyJob = { spec: CaseSpec; eta: number; particles?: ParticleRunOptions };
type Formula = 'li' | 'seed';

export async function verifyCase(spec: CaseSpec, etas: number[], opts: VerifyOptions = {}): Promise<VerifyResult> {
  const t0 = performance.now();
  if (etas.length < 2) throw new InputError('--eta', `verify needs at least two values of η, got ${etas.length}`);
  if (spec.grid.kind !== 'tube') {
    throw new InputError('grid.kind', `verify compares the motion along Γ and needs a grid around Γ: got "${spec.grid.kind}"; use grid.kind "tube"`);
  }
  const sorted = [...etas].sort((a, b) => b - a);
  // The η runs, plus the resolution check: the smallest η on a finer (or, if that is too large, a coarser) grid.
  const jobs: VerifyJob[] = sorted.map((eta) => ({ spec, eta, ...(opts.particles ? { particles: opts.particles } : {}) }));
  const checks = opts.resolutionCheck === false ? [] : (resolutionCheckGrids(spec) ?? []);
  for (const c of checks) jobs.push({ spec: c.spec, eta: sorted[sorted.length - 1] });
  const { results, workers } = await runJobs(jobs, opts, sorted.length);
  const runs = results.slice(0, sorted.length);
  const checkRuns = results.slice(sorted.length);
  const errors = verifyErrors(runs);
  const order = { li: fitOrder(sorted, errors.li), seed: fitOrder(sorted, errors.seed) };
  const orderMean = { li: fitOrder(sorted, errors.meanLi), seed: fitOrder(sorted, errors.meanSeed) };
  const verdict = verdictOf(errors, order, orderMean);
  const resolutionCheck = resolutionCheckOf(checks, checkRuns, sorted[sorted.length - 1], errors.li[sorted.length - 1]);
  const verdictDetail = verdictText(sorted, errors, order, orderMean, verdict, resolutionCheck);
  const particles = opts.particles ? particleColumns(sorted, runs, opts.particles) : undefined;
  return {
    case: spec.name,
    etas: sorted,
    runs,
    ...(particles ? { particles } : {}),
    errors,
    order,
    orderMean,
    verdict,
    verdictDetail,
    resolutionCheck,
    workers,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

/** The runs, in this thread (one worker) or on at most `maxLanes` worker lanes; results keep the jobs' order. */
async function runJobs(jobs: VerifyJob[], opts: VerifyOptions, maxLanes: number): Promise<{ results: RunSummary[]; workers: number }> {
  const script = workerScript();
  const want = Math.max(1, Math.min(opts.workers ?? availableParallelism(), maxLanes));
  const workers = script ? want : 1;
  const progress = opts.progress ?? (() => {});
  const results: RunSummary[] = new Array(jobs.length);
  let done = 0;
  progress(0, `${jobs.length} runs on ${workers} worker(s)`);
  if (workers === 1 && opts.inProcess !== false) {
    const { runCase } = await import('../pipeline.js');
    for (let i = 0; i < jobs.length; i++) {
      results[i] = await runCase(jobs[i].spec, { eta: jobs[i].eta, particles: jobs[i].particles ?? false });
      progress(++done / jobs.length, `run ${i + 1} of ${jobs.length} done`);
    }
    return { results, workers };
  }
  // Largest first (by cells): the resolution check's finer grid costs several η runs, and started last it
  // would run alone at the end. Results keep their places, so the order changes no number.
  const cells = (c: CaseSpec) => (c.grid.kind === 'tube' ? tubeCells(c.grid, c.variables.length) : 0);
  const order = jobs.map((_, i) => i).sort((a, b) => cells(jobs[b].spec) - cells(jobs[a].spec) || a - b);
  let next = 0;
  const lane = async () => {
    const worker = new LaneWorker(script!);
    try {
      while (next < jobs.length) {
        const i = order[next++];
        results[i] = await worker.run(jobs[i].spec, jobs[i].eta, jobs[i].particles);
        progress(++done / jobs.length, `run ${i + 1} of ${jobs.length} done`);
      }
    } finally {
      await worker.close();
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  return { results, workers };
}

/** Per η: the L1 error at the end and its maximum over the frames, and the end error of the mean along Γ. */
function verifyErrors(runs: RunSummary[]): VerifyResult['errors'] {
  for (const r of runs) {
    if (!r.along || !r.along.l1Li || !r.along.l1Seed) {
      throw new InputError('grid.kind', 'verify compares the motion along Γ: it needs a tube grid around Γ (a curve or a surface) and a Γ to average on');
    }
  }
  const maxOf = (a: number[]) => Math.max(...a);
  const lastOf = (a: number[]) => a[a.length - 1];
  return {
    li: runs.map((r) => lastOf(r.along!.l1Li!)),
    seed: runs.map((r) => lastOf(r.along!.l1Seed!)),
    maxLi: runs.map((r) => maxOf(r.along!.l1Li!)),
    maxSeed: runs.map((r) => maxOf(r.along!.l1Seed!)),
    meanLi: runs.map((r) => r.along!.endErrLi!),
    meanSeed: runs.map((r) => r.along!.endErrSeed!),
  };
}

/**
 * Supported: the predicted motion along Γ converges to the FPE's (order of the mean error ≥ 0.5, or of the
 * L1 error ≥ 0.5) and beats the other formula in both measures at the smallest η.
 */
function verdictOf(errors: VerifyResult['errors'], order: Record<Formula, number>, orderMean: Record<Formula, number>): VerifyResult['verdict'] {
  const last = errors.li.length - 1;
  const mean = (f: Formula) => (f === 'li' ? errors.meanLi : errors.meanSeed);
  const wins = (a: Formula, b: Formula) => (orderMean[a] >= 0.5 || order[a] >= 0.5) && errors[a][last] < errors[b][last] && mean(a)[last] < mean(b)[last];
  return wins('li', 'seed') ? 'li' : wins('seed', 'li') ? 'seed' : 'neither';
}

/** The resolution check's rows: the Li L1 error at the smallest η on each other grid, and Σ|ΔL1| against it. */
function resolutionCheckOf(checks: ResolutionCheckGrid[], checkRuns: RunSummary[], eta: number, l1Li: number): VerifyResult['resolutionCheck'] {
  if (checks.length === 0 || !checkRuns.every((r) => r.along?.l1Li)) return null;
  const rows = checks.map((c, i) => {
    const l1 = checkRuns[i].along!.l1Li!.at(-1)!;
    const g = c.spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>;
    return { changed: c.changed, scale: c.scale, along: g.along, across: g.across, l1Li: l1, delta: Math.abs(l1 - l1Li) };
  });
  const disc = rows.reduce((t, r) => t + r.delta, 0);
  return { eta, l1Li, runs: rows, discretisationError: disc, belowError: disc < l1Li };
}

/** The verdict with its numbers, in words. */
function verdictText(
  sorted: number[],
  errors: VerifyResult['errors'],
  order: Record<Formula, number>,
  orderMean: Record<Formula, number>,
  verdict: VerifyResult['verdict'],
  resolutionCheck: VerifyResult['resolutionCheck'],
): string {
  const fmt = (v: number) => v.toPrecision(3);
  const last = sorted.length - 1;
  return (
    `L1 error of the marginal along Γ at the end, at η = ${sorted.map(fmt).join(', ')}: ` +
    `Li ${errors.li.map(fmt).join(', ')} (order ${fmt(order.li)}); seed ${errors.seed.map(fmt).join(', ')} (order ${fmt(order.seed)}). ` +
    `End error of the mean along Γ: Li ${errors.meanLi.map(fmt).join(', ')} (order ${fmt(orderMean.li)}); seed ${errors.meanSeed.map(fmt).join(', ')} (order ${fmt(orderMean.seed)}). ` +
    (verdict === 'neither'
      ? 'Neither formula both converges (order ≥ 0.5 in the mean or in L1) and beats the other in both measures at the smallest η.'
      : `${verdict === 'li' ? 'Li–Wang–Arora' : 'the seed formula'} converges (mean order ${fmt(orderMean[verdict])}, L1 order ${fmt(order[verdict])}) and has the smaller errors at η = ${fmt(sorted[last])}.`) +
    (resolutionCheck
      ? ` Resolution check at η = ${fmt(resolutionCheck.eta)}: L1 (Li) ${fmt(resolutionCheck.l1Li)} on this grid; ` +
        resolutionCheck.runs.map((r) => `${fmt(r.l1Li)} with ${r.scale} the cells ${r.changed === 'along+across' ? 'along and across' : r.changed} Γ`).join(', ') +
        `; discretisation error ≈ ${fmt(resolutionCheck.discretisationError)}` +
        (resolutionCheck.runs.some((r) => r.scale === 'half') ? ' (a coarser grid bounds it from above where the error falls at least linearly with the cell size)' : '') +
        ` — ${resolutionCheck.belowError ? 'below' : 'NOT below'} the error it measures.`
      : '')
  );
}

/** The particle columns of the verdict table, and what they say. */
function particleColumns(etas: number[], runs: RunSummary[], p: ParticleRunOptions): NonNullable<VerifyResult['particles']> {
  const rows: VerifyParticleRow[] = runs.map((r, i) => {
    const e = r.particles?.end;
    if (!e) throw new NumericalError(`verify --particles: the run at η = ${etas[i]} has no particle results`);
    return {
      eta: etas[i],
      mean: e.mean,
      se: e.se,
      meanFpe: e.meanFpe,
      diffFpe: e.mean - e.meanFpe,
      zMeanFpe: e.zMeanFpe,
      zMeanLi: e.zMeanLi,
      zVarFpe: e.zVarFpe,
      w1Fpe: e.w1Fpe,
      w1Li: e.w1Li,
      maxAbsZMeanFpe: e.maxAbsZMeanFpe,
    };
  });
  const f = (v: number) => v.toPrecision(3);
  const resolved = rows.filter((r) => Math.abs(r.zMeanFpe) > 3);
  const orderDiffFpe = resolved.length >= 2 ? fitOrder(resolved.map((r) => r.eta), resolved.map((r) => Math.abs(r.diffFpe))) : null;
  const what = p.mode === 'sgd' ? 'the learning rule' : 'the SDE (Euler–Maruyama)';
  const detail =
    `Particles (${p.n} runs of ${what} per η): mean along Γ at the end minus the FPE's = ${rows.map((r) => `${f(r.diffFpe)} (z ${f(r.zMeanFpe)})`).join(', ')} at η = ${etas.map(f).join(', ')}. ` +
    (resolved.length === 0
      ? 'Within 3 standard errors of the FPE at every η.'
      : `Outside 3 standard errors at η = ${resolved.map((r) => f(r.eta)).join(', ')}` +
        (orderDiffFpe !== null ? `; that difference scales as η^${f(orderDiffFpe)}` : '') +
        (p.mode === 'sgd' ? ' — the learning rule is Euler–Maruyama with dt = η², so it differs from the FPE by O(η).' : ' — the O(dt/η) bias of Euler–Maruyama; lower dtFactor.'));
  return { mode: p.mode, n: p.n, seed: p.seed, rows, orderDiffFpe, detail };
}
