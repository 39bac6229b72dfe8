/**
 * What every figure of the report is made with: the figure specification, the size limits, the colours,
 * number and time labels, JSON-safe arrays, animation controls and line traces. No physics — only drawing.
 */
import type { Polyline, ReportData } from './types.js';

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

export const COLORS = { fpe: '#111111', li: '#1f77b4', seed: '#ff7f0e', exact: '#2ca02c', gamma: '#e31a1c', band: '#ffffff', particles: '#9467bd' };

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

export function arr(a: ArrayLike<number>): number[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : NaN));
}

/** JSON has no NaN: non-finite values become null (a gap in a line). */
export function jsonArr(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, (v) => (Number.isFinite(v) ? v : null));
}

export function maxOf(rows: ArrayLike<number>[]): number {
  let m = 0;
  for (const r of rows) for (let i = 0; i < r.length; i++) if (Number.isFinite(r[i]) && r[i] > m) m = r[i];
  return m;
}

/** Play/pause buttons and a time slider over frames named f0, f1, …. */
export function animationControls(names: string[], labels: string[], redraw: boolean): Record<string, unknown> {
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

export function lineTrace(p: Polyline, name: string, color: string, dash: string, width: number, showlegend = true): Record<string, unknown> {
  return { type: 'scatter', mode: 'lines', x: jsonArr(p.x), y: jsonArr(p.y), name, line: { color, dash, width }, hoverinfo: 'skip', showlegend };
}

export function axisNames(data: ReportData): string[] {
  return data.meta.variables && data.meta.variables.length >= data.meta.dim ? data.meta.variables : ['θ₁', 'θ₂', 'θ₃'];
}

