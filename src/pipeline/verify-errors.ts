/** verify's error table: per η, each formula's L1 error along Γ and end error of the mean; fitted orders. */
import { InputError } from '../util/errors.js';
import type { RunSummary } from '../pipeline.js';

/** Per η (largest first): the L1 error at the end and its maximum over the frames, and the end error of the mean along Γ. */
export interface VerifyErrors {
  li: number[];
  seed: number[];
  maxLi: number[];
  maxSeed: number[];
  meanLi: number[];
  meanSeed: number[];
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

/** The fitted order of y against η over the entries where `keep` holds (all when keep is null). */
export function fitOrderWhere(etas: number[], y: number[], keep: boolean[] | null): number {
  const idx = etas.map((_, i) => i).filter((i) => !keep || keep[i]);
  return fitOrder(idx.map((i) => etas[i]), idx.map((i) => y[i]));
}

/** The error table of a list of runs (one per η). */
export function verifyErrors(runs: RunSummary[]): VerifyErrors {
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
