/**
 * Building the full problem from a case: landscape + noise → Γ → grid →
 * face coefficients → operator K. Also the initial density.
 */
import type { CaseSpec } from '../case/types.js';
import { cartesianGrid } from '../grid/cartesian.js';
import { rotationMinimisingFrame, curveFrame3d } from '../grid/frames.js';
import type { AlongFocus } from '../case/types.js';
import { shellGrid } from '../grid/shell.js';
import { tubeGrid2d } from '../grid/tube-2d.js';
import { tubeGrid3d } from '../grid/tube-3d.js';
import type { StructuredGrid } from '../grid/types.js';
import { compileScalar } from '../landscape/formula.js';
import { checkLandscapeFinite } from '../landscape/from-formula.js';
import type { CurveParam, GammaParam, Landscape, SurfaceParam } from '../landscape/types.js';
import { makeSolver } from '../linalg/solver.js';
import type { Csr } from '../linalg/types.js';
import { checkNoiseAt } from '../noise/check-noise.js';
import type { NoiseModel } from '../noise/types.js';
import { assembleOperator } from '../operator/assemble.js';
import { faceCoefficients, type AlongFlux } from '../operator/face-coefficients.js';
import { FctLimiter } from '../operator/flux-fct.js';
import { limitedCorrection } from '../operator/flux-limited.js';
import type { StepperOptions } from '../stepper/types.js';
import type { DriftDiffusionFields, FaceCoefficients } from '../operator/types.js';
import { theoryAt } from '../theory/pointwise.js';
import { caseModels } from '../models/case-models.js';
import { InputError } from '../util/errors.js';

/** The assembled problem: everything needed to step the density. */
export interface Problem {
  spec: CaseSpec;
  eta: number;
  landscape: Landscape;
  noise: NoiseModel;
  gamma: GammaParam | null;
  grid: StructuredGrid;
  /** Physical offsets across Γ per cell (k per cell), null on a Cartesian box. */
  offsets: Float64Array | null;
  /** Number of offsets per cell (codimension of Γ). */
  codim: number;
  fields: DriftDiffusionFields;
  faces: FaceCoefficients;
  K: Csr;
  /** 2 when the high-resolution flux along Γ is on, else 1. */
  alongOrder: 1 | 2;
  /** Which high-resolution face value along Γ (when alongOrder is 2). */
  alongFlux: AlongFlux;
}

/**
 * The nonlinear part of the operator for the stepper: the limited flux correction along Γ when the faces
 * carry one (StepperOptions.correction for 'limited'; for 'fct' the FCT limiter with bounds over the cells
 * of K's rows, in defect-correction form — `fctDefect` — when K is given, else once per stage after the
 * low-order solve — `fct`, Kuzmin's linearised form, used by the averaged problems: their steps are small,
 * and at hyperbola-label's 512 × 64 the two forms there change L1 vs Li by 1 %).
 */
export function fluxCorrection(faces: FaceCoefficients, flux: AlongFlux, mass: Float64Array, K: Csr | null = null): Pick<StepperOptions, 'correction' | 'fct' | 'fctDefect'> {
  const st = faces.limited;
  if (!st) return {};
  if (flux === 'fct') {
    const fct = new FctLimiter(st, mass, K);
    if (K) return { fctDefect: (x, prev, ch, explicitAt, out) => void fct.limited(x, prev, ch, explicitAt, out) };
    return { fct: (x, prev, ch, explicitAt) => fct.correct(x, prev, ch, explicitAt) };
  }
  return { correction: (rho, out) => limitedCorrection(st, rho, out) };
}

/**
 * Drift–diffusion fields of the FPE (DESIGN.md §2): U = L/η, β = −½∇·Σ, D = ½Σ.
 */
