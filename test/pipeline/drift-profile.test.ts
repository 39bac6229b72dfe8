/**
 * `along.driftProfile` on the two shipped cases whose slow drift is known exactly (DESIGN.md §8), at η = 0.01
 * on the shipped grids:
 *   valley: −σ²a′/(4a) (a = 1.5 + sin x; s = x);
 *   hyperbola-label: from the q law, q = u² − v² = 2 sinh 2s on Γ = (eˢ, e⁻ˢ) drifts at
 *   q̇ = −c(u²−1)(u²+1)/u² with no diffusion along Γ, so ṡ = q̇ / (dq/ds), dq/ds = 2(u² + v²).
 * The tolerance is derived from the grid and from η, as verify's resolution check does: the change of the
 * profile with half the stations along Γ bounds the grid's share of the error (error ∝ Δsᵖ, p ≥ 1), and its
 * change from η = 0.02 to 0.01 the share of the averaging (error ∝ η); the error must stay below their sum
 * (with a Richardson safety factor 1.5), below 2 % of the exact drift's maximum (the acceptance), and
 * the seed's chart drift must miss by at least half that maximum.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';
import type { DriftProfileSummary } from '../../src/pipeline/drift-profile.js';
import { hyperbolaLabelQDriftOnGamma, valleySlowDrift } from '../../src/theory/exact-slow.js';

type CurveProfile = Extract<DriftProfileSummary, { chart: 'curve' }>;

async function profile(name: string, eta: number, along?: number): Promise<CurveProfile> {
  const spec = loadCase(name);
  if (along !== undefined && spec.grid.kind === 'tube') spec.grid = { ...spec.grid, along };
  const r = await solveCase(spec, { eta, particles: false });
  const d = r.summary.along?.driftProfile;
  if (!d || d.chart !== 'curve') throw new Error(`${name}: no drift profile along a curve in the summary`);
  return d;
}

/** The largest |a − b| over the faces the two profiles share (same s to 1e-9). */
function change(a: CurveProfile, b: CurveProfile): number {
  let worst = 0;
  let shared = 0;
  b.s.forEach((s, k) => {
    const i = a.s.findIndex((x) => Math.abs(x - s) < 1e-9);
    if (i < 0) return;
    shared++;
    worst = Math.max(worst, Math.abs(a.measured[i] - b.measured[k]));
  });
  expect(shared).toBeGreaterThan(b.s.length / 2);
  return worst;
}

const EXACT: Record<string, (s: number) => number> = {
  valley: (x) => valleySlowDrift(1, x),
  'hyperbola-label': (s) => {
    const u = Math.exp(s);
    return hyperbolaLabelQDriftOnGamma(1, u) / (2 * (u * u + 1 / (u * u)));
  },
};

describe('the measured drift profile against the exact slow drift', () => {
  for (const name of Object.keys(EXACT)) {
    it(`${name}: matches the exact drift and Li's chart drift, not the seed's`, async () => {
      const shipped = await profile(name, 0.01);
      const coarse = await profile(name, 0.01, (loadCase(name).grid as { along: number }).along / 2);
      const largerEta = await profile(name, 0.02);
      const exact = shipped.s.map(EXACT[name]);
      const scale = Math.max(...exact.map(Math.abs));
      const err = Math.max(...shipped.measured.map((f, k) => Math.abs(f - exact[k])));
      const tol = 1.5 * (change(shipped, coarse) + change(shipped, largerEta));
      console.log(
        `${name}: ${shipped.s.length} faces, error ${(100 * err / scale).toFixed(2)} % of max |exact|, tolerance ${(100 * tol / scale).toFixed(2)} %; ` +
          `errLi ${(100 * shipped.errLi).toFixed(2)} %, errSeed ${(100 * shipped.errSeed).toFixed(1)} %`,
      );
      expect(err).toBeLessThanOrEqual(tol);
      expect(err).toBeLessThanOrEqual(0.02 * scale);
      // Li's chart drift is the exact one on both cases (to round-off), the seed's is twice it.
      shipped.li.forEach((b, k) => expect(Math.abs(b - exact[k])).toBeLessThanOrEqual(1e-9 * scale));
      expect(shipped.errLi).toBeLessThanOrEqual(0.02);
      expect(shipped.errSeed).toBeGreaterThanOrEqual(0.5);
      expect(shipped.massFraction).toBe(0.99);
    }, 240_000);
  }
});

describe('the drift profile on a surface (scalar-net, coarse: 48² chart stations, η = 0.02)', () => {
  it('measures both chart components; they follow Li, not the seed', async () => {
    const spec = loadCase('scalar-net');
    spec.grid = { kind: 'tube', along: [48, 48], across: 16, halfWidth: 4 };
    spec.time = { ...spec.time, rtol: 1e-3 };
    const d = (await solveCase(spec, { eta: 0.02, particles: false })).summary.along?.driftProfile;
    if (!d || d.chart !== 'surface') throw new Error('scalar-net: no surface drift profile in the summary');
    const { a, b } = d.components;
    console.log(`scalar-net 48²: ${a.s.length} + ${b.s.length} faces, errLi ${(100 * d.errLi).toFixed(2)} %, errSeed ${(100 * d.errSeed).toFixed(1)} %`);
    for (const line of [a, b]) {
      expect(line.s.length).toBeGreaterThan(5);
      expect(line.measured.every(Number.isFinite) && line.li.every(Number.isFinite)).toBe(true);
    }
    // The coarse grid and η = 0.02 leave a few per cent (O(η) and O(Δ²)); the seed, twice Li for label noise, misses by its size.
    expect(d.errLi).toBeLessThanOrEqual(0.1);
    expect(d.errSeed).toBeGreaterThanOrEqual(0.5);
    expect(d.errSeed).toBeGreaterThan(10 * d.errLi);
  }, 240_000);
});
