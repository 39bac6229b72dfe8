/**
 * The measured drift (trackers/drift-profile.ts) on a marginal known in closed form: a Gaussian that moves at
 * speed v and spreads with diffusion G, p = N(s; m₀ + vt, σ₀² + 2Gt), solves ∂ₜp = −v∂ₛp + G∂ₛ²p, so the
 * drift the estimator must return is v at every face. Its error is second order in the station width and the
 * frame interval: halving both divides it by about four.
 */
import { describe, expect, it } from 'vitest';
import type { StationLayout } from '../../src/trackers/along-gamma.js';
import { measuredDrift } from '../../src/trackers/drift-profile.js';

const V = -0.3;
const G = 0.05;

function layoutOf(n: number, s0: number, s1: number): StationLayout {
  const w = (s1 - s0) / n;
  return { nX: 1, nS: n, width: new Float64Array(n).fill(w), centre: Float64Array.from({ length: n }, (_, j) => s0 + (j + 0.5) * w), alongDim: 1, closed: false, range: [s0, s1] };
}

function gaussianFrames(layout: StationLayout, nT: number, tEnd: number): { p: Float64Array[]; t: number[] } {
  const t = Array.from({ length: nT }, (_, k) => (k * tEnd) / (nT - 1));
  const p = t.map((tk) => {
    const m = 0.5 + V * tk;
    const v = 0.01 + 2 * G * tk;
    return Float64Array.from(layout.centre, (s) => Math.exp(-((s - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v));
  });
  return { p, t };
}

/** The largest |f̄ − v| over the faces where p holds most of the weight. */
function worstError(n: number, nT: number): number {
  const layout = layoutOf(n, -2, 2);
  const { p, t } = gaussianFrames(layout, nT, 1);
  const m = measuredDrift(layout, p, t, new Float64Array(n).fill(G), Math.floor((nT - 1) / 2));
  const wMax = Math.max(...m.weight);
  let worst = 0;
  m.drift.forEach((f, j) => {
    if (m.weight[j] > 0.05 * wMax) worst = Math.max(worst, Math.abs(f - V));
  });
  return worst;
}

describe('measured drift from the marginal', () => {
  it('recovers the speed of a moving, spreading Gaussian, at second order', () => {
    const coarse = worstError(200, 21);
    const fine = worstError(400, 41);
    expect(fine).toBeLessThan(coarse / 3);
    expect(fine).toBeLessThan(0.01 * Math.abs(V));
  });

  it('without the diffusion term the drift is wrong by G∂ₛp/p (the term is needed)', () => {
    const layout = layoutOf(400, -2, 2);
    const { p, t } = gaussianFrames(layout, 41, 1);
    const m = measuredDrift(layout, p, t, new Float64Array(400).fill(0), 20);
    // one standard deviation right of the final mean: there G∂ₛp/p ≈ −G·0.3/0.11
    const j = m.drift.findIndex((_, k) => m.face[k] > 0.5 + V + 0.3);
    expect(Math.abs(m.drift[j] - V)).toBeGreaterThan(0.1 * Math.abs(V));
  });

  it('refuses a closed curve and a slow phase of one frame', () => {
    const layout = layoutOf(10, 0, 1);
    const { p, t } = gaussianFrames(layout, 3, 1);
    expect(() => measuredDrift({ ...layout, closed: true }, p, t, new Float64Array(10), 0)).toThrow(/open curves only/);
    expect(() => measuredDrift(layout, p, t, new Float64Array(10), 2)).toThrow(/two frames/);
  });
});