export function fokkerPlanckFields(landscape: Landscape, noise: NoiseModel, eta: number): DriftDiffusionFields {
  const d = landscape.dim;
  const inv = 1 / eta;
  return {
    dim: d,
    potential: (x) => landscape.value(x) * inv,
    potentialGrad: (x, out) => {
      landscape.grad(x, out);
      for (let i = 0; i < d; i++) out[i] *= inv;
    },
    extraDrift: noise.constant
      ? undefined
      : (x, out) => {
          noise.divSigma(x, out);
          for (let i = 0; i < d; i++) out[i] *= -0.5;
        },
    diffusion: (x, out) => {
      noise.sigma(x, out);
      for (let i = 0; i < d * d; i++) out[i] *= 0.5;
    },
    // Isotropic constant noise: fitted cross terms keep the Gibbs state exact on any grid.
    slotboomScale: isotropicLevel(noise),
  };
}

/** ½σ² when Σ = σ²I everywhere (constant), else undefined. */
function isotropicLevel(noise: NoiseModel): number | undefined {
  if (!noise.constant) return undefined;
  const d = noise.dim;
  const S = noise.sigma(new Float64Array(d), new Float64Array(d * d));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) if (S[i * d + j] !== (i === j ? S[0] : 0)) return undefined;
  return S[0] > 0 ? 0.5 * S[0] : undefined;
}

/** νᵀΩν-type variances across Γ: the predicted covariance block of the offsets (before the factor η). */
export function omegaAcross2d(landscape: Landscape, noise: NoiseModel, gamma: CurveParam, s: number): number {
  const d = 2;
  const th = gamma.point(s, new Float64Array(d));
  const t = gamma.d1(s, new Float64Array(d));
  const g = Math.hypot(t[0], t[1]);
  const nu = [-t[1] / g, t[0] / g];
  const tp = theoryAt(landscape, noise, th, 1);
  const O = tp.Omega;
  return nu[0] * (O[0] * nu[0] + O[1] * nu[1]) + nu[1] * (O[2] * nu[0] + O[3] * nu[1]);
}

function quadForm(O: Float64Array, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += a[i] * O[i * 3 + j] * b[j];
  return s;
}

/** How wide a grid around Γ is: `halfWidth` standard deviations √(ηΩ) across Γ, or `halfWidthAbs`. */
interface WidthRule {
  abs: number | undefined;
  /** `widthAlong: 'local'`: the width follows Ω along Γ (else its largest value: the tube stays orthogonal). */
  local: boolean;
  /** halfWidth·√(ηω), refused where ω is not a positive number. */
  width(omega: number, where: string): number;
}

function buildGrid(spec: CaseSpec, landscape: Landscape, noise: NoiseModel, gamma: GammaParam | null, eta: number): { grid: StructuredGrid; offsets: Float64Array | null; codim: number } {
  const g = spec.grid;
  if (g.kind === 'cartesian') return { grid: cartesianGrid({ bounds: g.bounds, shape: g.shape }), offsets: null, codim: 0 };
  if (!gamma) throw new InputError('grid.kind', 'a "tube" grid needs Γ: give `gamma` (a parametrisation or `traced`) or a built-in `landscape`');
  const k = g.halfWidth ?? 8;
  const rule: WidthRule = {
    abs: g.halfWidthAbs,
    local: g.widthAlong === 'local',
    width: (omega, where) => {
      if (!(omega > 0) || !Number.isFinite(omega)) {
        throw new InputError('grid.halfWidth', `the predicted variance across Γ is ${omega} at ${where}: the noise does not reach the normal direction there, so a width in units of √(ηΩ) is undefined; give grid.halfWidthAbs instead`);
      }
      return k * Math.sqrt(eta * omega);
    },
  };
  if (gamma.kind === 'curve' && gamma.dim === 2) return planeTube(g, landscape, noise, gamma, rule);
  if (gamma.kind === 'curve') return spaceTube(g, landscape, noise, gamma, rule);
  return surfaceShell(g, landscape, noise, gamma as SurfaceParam, rule);
}

type TubeSpec = Exclude<CaseSpec['grid'], { kind: 'cartesian' }>;

