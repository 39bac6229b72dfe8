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
 * The verdict is built from the run summaries alone (`verdictFromRuns`), so
 * `verify --collect` (verify-collect.ts) gives the same numbers from runs
 * made by separate processes.
 */
import { sdeSchemeLabel } from '../particles/types.js';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CaseSpec } from '../case/types.js';
import { InputError, NumericalError } from '../util/errors.js';
import type { ParticleRunOptions, RunSummary } from '../pipeline.js';
import {
  type CheckRow,
  type EtaResolution,
  type GridSuggestion,
  RESOLUTION_CHECK_MAX_CELLS,
  RESOLVED_SHARE,
  gridText,
  refinementChange,
  resolutionPerEta,
  suggestGrid,
  tubeCells,
} from './resolution.js';
import { type RefineResult, type RunMany, refineUnresolved } from './refine.js';
import { type VerifyErrors, fitOrder, fitOrderWhere, verifyErrors } from './verify-errors.js';

export { fitOrder };
export { RESOLUTION_CHECK_MAX_CELLS, tubeCells };

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
  /** Re-run the under-resolved η on finer grids (twice the cells per level) and fit the order on resolved errors. */
  refine?: boolean;
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
  errors: VerifyErrors;
  /** Fitted orders of the L1 error (DESIGN.md §10 `order.li`, `order.seed`). */
  order: { li: number; seed: number };
  /** Fitted orders of the end error of the mean along Γ. */
  orderMean: { li: number; seed: number };
  verdict: 'li' | 'seed' | 'neither';
  verdictDetail: string;
  /**
   * The smallest η again on other grids (`resolutionCheckGrids`): twice the cells along and across Γ, or,
   * on large grids, one run per direction with twice or half the cells. `discretisationError` is Σ|ΔL1|;
   * `change` the change a refinement would make (resolution.ts, `refinementChange`), against which each
   * η's error is judged resolved (change ≤ error/3) in `perEta`; `suggestion` the grid estimated to
   * resolve the under-resolved ones.
   */
  resolutionCheck: {
    eta: number;
    l1Li: number;
    runs: CheckRow[];
    discretisationError: number;
    change: number;
    share: number;
    /** At the smallest η, where the change is measured. */
    resolved: boolean;
    perEta: EtaResolution[];
    suggestion: GridSuggestion | null;
  } | null;
  /**
   * Every η's error resolved (after `--refine`, on its final grid); null when no resolution check ran.
   * `verdict` is the better-supported formula either way; `order`/`orderMean` are fitted over the resolved
   * η only (NaN with fewer than two), `orderAllEtas` over all of them on the case's grid.
   */
  resolved: boolean | null;
  unresolvedEtas: number[];
  orderAllEtas: { li: number; seed: number; meanLi: number; meanSeed: number };
  /** `verify --refine`: the under-resolved η again on finer grids until resolved (or the budget ends). */
  refined?: RefineResult;
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
  /** `verify --collect`: the summaries the verdict was built from (workers is then 0: nothing ran here). */
  collected?: CollectedInfo;
  workers: number;
  wallSeconds: number;
}

