/** The output folder of `verify`: report.html with the error–η plot and verdict table, summary.json, case.json. */
import type { CaseSpec } from '../case/types.js';
import { writeRunOutputs } from '../output/write-outputs.js';
import { gridText } from './resolution.js';
import type { VerifyResult } from './verify.js';

export async function writeVerifyOutputs(dir: string, spec: CaseSpec, r: VerifyResult): Promise<string[]> {
  const P = r.particles;
  const g = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : Number(v.toPrecision(3)));
  const rows = r.etas.map((eta, i) => [
    eta, r.errors.li[i], r.errors.seed[i], r.errors.meanLi[i], r.errors.meanSeed[i], resolvedCell(r, i), r.runs[i].time.steps, r.runs[i].wallSeconds,
    ...(P ? [`${P.rows[i].mean.toPrecision(5)} ± ${P.rows[i].se.toPrecision(2)}`, g(P.rows[i].zMeanFpe), g(P.rows[i].zMeanLi), g(P.rows[i].w1Fpe), g(P.rows[i].w1Li)] : []),
  ]);
  const columns = ['η', 'L1 Li', 'L1 seed', '|Δmean| Li', '|Δmean| seed', 'resolved', 'steps', 'wall s', ...(P ? [`particles (${P.mode}) mean ± SE`, 'z vs FPE', 'z vs Li', 'W1 vs FPE', 'W1 vs Li'] : [])];
  return writeRunOutputs(
    dir,
    {
      meta: {
        case: spec.name,
        description: spec.description,
        eta: r.etas[r.etas.length - 1],
        gridKind: r.runs[0].grid.kind,
        dim: spec.variables.length as 2 | 3,
        cells: r.runs[0].grid.cells,
        wallSeconds: r.wallSeconds,
        verdict: r.verdict,
        variables: spec.variables,
      },
      summary: {
        verdict: r.verdict,
        verdictDetail: r.verdictDetail,
        order: r.order,
        orderMean: r.orderMean,
        resolved: r.resolved,
        unresolvedEtas: r.unresolvedEtas,
        orderAllEtas: r.orderAllEtas,
        resolutionCheck: r.resolutionCheck,
        ...(r.refined ? { refined: r.refined } : {}),
        workers: r.workers,
        ...(P ? { particles: { mode: P.mode, n: P.n, seed: P.seed, orderDiffFpe: P.orderDiffFpe, detail: P.detail } } : {}),
      },
      verify: {
        eta: r.etas,
        errLi: r.errors.li,
        errSeed: r.errors.seed,
        orderLi: r.order.li,
        orderSeed: r.order.seed,
        verdict: r.verdict,
        table: { columns, rows },
      },
      series: { errors: { t: r.etas, columns: { l1Li: r.errors.li, l1Seed: r.errors.seed, meanErrLi: r.errors.meanLi, meanErrSeed: r.errors.meanSeed } } },
    },
    { summary: r, caseJson: spec },
  );
}

/** The verdict table's "resolved" cell of η number i: on the case's grid, or (after --refine) on which grid. */
function resolvedCell(r: VerifyResult, i: number): string {
  const e = r.refined?.perEta[i] ?? r.resolutionCheck?.perEta[i];
  if (!e) return '—';
  const how = e.resolved ? 'yes' : 'no';
  const where = e.level > 0 ? ` on ${gridText(e.along, e.across)}` : '';
  return `${how}${where}${e.measured ? '' : ' (estimated)'}`;
}
