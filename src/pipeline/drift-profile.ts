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
import type { Problem } from './problem.js';

/** Share of the time-averaged mass whose stations the profile is measured on. */
export const DRIFT_PROFILE_MASS = 0.99;

export interface DriftProfileSummary {
  /** Face positions s (chart parameter) where the drift is measured. */
  s: number[];
  /** The measured drift f̄(s) of the full equation (parameter per unit slow time). */
  measured: number[];
  /** Each formula's chart drift Bˢ at s. */
  li: number[];
  seed: number[];
  /** The slow phase averaged over. */
  fromT: number;
  toT: number;
  massFraction: number;
  /** max |measured| over s: the scale of the shares below. */
  scale: number;
  /** max |measured − li| and max |measured − seed| over s. */
  errAbsLi: number;
  errAbsSeed: number;
  /** The same as shares of `scale`. */
  errLi: number;
  errSeed: number;
}

/** The drift profile, or null where it is not defined (a surface, a closed curve, fewer than two slow frames). */
export function driftProfile(problem: Problem, layout: StationLayout, mFpe: Float64Array[], frameT: number[]): DriftProfileSummary | null {
  const gamma = problem.gamma;
  if (!gamma || gamma.kind !== 'curve' || layout.alongDim !== 1 || layout.closed || mFpe.length < 3) return null;
  const tLast = frameT[frameT.length - 1];
  const from = frameT.findIndex((t) => t >= 0.5 * tLast);
  if (from < 0 || from >= frameT.length - 1) return null;
  const G = Float64Array.from(layout.centre, (s) => halfSigmaBar(problem, gamma, s));
  const m = measuredDrift(layout, mFpe, frameT, G, from);
  const heavy = new Set(massiveStations(m.stationMass, DRIFT_PROFILE_MASS));
  const faces: number[] = [];
  for (let j = 0; j + 1 < layout.nS; j++) if (heavy.has(j) && heavy.has(j + 1)) faces.push(j);
  if (faces.length === 0) return null;
  const s = faces.map((j) => m.face[j]);
  const measured = faces.map((j) => m.drift[j]);
  const li: number[] = [];
  const seed: number[] = [];
  for (const sf of s) {
    const [bl, bs] = chartDrifts(problem, gamma, sf);
    li.push(bl);
    seed.push(bs);
  }
  const scale = Math.max(...measured.map(Math.abs));
  const maxDiff = (b: number[]) => Math.max(...measured.map((v, k) => Math.abs(v - b[k])));
  const errAbsLi = maxDiff(li);
  const errAbsSeed = maxDiff(seed);
  return { s, measured, li, seed, fromT: frameT[from], toT: tLast, massFraction: DRIFT_PROFILE_MASS, scale, errAbsLi, errAbsSeed, errLi: errAbsLi / scale, errSeed: errAbsSeed / scale };
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
