/**
 * The third witness against the Fokker–Planck solution, through `run` itself
 * (solveCase with particles): the same frame times, the same stations.
 *
 * Valley (shipped grid 512×48), η = 0.01: 4·10⁴ SDE particles (Euler–Maruyama extrapolated in dt,
 * the default dt = 0.05·η/λ_max) — the marginal's mean and variance along Γ at every frame
 * up to t = 0.25 lie within 3 standard errors of the FPE's. The test can fail:
 * the seed drift (twice Li's along Γ) sits many standard errors away.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';
import { verifyCase } from '../../src/pipeline/verify.js';
import { writeVerifyOutputs } from '../../src/pipeline/verify-report.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('particles against the FPE (run)', () => {
  it('valley, η = 0.01, 4·10⁴ SDE particles: mean and variance along Γ within 3 SE of the FPE at every frame to t = 0.25', async () => {
    const spec = loadCase('valley');
    spec.time = { ...spec.time, end: 0.25 };
    spec.output = { frames: 6 };
    const r = await solveCase(spec, { particles: { mode: 'sde', n: 40_000, seed: 11, workers: 2 } });
    const p = r.summary.particles!;
    expect(p.mode).toBe('sde');
    expect(p.t).toEqual(r.summary.along!.t);
    expect(p.tOffsetMax).toBe(0);
    const rows = p.t.map((t, k) => `t=${t.toFixed(3)} mean ${p.mean[k].toFixed(5)}±${p.se[k].toFixed(5)} (FPE ${(r.summary.along!.meanFpe as number[])[k].toFixed(5)}, z ${p.zMeanFpe[k].toFixed(2)}; seed z ${p.zMeanSeed![k].toFixed(2)}) var z ${p.zVarFpe![k].toFixed(2)} W1 ${p.w1Fpe![k].toExponential(2)}`);
    console.log(rows.join('\n'));
    for (let k = 0; k < p.t.length; k++) {
      expect(Math.abs(p.zMeanFpe[k])).toBeLessThan(3);
      expect(Math.abs(p.zVarFpe![k])).toBeLessThan(3);
      // The variance's standard error is the sample's own: near-Gaussian here, so close to var·√(2/n).
      expect(p.seVar[k] / (p.var[k] * Math.sqrt(2 / p.n))).toBeGreaterThan(0.8);
      expect(p.seVar[k] / (p.var[k] * Math.sqrt(2 / p.n))).toBeLessThan(1.25);
    }
    // Discriminating: the seed prediction is far outside the particles' error bars at the end.
    const last = p.t.length - 1;
    expect(Math.abs(p.zMeanSeed![last])).toBeGreaterThan(5);
    // W1 between the histogram and the FPE marginal: at the level of the sampling noise
    // (≈ √(var/n)·O(1) for 512 bins), far below the distance to the seed solution.
    expect(p.w1Fpe![last]).toBeLessThan(0.01);
    expect(p.w1Fpe![last]).toBeLessThan(0.5 * p.w1Seed![last]);
  }, 180_000);

  it("a case's own particle section is skipped, with a warning, when the learning rule would take more than 10⁹ particle-steps", async () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { kind: 'tube', along: 64, across: 16, halfWidth: 8 };
    spec.time = { ...spec.time, end: 0.05 };
    spec.output = { frames: 3 };
    // 20 001 runs × t/η² = 0.05/10⁻⁶ = 5·10⁴ steps each: 1.00005·10⁹ particle-steps, just over the budget.
    spec.particles = { mode: 'sgd', n: 20_001, seed: 1 };
    const r = await solveCase(spec, { eta: 0.001 });
    expect(r.summary.particles).toBeUndefined();
    expect((r.summary.warnings as string[]).join(' ')).toMatch(/particles skipped: the case's 20001 runs of the learning rule take 1\.00e\+9 particle-steps at η = 0.001/);
    // … and just under it, they run.
    spec.particles = { mode: 'sgd', n: 200, seed: 1 };
    const ok = await solveCase(spec, { eta: 0.001 });
    expect(ok.summary.particles!.n).toBe(200);
  }, 120_000);

  it('verify --particles: particle columns per η (learning rule), in the result, the table and the report', async () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { kind: 'tube', along: 128, across: 32, halfWidth: 8 };
    spec.time = { ...spec.time, end: 0.2 };
    spec.output = { frames: 5 };
    const v = await verifyCase(spec, [0.04, 0.02], { workers: 2, resolutionCheck: false, particles: { mode: 'sgd', n: 4000, seed: 3 } });
    const P = v.particles!;
    expect(P.rows.map((r) => r.eta)).toEqual([0.04, 0.02]);
    for (const [i, row] of P.rows.entries()) {
      const run = v.runs[i];
      expect(run.particles!.n).toBe(4000);
      // One worker thread per lane, particles in-thread: the end figures are the run's.
      expect(row.mean).toBe(run.particles!.end.mean);
      expect(row.zMeanFpe).toBeCloseTo((row.mean - row.meanFpe) / row.se, 12);
      expect(row.meanFpe).toBe((run.along!.meanFpe as number[]).at(-1));
    }
    expect(P.detail).toMatch(/^Particles \(4000 runs of the learning rule per η\)/);
    const dir = mkdtempSync(join(tmpdir(), 'gfp-vp-'));
    await writeVerifyOutputs(dir, spec, v);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('particles (sgd) mean ± SE');
    expect(html).toContain('W1 vs Li');
  }, 240_000);
});
