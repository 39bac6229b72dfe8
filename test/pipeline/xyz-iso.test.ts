/**
 * Issue 20's configuration (examples/xyz-iso.json: the surface xyz = 1, isotropic noise, a 64²×32 shell of
 * constant width, η = 0.01, t = 0.15) runs to the end, and its acceptance figures hold: the mean along Γ
 * follows the Li–Wang–Arora averaged solution to within 2 % of the distance moved at t = 0.15, and the
 * conditional variance across Γ is within 3 % of ηΩ on every station (fibre of the gradient-flow map) holding
 * 99 % of the mass in the slow phase. Before the fix the first solve failed (true residual 9e38).
 */
import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';
import { xyzIsoJson } from '../support/xyz-iso-case.js';

describe('issue 20: xyz = 1 with isotropic noise', () => {
  it('runs to the end; mean along Γ within 2 % of the move from Li, variance across within 3 % of ηΩ per station', async () => {
    const r = (await solveCase(parseCase(xyzIsoJson(), 'examples/xyz-iso.json'))).summary;
    const a = r.along!;
    const s = r.solver;
    console.log(
      `xyz-iso: ${r.grid.cells} cells, ${r.time.steps} steps, ${r.wallSeconds.toFixed(1)} s; solver ${s.name}, ${s.solves} solves, ` +
        `${s.iterationsPerSolve.toFixed(2)} iterations each, rungs ${JSON.stringify(s.solvesByRung)}, ${s.fallbacks} fallbacks; ` +
        `moved ${a.travelled.toFixed(4)}, |meanFpe − meanLi| ${a.endErrLi!.toExponential(2)} (${((100 * a.endErrLi!) / a.travelled).toFixed(3)} % of the move), ` +
        `seed ${((100 * a.endErrSeed!) / a.travelled).toFixed(1)} %; variance across: station max ${(100 * r.across!.varRelErrMax).toFixed(2)} %, ` +
        `pooled ${(100 * r.across!.varRelErrPooled).toFixed(2)} % (${r.across!.stations} stations, ${r.across!.conditionedOn})`,
    );
    expect(r.complete).toBe(true);
    expect(r.time.steps).toBeGreaterThan(0);
    expect(a.endErrLi!).toBeLessThanOrEqual(0.02 * a.travelled);
    expect(r.across!.conditionedOn).toBe('gradient-flow fibres');
    expect(r.across!.varRelErrMax).toBeLessThanOrEqual(0.03);
    expect(r.mass.relDriftMax).toBeLessThanOrEqual(1e-11);
  }, 600_000);
});
