/**
 * Every DESIGN.md §8 case at η = 0.01 on its shipped grid: the conditional
 * variance across Γ is within 3 % of ηΩ on every station (fibre of the
 * gradient-flow map) holding the 99 % of the mass, in the slow phase, and
 * pooled over those stations,
 * the mean along Γ follows the Li–Wang–Arora averaged problem to ≤ 3 % of the
 * distance travelled (or ≤ 0.002 where it hardly moves), and the seed formula
 * (eq. 10: twice Li along Γ for label and isotropic noise; on hyperbola-mixed,
 * where Σ mixes tangent and normal directions, a drift about three times Li's)
 * misses by more. Mass is conserved.
 *
 * hyperbola-mixed's station-wise variance error is the O(η) correction of the
 * Gaussian across Γ that the coupling QΣP ≠ 0 brings (measured 15.2 %, 6.6 %,
 * 3.1 %, 1.5 % at η = 0.04, 0.02, 0.01, 0.005: ∝ η; the same with an initial
 * width twice as large), so its bound at η = 0.01 is 4 %, not 3 %.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { solveCase } from '../../src/pipeline.js';

describe('shipped cases at η = 0.01', () => {
  for (const name of ['valley', 'hyperbola-label', 'hyperbola-iso', 'hyperbola-mixed', 'twisted-curve', 'scalar-net']) {
    // The surface runs 99k cells (about a minute on a shared core).
    const timeout = name === 'scalar-net' ? 600_000 : undefined;
    it(`${name}: Gaussian across Γ, motion along Γ follows Li`, async () => {
      const spec = loadCase(name);
      spec.output = { frames: 21 };
      const r = (await solveCase(spec, { eta: 0.01 })).summary;
      const a = r.along!;
      console.log(
        `${name}: ${r.grid.cells} cells, ${r.time.steps} steps, ${r.wallSeconds.toFixed(1)} s; variance across pooled ${(100 * r.across!.varRelErrPooled).toFixed(2)} %, station max ${(100 * r.across!.varRelErrMax).toFixed(2)} %; travelled ${a.travelled.toFixed(4)}, |Δmean| Li ${a.endErrLi!.toExponential(2)}, seed ${a.endErrSeed!.toExponential(2)}; L1 Li ${a.l1Li!.at(-1)!.toExponential(2)}, seed ${a.l1Seed!.at(-1)!.toExponential(2)}; min ρ/max ρ ${r.density.minRel.toExponential(2)}`,
      );
      expect(Math.abs(r.across!.varRelErrPooled)).toBeLessThanOrEqual(0.03);
      expect(r.across!.conditionedOn).toBe('gradient-flow fibres');
      // Station by station on the fibres of Φ, for every case (the surface on its graded 56 × 68 chart stations).
      expect(r.across!.varRelErrMax).toBeLessThanOrEqual(name === 'hyperbola-mixed' ? 0.04 : 0.03);
      expect(a.endErrLi!).toBeLessThanOrEqual(Math.max(0.03 * a.travelled, 0.002));
      expect(a.endErrSeed!).toBeGreaterThan(a.endErrLi!);
      expect(a.l1Seed!.at(-1)!).toBeGreaterThan(a.l1Li!.at(-1)!);
      expect(r.mass.relDriftMax).toBeLessThanOrEqual(1e-11);
    }, timeout);
  }
});
