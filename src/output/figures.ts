/**
 * Plotly figure specifications for a report: plain objects (data, layout,
 * frames) built from ReportData, with density frames downsampled and stored as
 * base64 float32 arrays. No physics here — only drawing. One function per
 * figure; `buildFigures` lists them in report order.
 */
import { densityFigure } from './density-figure.js';
import { driftProfileFigure, driftProfilesFigure } from './drift-figure.js';
import { pickFrameIndices } from './downsample.js';
import { animationControls, arr, COLORS, fmtNum, jsonArr, maxOf, timeLabel, type FigureOptions, type FigureSpec } from './figure-kit.js';
import type { AcrossVarianceData, MarginalData, MeanAlongData, ProfilesData, ReportData, VerifyData } from './types.js';

export { fmtNum, timeLabel, type FigureOptions, type FigureSpec } from './figure-kit.js';

/** A named series with its colour and dash. */
type Styled<T> = [name: string, values: T | undefined, color: string, dash: string];

function styledSets<T>(fpe: T, li: T | undefined, seed: T | undefined, exact: T | undefined): [string, T, string, string][] {
  const sets: Styled<T>[] = [
    ['full FPE', fpe, COLORS.fpe, 'solid'],
    ['averaged (Li)', li, COLORS.li, 'dash'],
    ['averaged (seed)', seed, COLORS.seed, 'dot'],
    ['exact', exact, COLORS.exact, 'longdash'],
  ];
  return sets.filter((e) => e[1] !== undefined) as [string, T, string, string][];
}

/** All figures present in `data`, in report order. */
export function buildFigures(data: ReportData, opts: FigureOptions = {}): FigureSpec[] {
  const o: Required<FigureOptions> = {
    maxFrames: opts.maxFrames ?? 60,
    maxSide2D: opts.maxSide2D ?? 64,
    maxSideMapped: opts.maxSideMapped ?? 96,
    maxSide3D: opts.maxSide3D ?? 24,
    maxPoints3D: opts.maxPoints3D ?? 6000,
  };
  const figs: (FigureSpec | null)[] = [
    data.density ? densityFigure(data, data.density, o) : null,
    data.marginal ? marginalFigure(data, data.marginal, o) : null,
    data.meanAlong ? meanAlongFigure(data, data.meanAlong) : null,
    data.driftProfile ? driftProfileFigure(data.driftProfile) : null,
    data.acrossVariance ? acrossVarianceFigure(data.acrossVariance, data.meta.eta) : null,
    data.profiles ? profilesFigure(data.profiles) : null,
    data.verify ? verifyFigure(data.verify) : null,
    data.driftProfiles && data.driftProfiles.profiles.length ? driftProfilesFigure(data.driftProfiles) : null,
  ];
  return figs.filter((f): f is FigureSpec => f !== null);
}

