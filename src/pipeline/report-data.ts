/**
 * The report's data from a finished run (output/types.ts): the density frames in the form the report draws,
 * Γ as a polyline, and on tube grids around a curve the marginals and means along Γ, the conditional variance
 * across Γ against ηΩ with its ±2σ band, the rescaled profiles across Γ, and the particles' table.
 */
import type { CaseSpec } from '../case/types.js';
import type { CurveParam } from '../landscape/types.js';
import { caseModels } from '../models/case-models.js';
import type { DensityData, ReportData, ReportTask } from '../output/types.js';
import type { ParticleComparison } from '../particles/compare.js';
import type { StationLayout } from '../trackers/along-gamma.js';
import type { AcrossFrame } from './across-stats.js';
import type { AlongTracker } from './along-tracker.js';
import type { FrameRecorder } from './frame-recorder.js';
import type { Problem } from './problem.js';
import type { StepMonitor } from './step-monitor.js';
import type { RunSummary } from './types.js';
import { taskFormulas, theoryTable } from './theory-table.js';
import { runVerdict } from './verdict.js';

export function reportData(
  problem: Problem,
  summary: RunSummary,
  recorder: FrameRecorder,
  monitor: StepMonitor,
  particles: ParticleComparison | null,
): ReportData {
  const { grid, spec } = problem;
  const { series } = monitor;
  const data: ReportData = {
    meta: { case: spec.name, description: spec.description, eta: problem.eta, gridKind: grid.kind, dim: grid.dim, cells: grid.nCells, variables: spec.variables, ...(spec.task ? { task: reportTask(spec) } : {}) },
    summary: summary as unknown as Record<string, unknown>,
    series: { steps: { t: series.t, columns: { mass: series.mass, minDensity: series.minDensity, dt: series.dt } } },
    verdict: runVerdict(summary),
    density: densityData(problem, recorder.frames, recorder.frameT),
  };
  const d = summary.along?.driftProfile;
  if (d) {
    const lines = d.chart === 'curve' ? [{ axis: 's', line: d }] : [{ axis: 'a', line: d.components.a }, { axis: 'b', line: d.components.b }];
    data.driftProfile = { lines, fromT: d.fromT, toT: d.toT, errLi: d.errLi, errSeed: d.errSeed };
  }
  const gamma = problem.gamma;
  if (gamma && gamma.kind === 'curve') data.gammaCurve = [curvePolyline(gamma, grid.dim)];
  const along = recorder.along;
  if (along && along.layout.alongDim === 1) alongData(data, problem, along, recorder, particles);
  return data;
}

/** A task case's model, data, derived L and Σ, and Σ at five points of Γ (the report's "learning task" section). */
export function reportTask(spec: CaseSpec): ReportTask | undefined {
  const f = taskFormulas(spec);
  if (!spec.task || !f) return undefined;
  const { model, inputs, data } = spec.task;
  const task: ReportTask = { model, inputs: [...inputs], data: data.map((r) => ({ x: [...r.x], y: r.y })), ...f };
  if (spec.gamma) {
    const { noise } = caseModels(spec);
    const d = spec.variables.length;
    task.onGamma = theoryTable(spec, 5).rows.map((r) => ({ at: r.at, theta: r.theta, sigma: Array.from(noise.sigma(Float64Array.from(r.theta), new Float64Array(d * d))) }));
  }
  return task;
}

/** The density frames as the report draws them: a heat map or isosurfaces on a box, mapped cells on a tube. */
function densityData(problem: Problem, frames: Float32Array[], t: number[]): DensityData {
  const { grid } = problem;
  const d = grid.dim;
  if (grid.kind === 'cartesian') {
    const axis = (a: number) => {
      const e = grid.edges[a];
      return Array.from({ length: grid.shape[a] }, (_, i) => 0.5 * (e[i] + e[i + 1]));
    };
    if (d === 2) return { kind: 'heatmap-cartesian', x: axis(0), y: axis(1), frames, t };
    return { kind: 'volume-cartesian', x: axis(0), y: axis(1), z: axis(2), frames, t };
  }
  const coord = (i: number) => Float32Array.from({ length: grid.nCells }, (_, c) => grid.centres[c * d + i]);
  if (d === 2) {
    const shape: [number, number] = [grid.shape[0], grid.shape[1]];
    return { kind: 'mapped-2d', shape, periodic: [grid.periodic[0], grid.periodic[1]], x: coord(0), y: coord(1), frames, t };
  }
  return { kind: 'points-3d', x: coord(0), y: coord(1), z: coord(2), frames, t };
}

