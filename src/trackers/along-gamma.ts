/**
 * Diagnostics along and across Γ on grids around Γ (tube, shell).
 *
 * Index convention (src/grid/types.ts): the across axes are the fastest, so
 * cell c = i + nX·j with i the across index (0 ≤ i < nX = Π across sizes) and
 * j the station index along Γ (0 ≤ j < nS = Π along sizes).
 *
 * Marginal along Γ: p_j = (Σᵢ V_c ρ_c) / Δs_j — density per unit chart
 * parameter (per unit a·b area on a surface). Conditional moments across Γ at
 * station j use the cell masses m_c = V_c ρ_c and the physical offsets n_c of
 * the cell centres across Γ.
 */
import type { StructuredGrid } from '../grid/types.js';

export interface StationLayout {
  /** Cells across per station. */
  nX: number;
  /** Stations along Γ. */
  nS: number;
  /** Parameter widths of each station (Δs, or Δa·Δb), length nS. */
  width: Float64Array;
  /** Parameter of each station's centre: s (curve) or (a, b) flat (surface). */
  centre: Float64Array;
  /** 1 for a curve, 2 for a surface. */
  alongDim: number;
  /** Periodic along (closed curve). */
  closed: boolean;
  /** Parameter range along (first along axis). */
  range: [number, number];
}

export function stationLayout(grid: StructuredGrid): StationLayout {
  const across = grid.acrossAxes;
  const along = grid.alongAxes;
  if (along.length === 0) throw new Error('stationLayout: the grid has no axis along Γ (Cartesian box)');
  for (let k = 0; k < across.length; k++) if (across[k] !== k) throw new Error('stationLayout: across axes must be the fastest');
  const nX = across.reduce((p, a) => p * grid.shape[a], 1);
  const nS = along.reduce((p, a) => p * grid.shape[a], 1);
  const width = new Float64Array(nS);
  const centre = new Float64Array(nS * along.length);
  for (let j = 0; j < nS; j++) {
    let r = j;
    let w = 1;
    for (let k = 0; k < along.length; k++) {
      const a = along[k];
      const i = r % grid.shape[a];
      r = Math.floor(r / grid.shape[a]);
      const e = grid.edges[a];
      w *= e[i + 1] - e[i];
      centre[j * along.length + k] = 0.5 * (e[i] + e[i + 1]);
    }
    width[j] = w;
  }
  const a0 = along[0];
  const e0 = grid.edges[a0];
  return {
    nX,
    nS,
    width,
    centre,
    alongDim: along.length,
    closed: grid.periodic[a0],
    range: [e0[0], e0[e0.length - 1]],
  };
}

/** Marginal density along Γ per unit parameter, into out (length nS). */
export function marginalAlong(layout: StationLayout, volumes: Float64Array, rho: Float64Array, out: Float64Array): Float64Array {
  const { nX, nS } = layout;
  for (let j = 0; j < nS; j++) {
    let m = 0;
    for (let i = 0; i < nX; i++) {
      const c = i + nX * j;
      m += volumes[c] * rho[c];
    }
    out[j] = m / layout.width[j];
  }
  return out;
}

/**
 * Mean of the coordinate along Γ under a marginal p (per unit parameter). On a
 * closed curve the circular mean, unwrapped to lie within half a period of
 * `previous` (so a time series continues without jumps). On a surface, the
 * pair (E a, E b).
 */
export function meanAlong(layout: StationLayout, p: Float64Array, previous?: number[]): number[] {
  const { nS, width, centre, alongDim } = layout;
  let mass = 0;
  for (let j = 0; j < nS; j++) mass += p[j] * width[j];
  if (alongDim === 2) {
    let ea = 0;
    let eb = 0;
    for (let j = 0; j < nS; j++) {
      const w = p[j] * width[j];
      ea += w * centre[2 * j];
      eb += w * centre[2 * j + 1];
    }
    return [ea / mass, eb / mass];
  }
  if (!layout.closed) {
    let e = 0;
    for (let j = 0; j < nS; j++) e += p[j] * width[j] * centre[j];
    return [e / mass];
  }
  const [s0, s1] = layout.range;
  const period = s1 - s0;
  let cx = 0;
  let cy = 0;
  for (let j = 0; j < nS; j++) {
    const ang = (2 * Math.PI * (centre[j] - s0)) / period;
    cx += p[j] * width[j] * Math.cos(ang);
    cy += p[j] * width[j] * Math.sin(ang);
  }
  let m = s0 + (Math.atan2(cy, cx) / (2 * Math.PI)) * period;
  const ref = previous ? previous[0] : s0 + period / 2;
  while (m - ref > period / 2) m -= period;
  while (ref - m > period / 2) m += period;
  return [m];
}

