/**
 * The seed formula's projector term g = ½ Σ_{i,j,l} Σᵢⱼ Pⱼₗ ∂ₗPᵢₖ (eq. 10, Σ the noise covariance) on the
 * stations of every shipped case (`theoryTable`, the rows `gammafp theory` prints):
 *   label noise: Σ = c∇f∇fᵀ is normal to Γ (ΣP = 0), so g = 0 to round-off;
 *   isotropic σ²I: g = ½σ² Σₗ (P∂ₗP)ₗ· is normal to Γ (P(∂P)P = 0), so Pg = 0 to round-off;
 *   hyperbola-mixed (constant Σ with QΣP ≠ 0): g has a component along Γ, and the seed's drift along Γ is not
 *   twice Li's — the case exists to tell the formulas apart there;
 *   task-interpolate (f = u·v·x): every row's gradient is a multiple of (v, u), normal to Γ = {uv = 1}, so Σ is
 *   normal (t̂ᵀΣt̂ = 0) and g = 0 as for label noise;
 *   task-phase: Γ = {v = 0} is straight, so P is constant and g = 0 although Σ has a tangent part
 *   (t̂ᵀΣt̂ = Σ_uu = ¼·⅛ = 1/32, the case's description);
 *   task-curved: the same rows on the curved Γ = {v = ½ sin u}: P varies and Σ has a tangent part, so g has a
 *   component along Γ (up to 0.031) and the seed's drift along Γ is no fixed multiple of Li's.
 * Every case meets at least one rule: a case added without one fails here until its rule is written.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { shippedCaseNames } from '../../src/case/case-paths.js';
import { theoryTable } from '../../src/pipeline/theory-table.js';

const norm = (v: number[]) => Math.hypot(...v);
function applyP(P: number[], v: number[]): number[] {
  const d = v.length;
  return v.map((_, i) => v.reduce((s, vj, j) => s + P[i * d + j]! * vj, 0));
}

describe('seed projector term on the shipped cases', () => {
  for (const name of shippedCaseNames()) {
    it(`${name}: label → zero, isotropic → normal to Γ, mixed → has a part along Γ`, () => {
      const spec = loadCase(name);
      if (!spec.gamma && !spec.landscape) return;
      const table = theoryTable(spec, 17);
      // A task case's noise is derived from its sources (test/task checks it); only the kind rules above apply here.
      const kind = spec.noise?.kind ?? 'task';
      let maxAbs = 0;
      let maxAlong = 0;
      let scale = 0;
      for (const r of table.rows) {
        maxAbs = Math.max(maxAbs, norm(r.seedProjectorTerm));
        maxAlong = Math.max(maxAlong, norm(applyP(r.P, r.seedProjectorTerm)));
        scale = Math.max(scale, norm(r.driftSeed), norm(r.driftLi));
      }
      console.log(`${name} (${kind}): max |g| ${maxAbs.toExponential(2)}, max |Pg| ${maxAlong.toExponential(2)}, drift scale ${scale.toExponential(2)}`);
      let ruled = false;
      const sigmaBarMax = Math.max(...table.rows.map((r) => Math.max(...r.sigmaBar.map(Math.abs))));
      if (kind === 'label' || name === 'task-interpolate' || name === 'task-phase') {
        ruled = true;
        expect(maxAbs).toBeLessThanOrEqual(1e-13 * Math.max(1, scale));
      }
      if (name === 'task-interpolate') expect(sigmaBarMax).toBeLessThanOrEqual(1e-13 * Math.max(1, scale));
      if (name === 'task-phase') for (const r of table.rows) expect(r.sigmaBar[0]!).toBeCloseTo(1 / 32, 12);
      if (kind === 'isotropic') {
        ruled = true;
        // A real vector on a curved Γ (½σ² times a curvature term; zero on the straight valley).
        if (!name.startsWith('valley')) expect(maxAbs).toBeGreaterThan(1e-3);
        expect(maxAlong).toBeLessThanOrEqual(1e-13 * Math.max(1, scale));
      }
      if (name === 'hyperbola-mixed' || name === 'task-curved') {
        ruled = true;
        expect(maxAlong).toBeGreaterThan(name === 'task-curved' ? 0.02 : 0.05);
        // Along Γ the seed drift is −(P T[Ω]) + Pg: no fixed multiple of Li's (2.1× at the ends, 3.9× near s = ±0.5).
        const ratios = table.rows.filter((r) => Math.abs(r.alongLi[0]!) > 0.05).map((r) => r.alongSeed[0]! / r.alongLi[0]!);
        expect(ratios.length).toBeGreaterThan(8);
        expect(Math.max(...ratios)).toBeGreaterThan(name === 'task-curved' ? 2.5 : 3.5);
        expect(Math.max(...ratios) - Math.min(...ratios)).toBeGreaterThan(1);
      }
      expect(ruled, `${name}: no rule of this test applies to its noise; write one`).toBe(true);
    });
  }
});