/** Γ sampled at 401 points of its parameter range. */
function curvePolyline(gamma: CurveParam, d: number): { x: number[]; y: number[]; z?: number[] } {
  const n = 400;
  const xs: number[] = [];
  const ys: number[] = [];
  const zs: number[] = [];
  const p = new Float64Array(d);
  for (let i = 0; i <= n; i++) {
    const s = gamma.range[0] + ((gamma.range[1] - gamma.range[0]) * i) / n;
    gamma.point(s, p);
    xs.push(p[0]);
    ys.push(p[1]);
    if (d === 3) zs.push(p[2]);
  }
  return d === 3 ? { x: xs, y: ys, z: zs } : { x: xs, y: ys };
}

/** The sections along a curve: marginals, means, variance across Γ, the step series along Γ, band, profiles. */
function alongData(data: ReportData, problem: Problem, along: AlongTracker, recorder: FrameRecorder, particles: ParticleComparison | null): void {
  const { layout, track, predicted } = along;
  const t = recorder.frameT;
  const s = Array.from(layout.centre);
  const first = (a: number[][]) => a.map((m) => m[0]);
  data.marginal = { s, t, fpe: track.mFpe, li: track.mLi.length ? track.mLi : undefined, seed: track.mSeed.length ? track.mSeed : undefined };
  data.meanAlong = {
    t,
    fpe: first(track.meanFpe),
    li: track.meanLi.length ? first(track.meanLi) : undefined,
    seed: track.meanSeed.length ? first(track.meanSeed) : undefined,
  };
  const k = problem.codim;
  const lastV = track.varErr[track.varErr.length - 1];
  // Stations with (almost) no mass have no meaningful conditional variance: left as gaps.
  const mMax = Math.max(...lastV.mass);
  const massive = (j: number) => lastV.mass[j] > 1e-4 * mMax;
  data.acrossVariance = {
    s,
    fpe: Array.from({ length: layout.nS }, (_, j) => (massive(j) ? lastV.covFpe[j * k * k] : NaN)),
    theory: Array.from({ length: layout.nS }, (_, j) => predicted[j * k * k]),
    t: lastV.t,
  };
  data.series!.along = {
    t,
    columns: {
      meanFpe: data.meanAlong.fpe,
      ...(track.meanLi.length ? { meanLi: data.meanAlong.li!, l1Li: track.l1Li } : {}),
      ...(track.meanSeed.length ? { meanSeed: data.meanAlong.seed!, l1Seed: track.l1Seed } : {}),
    },
  };
  if (particles) data.particles = particleReport(particles, problem.eta);
  const gamma = problem.gamma;
  if (problem.grid.dim === 2 && gamma && gamma.kind === 'curve') {
    data.band = sigmaBand(gamma, layout, lastV, massive);
    data.profiles = rescaledProfiles(problem, layout, lastV, predicted, recorder.frames[recorder.frames.length - 1]);
  }
}

/** ±2σ band around a plane curve from the fitted conditional variance at the last frame. */
function sigmaBand(gamma: CurveParam, layout: StationLayout, lastV: AcrossFrame, massive: (j: number) => boolean): NonNullable<ReportData['band']> {
  const lo = { x: [] as number[], y: [] as number[] };
  const hi = { x: [] as number[], y: [] as number[] };
  const p = new Float64Array(2);
  const tg = new Float64Array(2);
  for (let j = 0; j < layout.nS; j++) {
    if (!massive(j)) continue;
    const sj = layout.centre[j];
    gamma.point(sj, p);
    gamma.d1(sj, tg);
    const g = Math.hypot(tg[0], tg[1]);
    const nu = [-tg[1] / g, tg[0] / g];
    const w = 2 * Math.sqrt(Math.max(0, lastV.covFpe[j]));
    lo.x.push(p[0] - w * nu[0]);
    lo.y.push(p[1] - w * nu[1]);
    hi.x.push(p[0] + w * nu[0]);
    hi.y.push(p[1] + w * nu[1]);
  }
  return [lo, hi];
}

