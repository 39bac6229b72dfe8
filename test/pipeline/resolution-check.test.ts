/**
 * The grid of verify's resolution check: twice the cells along and across Γ, or half of them when
 * twice would pass RESOLUTION_CHECK_MAX_CELLS; cell counts of tube specs.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { RESOLUTION_CHECK_MAX_CELLS, resolutionCheckGrid, tubeCells } from '../../src/pipeline/verify.js';

describe('resolution check grid', () => {
  it('counts tube cells: curve in 2D, square cross-section in 3D, surface shell', () => {
    expect(tubeCells({ along: 512, across: 64 }, 2)).toBe(32768);
    expect(tubeCells({ along: 128, across: 20 }, 3)).toBe(51200);
    expect(tubeCells({ along: 128, across: [20, 10] }, 3)).toBe(25600);
    expect(tubeCells({ along: [64, 32], across: 24 }, 3)).toBe(49152);
  });

  it('doubles along and across while that stays under the budget, else halves', () => {
    const hyp = loadCase('hyperbola-label');
    const c = resolutionCheckGrid(hyp)!;
    expect(c.scale).toBe('twice');
    expect(c.spec.grid).toMatchObject({ kind: 'tube', along: 1024, across: 128 });
    const big = loadCase('scalar-net');
    big.grid = { ...(big.grid as Extract<typeof big.grid, { kind: 'tube' }>), along: [128, 128], across: 24 };
    expect(tubeCells({ along: [256, 256], across: 48 }, 3)).toBeGreaterThan(RESOLUTION_CHECK_MAX_CELLS);
    const h = resolutionCheckGrid(big)!;
    expect(h.scale).toBe('half');
    expect(h.spec.grid).toMatchObject({ kind: 'tube', along: [64, 64], across: 12 });
    expect(resolutionCheckGrid(loadCase('valley-cartesian'))).toBeNull();
  });
});
