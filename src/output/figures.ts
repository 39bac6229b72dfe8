/**
 * Plotly figure specifications for a report: plain objects (data, layout,
 * frames) built from ReportData, with density frames downsampled and stored as
 * base64 float32 arrays. No physics here — only drawing.
 */
import type { DensityData, Polyline, ReportData } from './types.js';
import { encodeB64 } from './typed-b64.js';
import { blockAverager, densestPoints, mappedResampler, pickFrameIndices, type FrameReducer } from './downsample.js';

/** One plot of the report. */
export interface FigureSpec {
  /** DOM id of the plot's div. */
  id: string;
  /** Section heading. */
  heading: string;
  /** One or two sentences under the heading: what the picture shows. */
  note: string;
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  frames?: Record<string, unknown>[];
}

/** Limits on what goes into the file. */
export interface FigureOptions {
  /** Frames kept per animation (default 60; 3D densities 40). */
  maxFrames?: number;
  /** Cells per side of a 2D Cartesian density (default 64). */
  maxSide2D?: number;
  /** Pixels per side of a resampled tube density (default 96). */
  maxSideMapped?: number;
  /** Cells per side of a 3D Cartesian density (default 24). */
  maxSide3D?: number;
  /** Points of a scattered 3D density (default 6000). */
  maxPoints3D?: number;
}

const COLORS = { fpe: '#111111', li: '#1f77b4', seed: '#ff7f0e', exact: '#2ca02c', gamma: '#e31a1c', band: '#ffffff', particles: '#9467bd' };

/** Short number: 4 significant digits, no trailing zeros. */
export function fmtNum(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(digits)));
  return v.toExponential(digits - 1).replace(/\.?0+e/, 'e');
}

/** "t = 0.125 (n = 1,250 SGD steps)" with n = t/η². */
export function timeLabel(t: number, eta: number): string {
  const n = Math.round(t / (eta * eta));
  return `t = ${fmtNum(t)} (n = ${n.toLocaleString('en-US')} SGD steps)`;
}

function arr(a: ArrayLike<number>): number[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : NaN));
}

/** JSON has no NaN: non-finite values become null (a gap in a line). */
function jsonArr(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : null));
}

function maxOf(rows: ArrayLike<number>[]): number {
  let m = 0;
  for (const r of rows) for (let i = 0; i < r.length; i++) if (Number.isFinite(r[i]) && r[i] > m) m = r[i];
  return m;
}

/** Play/pause buttons and a time slider over frames named f0, f1, …. */
function animationControls(names: string[], labels: string[], redraw: boolean): Record<string, unknown> {
  const frameOpts = (duration: number) => ({ mode: 'immediate', frame: { duration, redraw }, transition: { duration: 0 } });
  return {
    updatemenus: [
      {
        type: 'buttons',
        direction: 'left',
        showactive: false,
        x: 0,
        y: 0,
        xanchor: 'left',
        yanchor: 'top',
        pad: { t: 50, r: 10 },
        buttons: [
          { label: '▶ Play', method: 'animate', args: [null, { ...frameOpts(120), fromcurrent: true }] },
          { label: '❚❚ Pause', method: 'animate', args: [[null], frameOpts(0)] },
        ],
      },
    ],
    sliders: [
      {
        active: 0,
        x: 0.22,
        len: 0.78,
        y: 0,
        yanchor: 'top',
        pad: { t: 40 },
        font: { color: 'rgba(0,0,0,0)', size: 1 },
        ticklen: 3,
        currentvalue: { visible: true, prefix: '', xanchor: 'left', font: { size: 13, color: '#333' } },
        steps: names.map((name, k) => ({ label: labels[k], method: 'animate', args: [[name], frameOpts(0)] })),
      },
    ],
  };
}

function lineTrace(p: Polyline, name: string, color: string, dash: string, width: number, showlegend = true): Record<string, unknown> {
  return { type: 'scatter', mode: 'lines', x: jsonArr(p.x), y: jsonArr(p.y), name, line: { color, dash, width }, hoverinfo: 'skip', showlegend };
}

function axisNames(data: ReportData): string[] {
  return data.meta.variables && data.meta.variables.length >= data.meta.dim ? data.meta.variables : ['θ₁', 'θ₂', 'θ₃'];
}

