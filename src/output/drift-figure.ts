/**
 * The drift along Γ: the one the full equation produces, measured from its marginal, against both formulas'
 * chart drifts (a run), and every η's measured profile on one plot (verify). No physics here — only drawing.
 */
import { COLORS, fmtNum, jsonArr, type FigureSpec } from './figure-kit.js';
import type { DriftProfileData, DriftProfilesByEta } from './types.js';

const AXES = {
  xaxis: { title: { text: 's (parameter along Γ)' } },
  yaxis: { title: { text: 'drift along Γ (ds/dt)' } },
  height: 420,
  margin: { t: 30 },
  legend: { orientation: 'h', y: 1.12 },
};

const pct = (v: number) => `${fmtNum(100 * v, 3)} %`;

/** A run's measured drift profile against Li's and the seed's chart drift: one panel per chart coordinate. */
export function driftProfileFigure(d: DriftProfileData): FigureSpec {
  const n = d.lines.length;
  const data = d.lines.flatMap(({ axis, line }, k) => {
    const on = k === 0 ? {} : { xaxis: `x${k + 1}`, yaxis: `y${k + 1}` };
    const s = jsonArr(line.s);
    const tag = n > 1 ? ` (${axis})` : '';
    return [
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(line.measured), name: `measured (full FPE)${tag}`, line: { color: COLORS.fpe, width: 3 }, ...on },
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(line.li), name: `Li–Wang–Arora${tag}`, line: { color: COLORS.li, dash: 'dash', width: 2 }, ...on },
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(line.seed), name: `seed${tag}`, line: { color: COLORS.seed, dash: 'dot', width: 2 }, ...on },
    ];
  });
  const axes: Record<string, unknown> = {};
  d.lines.forEach(({ axis }, k) => {
    const sfx = k === 0 ? '' : String(k + 1);
    axes[`xaxis${sfx}`] = { title: { text: n > 1 ? `${axis} (chart coordinate)` : 's (parameter along Γ)' } };
    axes[`yaxis${sfx}`] = { title: { text: n > 1 ? `drift d${axis}/dt` : 'drift along Γ (ds/dt)' } };
  });
  return {
    id: 'plot-drift-profile',
    heading: 'Drift along Γ',
    note:
      `The drift the full equation produces along Γ, f̄ = ∫(J + ½∂ₛ(Σ̄p))dt / ∫p dt with the flux J = −∫ˢ∂ₜp ds′ of its marginal, ` +
      `averaged over t = ${fmtNum(d.fromT, 3)} … ${fmtNum(d.toT, 3)} on the stations holding 99 % of the mass, against each formula's drift in the chart` +
      (n > 1 ? ' (on a surface, per chart coordinate, from the marginal in that coordinate; the formulas averaged with the same weight). ' : '. ') +
      `Largest difference: Li ${pct(d.errLi)}, seed ${pct(d.errSeed)} of max |f̄|.`,
    data,
    layout: { ...AXES, ...axes, height: 420 * n, ...(n > 1 ? { grid: { rows: n, columns: 1, pattern: 'independent' } } : {}) },
  };
}

/** verify: the measured profile of every η, with both formulas' chart drifts over the union of their ranges. */
export function driftProfilesFigure(v: DriftProfilesByEta): FigureSpec {
  const grey = (k: number) => `hsl(0, 0%, ${Math.round(70 - (60 * k) / Math.max(1, v.eta.length - 1))}%)`;
  // The formulas from the profile with the widest range (their chart drifts do not depend on η).
  const widest = v.profiles.reduce((w, p) => (p.s.length > w.s.length ? p : w), v.profiles[0]);
  return {
    id: 'plot-drift-profiles',
    heading: 'Drift along Γ for every η',
    note: 'The drift the full equation produces along Γ (measured from its marginal over the slow phase) at each η, darker for smaller η, against both formulas\' chart drifts: it converges to the supported formula as η → 0.',
    data: [
      ...v.profiles.map((p, k) => ({ type: 'scatter', mode: 'lines', x: jsonArr(p.s), y: jsonArr(p.measured), name: `measured, η = ${fmtNum(v.eta[k])} (Li ${pct(p.errLi)})`, line: { color: grey(k), width: 2 } })),
      { type: 'scatter', mode: 'lines', x: jsonArr(widest.s), y: jsonArr(widest.li), name: 'Li–Wang–Arora', line: { color: COLORS.li, dash: 'dash', width: 2 } },
      { type: 'scatter', mode: 'lines', x: jsonArr(widest.s), y: jsonArr(widest.seed), name: 'seed', line: { color: COLORS.seed, dash: 'dot', width: 2 } },
    ],
    layout: AXES,
  };
}
