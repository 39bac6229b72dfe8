/**
 * The output folder of `verify`: one report.html for all η (the verdict first, the error–η plot with its table,
 * every η's drift profile on one plot), summary.json, case.json.
 */
import type { CaseSpec } from '../case/types.js';
import { fmtNum } from '../output/figure-kit.js';
import type { VerdictData, VerdictRow } from '../output/types.js';
import { writeRunOutputs } from '../output/write-outputs.js';
import { gridText } from './resolution.js';
import type { VerifyResult } from './verify.js';

/** The verdict block of verify's report: its verdict sentence, the fitted orders, the errors at the smallest η. */
export function verifyVerdict(r: VerifyResult): VerdictData {
  const last = r.etas.length - 1;
  const pct = (v: number) => `${fmtNum(100 * v, 3)} %`;
  const rows: VerdictRow[] = [];
  const add = (label: string, key: string, value: number | null | undefined, text = (v: number) => fmtNum(v, 3)) => {
    if (typeof value === 'number') rows.push({ label, key, value, text: text(value) });
  };
  add('fitted order of the L1 error, Li', 'order.li', r.order.li);
  add('fitted order of the L1 error, seed', 'order.seed', r.order.seed);
  add(`L1 error at η = ${fmtNum(r.etas[last])}, Li`, 'errors.li.-1', r.errors.li[last]);
  add(`L1 error at η = ${fmtNum(r.etas[last])}, seed`, 'errors.seed.-1', r.errors.seed[last]);
  add(`|Δmean| at η = ${fmtNum(r.etas[last])}, Li`, 'errors.meanLi.-1', r.errors.meanLi[last]);
  add(`|Δmean| at η = ${fmtNum(r.etas[last])}, seed`, 'errors.meanSeed.-1', r.errors.meanSeed[last]);
  const sentences = [`Verdict: ${r.verdict}. ${r.verdictDetail}`];
  const d0 = r.runs[0].along?.driftProfile;
  const d1 = r.runs[last].along?.driftProfile;
  if (d0 && d1) {
    sentences.push(
      `The drift the equation produces along Γ differs from Li's chart drift by ${pct(d0.errLi)} of its maximum at η = ${fmtNum(r.etas[0])} and ${pct(d1.errLi)} at η = ${fmtNum(r.etas[last])}; from the seed's by ${pct(d0.errSeed)} and ${pct(d1.errSeed)}.`,
    );
    add(`drift profile vs Li at η = ${fmtNum(r.etas[last])}`, 'runs.-1.along.driftProfile.errLi', d1.errLi, pct);
    add(`drift profile vs seed at η = ${fmtNum(r.etas[last])}`, 'runs.-1.along.driftProfile.errSeed', d1.errSeed, pct);
  }
  add('change of the L1 error with a refinement (resolution check; resolved when ≤ a third)', 'resolutionCheck.change', r.resolutionCheck?.change);
  if (r.resolved === false) sentences.push(`Under-resolved at η = ${r.unresolvedEtas.map((e) => fmtNum(e)).join(', ')}: there the grid, not averaging, sets the error (see the verdict's detail).`);
  return { sentences, rows };
}

export async function writeVerifyOutputs(dir: string, spec: CaseSpec, r: VerifyResult): Promise<string[]> {
  const P = r.particles;
  const g = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : Number(v.toPrecision(3)));
  const rows = r.etas.map((eta, i) => [
    eta, r.errors.li[i], r.errors.seed[i], r.errors.meanLi[i], r.errors.meanSeed[i], resolvedCell(r, i), r.runs[i].time.steps, r.runs[i].wallSeconds,
    ...(P ? [`${P.rows[i].mean.toPrecision(5)} ± ${P.rows[i].se.toPrecision(2)}`, g(P.rows[i].zMeanFpe), g(P.rows[i].zMeanLi), g(P.rows[i].w1Fpe), g(P.rows[i].w1Li)] : []),
  ]);
  const columns = ['η', 'L1 Li', 'L1 seed', '|Δmean| Li', '|Δmean| seed', 'resolved', 'steps', 'wall s', ...(P ? [`particles (${P.mode}) mean ± SE`, 'z vs FPE', 'z vs Li', 'W1 vs FPE', 'W1 vs Li'] : [])];
  // On one plot: the curves' profiles (a surface's two components are in each run's own report).
  const profiles = r.runs.flatMap((run, i) => (run.along?.driftProfile?.chart === 'curve' ? [{ eta: r.etas[i], d: run.along.driftProfile }] : []));
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
      verdict: verifyVerdict(r),
      ...(profiles.length ? { driftProfiles: { eta: profiles.map((p) => p.eta), profiles: profiles.map((p) => p.d) } } : {}),
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
