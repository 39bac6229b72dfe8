/**
 * The verdict where the two drift formulas are not a factor of two apart: hyperbola-mixed (constant
 * Σ = [[1, ½], [½, 1]] on uv = 1, so QΣP ≠ 0). verify over η = 0.04, 0.02, 0.01 on a 128 × 32 tube (the shipped
 * case is 256 × 48): Li's L1 error falls at order ≥ 0.8, the seed's does not fall, the verdict is "li", and at
 * η = 0.01 the end error of the mean against Li is ≤ 2 % of the distance moved, the seed's ≥ 50 %.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { verifyCase } from '../../src/pipeline/verify.js';

describe('hyperbola-mixed: verify tells Li from the seed where Σ mixes tangent and normal directions', () => {
  it('verdict li, order ≥ 0.8, mean error ≤ 2 % of the move at η = 0.01', async () => {
    const spec = loadCase('hyperbola-mixed');
    spec.grid = { kind: 'tube', along: 128, across: 32, halfWidth: 8 };
    spec.output = { frames: 11 };
    const r = await verifyCase(spec, [0.04, 0.02, 0.01], { resolutionCheck: false });
    const at01 = r.runs[2]!.along!;
    console.log(`hyperbola-mixed 128×32: L1 Li ${r.errors.li.map((e) => e.toExponential(2)).join(', ')} (order ${r.order.li.toFixed(2)}); seed ${r.errors.seed.map((e) => e.toExponential(2)).join(', ')}; η = 0.01 moved ${at01.travelled.toFixed(4)}, |Δmean| Li ${at01.endErrLi!.toExponential(2)}, seed ${at01.endErrSeed!.toExponential(2)}`);
    expect(r.verdict).toBe('li');
    expect(r.order.li).toBeGreaterThanOrEqual(0.8);
    expect(r.order.seed).toBeLessThan(0.2);
    expect(at01.endErrLi!).toBeLessThanOrEqual(0.02 * at01.travelled);
    expect(at01.endErrSeed!).toBeGreaterThanOrEqual(0.5 * at01.travelled);
  }, 300_000);
});