function densityFigure(data: ReportData, d: DensityData, o: Required<FigureOptions>): FigureSpec {
  const eta = data.meta.eta;
  const names3 = axisNames(data);
  const t = arr(d.t);
  if (t.length !== d.frames.length) {
    throw new Error(`density: ${d.frames.length} frames but ${t.length} times`);
  }
  const is3D = d.kind === 'volume-cartesian' || d.kind === 'points-3d';
  const keep = pickFrameIndices(d.frames.length, is3D ? Math.min(o.maxFrames, 40) : o.maxFrames);
  const names = keep.map((_, k) => `f${k}`);
  const labels = keep.map((i) => timeLabel(t[i], eta));
  const common = { colorscale: 'Viridis', colorbar: { title: { text: 'ρ' }, thickness: 14 } };
  if (d.kind === 'heatmap-cartesian' || d.kind === 'mapped-2d') {
    const red: FrameReducer =
      d.kind === 'heatmap-cartesian'
        ? blockAverager([d.x, d.y], o.maxSide2D)
        : mappedResampler(d.x, d.y, d.shape, d.periodic ?? [false, false], o.maxSideMapped);
    const [nx, ny] = red.shape;
    const buf = new Float32Array(nx * ny);
    const z = (i: number) => encodeB64(red.reduce(d.frames[i], buf), 'f4', [ny, nx]);
    const px = Array.from(red.coords[0]);
    const py = Array.from(red.coords[1]);
    const hx = nx > 1 ? (px[1] - px[0]) / 2 : 0.5;
    const hy = ny > 1 ? (py[1] - py[0]) / 2 : 0.5;
    const traces: Record<string, unknown>[] = [
      { type: 'heatmap', x: px, y: py, z: z(keep[0]), ...common, zsmooth: d.kind === 'heatmap-cartesian' ? 'best' : false, hoverongaps: false, name: 'ρ' },
    ];
    (data.gammaCurve ?? []).forEach((g, k) => traces.push(lineTrace(g, 'Γ', COLORS.gamma, 'solid', 2, k === 0)));
    if (data.band) data.band.forEach((b, k) => traces.push(lineTrace(b, 'fitted ±2σ', COLORS.band, 'dash', 1.5, k === 0)));
    const frames = keep.map((i, k) => ({ name: names[k], data: [{ z: z(i) }], traces: [0] }));
    return {
      id: 'plot-density',
      heading: 'Density',
      note:
        d.kind === 'mapped-2d'
          ? 'The density ρ(θ, t) in physical coordinates (the tube grid resampled onto a regular box; blank = outside the grid), Γ in red, the fitted ±2σ band dashed.'
          : 'The density ρ(θ, t) on the Cartesian box, Γ in red, the fitted ±2σ band dashed.',
      data: traces,
      layout: {
        xaxis: { title: { text: names3[0] }, range: [px[0] - hx, px[nx - 1] + hx], constrain: 'domain' },
        yaxis: { title: { text: names3[1] }, range: [py[0] - hy, py[ny - 1] + hy], scaleanchor: 'x', scaleratio: 1, constrain: 'domain' },
        legend: { orientation: 'h', x: 0, y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(120,120,120,0.35)' },
        height: 620,
        margin: { t: 40, b: 130 },
        ...animationControls(names, labels, true),
      },
      frames,
    };
  }
  // 3D
  const scene = {
    xaxis: { title: { text: names3[0] } },
    yaxis: { title: { text: names3[1] } },
    zaxis: { title: { text: names3[2] } },
    aspectmode: 'data',
  };
  const gammaTraces = (data.gammaCurve ?? []).map((g, k) => ({
    type: 'scatter3d', mode: 'lines', x: jsonArr(g.x), y: jsonArr(g.y), z: jsonArr(g.z ?? []), name: 'Γ', line: { color: COLORS.gamma, width: 5 }, showlegend: k === 0,
  }));
  let traces: Record<string, unknown>[];
  let frames: Record<string, unknown>[];
  if (d.kind === 'volume-cartesian') {
    const red = blockAverager([d.x, d.y, d.z], o.maxSide3D);
    const [nx, ny, nz] = red.shape;
    const npt = nx * ny * nz;
    const X = new Float32Array(npt), Y = new Float32Array(npt), Z = new Float32Array(npt);
    for (let l = 0; l < nz; l++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) {
      const p = i + nx * (j + ny * l);
      X[p] = red.coords[0][i]; Y[p] = red.coords[1][j]; Z[p] = red.coords[2][l];
    }
    const buf = new Float32Array(npt);
    const iso = (i: number) => {
      const v = red.reduce(d.frames[i], buf);
      let m = 0;
      for (let p = 0; p < npt; p++) if (v[p] > m) m = v[p];
      return { value: encodeB64(v), isomin: 0.1 * m, isomax: 0.8 * m };
    };
    traces = [
      {
        type: 'isosurface', x: encodeB64(X), y: encodeB64(Y), z: encodeB64(Z), ...iso(keep[0]),
        surface: { count: 3 }, caps: { x: { show: false }, y: { show: false }, z: { show: false } }, opacity: 0.45, ...common, name: 'ρ',
      },
      ...gammaTraces,
    ];
    frames = keep.map((i, k) => ({ name: names[k], data: [iso(i)], traces: [0] }));
  } else {
    const n = d.x.length;
    const sel = densestPoints(d.frames, n, o.maxPoints3D);
    const pick = (a: ArrayLike<number>) => {
      const r = new Float32Array(sel.length);
      for (let k = 0; k < sel.length; k++) r[k] = a[sel[k]];
      return encodeB64(r);
    };
    traces = [
      { type: 'scatter3d', mode: 'markers', x: pick(d.x), y: pick(d.y), z: pick(d.z), marker: { size: 2.5, color: pick(d.frames[keep[0]]), opacity: 0.7, ...common }, name: 'ρ' },
      ...gammaTraces,
    ];
    frames = keep.map((i, k) => ({ name: names[k], data: [{ marker: { color: pick(d.frames[i]), opacity: 0.7, ...common } }], traces: [0] }));
  }
  return {
    id: 'plot-density',
    heading: 'Density',
    note: d.kind === 'volume-cartesian' ? 'Isosurfaces of ρ(θ, t) at 10–80 % of the frame maximum, Γ in red.' : 'ρ(θ, t) at the grid cells (the densest cells), coloured by density, Γ in red.',
    data: traces,
    layout: { scene, height: 640, margin: { t: 30, b: 120 }, legend: { orientation: 'h' }, ...animationControls(names, labels, true) },
    frames,
  };
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
  const eta = data.meta.eta;
  const figs: FigureSpec[] = [];
  if (data.density) figs.push(densityFigure(data, data.density, o));

  const m = data.marginal;
  if (m) {
    const t = arr(m.t);
    const s = jsonArr(m.s);
    const keep = pickFrameIndices(m.fpe.length, o.maxFrames);
    const sets: [string, ArrayLike<number>[] | undefined, string, string][] = [
      ['full FPE', m.fpe, COLORS.fpe, 'solid'],
      ['averaged (Li)', m.li, COLORS.li, 'dash'],
      ['averaged (seed)', m.seed, COLORS.seed, 'dot'],
      ['exact', m.exact, COLORS.exact, 'longdash'],
    ];
    const present = sets.filter((e) => e[1] !== undefined) as [string, ArrayLike<number>[], string, string][];
    // Particles: their histogram at the same frame times, drawn as steps.
    const ph = data.particles?.histogram && data.particles.histogram.p.length === m.fpe.length ? data.particles.histogram : undefined;
    const ymax = Math.max(...present.map((e) => maxOf(e[1])), ph ? maxOf(ph.p) : 0) * 1.08 || 1;
    const traceAt = (i: number) => [
      ...present.map((e) => ({ y: jsonArr(e[1][Math.min(i, e[1].length - 1)]) })),
      ...(ph ? [{ y: jsonArr(ph.p[i]) }] : []),
    ];
    const names = keep.map((_, k) => `f${k}`);
    const first = traceAt(keep[0]);
    figs.push({
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
        ...animationControls(names, keep.map((i) => timeLabel(t[i], eta)), false),
      },
    });
  }

  const ma = data.meanAlong;
  if (ma) {
    const t = arr(ma.t);
    const n = t.map((v) => Math.round(v / (eta * eta)));
    const sets: [string, ArrayLike<number> | undefined, string, string][] = [
      ['full FPE', ma.fpe, COLORS.fpe, 'solid'],
      ['averaged (Li)', ma.li, COLORS.li, 'dash'],
      ['averaged (seed)', ma.seed, COLORS.seed, 'dot'],
      ['exact', ma.exact, COLORS.exact, 'longdash'],
    ];
    figs.push({
      id: 'plot-mean-along',
      heading: 'Mean position along Γ',
      note: 'The mean of the coordinate s along Γ over time. Hover shows the SGD step count n = t/η².',
      data: sets
        .filter((e) => e[1] !== undefined)
        .map((e): Record<string, unknown> => ({
          type: 'scatter', mode: 'lines', x: t, y: jsonArr(e[1] as ArrayLike<number>), customdata: n, name: e[0],
          line: { color: e[2], dash: e[3], width: 2 }, hovertemplate: 't = %{x}<br>n = %{customdata} SGD steps<br>mean s = %{y}<extra>' + e[0] + '</extra>',
        }))
        .concat(
          data.particles
            ? [{
                type: 'scatter', mode: 'markers', x: arr(data.particles.t), y: jsonArr(data.particles.mean), customdata: n, name: `${data.particles.label} (±2 SE)`,
                marker: { color: COLORS.particles, size: 5 }, error_y: { type: 'data', array: jsonArr(Array.from(data.particles.se, (v) => 2 * v)), visible: true, color: COLORS.particles, thickness: 1 },
                hovertemplate: 't = %{x}<br>n = %{customdata} SGD steps<br>mean s = %{y}<extra>particles</extra>',
              }]
            : [],
        ),
      layout: { xaxis: { title: { text: `t (slow time; n = t/η² = t × ${fmtNum(1 / (eta * eta))} SGD steps)` } }, yaxis: { title: { text: 'mean of s' } }, height: 400, margin: { t: 30 }, legend: { orientation: 'h', y: 1.12 } },
    });
  }

  const av = data.acrossVariance;
  if (av) {
    figs.push({
      id: 'plot-across-variance',
      heading: 'Variance across Γ',
      note: `The conditional variance of the offset across Γ at each station s${av.t !== undefined ? ` (${timeLabel(av.t, eta)})` : ''} against the prediction ηΩ(s).`,
      data: [
        { type: 'scatter', mode: 'lines+markers', x: jsonArr(av.s), y: jsonArr(av.fpe), name: 'full FPE', line: { color: COLORS.fpe }, marker: { size: 4 } },
        { type: 'scatter', mode: 'lines', x: jsonArr(av.s), y: jsonArr(av.theory), name: 'ηΩ (theory)', line: { color: COLORS.li, dash: 'dash', width: 2 } },
      ],
      layout: { xaxis: { title: { text: 's (parameter along Γ)' } }, yaxis: { title: { text: 'variance across Γ' }, rangemode: 'tozero' }, height: 400, margin: { t: 30 }, legend: { orientation: 'h', y: 1.12 } },
    });
  }

  const pr = data.profiles;
  if (pr) {
    const z = arr(pr.z);
    const zmin = Math.min(...z), zmax = Math.max(...z);
    const zz = Array.from({ length: 201 }, (_, k) => zmin + ((zmax - zmin) * k) / 200);
    figs.push({
      id: 'plot-profiles',
      heading: 'Profiles across Γ, rescaled',
      note: 'Conditional profiles across Γ at several stations and times, with the offset divided by √(ηΩ): they should collapse onto the standard normal density.',
      data: [
        ...pr.curves.map((c) => ({ type: 'scatter', mode: 'lines', x: jsonArr(pr.z), y: jsonArr(c.values), name: c.label, line: { width: 1.5 }, opacity: 0.85 })),
        { type: 'scatter', mode: 'lines', x: zz, y: zz.map((v) => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI)), name: 'N(0, 1)', line: { color: COLORS.fpe, dash: 'dash', width: 3 } },
      ],
      layout: { xaxis: { title: { text: 'z = offset / √(ηΩ)' } }, yaxis: { title: { text: 'density' }, rangemode: 'tozero' }, height: 420, margin: { t: 30 } },
    });
  }

  const v = data.verify;
  if (v) {
    const eta_ = arr(v.eta);
    const fitLine = (err: number[], order: number) => {
      const ok = eta_.map((e, k) => e > 0 && err[k] > 0 && Number.isFinite(err[k]));
      const le = eta_.filter((_, k) => ok[k]).map(Math.log);
      const lr = err.filter((_, k) => ok[k]).map(Math.log);
      if (le.length === 0 || !Number.isFinite(order)) return null;
      const me = le.reduce((a, b) => a + b, 0) / le.length;
      const mr = lr.reduce((a, b) => a + b, 0) / lr.length;
      const lo = Math.min(...le), hi = Math.max(...le);
      return { x: [Math.exp(lo), Math.exp(hi)], y: [Math.exp(mr + order * (lo - me)), Math.exp(mr + order * (hi - me))] };
    };
    const data_: Record<string, unknown>[] = [];
    const add = (err: ArrayLike<number>, order: number, name: string, color: string) => {
      const e = arr(err);
      data_.push({ type: 'scatter', mode: 'markers', x: eta_, y: jsonArr(e), name: `error (${name})`, marker: { color, size: 9 } });
      const f = fitLine(e, order);
      if (f) data_.push({ type: 'scatter', mode: 'lines', ...f, name: `fit ${name}: slope ${fmtNum(order, 3)}`, line: { color, dash: 'dash' } });
    };
    add(v.errLi, v.orderLi, 'Li', COLORS.li);
    add(v.errSeed, v.orderSeed, 'seed', COLORS.seed);
    figs.push({
      id: 'plot-verify',
      heading: 'Convergence in η',
      note: `Error of each averaged prediction against η (log–log) with the fitted slopes. Verdict: ${v.verdict}.`,
      data: data_,
      layout: { xaxis: { type: 'log', title: { text: 'η' } }, yaxis: { type: 'log', title: { text: 'error' }, dtick: 'D2' }, height: 420, margin: { t: 30 } },
    });
  }
  return figs;
}