/** The marginal along Γ, animated: the full FPE against both averaged solutions and the particles' histogram. */
function marginalFigure(data: ReportData, m: MarginalData, o: Required<FigureOptions>): FigureSpec {
  const t = arr(m.t);
  const s = jsonArr(m.s);
  const keep = pickFrameIndices(m.fpe.length, o.maxFrames);
  const present = styledSets(m.fpe, m.li, m.seed, m.exact);
  // Particles: their histogram at the same frame times, drawn as steps.
  const ph = data.particles?.histogram && data.particles.histogram.p.length === m.fpe.length ? data.particles.histogram : undefined;
  const ymax = Math.max(...present.map((e) => maxOf(e[1])), ph ? maxOf(ph.p) : 0) * 1.08 || 1;
  const traceAt = (i: number) => [
    ...present.map((e) => ({ y: jsonArr(e[1][Math.min(i, e[1].length - 1)]) })),
    ...(ph ? [{ y: jsonArr(ph.p[i]) }] : []),
  ];
  const names = keep.map((_, k) => `f${k}`);
  const first = traceAt(keep[0]);
  return {
    id: 'plot-marginal',
    heading: 'Marginal along Γ',
    note:
      'The marginal p(s, t) of the full Fokker–Planck solution along Γ against the averaged (homogenised) solutions with the Li–Wang–Arora and the seed drift' +
      (ph ? `, and the histogram of the ${data.particles!.label.replace(/^particles: /, '')} particles.` : '.'),
    data: [
      ...present.map((e, k) => ({ type: 'scatter', mode: 'lines', x: s, y: first[k].y, name: e[0], line: { color: e[2], dash: e[3], width: 2 } })),
      ...(ph ? [{ type: 'scatter', mode: 'lines', x: jsonArr(ph.s), y: first[present.length].y, name: data.particles!.label, line: { color: COLORS.particles, shape: 'hvh', width: 1.5 }, opacity: 0.8 }] : []),
    ],
    frames: keep.map((i, k) => ({ name: names[k], data: traceAt(i), traces: first.map((_, j) => j) })),
    layout: {
      xaxis: { title: { text: 's (parameter along Γ)' } },
      yaxis: { title: { text: 'p(s, t)' }, range: [0, ymax] },
      height: 460,
      margin: { t: 30, b: 130 },
      legend: { orientation: 'h', y: 1.1 },
      ...animationControls(names, keep.map((i) => timeLabel(t[i], data.meta.eta)), false),
    },
  };
}

/** The mean position along Γ over time, with the particles' means ± 2 SE. */
function meanAlongFigure(data: ReportData, ma: MeanAlongData): FigureSpec {
  const eta = data.meta.eta;
  const t = arr(ma.t);
  const n = t.map((v) => Math.round(v / (eta * eta)));
  const lines = styledSets(ma.fpe, ma.li, ma.seed, ma.exact).map((e): Record<string, unknown> => ({
    type: 'scatter', mode: 'lines', x: t, y: jsonArr(e[1]), customdata: n, name: e[0],
    line: { color: e[2], dash: e[3], width: 2 }, hovertemplate: 't = %{x}<br>n = %{customdata} SGD steps<br>mean s = %{y}<extra>' + e[0] + '</extra>',
  }));
  const p = data.particles;
  const markers = p
    ? [{
        type: 'scatter', mode: 'markers', x: arr(p.t), y: jsonArr(p.mean), customdata: n, name: `${p.label} (±2 SE)`,
        marker: { color: COLORS.particles, size: 5 }, error_y: { type: 'data', array: jsonArr(Array.from(p.se, (v) => 2 * v)), visible: true, color: COLORS.particles, thickness: 1 },
        hovertemplate: 't = %{x}<br>n = %{customdata} SGD steps<br>mean s = %{y}<extra>particles</extra>',
      }]
    : [];
  return {
    id: 'plot-mean-along',
    heading: 'Mean position along Γ',
    note: 'The mean of the coordinate s along Γ over time. Hover shows the SGD step count n = t/η².',
    data: lines.concat(markers),
    layout: { xaxis: { title: { text: `t (slow time; n = t/η² = t × ${fmtNum(1 / (eta * eta))} SGD steps)` } }, yaxis: { title: { text: 'mean of s' } }, height: 400, margin: { t: 30 }, legend: { orientation: 'h', y: 1.12 } },
  };
}

/** The conditional variance across Γ per station against ηΩ. */
function acrossVarianceFigure(av: AcrossVarianceData, eta: number): FigureSpec {
  return {
    id: 'plot-across-variance',
    heading: 'Variance across Γ',
    note: `The conditional variance of the offset across Γ at each station s${av.t !== undefined ? ` (${timeLabel(av.t, eta)})` : ''} against the prediction ηΩ(s).`,
    data: [
      { type: 'scatter', mode: 'lines+markers', x: jsonArr(av.s), y: jsonArr(av.fpe), name: 'full FPE', line: { color: COLORS.fpe }, marker: { size: 4 } },
      { type: 'scatter', mode: 'lines', x: jsonArr(av.s), y: jsonArr(av.theory), name: 'ηΩ (theory)', line: { color: COLORS.li, dash: 'dash', width: 2 } },
    ],
    layout: { xaxis: { title: { text: 's (parameter along Γ)' } }, yaxis: { title: { text: 'variance across Γ' }, rangemode: 'tozero' }, height: 400, margin: { t: 30 }, legend: { orientation: 'h', y: 1.12 } },
  };
}

