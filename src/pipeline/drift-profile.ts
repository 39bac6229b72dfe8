/**
 * `along.driftProfile` of a run on a tube around an open curve: the drift the full equation produces along Γ
 * (trackers/drift-profile.ts: f̄ = ∫(J + ∂ₛ(G p)) dt / ∫p dt over the slow phase, the second half of the run)
 * on the faces between the stations holding 99 % of the time-averaged mass, against each formula's chart drift
 *
 *   Bˢ = F/g − ½ D g′/g³   (F = t̂·f̄ of the formula, D = t̂ᵀΣt̂, g = |γ′|; the Itô drift in the parameter s),
 *
 * with the largest difference over those faces as a share of the largest |f̄| there.
 */
import type { CurveParam } from '../landscape/types.js';
import { bilinear, dot } from '../theory/dense.js';
import { curveStation } from '../theory/along-curve.js';
import { massiveStations, type StationLayout } from '../trackers/along-gamma.js';
import { measuredDrift } from '../trackers/drift-profile.js';
import { surfaceDriftProfile } from './drift-profile-surface.js';
import type { Problem } from './problem.js';

/** Share of the time-averaged mass whose stations the profile is measured on. */
export const DRIFT_PROFILE_MASS = 0.99;

/** A measured drift against both formulas' chart drifts at positions s along one chart coordinate. */
export interface DriftProfileLine {
  /** Face positions (chart parameter) where the drift is measured. */
  s: number[];
  /** The measured drift f̄ of the full equation (parameter per unit slow time). */
  measured: number[];
  /** Each formula's chart drift at s (on a surface, its p-weighted mean over the other coordinate). */
  li: number[];
  seed: number[];
}

/** What curve and surface profiles share: the slow phase, and the errors over every component. */
interface DriftProfileCommon {
  fromT: number;
  toT: number;
  massFraction: number;
  /** max |measured| (over both components on a surface): the scale of the shares below. */
  scale: number;
  /** max |measured − li| and max |measured − seed|. */
  errAbsLi: number;
  errAbsSeed: number;
  /** The same as shares of `scale`. */
  errLi: number;
  errSeed: number;
}

export type DriftProfileSummary =
  | (DriftProfileCommon & DriftProfileLine & { chart: 'curve' })
  | (DriftProfileCommon & { chart: 'surface'; components: { a: DriftProfileLine; b: DriftProfileLine } });

/** The drift profile, or null where it is not defined (a closed curve or chart axis, fewer than two slow frames). */
export function driftProfile(problem: Problem, layout: StationLayout, mFpe: Float64Array[], frameT: number[]): DriftProfileSummary | null {
  const gamma = problem.gamma;
  if (!gamma || layout.closed || mFpe.length < 3) return null;
  const tLast = frameT[frameT.length - 1];
  const from = frameT.findIndex((t) => t >= 0.5 * tLast);
  if (from < 0 || from >= frameT.length - 1) return null;
  const phase = { fromT: frameT[from], toT: tLast, massFraction: DRIFT_PROFILE_MASS };
  if (gamma.kind === 'surface') {
    const components = surfaceDriftProfile(problem, layout, mFpe, frameT, from);
    return components && components.a.s.length && components.b.s.length ? { chart: 'surface', components, ...phase, ...errors([components.a, components.b]) } : null;
  }
  const line = curveLine(problem, gamma, layout, mFpe, frameT, from);
  return line.s.length ? { chart: 'curve', ...line, ...phase, ...errors([line]) } : null;
}

/** The largest differences over all lines, absolute and as shares of the largest |measured|. */
function errors(lines: DriftProfileLine[]): Pick<DriftProfileCommon, 'scale' | 'errAbsLi' | 'errAbsSeed' | 'errLi' | 'errSeed'> {
  const scale = Math.max(...lines.flatMap((l) => l.measured.map(Math.abs)));
  const maxDiff = (pick: (l: DriftProfileLine) => number[]) => Math.max(...lines.flatMap((l) => l.measured.map((v, k) => Math.abs(v - pick(l)[k]))));
  const errAbsLi = maxDiff((l) => l.li);
  const errAbsSeed = maxDiff((l) => l.seed);
  return { scale, errAbsLi, errAbsSeed, errLi: errAbsLi / scale, errSeed: errAbsSeed / scale };
}

/** On a curve: the measured drift on the faces between the 99 %-mass stations, and both chart drifts there. */
function curveLine(problem: Problem, gamma: CurveParam, layout: StationLayout, mFpe: Float64Array[], frameT: number[], from: number): DriftProfileLine {
  const G = Float64Array.from(layout.centre, (s) => halfSigmaBar(problem, gamma, s));
  const m = measuredDrift(layout, mFpe, frameT, G, from);
  const heavy = new Set(massiveStations(m.stationMass, DRIFT_PROFILE_MASS));
  const faces: number[] = [];
  for (let j = 0; j + 1 < layout.nS; j++) if (heavy.has(j) && heavy.has(j + 1)) faces.push(j);
  const s = faces.map((j) => m.face[j]);
  const drifts = s.map((sf) => chartDrifts(problem, gamma, sf));
  return { s, measured: faces.map((j) => m.drift[j]), li: drifts.map((d) => d[0]), seed: drifts.map((d) => d[1]) };
}

/** G = ½Σ̄ˢˢ = γ′ᵀΣγ′ / (2g⁴): half the slow noise in the parameter s. */
function halfSigmaBar(problem: Problem, gamma: CurveParam, s: number): number {
  const d = gamma.dim;
  const theta = gamma.point(s, new Float64Array(d));
  const g1 = gamma.d1(s, new Float64Array(d));
  const g2 = dot(g1, g1, d);
  return bilinear(g1, problem.noise.sigma(theta, new Float64Array(d * d)), g1, d) / (2 * g2 * g2);
}

/** Li's and the seed's chart drift Bˢ = F/g − ½ D g′/g³ at s. */
function chartDrifts(problem: Problem, gamma: CurveParam, s: number): [number, number] {
  const st = curveStation(problem.landscape, problem.noise, gamma, s);
  const g = st.speed;
  const ito = (0.5 * st.sigmaBar_sigmasigma * st.dSpeed) / (g * g * g);
  return [st.fLi_sigma / g - ito, st.fSeed_sigma / g - ito];
}
