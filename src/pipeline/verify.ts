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
 * Verdict: a formula is supported when its error shrinks with η (fitted order
 * ≥ 0.5) and it is the smaller of the two at the smallest η; "neither" when no
 * formula qualifies, with the numbers in `verdictDetail`.
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
import type { RunSummary } from '../pipeline.js';

export interface VerifyOptions {
  /** Worker threads (default: available cores, at most the number of η). 1 runs in-process. */
  workers?: number;
  progress?: (fraction: number, message: string) => void;
}

export interface VerifyResult {
  case: string;
  etas: number[];
  runs: RunSummary[];
  errors: { li: number[]; seed: number[]; maxLi: number[]; maxSeed: number[]; meanLi: number[]; meanSeed: number[] };
  order: { li: number; seed: number };
  verdict: 'li' | 'seed' | 'neither';
  verdictDetail: string;
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
  const candidates = [join(here, 'verify-worker.js'), join(here, '..', '..', '..', 'dist', 'src', 'pipeline', 'verify-worker.js')];
  for (const c of candidates) if (existsSync(c)) return c;
  return null;
}

function runInWorker(script: string, spec: CaseSpec, eta: number): Promise<RunSummary> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script, { workerData: { spec, eta } });
    w.once('message', (msg: { ok: boolean; summary?: RunSummary; error?: { message: string; exitCode: number } }) => {
      if (msg.ok) resolve(msg.summary!);
      else reject(msg.error!.exitCode === 2 ? new InputError('case', msg.error!.message) : new NumericalError(msg.error!.message));
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new NumericalError(`verify worker for η = ${eta} exited with code ${code}`));
    });
  });
}

export async function verifyCase(spec: CaseSpec, etas: number[], opts: VerifyOptions = {}): Promise<VerifyResult> {
  const t0 = performance.now();
  if (etas.length < 2) throw new InputError('--eta', `verify needs at least two values of η, got ${etas.length}`);
  const sorted = [...etas].sort((a, b) => b - a);
  const script = workerScript();
  const want = Math.max(1, Math.min(opts.workers ?? availableParallelism(), sorted.length));
  const workers = script ? want : 1;
  const progress = opts.progress ?? (() => {});
  const runs: RunSummary[] = new Array(sorted.length);
  let done = 0;
  progress(0, `${sorted.length} runs on ${workers} worker(s)`);
  if (workers === 1) {
    const { runCase } = await import('../pipeline.js');
    for (let i = 0; i < sorted.length; i++) {
      runs[i] = await runCase(spec, { eta: sorted[i] });
      progress(++done / sorted.length, `η = ${sorted[i]} done`);
    }
  } else {
    let next = 0;
    const lane = async () => {
      while (next < sorted.length) {
        const i = next++;
        runs[i] = await runInWorker(script!, spec, sorted[i]);
        progress(++done / sorted.length, `η = ${sorted[i]} done`);
      }
    };
    await Promise.all(Array.from({ length: workers }, lane));
  }
  for (const r of runs) {
    if (!r.along || !r.along.l1Li || !r.along.l1Seed) {
      throw new InputError('grid.kind', 'verify compares the motion along Γ: it needs a tube grid around a curve (a Cartesian box or a surface has no averaged 1D problem in this build)');
    }
  }
  const maxOf = (a: number[]) => Math.max(...a);
  const lastOf = (a: number[]) => a[a.length - 1];
  const errors = {
    li: runs.map((r) => lastOf(r.along!.l1Li!)),
    seed: runs.map((r) => lastOf(r.along!.l1Seed!)),
    maxLi: runs.map((r) => maxOf(r.along!.l1Li!)),
    maxSeed: runs.map((r) => maxOf(r.along!.l1Seed!)),
    meanLi: runs.map((r) => r.along!.endErrLi!),
    meanSeed: runs.map((r) => r.along!.endErrSeed!),
  };
  const order = { li: fitOrder(sorted, errors.li), seed: fitOrder(sorted, errors.seed) };
  const last = sorted.length - 1;
  const liOk = order.li >= 0.5 && errors.li[last] < errors.seed[last];
  const seedOk = order.seed >= 0.5 && errors.seed[last] < errors.li[last];
  const verdict = liOk ? 'li' : seedOk ? 'seed' : 'neither';
  const fmt = (v: number) => v.toPrecision(3);
  const verdictDetail =
    `L1 error of the marginal along Γ at the end, at η = ${sorted.map(fmt).join(', ')}: ` +
    `Li ${errors.li.map(fmt).join(', ')} (order ${fmt(order.li)}); seed ${errors.seed.map(fmt).join(', ')} (order ${fmt(order.seed)}). ` +
    `End error of the mean along Γ: Li ${errors.meanLi.map(fmt).join(', ')}; seed ${errors.meanSeed.map(fmt).join(', ')}. ` +
    (verdict === 'neither'
      ? 'Neither formula both converges (order ≥ 0.5) and beats the other at the smallest η.'
      : `${verdict === 'li' ? 'Li–Wang–Arora' : 'the seed formula'} converges at order ${fmt(verdict === 'li' ? order.li : order.seed)} and has the smaller error at η = ${fmt(sorted[last])}.`);
  return {
    case: spec.name,
    etas: sorted,
    runs,
    errors,
    order,
    verdict,
    verdictDetail,
    workers,
    wallSeconds: (performance.now() - t0) / 1000,
  };
}