/** The largest of f over `n` samples of [lo, hi]. */
function maxOver1(f: (s: number) => number, lo: number, hi: number, n = 257): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, f(lo + ((hi - lo) * i) / (n - 1)));
  return m;
}

/** `grid.alongGrading` on a curve: one focus object. */
function curveFocus(g: TubeSpec): AlongFocus | undefined {
  const f = g.alongGrading;
  if (f === undefined) return undefined;
  if (Array.isArray(f)) throw new InputError('grid.alongGrading', 'a tube around a curve takes one {focus: [lo, hi], ratio} object, not a pair (pairs are for the two chart axes of a surface)');
  return f;
}

/** `grid.alongGrading` on a surface: a pair, one entry (or null) per chart axis. */
function surfaceFocus(g: TubeSpec): [AlongFocus | null, AlongFocus | null] | undefined {
  const f = g.alongGrading;
  if (f === undefined) return undefined;
  if (!Array.isArray(f)) throw new InputError('grid.alongGrading', 'a shell around a surface takes a pair [focus in a or null, focus in b or null], one per chart axis');
  return f;
}

/** A tube around a plane curve. */
function planeTube(g: TubeSpec, landscape: Landscape, noise: NoiseModel, gamma: CurveParam, rule: WidthRule) {
  if (typeof g.along !== 'number' || typeof g.across !== 'number') {
    throw new InputError('grid.along', 'a tube around a plane curve takes single numbers for `along` and `across`');
  }
  const w = (s: number) => rule.width(omegaAcross2d(landscape, noise, gamma, s), `s = ${s.toPrecision(4)}`);
  const grid = tubeGrid2d(gamma, {
    along: g.along,
    across: g.across,
    halfWidth: rule.abs ?? (rule.local ? w : maxOver1(w, gamma.range[0], gamma.range[1])),
    grading: g.grading,
    alongGrading: curveFocus(g),
  });
  return { grid, offsets: grid.offsets, codim: 1 };
}

/** A tube around a space curve (square or disc cross-section in the rotation-minimising frame). */
function spaceTube(g: TubeSpec, landscape: Landscape, noise: NoiseModel, gamma: CurveParam, rule: WidthRule) {
  if (typeof g.along !== 'number') throw new InputError('grid.along', 'a tube around a curve takes a single number for `along`');
  const frame = rotationMinimisingFrame(gamma);
  const widths = (s: number): [number, number] => {
    const f = curveFrame3d(gamma, s);
    const th = gamma.point(s, new Float64Array(3));
    const O = theoryAt(landscape, noise, th, 1).Omega;
    return [rule.width(quadForm(O, f.N1, f.N1), `s = ${s.toPrecision(4)}`), rule.width(quadForm(O, f.N2, f.N2), `s = ${s.toPrecision(4)}`)];
  };
  const disc = g.crossSection === 'disc';
  const [r0, r1] = gamma.range;
  const w1 = (s: number) => widths(s)[0];
  const w2 = (s: number) => widths(s)[1];
  const wd = (s: number) => Math.max(...widths(s));
  const half3 = rule.local
    ? disc
      ? wd
      : ([w1, w2] as [(s: number) => number, (s: number) => number])
    : disc
      ? maxOver1(wd, r0, r1)
      : ([maxOver1(w1, r0, r1), maxOver1(w2, r0, r1)] as [number, number]);
  const grid = tubeGrid3d(gamma, {
    along: g.along,
    across: g.across,
    halfWidth: rule.abs ?? half3,
    crossSection: g.crossSection,
    grading: g.grading,
    alongGrading: curveFocus(g),
    frame,
  });
  return { grid, offsets: grid.offsets, codim: 2 };
}

