/**
 * Fitted cross diffusion on a non-orthogonal shell (issue 20): the surface xyz = 1 with isotropic
 * noise and widthAlong = constant. The cross terms carry Scharfetter–Gummel weights B(∓Δφ) between
 * the two cells of a tangential difference, so
 *  * the Gibbs state exp(−2L/(ησ²)) is still an exact discrete steady state (to round-off), and
 *  * the weights grow like |Δφ|, not e^{|Δφ|}: K's diagonal is ≤ 0 in every row, so M − c·h·K has a
 *    positive diagonal for every step (before: rows with K_ii ≫ 0 and entries of −6.5e15).
 */
import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/case/schema.js';
import { buildProblem } from '../../src/pipeline.js';
import { relativeImbalance } from '../support/assertions.js';
import { xyzIsoCase } from '../support/xyz-iso-case.js';

describe('fitted cross terms on the xyz = 1 shell (isotropic noise, constant width)', () => {
  const p = buildProblem(parseCase(xyzIsoCase([16, 16], 12), 'test'));
  const { K, grid, landscape, eta } = p;

  it('keeps the Gibbs state stationary to round-off', () => {
    const d = grid.dim;
    const rho = new Float64Array(K.n);
    for (let c = 0; c < K.n; c++) rho[c] = Math.exp((-2 * landscape.value(grid.centres.subarray(c * d, c * d + d))) / eta);
    expect(relativeImbalance(K, rho)).toBeLessThan(1e-12);
  });

  it('has K_jj ≤ 0 in every column and Σ_{i≠j}|K_ij| within a small multiple of |K_jj| (columns sum to zero)', () => {
    const colOff = new Float64Array(K.n);
    const diag = new Float64Array(K.n);
    for (let r = 0; r < K.n; r++) {
      for (let k = K.rowPtr[r]; k < K.rowPtr[r + 1]; k++) {
        const j = K.colIdx[k];
        if (j === r) diag[j] = K.values[k];
        else colOff[j] += Math.abs(K.values[k]);
      }
    }
    let worst = 0;
    for (let j = 0; j < K.n; j++) {
      expect(diag[j]).toBeLessThan(0);
      worst = Math.max(worst, colOff[j] / -diag[j]);
    }
    // Before the fix: 40 columns with K_jj > 0 and a ratio of 2.4e21 on this grid.
    console.log(`xyz-iso 16×16×12: max_j Σ_{i≠j}|K_ij| / |K_jj| = ${worst.toFixed(3)} (1 for an M-matrix column)`);
    expect(worst).toBeLessThan(4);
  });
});
