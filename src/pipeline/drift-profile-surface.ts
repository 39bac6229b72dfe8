/**
 * The drift profile on a surface Γ = S(a, b), one component at a time. For the chart coordinate a, the marginal
 * Pᵃ(a, t) = ∫p db obeys ∂ₜPᵃ + ∂ₐ∫Jᵃ db = 0 (the ∂_b(Gᵃᵇp) part of Jᵃ integrates to zero between zero-flux
 * walls), so the measured drift of trackers/drift-profile.ts on Pᵃ, with ∫Gᵃᵃp db for G·p, is
 *
 *   ⟨fᵃ⟩(a) = ∫∫ fᵃ p db dt / ∫∫ p db dt,
 *
 * the p-weighted mean of the chart drift over b and the slow phase. Each formula's chart drift Bᵃ (theory/
 * along-surface.ts) is averaged with the same weight (p interpolated to the face, trapezoid in time) over the
 * stations holding 99 % of the mass. The same for b. Index convention: station j = ja + na·jb (along-gamma.ts).
 */
import type { SurfaceParam } from '../landscape/types.js';
import { surfaceStation } from '../theory/along-surface.js';
import { massiveStations, type StationLayout } from '../trackers/along-gamma.js';
import { measuredDrift } from '../trackers/drift-profile.js';
import type { DriftProfileLine } from './drift-profile.js';
import type { Problem } from './problem.js';

/** One chart axis: its stations, the other axis's widths, and the flat station index. */
interface AxisView {
  layout: StationLayout;
  other: Float64Array;
  idx: (i: number, o: number) => number;
}

function axisView(problem: Problem, q: 0 | 1): AxisView {
  const { grid } = problem;
  const [axA, axB] = grid.alongAxes;
  const na = grid.shape[axA];
  const e = grid.edges[q === 0 ? axA : axB];
  const eo = grid.edges[q === 0 ? axB : axA];
  const n = e.length - 1;
  const width = Float64Array.from({ length: n }, (_, i) => e[i + 1] - e[i]);
  const layout: StationLayout = { nX: 1, nS: n, width, centre: Float64Array.from(width, (w, i) => e[i] + 0.5 * w), alongDim: 1, closed: false, range: [e[0], e[n]] };
  const other = Float64Array.from({ length: eo.length - 1 }, (_, o) => eo[o + 1] - eo[o]);
  return { layout, other, idx: q === 0 ? (i, o) => i + na * o : (i, o) => o + na * i };
}

/** Both components' profiles, or null on a periodic chart axis. */
export function surfaceDriftProfile(problem: Problem, layout: StationLayout, mFpe: Float64Array[], frameT: number[], from: number): { a: DriftProfileLine; b: DriftProfileLine } | null {
  const { grid } = problem;
  if (grid.periodic[grid.alongAxes[0]] || grid.periodic[grid.alongAxes[1]]) return null;
  const S = problem.gamma as SurfaceParam;
  const last = mFpe.length - 1;
  // Time-averaged station masses over the slow phase (trapezoid), and the chart's Σ̄ where they matter.
  const mass = new Float64Array(layout.nS);
  for (let k = from; k < last; k++)
    for (let j = 0; j < layout.nS; j++) mass[j] += 0.5 * (frameT[k + 1] - frameT[k]) * (mFpe[k][j] + mFpe[k + 1][j]) * layout.width[j];
  const heavy = new Set(massiveStations(mass, 0.99));
  const sigma = new Float64Array(4 * layout.nS);
  for (const j of heavy) sigma.set(surfaceStation(problem.landscape, problem.noise, S, layout.centre[2 * j], layout.centre[2 * j + 1]).sigmaBar, 4 * j);
  const component = (q: 0 | 1) => componentProfile(problem, S, axisView(problem, q), q, mFpe, frameT, from, heavy, sigma);
  return { a: component(0), b: component(1) };
}

function componentProfile(
  problem: Problem,
  S: SurfaceParam,
  v: AxisView,
  q: 0 | 1,
  mFpe: Float64Array[],
  frameT: number[],
  from: number,
  heavy: Set<number>,
  sigma: Float64Array,
): DriftProfileLine {
  const n = v.layout.nS;
  const m = v.other.length;
  const P = mFpe.map((p) => Float64Array.from({ length: n }, (_, i) => v.other.reduce((acc, w, o) => acc + p[v.idx(i, o)] * w, 0)));
  const gp = mFpe.map((p) => Float64Array.from({ length: n }, (_, i) => v.other.reduce((acc, w, o) => acc + 0.5 * sigma[4 * v.idx(i, o) + 3 * q] * p[v.idx(i, o)] * w, 0)));
  const md = measuredDrift(v.layout, P, frameT, { gp }, from);
  const heavyQ = new Set(massiveStations(md.stationMass, 0.99));
  const out: DriftProfileLine = { s: [], measured: [], li: [], seed: [] };
  for (let i = 0; i + 1 < n; i++) {
    if (!heavyQ.has(i) || !heavyQ.has(i + 1)) continue;
    let den = 0, li = 0, seed = 0;
    for (let o = 0; o < m; o++) {
      const [c0, c1] = [v.idx(i, o), v.idx(i + 1, o)];
      if (!heavy.has(c0) && !heavy.has(c1)) continue;
      let w = 0;
      for (let k = from; k < mFpe.length - 1; k++) w += 0.25 * (frameT[k + 1] - frameT[k]) * (mFpe[k][c0] + mFpe[k][c1] + mFpe[k + 1][c0] + mFpe[k + 1][c1]);
      const other = problem.grid.edges[problem.grid.alongAxes[1 - q]];
      const bo = 0.5 * (other[o] + other[o + 1]);
      const st = q === 0 ? surfaceStation(problem.landscape, problem.noise, S, md.face[i], bo) : surfaceStation(problem.landscape, problem.noise, S, bo, md.face[i]);
      den += w * v.other[o];
      li += w * v.other[o] * st.chartDriftLi[q];
      seed += w * v.other[o] * st.chartDriftSeed[q];
    }
    out.s.push(md.face[i]);
    out.measured.push(md.drift[i]);
    out.li.push(li / den);
    out.seed.push(seed / den);
  }
  return out;
}