/** A shell around a surface (its width the largest over a 33 × 33 sample of the chart unless local). */
function surfaceShell(g: TubeSpec, landscape: Landscape, noise: NoiseModel, surf: SurfaceParam, rule: WidthRule) {
  if (!Array.isArray(g.along) || typeof g.across !== 'number') {
    throw new InputError('grid.along', 'a shell around a surface takes `along: [na, nb]` and a single number `across`');
  }
  const wShell = (a: number, b: number) => {
    const th = surf.point(a, b, new Float64Array(3));
    const Sa = surf.da(a, b, new Float64Array(3));
    const Sb = surf.db(a, b, new Float64Array(3));
    const N = Float64Array.from([Sa[1] * Sb[2] - Sa[2] * Sb[1], Sa[2] * Sb[0] - Sa[0] * Sb[2], Sa[0] * Sb[1] - Sa[1] * Sb[0]]);
    const nn = Math.hypot(N[0], N[1], N[2]);
    for (let i = 0; i < 3; i++) N[i] /= nn;
    const O = theoryAt(landscape, noise, th, 2).Omega;
    return rule.width(quadForm(O, N, N), `(a, b) = (${a.toPrecision(4)}, ${b.toPrecision(4)})`);
  };
  let wMax = 0;
  for (let i = 0; i < 33; i++)
    for (let j = 0; j < 33; j++) {
      const a = surf.rangeA[0] + ((surf.rangeA[1] - surf.rangeA[0]) * i) / 32;
      const b = surf.rangeB[0] + ((surf.rangeB[1] - surf.rangeB[0]) * j) / 32;
      wMax = Math.max(wMax, wShell(a, b));
    }
  const grid = shellGrid(surf, {
    along: g.along as [number, number],
    across: g.across,
    halfWidth: rule.abs ?? (rule.local ? wShell : wMax),
    grading: g.grading,
    alongGrading: surfaceFocus(g),
  });
  return { grid, offsets: grid.offsets, codim: 1 };
}

/** Cells of a grid spec, refused before anything is allocated when the run cannot fit in memory. */
export const MAX_CELLS = 8_000_000;
function checkGridSize(spec: CaseSpec): void {
  const g = spec.grid;
  const count = (v: number | number[]) => (typeof v === 'number' ? v : v.reduce((p, x) => p * x, 1));
  const cells = g.kind === 'cartesian' ? count(g.shape) : count(g.along) * count(g.across);
  // About 1.6 kB per cell at peak (operator, factorisation or hierarchy, stepper work arrays, frames).
  const gb = (cells * 1600) / 1e9;
  if (!(cells <= MAX_CELLS)) {
    throw new InputError(
      g.kind === 'cartesian' ? 'grid.shape' : 'grid.along',
      `${JSON.stringify(g.kind === 'cartesian' ? g.shape : [g.along, g.across])} gives ${cells.toExponential(2)} cells (≈ ${gb.toFixed(0)} GB at peak); at most ${MAX_CELLS.toExponential(1)} cells fit on this machine — use fewer cells (a tube around Γ needs far fewer than a box)`,
    );
  }
}

/**
 * A Cartesian box must resolve the predicted width √(ηΩ) across Γ: refuse (with
 * the numbers) when the cells are more than twice as wide as the narrowest
 * predicted standard deviation — the run could only smear the Gaussian.
 */
function checkResolvesWidth(spec: CaseSpec, grid: StructuredGrid, landscape: Landscape, noise: NoiseModel, gamma: CurveParam, eta: number): void {
  let sdMin = Infinity;
  let at = 0;
  const [s0, s1] = gamma.range;
  for (let i = 0; i <= 32; i++) {
    const s = s0 + ((s1 - s0) * i) / 32;
    let om: number;
    try {
      om = omegaAcross2d(landscape, noise, gamma, s);
    } catch {
      continue;
    }
    const sd = Math.sqrt(eta * om);
    if (sd > 0 && sd < sdMin) {
      sdMin = sd;
      at = s;
    }
  }
  if (!Number.isFinite(sdMin)) return;
  let h = 0;
  for (let a = 0; a < grid.dim; a++) h = Math.max(h, (grid.edges[a][grid.shape[a]] - grid.edges[a][0]) / grid.shape[a]);
  if (h > 2 * sdMin) {
    const need = Math.ceil(((h / sdMin) * Math.max(...(spec.grid.kind === 'cartesian' ? spec.grid.shape : [0]))) / 2);
    throw new InputError(
      'grid.shape',
      `cells of width ${h.toPrecision(3)} cannot resolve the predicted width √(ηΩ) = ${sdMin.toPrecision(3)} across Γ (at s = ${at.toPrecision(3)}, η = ${eta}); use a tube grid around Γ (its cost does not grow as η → 0) or about ${need} cells per axis`,
    );
  }
}