/** Variance of the coordinate along Γ (curve; open: ordinary, closed: about the circular mean). */
export function varianceAlong(layout: StationLayout, p: Float64Array, mean: number): number {
  const { nS, width, centre } = layout;
  const period = layout.range[1] - layout.range[0];
  let mass = 0;
  let v = 0;
  for (let j = 0; j < nS; j++) {
    let ds = centre[j] - mean;
    if (layout.closed) ds -= period * Math.round(ds / period);
    mass += p[j] * width[j];
    v += p[j] * width[j] * ds * ds;
  }
  return v / mass;
}

/** L1 distance Σ_j |p_j − q_j| Δs_j. */
export function l1Distance(layout: StationLayout, p: ArrayLike<number>, q: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < layout.nS; j++) s += Math.abs(p[j] - q[j]) * layout.width[j];
  return s;
}

/**
 * Wasserstein-1 distance along a curve: ∫|F_p − F_q| ds of the cumulative
 * distributions (piecewise linear within stations is not assumed: stations are
 * point masses at their centres). On a closed curve, min over c of ∫|F_p − F_q − c|,
 * attained at the weighted median of F_p − F_q.
 */
export function w1Distance(layout: StationLayout, p: ArrayLike<number>, q: ArrayLike<number>): number {
  const { nS, width, centre } = layout;
  if (layout.alongDim !== 1) return NaN;
  const diffs = new Float64Array(nS);
  const gaps = new Float64Array(nS);
  let F = 0;
  for (let j = 0; j < nS; j++) {
    F += (p[j] - q[j]) * width[j];
    diffs[j] = F;
    gaps[j] = j < nS - 1 ? centre[j + 1] - centre[j] : layout.closed ? layout.range[1] - layout.range[0] - (centre[nS - 1] - centre[0]) : 0;
  }
  let c = 0;
  if (layout.closed) {
    const idx = Array.from({ length: nS }, (_, j) => j).sort((a, b) => diffs[a] - diffs[b]);
    const total = gaps.reduce((s, g) => s + g, 0);
    let acc = 0;
    for (const j of idx) {
      acc += gaps[j];
      if (acc >= total / 2) {
        c = diffs[j];
        break;
      }
    }
  }
  let w = 0;
  for (let j = 0; j < nS; j++) w += Math.abs(diffs[j] - c) * gaps[j];
  return w;
}

/**
 * Cells shared among stations: cell c gives the fraction w[c*K + q] of its mass
 * to station idx[c*K + q] (K = 1 for normal-line stations, 2 or 4 for the
 * fibres of the gradient-flow map, see gradient-flow-map.ts).
 */
export interface StationBins {
  K: number;
  idx: Int32Array;
  w: Float64Array;
}

/** Normal-line stations: every cell wholly in its own station. */
export function stationBins(layout: StationLayout): StationBins {
  const n = layout.nX * layout.nS;
  return { K: 1, idx: Int32Array.from({ length: n }, (_, c) => Math.floor(c / layout.nX)), w: new Float64Array(n).fill(1) };
}

/**
 * Conditional mean offset and covariance across Γ per station. `offsets` holds
 * k values per cell (1 for a plane curve or a surface, 2 for a curve in 3D).
 * Outputs: mean[j*k + a], cov[j*k*k + a*k + b], mass[j].
 */
export function binnedMoments(
  bins: StationBins,
  nS: number,
  volumes: Float64Array,
  rho: Float64Array,
  offsets: Float64Array,
  k: number,
  out: { mean: Float64Array; cov: Float64Array; mass: Float64Array },
): void {
  const s1 = new Float64Array(nS * k);
  const s2 = new Float64Array(nS * k * k);
  out.mass.fill(0);
  const K = bins.K;
  for (let c = 0; c < rho.length; c++) {
    const m = volumes[c] * rho[c];
    for (let q = 0; q < K; q++) {
      const w = bins.w[c * K + q] * m;
      if (w === 0) continue;
      const j = bins.idx[c * K + q];
      out.mass[j] += w;
      for (let a = 0; a < k; a++) {
        s1[j * k + a] += w * offsets[c * k + a];
        for (let b = 0; b < k; b++) s2[j * k * k + a * k + b] += w * offsets[c * k + a] * offsets[c * k + b];
      }
    }
  }
  for (let j = 0; j < nS; j++) {
    const m = out.mass[j];
    for (let a = 0; a < k; a++) out.mean[j * k + a] = s1[j * k + a] / m;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) out.cov[j * k * k + a * k + b] = s2[j * k * k + a * k + b] / m - out.mean[j * k + a] * out.mean[j * k + b];
  }
}

/** Indices of the fewest stations that together hold at least `fraction` of the mass. */
export function massiveStations(mass: Float64Array, fraction: number): number[] {
  const idx = Array.from({ length: mass.length }, (_, j) => j).sort((a, b) => mass[b] - mass[a]);
  const total = mass.reduce((s, v) => s + v, 0);
  const out: number[] = [];
  let acc = 0;
  for (const j of idx) {
    if (acc >= fraction * total) break;
    out.push(j);
    acc += mass[j];
  }
  return out.sort((a, b) => a - b);
}