/** Profiles across Γ rescaled by √(ηΩ) at the three heaviest stations (2D tubes: one normal offset per cell). */
function rescaledProfiles(problem: Problem, layout: StationLayout, lastV: AcrossFrame, predicted: Float64Array, rho: Float32Array): NonNullable<ReportData['profiles']> {
  const { grid } = problem;
  const offsets = problem.offsets!;
  const heavy = Array.from({ length: layout.nS }, (_, j) => j).sort((a, b) => lastV.mass[b] - lastV.mass[a]).slice(0, 3);
  const nX = layout.nX;
  const zAll: number[] = [];
  const curves: { label: string; values: number[] }[] = [];
  for (const j of heavy) {
    const sd = Math.sqrt(predicted[j]);
    const vals: number[] = [];
    const zs: number[] = [];
    let mj = 0;
    for (let i = 0; i < nX; i++) mj += grid.volumes[i + nX * j] * rho[i + nX * j];
    for (let i = 0; i < nX; i++) {
      const c = i + nX * j;
      const m = grid.volumes[c] * rho[c];
      // The cell's width across Γ: the central difference of the offsets (one-sided at the tube's edges).
      const hasNext = c + 1 < (j + 1) * nX;
      const hasPrev = c > j * nX;
      const dn = (offsets[hasNext ? c + 1 : c] - offsets[hasPrev ? c - 1 : c]) / (hasNext && hasPrev ? 2 : 1);
      zs.push(offsets[c] / sd);
      vals.push(m / mj / (Math.abs(dn) / sd));
    }
    if (!zAll.length) zAll.push(...zs);
    curves.push({ label: `s = ${layout.centre[j].toPrecision(3)}`, values: vals });
  }
  return { z: zAll, curves };
}

/** The particle overlay and table of the report. */
function particleReport(p: ParticleComparison, eta: number): NonNullable<ReportData['particles']> {
  const what = p.mode === 'sgd' ? 'learning rule' : 'SDE (Euler–Maruyama)';
  const f = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : Number(v.toPrecision(d)));
  // At most 8 rows: the times spread over the run, always the last.
  const nT = p.t.length;
  const rows = Array.from(new Set(Array.from({ length: Math.min(8, nT) }, (_, k) => Math.round((k * (nT - 1)) / Math.max(1, Math.min(8, nT) - 1)))));
  return {
    label: `particles: ${what}, n = ${p.n.toLocaleString('en-US')}`,
    t: p.t,
    mean: p.mean,
    se: p.se,
    histogram: p.histogram,
    note:
      `${p.n.toLocaleString('en-US')} runs of the ${what} (seed ${p.seed}, dt/η = ${f(p.dtOverEta)}): z = (particles − X)/SE, |z| ≤ 3 is agreement within 3 standard errors; ` +
      `W1 is the Wasserstein-1 distance along Γ between the particles' histogram and the marginal. ` +
      (p.mode === 'sgd'
        ? `The learning rule is the Euler–Maruyama scheme of the SDE with dt = η² (h = dt/η = η = ${f(eta)}): it differs from the FPE by O(η), a bias that more particles resolve but do not remove.`
        : 'Euler–Maruyama differs from the SDE by O(dt/η).'),
    table: {
      columns: [
        't', 'mean s (particles) ± SE', 'z vs FPE', 'z vs Li', 'z vs seed', 'var s (particles) ± SE', 'z vs FPE', 'W1 vs FPE', 'W1 vs Li',
        ...(p.slow ? [`E[${p.slow.name}] (particles) ± SE`, `E[${p.slow.name}] (FPE)`, 'z vs FPE'] : []),
      ],
      rows: rows.map((k) => [
        f(p.t[k], 4),
        `${f(p.mean[k], 5)} ± ${f(p.se[k], 2)}`,
        f(p.zMeanFpe[k]),
        f(p.zMeanLi?.[k]),
        f(p.zMeanSeed?.[k]),
        `${f(p.var[k], 4)} ± ${f(p.seVar[k], 2)}`,
        f(p.zVarFpe?.[k]),
        f(p.w1Fpe?.[k]),
        f(p.w1Li?.[k]),
        ...(p.slow ? [`${f(p.slow.mean[k], 5)} ± ${f(p.slow.se[k], 2)}`, f(p.slow.meanFpe?.[k], 5), f(p.slow.zFpe?.[k])] : []),
      ]),
    },
  };
}