export interface BuildOptions {
  /** Plain SG flux along Γ too (no high-resolution correction). */
  firstOrderAlong?: boolean;
  /** The high-resolution face value along Γ (default 'quick'; see FaceCoefficientOptions.alongFlux). */
  alongFlux?: AlongFlux;
}

export function buildProblem(spec: CaseSpec, eta = spec.eta, opts: BuildOptions = {}): Problem {
  if (!(eta > 0 && eta <= 1)) throw new InputError('eta', `expected a number in (0, 1], got ${eta}`);
  const { landscape, noise, gamma } = caseModels(spec);
  checkGridSize(spec);
  const { grid, offsets, codim } = buildGrid(spec, landscape, noise, gamma, eta);
  checkLandscapeFinite(landscape, grid.centres, spec.loss !== undefined ? 'loss' : spec.task !== undefined ? 'task' : 'landscape');
  if (grid.kind === 'cartesian' && gamma?.kind === 'curve' && gamma.dim === 2) checkResolvesWidth(spec, grid, landscape, noise, gamma, eta);
  const nk = spec.noise?.kind;
  const noiseField = spec.task ? 'task' : nk === 'constant' || nk === 'formula' ? 'noise.Sigma' : nk === 'label' ? 'noise.output' : 'noise';
  checkNoiseAt(noise, grid.centres, noiseField, spec.variables);
  const fields = fokkerPlanckFields(landscape, noise, eta);
  if (spec.grid.kind === 'tube' && spec.grid.widthAlong === 'local') {
    // Fitted cross terms carry weights e^{φ_c − φ_f} that grow like e^{k²νΔν} across a
    // tube k standard deviations wide; with a width that follows √(ηΩ(s)) use plain ones.
    (fields as { slotboomScale?: number }).slotboomScale = undefined;
  }
  // Along Γ, where label-type noise leaves no diffusion, a second-order flux; isotropic
  // noise keeps the pure SG flux and its exact Gibbs state.
  const highOrderAxes =
    grid.kind !== 'cartesian' && fields.slotboomScale === undefined && !opts.firstOrderAlong ? grid.alongAxes : undefined;
  const alongFlux = opts.alongFlux ?? 'quick';
  const faces = faceCoefficients(grid, fields, { highOrderAxes, alongFlux });
  const K = assembleOperator(faces);
  return { spec, eta, landscape, noise, gamma, grid, offsets, codim, fields, faces, K, alongOrder: highOrderAxes ? 2 : 1, alongFlux };
}

/** The solver factory for a grid. */
export function solverFactory(grid: { shape: readonly number[]; periodic: readonly boolean[] }, tol = 1e-10) {
  return (A: Csr) => makeSolver(A, { tol, structure: { shape: grid.shape, periodic: grid.periodic } });
}

/** Standard normal density. */
const phi = (z: number) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

