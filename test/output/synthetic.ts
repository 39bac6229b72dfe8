/**
 * Synthetic but physically sensible report data for the output tests.
 *
 * Cartesian: the valley L = ½ a(x) y², a = 1.5 + sin x, isotropic noise σ²:
 * across Γ = {y = 0} the quasi-stationary variance is ηΩ = ησ²/(2a(x)); the
 * density is drawn as an Ornstein–Uhlenbeck Gaussian whose y-variance relaxes
 * from 0.25 to ηΩ at rate 2a/η and whose x-mean drifts with −σ²a′/(4a).
 *
 * Tube: a density on a tube grid around the hyperbola γ(s) = (eˢ, e⁻ˢ), with
 * cell (i₀ across, i₁ along) at γ(s) + n ν(s), a Gaussian in s whose mean moves
 * and a Gaussian in n of fixed width.
 */
import type { ReportData, SeriesData } from '../../src/output/types.js';

const a = (x: number) => 1.5 + Math.sin(x);

export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, k) => lo + ((hi - lo) * k) / (n - 1));
}

export function cartesianReport(opts: { nx?: number; ny?: number; nt?: number } = {}): ReportData {
  const nx = opts.nx ?? 128, ny = opts.ny ?? 96, nt = opts.nt ?? 80;
  const eta = 0.05, sigma2 = 1;
  const x = linspace(-3, 3, nx), y = linspace(-1.5, 1.5, ny);
  const t = linspace(0, 1, nt);
  const mean = (tt: number) => -0.5 + 1.2 * (1 - Math.exp(-tt));
  const frames: Float32Array[] = [];
  const marg: number[][] = [], li: number[][] = [], seed: number[][] = [];
  for (const tt of t) {
    const f = new Float32Array(nx * ny);
    const mx = mean(tt), sx2 = 0.3 + 0.5 * tt;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const omega = (eta * sigma2) / (2 * a(x[i]));
        const sy2 = omega + (0.25 - omega) * Math.exp((-2 * a(x[i]) * tt) / eta);
        f[j * nx + i] = Math.exp(-((x[i] - mx) ** 2) / (2 * sx2) - (y[j] ** 2) / (2 * sy2)) / (2 * Math.PI * Math.sqrt(sx2 * sy2));
      }
    frames.push(f);
    const g = (m: number) => x.map((xi) => Math.exp(-((xi - m) ** 2) / (2 * sx2)) / Math.sqrt(2 * Math.PI * sx2));
    marg.push(g(mx));
    li.push(g(mx + 0.01 * tt));
    seed.push(g(mx - 0.08 * tt));
  }
  const band = (sign: number) => ({ x, y: x.map((xi) => sign * 2 * Math.sqrt((eta * sigma2) / (2 * a(xi)))) });
  const z = linspace(-4, 4, 81);
  const series: Record<string, SeriesData> = {
    mass: { t, columns: { mass: t.map(() => 1), relDrift: t.map((tt) => 1e-15 * tt) } },
    'along mean': { t, columns: { fpe: t.map(mean), li: t.map((tt) => mean(tt) + 0.01 * tt) } },
  };
  return {
    meta: { case: 'valley-synthetic', description: 'L = ½ a(x) y², a = 1.5 + sin x, isotropic noise (synthetic data)', eta, gridKind: 'cartesian', dim: 2, cells: nx * ny, wallSeconds: 1.25, verdict: 'li', variables: ['x', 'y'] },
    summary: { case: 'valley-synthetic', eta, grid: { kind: 'cartesian', cells: nx * ny, shape: [nx, ny] }, along: { t, meanFpe: t.map(mean) }, mass: { relDriftMax: 1e-15 } },
    density: { kind: 'heatmap-cartesian', x, y, frames, t },
    gammaCurve: [{ x: [-3, 3], y: [0, 0] }],
    band: [band(1), band(-1)],
    marginal: { s: x, t, fpe: marg, li, seed },
    meanAlong: { t, fpe: t.map(mean), li: t.map((tt) => mean(tt) + 0.01 * tt), seed: t.map((tt) => mean(tt) - 0.08 * tt) },
    acrossVariance: { s: x, fpe: x.map((xi) => (1.03 * eta * sigma2) / (2 * a(xi))), theory: x.map((xi) => (eta * sigma2) / (2 * a(xi))), t: 1 },
    profiles: { z, curves: [0.5, 1, 1.5].map((c) => ({ label: `station x = ${c}`, values: z.map((v) => Math.exp(-0.5 * (v * (1 + 0.02 * c)) ** 2) / Math.sqrt(2 * Math.PI)) })) },
    verify: {
      eta: [0.04, 0.02, 0.01], errLi: [0.04, 0.021, 0.0099], errSeed: [0.2, 0.19, 0.185], orderLi: 1.01, orderSeed: 0.06, verdict: 'li',
    },
    series,
  };
}

export function tubeReport(opts: { along?: number; across?: number; nt?: number } = {}): ReportData {
  const n1 = opts.along ?? 128, n0 = opts.across ?? 32, nt = opts.nt ?? 30;
  const eta = 0.01, w = 0.35, sn = 0.08;
  const s = linspace(-1.2, 1.2, n1), off = linspace(-w, w, n0), t = linspace(0, 0.5, nt);
  const X = new Float32Array(n0 * n1), Y = new Float32Array(n0 * n1);
  for (let i1 = 0; i1 < n1; i1++) {
    const e = Math.exp(s[i1]), ei = 1 / e, nrm = Math.hypot(e, ei);
    for (let i0 = 0; i0 < n0; i0++) {
      X[i0 + n0 * i1] = e + (off[i0] * ei) / nrm;
      Y[i0 + n0 * i1] = ei + (off[i0] * e) / nrm;
    }
  }
  const mean = (tt: number) => 0.7 * Math.exp(-tt);
  const frames = t.map((tt) => {
    const f = new Float32Array(n0 * n1);
    for (let i1 = 0; i1 < n1; i1++)
      for (let i0 = 0; i0 < n0; i0++) f[i0 + n0 * i1] = Math.exp(-((s[i1] - mean(tt)) ** 2) / (2 * 0.05 ** 2) - (off[i0] ** 2) / (2 * sn ** 2));
    return f;
  });
  const g = (m: number) => s.map((si) => Math.exp(-((si - m) ** 2) / (2 * 0.05 ** 2)) / Math.sqrt(2 * Math.PI * 0.05 ** 2));
  const curve = (k: number) => ({ x: s.map((si) => Math.exp(si) + (k * Math.exp(-si)) / Math.hypot(Math.exp(si), Math.exp(-si))), y: s.map((si) => Math.exp(-si) + (k * Math.exp(si)) / Math.hypot(Math.exp(si), Math.exp(-si))) });
  return {
    meta: { case: 'hyperbola-tube-synthetic', eta, gridKind: 'tube', dim: 2, cells: n0 * n1, variables: ['u', 'v'] },
    density: { kind: 'mapped-2d', shape: [n0, n1], x: X, y: Y, frames, t },
    gammaCurve: [curve(0)],
    band: [curve(2 * sn), curve(-2 * sn)],
    marginal: { s, t, fpe: t.map((tt) => g(mean(tt))), li: t.map((tt) => g(mean(tt) * 1.01)), seed: t.map((tt) => g(mean(tt) * 0.9)) },
  };
}
