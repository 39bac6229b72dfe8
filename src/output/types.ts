/**
 * The data a report is drawn from. Plain data that the pipeline fills from the
 * trackers' results; output turns it into pictures and files and computes
 * nothing physical. Every section except `meta` is optional: the report draws
 * whatever is present.
 *
 * Conventions: time is the slow time t (SGD steps n = t/η², with η = meta.eta);
 * positions are physical coordinates θ; `s` is the chart parameter along Γ
 * (DESIGN.md §9). Arrays are `ArrayLike<number>` so either plain arrays or
 * typed arrays can be passed; density frames are best passed as Float32Array.
 */

export interface ReportMeta {
  /** Case name. */
  case: string;
  description?: string;
  eta: number;
  /** 'cartesian' | 'tube' | 'shell'. */
  gridKind: string;
  dim: 2 | 3;
  /** Number of cells of the full problem. */
  cells: number;
  wallSeconds?: number;
  /** 'li' | 'seed' | 'neither' (verify) — shown at the top when present. */
  verdict?: string;
  /** Physical variable names (axis titles); default θ₁, θ₂, θ₃. */
  variables?: string[];
  /** A task case: the model, its data and the L and Σ derived from them (formulas cut to 400 characters). */
  task?: ReportTask;
}

export interface ReportTask {
  model: string;
  /** Inputs (one name per component) and labels of the p rows. */
  inputs: string[];
  data: { x: number[]; y: number }[];
  /** The noise sources in words, e.g. "batch 2 of 3 without replacement". */
  noise: string;
  loss: string;
  lossConstant: number;
  sigma: string[][];
  /** Σ (row-major d×d) at a few points of Γ, with the chart parameter(s) of each; absent without Γ. */
  onGamma?: { at: number[]; theta: number[]; sigma: number[] }[];
}

/**
 * A 2D density on a Cartesian box. frames[k][j*nx + i] = ρ(x[i], y[j], t[k])
 * (row-major ny×nx, x fastest — the same as the Cartesian grid's cell index).
 */
export interface DensityCartesian2D {
  kind: 'heatmap-cartesian';
  /** Cell centres along x (length nx). */
  x: ArrayLike<number>;
  /** Cell centres along y (length ny). */
  y: ArrayLike<number>;
  frames: ArrayLike<number>[];
  t: ArrayLike<number>;
}

/**
 * A 2D density on a logically rectangular, curvilinear grid (a tube around a
 * curve): cell (i₀, i₁) has index i₀ + n₀·i₁ (axis 0 fastest, as in
 * src/grid/types.ts), centre (x[idx], y[idx]) in physical coordinates.
 * The report resamples it onto a regular box by piecewise-linear interpolation
 * on the triangles of the centre mesh (pixels outside the tube stay empty).
 */
export interface DensityMapped2D {
  kind: 'mapped-2d';
  /** [n₀, n₁] cells per axis. */
  shape: [number, number];
  /** Periodic axes (a closed curve's along axis wraps around). */
  periodic?: [boolean, boolean];
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  frames: ArrayLike<number>[];
  t: ArrayLike<number>;
}

/**
 * A 3D density on a Cartesian box, drawn as isosurfaces:
 * frames[k][i + nx·(j + ny·l)] = ρ(x[i], y[j], z[l], t[k]) (x fastest).
 */
export interface DensityCartesian3D {
  kind: 'volume-cartesian';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  frames: ArrayLike<number>[];
  t: ArrayLike<number>;
}

/**
 * A 3D density at scattered points (cell centres of a tube or shell grid),
 * drawn as markers coloured by density; the densest points are kept when the
 * set is downsampled.
 */
export interface DensityPoints3D {
  kind: 'points-3d';
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z: ArrayLike<number>;
  frames: ArrayLike<number>[];
  t: ArrayLike<number>;
}

export type DensityData = DensityCartesian2D | DensityMapped2D | DensityCartesian3D | DensityPoints3D;

/** A polyline in physical coordinates (z only in 3D). */
export interface Polyline {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  z?: ArrayLike<number>;
}

/** Marginal along Γ: values[k][i] = p(s[i], t[k]) for the full problem and the averaged solutions. */
export interface MarginalData {
  s: ArrayLike<number>;
  t: ArrayLike<number>;
  fpe: ArrayLike<number>[];
  li?: ArrayLike<number>[];
  seed?: ArrayLike<number>[];
  /** An exact marginal when one is known (e.g. the Gibbs state). */
  exact?: ArrayLike<number>[];
}

