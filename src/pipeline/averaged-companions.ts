/**
 * The averaged problems that run beside the full one (DESIGN.md §6): one per drift formula (Li–Wang–Arora,
 * seed), each a 1D/2D problem on Γ started from the full density's marginal along Γ and stepped over the same
 * frame intervals, with the same finite-volume assembly and stepper.
 */
import type { CaseSpec } from '../case/types.js';
import { ImplicitStepper } from '../stepper/implicit.js';
import { averagedProblem, type AveragedProblem } from './averaged.js';
import { solverFactory, type Problem } from './problem.js';

export interface AvgRun {
  avg: AveragedProblem;
  /** Its density on its own cells. */
  p: Float64Array;
  stepper: ImplicitStepper;
}

/** The Li and the seed companion, started from the full problem's marginal `pFpe` along Γ. */
export function averagedCompanions(
  problem: Problem,
  spec: CaseSpec,
  pFpe: Float64Array,
  firstOrderAlong: boolean,
  progress: (fraction: number, message: string) => void,
): AvgRun[] {
  const runs: AvgRun[] = [];
  for (const formula of ['li', 'seed'] as const) {
    progress(0, `building the averaged problem (${formula})`);
    const avg = averagedProblem(problem, formula);
    runs.push({
      avg,
      p: avg.spread(pFpe, new Float64Array(avg.widths.length)),
      stepper: new ImplicitStepper(avg.K, avg.widths, {
        scheme: 'tr-bdf2',
        rtol: 1e-5,
        dtInitial: spec.time.end / 1000,
        makeSolver: solverFactory(avg.structure, 1e-12),
        ...avg.flux,
        l1Guard: !firstOrderAlong,
      }),
    });
  }
  return runs;
}