/** The bookkeeping of a collected verify: where the runs came from and whether the resolution check was made. */
export interface CollectedInfo {
  files: string[];
  checkFiles: string[];
  /** Wall seconds of the collected runs, summed (what the sweep cost, on however many machines). */
  runWallSeconds: number;
  resolutionCheck: 'checked' | 'not checked';
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

/** One run of the resolution check: which cell counts changed, and how. */
export interface ResolutionCheckGrid {
  spec: CaseSpec;
  changed: 'along+across' | 'along' | 'across';
  scale: 'twice' | 'half';
}

/**
 * The runs of the resolution check (tube grids), or null: one run with twice the cells along and across Γ
 * when that stays within RESOLUTION_CHECK_MAX_CELLS and costs no more cells than the two directions doubled
 * one at a time (every 2D tube: 4× against 2× + 2×); otherwise one run per direction, each with twice the
 * cells in that direction if that fits, else half of them. On a 3D tube doubling both ways is 8× the cells
 * against 4× + 2× (a surface) or 2× + 4× (a curve), and the two runs share the lanes of a verify; their
 * changes add (`refinementChange`), an upper bound of the joint change when the directions' errors add.
 * `joint` (verify --refine, which refines from the joint check's grid) keeps the one run while it fits.
 */
export function resolutionCheckGrids(spec: CaseSpec, opts: { joint?: boolean } = {}): ResolutionCheckGrid[] | null {
  const g = spec.grid;
  if (g.kind !== 'tube') return null;
  const dim = spec.variables.length;
  const by = (f: number) => (v: number | [number, number]): number | [number, number] => {
    const one = (n: number) => Math.max(4, Math.round(n * f));
    return typeof v === 'number' ? one(v) : [one(v[0]), one(v[1])];
  };
  const fits = (t: typeof g) => tubeCells(t, dim) <= RESOLUTION_CHECK_MAX_CELLS;
  const both = { ...g, along: by(2)(g.along), across: by(2)(g.across) };
  const each = (['along', 'across'] as const).map((dir) => ({ ...g, [dir]: by(2)(g[dir]) }));
  const separately = each.reduce((t, e) => t + tubeCells(e, dim), 0);
  if (fits(both) && (opts.joint || tubeCells(both, dim) <= separately)) return [{ spec: { ...spec, grid: both }, changed: 'along+across', scale: 'twice' }];
  return (['along', 'across'] as const).map((dir, k) => {
    const twice = fits(each[k]);
    return { spec: { ...spec, grid: twice ? each[k] : { ...g, [dir]: by(0.5)(g[dir]) } }, changed: dir, scale: twice ? 'twice' : 'half' };
  });
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
  const checks = opts.resolutionCheck === false ? [] : (resolutionCheckGrids(spec, { joint: opts.refine === true }) ?? []);
  for (const c of checks) jobs.push({ spec: c.spec, eta: sorted[sorted.length - 1] });
  const { results, workers } = await runJobs(jobs, opts, sorted.length);
  const found = await verdictFromRuns(
    spec,
    { etas: sorted, runs: results.slice(0, sorted.length), checks, checkRuns: results.slice(sorted.length) },
    {
      ...(opts.particles ? { particles: opts.particles } : {}),
      ...(opts.refine ? { refine: (async (j) => (await runJobs(j, opts, sorted.length)).results) satisfies RunMany } : {}),
    },
  );
  return { ...found, workers, wallSeconds: (performance.now() - t0) / 1000 };
}

/** What a verdict is built from: the η runs (largest η first) and the resolution check's runs of the smallest η. */
export interface VerifyRuns {
  etas: number[];
  runs: RunSummary[];
  /** The check grids the `checkRuns` ran on (none: no resolution check). */
  checks: ResolutionCheckGrid[];
  checkRuns: RunSummary[];
}

/** The verdict of a set of runs: everything of a VerifyResult but how the runs were made. */
export type VerifyVerdict = Omit<VerifyResult, 'workers' | 'wallSeconds'>;

/**
 * The errors per η, the fitted orders, the resolution check, the verdict and its words, from run summaries —
 * shared by `verifyCase` (runs made here) and `verify --collect` (runs made by separate processes).
 * `refine`: reruns for `--refine` (absent: no refinement); `note`: appended to the verdict's words.
 */
export async function verdictFromRuns(
  spec: CaseSpec,
  v: VerifyRuns,
  o: { particles?: ParticleRunOptions; refine?: RunMany; note?: string } = {},
): Promise<VerifyVerdict> {
  const { etas: sorted, runs, checks, checkRuns } = v;
  const errors = verifyErrors(runs);
  const resolutionCheck = resolutionCheckOf(spec, checks, checkRuns, sorted, errors.li, runs[0].operator.alongOrder);
  const refined =
    o.refine && resolutionCheck && resolutionCheck.perEta.some((r) => !r.resolved) && checks.length === 1 && checks[0].changed === 'along+across'
      ? await refineUnresolved(spec, sorted, errors, resolutionCheck.perEta, checkRuns[0], o.refine)
      : undefined;
  const fits = fittedOrders(sorted, errors, refined, resolutionCheck);
  const final = refined ? refined.errors : errors;
  const verdict = verdictOf(final, { li: fits.final.li, seed: fits.final.seed }, { li: fits.final.meanLi, seed: fits.final.meanSeed });
  const perEta = refined?.perEta ?? resolutionCheck?.perEta ?? null;
  const unresolvedEtas = perEta ? perEta.filter((r) => !r.resolved).map((r) => r.eta) : [];
  const verdictDetail =
    verdictText(sorted, errors, fits.all, verdict) +
    resolutionText(resolutionCheck, fits, o.refine !== undefined && checks.length !== 1) +
    (refined ? refineText(sorted, refined) : '') +
    (o.note ?? '');
  const particles = o.particles ? particleColumns(sorted, runs, o.particles) : undefined;
  return {
    case: spec.name,
    etas: sorted,
    runs,
    ...(particles ? { particles } : {}),
    errors,
    order: { li: fits.resolved.li, seed: fits.resolved.seed },
    orderMean: { li: fits.resolved.meanLi, seed: fits.resolved.meanSeed },
    orderAllEtas: fits.all,
    verdict,
    verdictDetail,
    resolved: perEta ? unresolvedEtas.length === 0 : null,
    unresolvedEtas,
    resolutionCheck,
    ...(refined ? { refined } : {}),
  };
}

type Orders = { li: number; seed: number; meanLi: number; meanSeed: number };

/**
 * Orders over all η on the case's grid, over the resolved η (after --refine: their final errors; without a
 * resolution check every η counts as resolved), and over all η on their final grids (the verdict's).
 */
function fittedOrders(
  etas: number[],
  errors: VerifyErrors,
  refined: RefineResult | undefined,
  check: VerifyResult['resolutionCheck'],
): { all: Orders; resolved: Orders; final: Orders } {
  const over = (e: VerifyErrors, keep: boolean[] | null): Orders => ({
    li: fitOrderWhere(etas, e.li, keep),
    seed: fitOrderWhere(etas, e.seed, keep),
    meanLi: fitOrderWhere(etas, e.meanLi, keep),
    meanSeed: fitOrderWhere(etas, e.meanSeed, keep),
  });
  const all = over(errors, null);
  // The verdict's orders: over all η, on each η's final grid.
  if (refined) return { all, resolved: refined.order, final: over(refined.errors, null) };
  return { all, resolved: check ? over(errors, check.perEta.map((r) => r.resolved)) : all, final: all };
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

/**
 * Supported: the predicted motion along Γ converges to the FPE's (order of the mean error ≥ 0.5, or of the
 * L1 error ≥ 0.5) and beats the other formula in both measures at the smallest η.
 */
function verdictOf(errors: VerifyErrors, order: Record<Formula, number>, orderMean: Record<Formula, number>): VerifyResult['verdict'] {
  const last = errors.li.length - 1;
  const mean = (f: Formula) => (f === 'li' ? errors.meanLi : errors.meanSeed);
  const wins = (a: Formula, b: Formula) => (orderMean[a] >= 0.5 || order[a] >= 0.5) && errors[a][last] < errors[b][last] && mean(a)[last] < mean(b)[last];
  return wins('li', 'seed') ? 'li' : wins('seed', 'li') ? 'seed' : 'neither';
}

/**
 * The resolution check: the Li L1 error at the smallest η on each other grid, |ΔL1| against the case's grid,
 * the change a refinement makes, and per η whether that change is at most a third of the error.
 */
function resolutionCheckOf(
  spec: CaseSpec,
  checks: ResolutionCheckGrid[],
  checkRuns: RunSummary[],
  etas: number[],
  l1Li: number[],
  alongOrder: 1 | 2,
): VerifyResult['resolutionCheck'] {
  if (checks.length === 0 || !checkRuns.every((r) => r.along?.l1Li)) return null;
  const last = etas.length - 1;
  const rows: CheckRow[] = checks.map((c, i) => {
    const l1 = checkRuns[i].along!.l1Li!.at(-1)!;
    const g = c.spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>;
    return { changed: c.changed, scale: c.scale, along: g.along, across: g.across, l1Li: l1, delta: Math.abs(l1 - l1Li[last]) };
  });
  const change = refinementChange(rows, alongOrder);
  const perEta = resolutionPerEta(etas, l1Li, change, spec);
  // The error a resolved grid would show is at most the one measured on a finer grid (else on this one).
  const finer = rows.filter((r) => r.scale === 'twice').map((r) => r.l1Li);
  const under = perEta.filter((r) => !r.resolved);
  const target = under.length === 0 ? NaN : Math.min(...under.map((r) => r.l1Li), ...finer);
  const suggestion = under.length === 0 ? null : suggestGrid(spec, change, target, alongOrder);
  const disc = rows.reduce((t, r) => t + r.delta, 0);
  return { eta: etas[last], l1Li: l1Li[last], runs: rows, discretisationError: disc, change, share: RESOLVED_SHARE, resolved: perEta[last].resolved, perEta, suggestion };
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : '—');

/** The errors and the verdict, in words. */
function verdictText(sorted: number[], errors: VerifyErrors, all: Orders, verdict: VerifyResult['verdict']): string {
  const last = sorted.length - 1;
  const orderOf = (f: Formula) => (f === 'li' ? all.li : all.seed);
  const meanOf = (f: Formula) => (f === 'li' ? all.meanLi : all.meanSeed);
  return (
    `L1 error of the marginal along Γ at the end, at η = ${sorted.map(fmt).join(', ')}: ` +
    `Li ${errors.li.map(fmt).join(', ')} (order ${fmt(all.li)}); seed ${errors.seed.map(fmt).join(', ')} (order ${fmt(all.seed)}). ` +
    `End error of the mean along Γ: Li ${errors.meanLi.map(fmt).join(', ')} (order ${fmt(all.meanLi)}); seed ${errors.meanSeed.map(fmt).join(', ')} (order ${fmt(all.meanSeed)}). ` +
    (verdict === 'neither'
      ? 'Neither formula both converges (order ≥ 0.5 in the mean or in L1) and beats the other in both measures at the smallest η.'
      : `${verdict === 'li' ? 'Li–Wang–Arora' : 'the seed formula'} converges (mean order ${fmt(meanOf(verdict))}, L1 order ${fmt(orderOf(verdict))}) and has the smaller errors at η = ${fmt(sorted[last])}.`)
  );
}

/** The resolution check in words: what changed, which η are resolved, the order over those, the grid to use. */
function resolutionText(c: VerifyResult['resolutionCheck'], fits: { all: Orders; resolved: Orders }, refineUnavailable: boolean): string {
  if (!c) return '';
  const share = (v: number) => `${(100 * v).toFixed(0)} %`;
  const head =
    ` Resolution check at η = ${fmt(c.eta)}: L1 (Li) ${fmt(c.l1Li)} on this grid; ` +
    c.runs.map((r) => `${fmt(r.l1Li)} with ${r.scale} the cells ${r.changed === 'along+across' ? 'along and across' : r.changed} Γ`).join(', ') +
    `; a refinement changes it by ${fmt(c.change)} (${share(c.change / c.l1Li)} of it; resolved when at most a third` +
    (c.runs.some((r) => r.scale === 'half') ? ', a halved direction counted at its change divided by 2^order' : '') +
    ').';
  const under = c.perEta.filter((r) => !r.resolved);
  if (under.length === 0) return `${head} Resolved at every η (the change, measured at η = ${fmt(c.eta)}, is at most a third of each error).`;
  const resolvedEtas = c.perEta.filter((r) => r.resolved).map((r) => fmt(r.eta));
  const s = c.suggestion;
  return (
    `${head} Under-resolved at η = ${under.map((r) => fmt(r.eta) + (r.measured ? '' : ' (estimated)')).join(', ')}: there the grid, not averaging, sets the error and its order. ` +
    (resolvedEtas.length >= 2
      ? `Fitted order over the resolved η (${resolvedEtas.join(', ')}): Li ${fmt(fits.resolved.li)}, seed ${fmt(fits.resolved.seed)}. `
      : `Fewer than two resolved η: no order is fitted on resolved errors (over all η: Li ${fmt(fits.all.li)}). `) +
    (s ? `By the scheme's order ${s.order} along Γ, about ${s.factor}× the cells along and across (${gridText(s.along, s.across)}) would resolve them (an estimate; --refine measures).` : '') +
    (refineUnavailable ? ' --refine needs a check with twice the cells both ways, which is past the cell budget here.' : '')
  );
}

/** `--refine` in words: per level the grid, its η and its check; the order over the resolved final errors. */
function refineText(sorted: number[], r: RefineResult): string {
  const levels = r.levels.map(
    (l) => `η = ${l.etas.map(fmt).join(', ')} on ${gridText(l.along, l.across)} (check at η = ${fmt(sorted[sorted.length - 1])}: ${fmt(l.l1Li)} → ${fmt(l.l1LiNext)} with twice the cells, change ${fmt(l.change)})`,
  );
  const resolved = r.perEta.filter((e) => e.resolved);
  const under = r.perEta.filter((e) => !e.resolved);
  return (
    ` Refined (--refine): ${levels.join('; ')}. Final L1 (Li) ${r.errors.li.map(fmt).join(', ')}; seed ${r.errors.seed.map(fmt).join(', ')}. ` +
    (resolved.length >= 2 ? `Fitted order over the resolved errors (η = ${resolved.map((e) => fmt(e.eta)).join(', ')}): Li ${fmt(r.order.li)}, seed ${fmt(r.order.seed)}.` : 'Fewer than two resolved errors: no order fitted.') +
    (under.length ? ` Still under-resolved at η = ${under.map((e) => fmt(e.eta)).join(', ')}${r.stopped ? ` (${r.stopped})` : ''}.` : '')
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
  const what = p.mode === 'sgd' ? 'the learning rule' : `the SDE (${sdeSchemeLabel(p.sdeScheme)})`;
  const detail =
    `Particles (${p.n} runs of ${what} per η): mean along Γ at the end minus the FPE's = ${rows.map((r) => `${f(r.diffFpe)} (z ${f(r.zMeanFpe)})`).join(', ')} at η = ${etas.map(f).join(', ')}. ` +
    (resolved.length === 0
      ? 'Within 3 standard errors of the FPE at every η.'
      : `Outside 3 standard errors at η = ${resolved.map((r) => f(r.eta)).join(', ')}` +
        (orderDiffFpe !== null ? `; that difference scales as η^${f(orderDiffFpe)}` : '') +
        (p.mode === 'sgd'
          ? ' — the learning rule is Euler–Maruyama with dt = η², so it differs from the FPE by O(η).'
          : p.sdeScheme === 'euler'
            ? ' — the O(dt/η) bias of Euler–Maruyama; lower dtFactor or use the extrapolated scheme.'
            : ' — the O((dt/η)²) remainder of the extrapolated scheme, or a grid error of the FPE; lower dtFactor or refine the grid to tell which.'));
  return { mode: p.mode, n: p.n, seed: p.seed, rows, orderDiffFpe, detail };
}
