/**
 * The finding of a run in words and a small table (the report's opening block, `ReportData.verdict`): the motion
 * along Γ against both formulas, the drift profile's errors, the Gaussian across Γ against ηΩ, mass and solver
 * health, and the particles' z-scores. Every number of the table is a field of summary.json, named by its key.
 */
import { fmtNum } from '../output/figure-kit.js';
import type { VerdictData, VerdictRow } from '../output/types.js';
import type { RunSummary } from './types.js';

/**
 * One sentence on the motion along Γ: which drift formula's averaged solution the Fokker–Planck mean follows,
 * with both end errors as shares of the distance moved. "Follows" needs an error ≤ 10 % of the move and at most
 * a third of the other formula's; otherwise neither is named. (One η only: `verify` judges the trend in η.)
 */
export function finding(endLi: number, endSeed: number, travelled: number): string {
  const pct = (e: number) => (travelled > 0 ? `${Number(((100 * e) / travelled).toPrecision(2))} %` : fmtNum(e, 4));
  const shares = `Li misses the mean by ${pct(endLi)} of the move, the seed formula by ${pct(endSeed)}`;
  const [best, other, name] = endLi <= endSeed ? [endLi, endSeed, 'Li–Wang–Arora'] : [endSeed, endLi, 'the seed formula'];
  if (travelled > 0 && best <= 0.1 * travelled && best <= other / 3) return `the motion along Γ follows ${name} (${shares})`;
  return `neither formula predicts the motion along Γ clearly at this η (${shares}); try gammafp verify`;
}

const pct = (v: number) => `${fmtNum(100 * v, 3)} %`;

/** A table row showing summary.json's `key` (its value `value`). */
function row(label: string, key: string, value: number | null | undefined, text?: (v: number) => string): VerdictRow[] {
  if (typeof value !== 'number') return [];
  return [{ label, key, value, text: text ? text(value) : fmtNum(value, 3) }];
}

/** The verdict block of a run's report. */
export function runVerdict(s: RunSummary): VerdictData {
  const sentences: string[] = [];
  const rows: VerdictRow[] = [];
  const a = s.along;
  if (a && a.endErrLi !== null && a.endErrSeed !== null) {
    sentences.push(`${capitalise(finding(a.endErrLi, a.endErrSeed, a.travelled))}.`);
    const share = (v: number) => (a.travelled > 0 ? `${fmtNum(v, 3)} (${pct(v / a.travelled)} of the move)` : fmtNum(v, 3));
    rows.push(
      ...row('motion along Γ, |meanFpe(end) − meanFpe(0)|', 'along.travelled', a.travelled),
      ...row('|meanFpe − meanLi| at the end', 'along.endErrLi', a.endErrLi, share),
      ...row('|meanFpe − meanSeed| at the end', 'along.endErrSeed', a.endErrSeed, share),
    );
  } else {
    sentences.push('This run has no comparison along Γ (a Cartesian box or a traced Γ): see the density and the step series.');
  }
  const d = a?.driftProfile;
  if (d) {
    sentences.push(
      `The drift the equation itself produces along Γ (measured from its marginal, t = ${fmtNum(d.fromT, 3)} … ${fmtNum(d.toT, 3)}) differs from Li's chart drift by ${pct(d.errLi)} and from the seed's by ${pct(d.errSeed)} of its maximum.`,
    );
    rows.push(
      ...row("drift profile vs Li's chart drift (max, share of max |f̄|)", 'along.driftProfile.errLi', d.errLi, pct),
      ...row("drift profile vs the seed's chart drift", 'along.driftProfile.errSeed', d.errSeed, pct),
    );
  }
  const x = s.across;
  if (x) {
    sentences.push(`Across Γ the conditional variance matches ηΩ to ${pct(x.varRelErrMax)} station by station (${pct(x.varRelErrPooled)} pooled), over the stations holding 99 % of the mass.`);
    rows.push(...row('variance across Γ vs ηΩ, largest station error', 'across.varRelErrMax', x.varRelErrMax, pct), ...row('variance across Γ vs ηΩ, pooled', 'across.varRelErrPooled', x.varRelErrPooled, pct));
  }
  rows.push(
    ...row('mass drift (max relative)', 'mass.relDriftMax', s.mass.relDriftMax),
    ...row('rejected steps', 'time.rejected', s.time.rejected, String),
    ...row('backward-Euler fallbacks', 'time.beFallbacks', s.time.beFallbacks, String),
  );
  particleRows(s, sentences, rows);
  const warnings = Array.isArray(s.warnings) ? (s.warnings as string[]) : [];
  return { sentences, rows, warnings };
}

/** The particles' z-scores of the mean at the end, with the O(η) note of the learning rule where it applies. */
function particleRows(s: RunSummary, sentences: string[], rows: VerdictRow[]): void {
  const p = s.particles;
  if (!p) return;
  const what = `particles (${p.mode}, n = ${p.n.toLocaleString('en-US')})`;
  rows.push(
    ...row(`${what}: z of the mean vs FPE at the end`, 'particles.end.zMeanFpe', p.end.zMeanFpe),
    ...row(`${what}: z vs Li`, 'particles.end.zMeanLi', p.end.zMeanLi),
    ...row(`${what}: z vs seed`, 'particles.zMeanSeed.-1', p.zMeanSeed?.at(-1)),
  );
  if (p.mode === 'sgd' && Math.abs(p.end.zMeanFpe) > 3) {
    sentences.push(
      `The learning rule's particles sit ${fmtNum(Math.abs(p.end.zMeanFpe), 3)} standard errors from the FPE: the rule is Euler–Maruyama with dt = η², an O(η) bias that more particles resolve but do not remove.`,
    );
  }
}

function capitalise(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}