/** The initial density on the grid's cells, normalised to unit mass. */
export function initialDensity(problem: Problem): Float64Array {
  const { grid, spec } = problem;
  const d = grid.dim;
  const rho = new Float64Array(grid.nCells);
  const init = spec.initial;
  if (init.kind === 'gaussian') {
    const Ci = invertSpd(init.cov, 'initial.cov');
    for (let c = 0; c < grid.nCells; c++) {
      let q = 0;
      for (let i = 0; i < d; i++)
        for (let j = 0; j < d; j++) q += (grid.centres[c * d + i] - init.mean[i]) * Ci[i * d + j] * (grid.centres[c * d + j] - init.mean[j]);
      rho[c] = Math.exp(-0.5 * q);
    }
  } else if (init.kind === 'density') {
    const f = compileScalar(init.formula, spec.variables, 'initial.formula');
    const x = new Float64Array(d);
    for (let c = 0; c < grid.nCells; c++) {
      for (let i = 0; i < d; i++) x[i] = grid.centres[c * d + i];
      const v = f.f(x);
      if (!Number.isFinite(v) || v < 0) {
        throw new InputError('initial.formula', `the density must be finite and ≥ 0, got ${v} at (${Array.from(x).map((z) => z.toPrecision(4)).join(', ')})`);
      }
      rho[c] = v;
    }
  } else {
    onGammaDensity(problem, init.at, init.width, rho);
  }
  let mass = 0;
  for (let c = 0; c < grid.nCells; c++) mass += rho[c] * grid.volumes[c];
  if (!(mass > 0) || !Number.isFinite(mass)) {
    throw new InputError('initial', `the initial density has no mass on the grid (mass ${mass}); move it inside the grid or widen it`);
  }
  for (let c = 0; c < grid.nCells; c++) rho[c] /= mass;
  return rho;
}

/**
 * `on-gamma` start: a Gaussian in the chart parameter along Γ times the
 * quasi-stationary Gaussian N(0, ηΩ) across, as a density per physical volume
 * (mass per cell ∝ p(s)Δs·φ(n)Δn, so ρ_c ∝ p(s_c)φ(n_c)·ΔsΔn/V_c).
 */
function onGammaDensity(problem: Problem, at: number | [number, number], width: number | [number, number], rho: Float64Array): void {
  const { grid, offsets, codim, gamma, eta, landscape, noise } = problem;
  if (!gamma || !offsets || grid.kind === 'cartesian') {
    throw new InputError('initial.kind', '"on-gamma" needs a grid around Γ (grid.kind "tube"); on a Cartesian grid use "gaussian" or "density"');
  }
  const ats = typeof at === 'number' ? [at] : at;
  const widths = typeof width === 'number' ? [width] : width;
  const along = grid.alongAxes;
  if (ats.length !== along.length || widths.length !== along.length) {
    throw new InputError('initial.at', `expected ${along.length} value(s) for a Γ of dimension ${along.length}, got ${JSON.stringify(at)}`);
  }
  const nX = grid.acrossAxes.reduce((p, a) => p * grid.shape[a], 1);
  const nS = grid.nCells / nX;
  const dim = grid.dim;
  const xi = grid.xiCentres;
  // Predicted covariance across at each station (cached per station).
  const cov = new Float64Array(nS * codim * codim);
  for (let j = 0; j < nS; j++) {
    const c = nX * j;
    if (gamma.kind === 'curve' && dim === 2) {
      cov[j] = eta * omegaAcross2d(landscape, noise, gamma, xi[c * dim + 1]);
    } else if (gamma.kind === 'curve') {
      const s = xi[c * dim + 2];
      const f = curveFrame3d(gamma, s);
      const O = theoryAt(landscape, noise, gamma.point(s, new Float64Array(3)), 1).Omega;
      cov[j * 4] = eta * quadForm(O, f.N1, f.N1);
      cov[j * 4 + 1] = cov[j * 4 + 2] = eta * quadForm(O, f.N1, f.N2);
      cov[j * 4 + 3] = eta * quadForm(O, f.N2, f.N2);
    } else {
      const a = xi[c * dim + 1];
      const b = xi[c * dim + 2];
      const Sa = gamma.da(a, b, new Float64Array(3));
      const Sb = gamma.db(a, b, new Float64Array(3));
      const N = Float64Array.from([Sa[1] * Sb[2] - Sa[2] * Sb[1], Sa[2] * Sb[0] - Sa[0] * Sb[2], Sa[0] * Sb[1] - Sa[1] * Sb[0]]);
      const nn = Math.hypot(N[0], N[1], N[2]);
      for (let i = 0; i < 3; i++) N[i] /= nn;
      cov[j] = eta * quadForm(theoryAt(landscape, noise, gamma.point(a, b, new Float64Array(3)), 2).Omega, N, N);
    }
  }
  const range = gamma.kind === 'curve' ? [gamma.range] : [gamma.rangeA, gamma.rangeB];
  for (let c = 0; c < grid.nCells; c++) {
    const j = Math.floor(c / nX);
    let p = 1;
    for (let k = 0; k < along.length; k++) {
      let ds = xi[c * dim + along[k]] - ats[k];
      if (grid.periodic[along[k]]) {
        const period = range[k][1] - range[k][0];
        ds -= period * Math.round(ds / period);
      }
      p *= phi(ds / widths[k]);
    }
    let q: number;
    if (codim === 1) q = phi(offsets[c] / Math.sqrt(cov[j])) / Math.sqrt(cov[j]);
    else {
      const [a, b, , e] = [cov[j * 4], cov[j * 4 + 1], cov[j * 4 + 2], cov[j * 4 + 3]];
      const det = a * e - b * b;
      const n1 = offsets[2 * c];
      const n2 = offsets[2 * c + 1];
      q = Math.exp(-0.5 * (e * n1 * n1 - 2 * b * n1 * n2 + a * n2 * n2) / det) / (2 * Math.PI * Math.sqrt(det));
    }
    // Mass ∝ p(s)q(n)·Δs·Δn: ρ_c = p q × (ξ-volume × across scale) / V_c.
    rho[c] = (p * q * acrossMeasure(grid, c)) / grid.volumes[c];
  }
}