/** Profiles across Γ rescaled by √(ηΩ) against the standard normal density. */
function profilesFigure(pr: ProfilesData): FigureSpec {
  const z = arr(pr.z);
  const zmin = Math.min(...z), zmax = Math.max(...z);
  const zz = Array.from({ length: 201 }, (_, k) => zmin + ((zmax - zmin) * k) / 200);
  return {
    id: 'plot-profiles',
    heading: 'Profiles across Γ, rescaled',
    note: 'Conditional profiles across Γ at several stations and times, with the offset divided by √(ηΩ): they should collapse onto the standard normal density.',
    data: [
      ...pr.curves.map((c) => ({ type: 'scatter', mode: 'lines', x: jsonArr(pr.z), y: jsonArr(c.values), name: c.label, line: { width: 1.5 }, opacity: 0.85 })),
      { type: 'scatter', mode: 'lines', x: zz, y: zz.map((v) => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)), name: 'N(0, 1)', line: { color: COLORS.fpe, dash: 'dash', width: 3 } },
    ],
    layout: { xaxis: { title: { text: 'z = offset / √(ηΩ)' } }, yaxis: { title: { text: 'density' }, rangemode: 'tozero' }, height: 420, margin: { t: 30 } },
  };
}

/** The line of the given slope in log error against log η through the centroid of the positive finite points. */
function fitLine(eta: number[], err: number[], order: number): { x: number[]; y: number[] } | null {
  const ok = eta.map((e, k) => e > 0 && err[k] > 0 && Number.isFinite(err[k]));
  const le = eta.filter((_, k) => ok[k]).map(Math.log);
  const lr = err.filter((_, k) => ok[k]).map(Math.log);
  if (le.length === 0 || !Number.isFinite(order)) return null;
  const me = le.reduce((a, b) => a + b, 0) / le.length;
  const mr = lr.reduce((a, b) => a + b, 0) / lr.length;
  const lo = Math.min(...le), hi = Math.max(...le);
  return { x: [Math.exp(lo), Math.exp(hi)], y: [Math.exp(mr + order * (lo - me)), Math.exp(mr + order * (hi - me))] };
}

/** `verify`: each formula's error against η (log–log) with its fitted slope. */
function verifyFigure(v: VerifyData): FigureSpec {
  const eta = arr(v.eta);
  const traces: Record<string, unknown>[] = [];
  const add = (err: ArrayLike<number>, order: number, name: string, color: string) => {
    const e = arr(err);
    traces.push({ type: 'scatter', mode: 'markers', x: eta, y: jsonArr(e), name: `error (${name})`, marker: { color, size: 9 } });
    const f = fitLine(eta, e, order);
    if (f) traces.push({ type: 'scatter', mode: 'lines', ...f, name: `fit ${name}: slope ${fmtNum(order, 3)}`, line: { color, dash: 'dash' } });
  };
  add(v.errLi, v.orderLi, 'Li', COLORS.li);
  add(v.errSeed, v.orderSeed, 'seed', COLORS.seed);
  return {
    id: 'plot-verify',
    heading: 'Convergence in η',
    note: `Error of each averaged prediction against η (log–log) with the fitted slopes. Verdict: ${v.verdict}.`,
    data: traces,
    layout: { xaxis: { type: 'log', title: { text: 'η' } }, yaxis: { type: 'log', title: { text: 'error' }, dtick: 'D2' }, height: 420, margin: { t: 30 } },
  };
}
