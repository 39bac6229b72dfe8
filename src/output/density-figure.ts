/**
 * The density animation of the report: a heat map in the plane (a Cartesian box block-averaged, a tube grid
 * resampled onto a regular box), isosurfaces of a 3D box, or the densest cells of a 3D tube or shell as
 * coloured markers. Frames are downsampled in time and stored as base64 float32 arrays.
 */
import { blockAverager, densestPoints, mappedResampler, pickFrameIndices, type FrameReducer } from './downsample.js';
import { animationControls, arr, axisNames, COLORS, jsonArr, lineTrace, timeLabel, type FigureOptions, type FigureSpec } from './figure-kit.js';
import { encodeB64 } from './typed-b64.js';
import type { DensityCartesian2D, DensityCartesian3D, DensityData, DensityMapped2D, DensityPoints3D, ReportData } from './types.js';

/** The frames an animation keeps, their names (f0, f1, …) and slider labels. */
interface FramePlan {
  keep: number[];
  names: string[];
  labels: string[];
}

/** Traces and frames of one density picture. */
interface Animated {
  traces: Record<string, unknown>[];
  frames: Record<string, unknown>[];
}

const COLOUR_BAR = { colorscale: 'Viridis', colorbar: { title: { text: 'ρ' }, thickness: 14 } };

export function densityFigure(data: ReportData, d: DensityData, o: Required<FigureOptions>): FigureSpec {
  const t = arr(d.t);
  if (t.length !== d.frames.length) {
    throw new Error(`density: ${d.frames.length} frames but ${t.length} times`);
  }
  const is3D = d.kind === 'volume-cartesian' || d.kind === 'points-3d';
  const keep = pickFrameIndices(d.frames.length, is3D ? Math.min(o.maxFrames, 40) : o.maxFrames);
  const plan: FramePlan = { keep, names: keep.map((_, k) => `f${k}`), labels: keep.map((i) => timeLabel(t[i], data.meta.eta)) };
  if (d.kind === 'heatmap-cartesian' || d.kind === 'mapped-2d') return planeDensity(data, d, o, plan);
  const names3 = axisNames(data);
  const scene = {
    xaxis: { title: { text: names3[0] } },
    yaxis: { title: { text: names3[1] } },
    zaxis: { title: { text: names3[2] } },
    aspectmode: 'data',
  };
  const { traces, frames } = d.kind === 'volume-cartesian' ? isosurfaces(d, o, plan) : densestMarkers(d, o, plan);
  traces.push(...gamma3d(data));
  return {
    id: 'plot-density',
    heading: 'Density',
    note: d.kind === 'volume-cartesian' ? 'Isosurfaces of ρ(θ, t) at 10–80 % of the frame maximum, Γ in red.' : 'ρ(θ, t) at the grid cells (the densest cells), coloured by density, Γ in red.',
    data: traces,
    layout: { scene, height: 640, margin: { t: 30, b: 120 }, legend: { orientation: 'h' }, ...animationControls(plan.names, plan.labels, true) },
    frames,
  };
}

/** A heat map in the plane with Γ and the fitted ±2σ band. */
function planeDensity(data: ReportData, d: DensityCartesian2D | DensityMapped2D, o: Required<FigureOptions>, plan: FramePlan): FigureSpec {
  const names3 = axisNames(data);
  const red: FrameReducer =
    d.kind === 'heatmap-cartesian' ? blockAverager([d.x, d.y], o.maxSide2D) : mappedResampler(d.x, d.y, d.shape, d.periodic ?? [false, false], o.maxSideMapped);
  const [nx, ny] = red.shape;
  const buf = new Float32Array(nx * ny);
  const z = (i: number) => encodeB64(red.reduce(d.frames[i], buf), 'f4', [ny, nx]);
  const px = Array.from(red.coords[0]);
  const py = Array.from(red.coords[1]);
  const hx = nx > 1 ? (px[1] - px[0]) / 2 : 0.5;
  const hy = ny > 1 ? (py[1] - py[0]) / 2 : 0.5;
  const traces: Record<string, unknown>[] = [
    { type: 'heatmap', x: px, y: py, z: z(plan.keep[0]), ...COLOUR_BAR, zsmooth: d.kind === 'heatmap-cartesian' ? 'best' : false, hoverongaps: false, name: 'ρ' },
  ];
  (data.gammaCurve ?? []).forEach((g, k) => traces.push(lineTrace(g, 'Γ', COLORS.gamma, 'solid', 2, k === 0)));
  if (data.band) data.band.forEach((b, k) => traces.push(lineTrace(b, 'fitted ±2σ', COLORS.band, 'dash', 1.5, k === 0)));
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
      ...animationControls(plan.names, plan.labels, true),
    },
    frames: plan.keep.map((i, k) => ({ name: plan.names[k], data: [{ z: z(i) }], traces: [0] })),
  };
}

/** Γ as 3D lines. */
function gamma3d(data: ReportData): Record<string, unknown>[] {
  return (data.gammaCurve ?? []).map((g, k) => ({
    type: 'scatter3d', mode: 'lines', x: jsonArr(g.x), y: jsonArr(g.y), z: jsonArr(g.z ?? []), name: 'Γ', line: { color: COLORS.gamma, width: 5 }, showlegend: k === 0,
  }));
}

/** Isosurfaces of a 3D box density at 10, 45 and 80 % of each frame's maximum (block-averaged). */
function isosurfaces(d: DensityCartesian3D, o: Required<FigureOptions>, plan: FramePlan): Animated {
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
  const traces: Record<string, unknown>[] = [
    {
      type: 'isosurface', x: encodeB64(X), y: encodeB64(Y), z: encodeB64(Z), ...iso(plan.keep[0]),
      surface: { count: 3 }, caps: { x: { show: false }, y: { show: false }, z: { show: false } }, opacity: 0.45, ...COLOUR_BAR, name: 'ρ',
    },
  ];
  return { traces, frames: plan.keep.map((i, k) => ({ name: plan.names[k], data: [iso(i)], traces: [0] })) };
}

/** The densest cells of a scattered 3D density, as markers coloured by ρ. */
function densestMarkers(d: DensityPoints3D, o: Required<FigureOptions>, plan: FramePlan): Animated {
  const sel = densestPoints(d.frames, d.x.length, o.maxPoints3D);
  const pick = (a: ArrayLike<number>) => {
    const r = new Float32Array(sel.length);
    for (let k = 0; k < sel.length; k++) r[k] = a[sel[k]];
    return encodeB64(r);
  };
  const traces: Record<string, unknown>[] = [
    { type: 'scatter3d', mode: 'markers', x: pick(d.x), y: pick(d.y), z: pick(d.z), marker: { size: 2.5, color: pick(d.frames[plan.keep[0]]), opacity: 0.7, ...COLOUR_BAR }, name: 'ρ' },
  ];
  return { traces, frames: plan.keep.map((i, k) => ({ name: plan.names[k], data: [{ marker: { color: pick(d.frames[i]), opacity: 0.7, ...COLOUR_BAR } }], traces: [0] })) };
}