/** Mean of the coordinate along Γ over time. */
export interface MeanAlongData {
  t: ArrayLike<number>;
  fpe: ArrayLike<number>;
  li?: ArrayLike<number>;
  seed?: ArrayLike<number>;
  exact?: ArrayLike<number>;
}

/** Conditional variance across Γ per station s, against the prediction ηΩ(s). */
export interface AcrossVarianceData {
  s: ArrayLike<number>;
  fpe: ArrayLike<number>;
  theory: ArrayLike<number>;
  /** The time the profile was taken at (shown in the title). */
  t?: number;
}

/** Profiles across Γ rescaled by √(ηΩ), drawn against the standard normal density. */
export interface ProfilesData {
  z: ArrayLike<number>;
  curves: { label: string; values: ArrayLike<number> }[];
}

/** `verify`: errors against η, fitted orders and the verdict. */
export interface VerifyData {
  eta: ArrayLike<number>;
  errLi: ArrayLike<number>;
  errSeed: ArrayLike<number>;
  orderLi: number;
  orderSeed: number;
  verdict: string;
  /** The verdict table: column names and rows (numbers or text). */
  table?: { columns: string[]; rows: (string | number)[][] };
}

/** Particles tracked at the frame times: overlaid on the marginal and the mean along Γ, with a table. */
export interface ParticlesData {
  /** Legend label, e.g. "particles: learning rule, n = 20,000". */
  label: string;
  t: ArrayLike<number>;
  mean: ArrayLike<number>;
  /** Standard error of the mean (error bars are ±2 SE). */
  se: ArrayLike<number>;
  /** Histogram along Γ per frame (density per unit parameter at bin centres s). */
  histogram?: { s: ArrayLike<number>; p: ArrayLike<number>[] };
  /** What the table says, in a sentence or two. */
  note?: string;
  table?: { columns: string[]; rows: (string | number)[][] };
}

/** One time series for CSV: columns[name][k] is the value at t[k]. */
export interface SeriesData {
  t: ArrayLike<number>;
  columns: Record<string, ArrayLike<number>>;
}

/** One row of the verdict table: a number of summary.json (`key`, dotted; `-1` the last element) as shown. */
export interface VerdictRow {
  label: string;
  key: string;
  value: number;
  text: string;
}

/** The report's opening block: the finding in a few sentences, a small table, and the run's warnings. */
export interface VerdictData {
  sentences: string[];
  rows: VerdictRow[];
  warnings?: string[];
}

/** A measured drift along one chart coordinate against each formula's chart drift there. */
export interface DriftLineData {
  s: ArrayLike<number>;
  measured: ArrayLike<number>;
  li: ArrayLike<number>;
  seed: ArrayLike<number>;
}

/** Drift along Γ: the one the full equation produces (measured) against each formula's chart drift. */
export interface DriftProfileData {
  /** One line on a curve (axis "s"), one per chart coordinate on a surface ("a", "b"). */
  lines: { axis: string; line: DriftLineData }[];
  /** The slow phase averaged over. */
  fromT: number;
  toT: number;
  errLi: number;
  errSeed: number;
}

/** `verify`: every η's drift profile on one plot. */
export interface DriftProfilesByEta {
  eta: number[];
  profiles: (DriftLineData & { errLi: number })[];
}

export interface ReportData {
  meta: ReportMeta;
  /** The finding first: sentences and a table of summary.json's numbers. */
  verdict?: VerdictData;
  driftProfile?: DriftProfileData;
  driftProfiles?: DriftProfilesByEta;
  /** Shown as a table (nested objects flattened to dotted keys). */
  summary?: Record<string, unknown>;
  density?: DensityData;
  /** Γ: one or more polylines in physical coordinates. */
  gammaCurve?: Polyline[];
  /** The fitted ±2σ band around Γ: two polylines (2D). */
  band?: [Polyline, Polyline];
  marginal?: MarginalData;
  meanAlong?: MeanAlongData;
  acrossVariance?: AcrossVarianceData;
  profiles?: ProfilesData;
  verify?: VerifyData;
  particles?: ParticlesData;
  /** Time series by name; each becomes series-<name>.csv. */
  series?: Record<string, SeriesData>;
}
