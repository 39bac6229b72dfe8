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

/** A run's measured drift profile against Li's and the seed's chart drift. */
export function driftProfileFigure(d: DriftProfileData): FigureSpec {
  const s = jsonArr(d.s);
  return {
    id: 'plot-drift-profile',
    heading: 'Drift along Γ',
    note:
      `The drift the full equation produces along Γ, f̄ = ∫(J + ½∂ₛ(Σ̄p))dt / ∫p dt with the flux J = −∫ˢ∂ₜp ds′ of its marginal, ` +
      `averaged over t = ${fmtNum(d.fromT, 3)} … ${fmtNum(d.toT, 3)} on the stations holding 99 % of the mass, against each formula's drift in the chart. ` +
      `Largest difference: Li ${pct(d.errLi)}, seed ${pct(d.errSeed)} of max |f̄|.`,
    data: [
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(d.measured), name: 'measured (full FPE)', line: { color: COLORS.fpe, width: 3 } },
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(d.li), name: 'Li–Wang–Arora', line: { color: COLORS.li, dash: 'dash', width: 2 } },
      { type: 'scatter', mode: 'lines', x: s, y: jsonArr(d.seed), name: 'seed', line: { color: COLORS.seed, dash: 'dot', width: 2 } },
    ],
    layout: AXES,
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