/**
 * The (s, n)-measure of cell c: the product of its ξ widths times the lengths
 * |∂θ/∂ξₐ| of the across axes at its centre (the physical width per unit ν),
 * so that p(s)q(n) times it is the cell's mass to second order.
 */
function acrossMeasure(grid: StructuredGrid, c: number): number {
  const dim = grid.dim;
  let m = 1;
  let r = c;
  for (let a = 0; a < dim; a++) {
    const i = r % grid.shape[a];
    r = Math.floor(r / grid.shape[a]);
    m *= grid.edges[a][i + 1] - grid.edges[a][i];
  }
  const th = new Float64Array(dim);
  const J = new Float64Array(dim * dim);
  grid.map(grid.xiCentres.subarray(c * dim, c * dim + dim), th, J);
  for (const a of grid.acrossAxes) {
    let s = 0;
    for (let i = 0; i < dim; i++) s += J[i * dim + a] * J[i * dim + a];
    m *= Math.sqrt(s);
  }
  return m;
}

function invertSpd(C: number[][], field: string): Float64Array {
  const d = C.length;
  const L = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j <= i; j++) {
      let s = C[i][j];
      for (let k = 0; k < j; k++) s -= L[i * d + k] * L[j * d + k];
      if (i === j) {
        if (!(s > 0)) throw new InputError(field, `expected a symmetric positive definite matrix, got ${JSON.stringify(C)}`);
        L[i * d + i] = Math.sqrt(s);
      } else L[i * d + j] = s / L[j * d + j];
    }
  const inv = new Float64Array(d * d);
  const y = new Float64Array(d);
  for (let col = 0; col < d; col++) {
    for (let i = 0; i < d; i++) {
      let s = i === col ? 1 : 0;
      for (let k = 0; k < i; k++) s -= L[i * d + k] * y[k];
      y[i] = s / L[i * d + i];
    }
    for (let i = d - 1; i >= 0; i--) {
      let s = y[i];
      for (let k = i + 1; k < d; k++) s -= L[k * d + i] * inv[k * d + col];
      inv[i * d + col] = s / L[i * d + i];
    }
  }
  return inv;
}
