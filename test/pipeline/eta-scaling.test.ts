/**
 * Cost independent of η, and the Gaussian across Γ: the hyperbola with label
 * noise at η = 0.04, 0.01, 0.0025, 0.000625 on one tube spec (resolution
 * across in units of √(ηΩ)) has the same cells and about the same number of
 * time steps (the deterministic measure of cost; wall times are printed by
 * `npm run bench`), the pooled conditional variance across Γ is within 2 % of
 * ηΩ for η ≤ 0.01, and its deviation shrinks in proportion to η. Also the
 * exact slow variable: E[q](t) = E[q](0)e^(−ct) for q = u² − v².
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';

describe('hyperbola with label noise across η', () => {
  it('same cells, steps within ±30 %, variance across Γ → ηΩ at rate η', async () => {
    const etas = [0.04, 0.01, 0.0025, 0.000625];
    const runs = [];
    for (const eta of etas) {
      const spec = loadCase('hyperbola-label');
      spec.grid = { kind: 'tube', along: 256, across: 32, halfWidth: 8 };
      spec.output = { frames: 11 };
      runs.push((await solveCase(spec, { eta, particles: false })).summary);
    }
    const steps = runs.map((r) => r.time.steps);
    const pooled = runs.map((r) => r.across!.varRelErrPooled);
    console.log(`η ${etas.join(', ')}: cells ${runs.map((r) => r.grid.cells).join(', ')}; steps ${steps.join(', ')}; wall ${runs.map((r) => r.wallSeconds.toFixed(2)).join(', ')} s; pooled variance error ${pooled.map((p) => p.toExponential(2)).join(', ')}; station max ${runs.map((r) => r.across!.varRelErrMax.toFixed(4)).join(', ')}`);
    expect(new Set(runs.map((r) => r.grid.cells)).size).toBe(1);
    const mid = [...steps].sort((a, b) => a - b)[2];
    for (const s of steps) expect(Math.abs(s - mid) / mid).toBeLessThanOrEqual(0.3);
    for (let i = 1; i < etas.length; i++) expect(Math.abs(pooled[i])).toBeLessThanOrEqual(0.02);
    // ∝ η: each factor 4 in η divides the deviation by about 4.
    for (let i = 1; i < etas.length; i++) {
      const ratio = pooled[i - 1] / pooled[i];
      expect(ratio).toBeGreaterThan(2.5);
      expect(ratio).toBeLessThan(6);
    }
    for (const r of runs) expect(r.mass.relDriftMax).toBeLessThanOrEqual(1e-12);
  });

  it('E[q](t) of the Fokker–Planck solution follows E[q](0)·e^(−ct) to ≤ 0.5 % at t = 0.5, η = 0.01', async () => {
    const spec = loadCase('hyperbola-label');
    spec.output = { frames: 11 };
    const r = await solveCase(spec, { keepFrames: true, particles: false });
    const g = r.problem.grid;
    const Eq = (rho: Float64Array) => {
      let s = 0;
      for (let c = 0; c < g.nCells; c++) {
        const u = g.centres[2 * c];
        const v = g.centres[2 * c + 1];
        s += g.volumes[c] * rho[c] * (u * u - v * v);
      }
      return s;
    };
    const c = 1;
    const frames = r.frames!;
    let worst = 0;
    for (let k = 0; k < frames.t.length; k++) {
      const rel = Eq(frames.rho[k]) / (Eq(frames.rho[0]) * Math.exp(-c * frames.t[k])) - 1;
      worst = Math.max(worst, Math.abs(rel));
    }
    console.log(`E[q] against E[q](0)e^(−ct): worst relative error ${worst.toExponential(2)} over ${frames.t.length} frames`);
    expect(worst).toBeLessThanOrEqual(0.005);
  });
});
