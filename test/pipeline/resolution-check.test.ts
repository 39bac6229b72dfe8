/**
 * The grids of verify's resolution check: twice the cells along and across Γ (2D tubes), or, where that
 * costs more cells than doubling one direction at a time (3D tubes) or exceeds RESOLUTION_CHECK_MAX_CELLS, one
 * run per direction (twice if it fits, else half); cell counts of tube specs.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { RESOLUTION_CHECK_MAX_CELLS, resolutionCheckGrids, tubeCells } from '../../src/pipeline/verify.js';

describe('resolution check grid', () => {
  it('counts tube cells: curve in 2D, square cross-section in 3D, surface shell', () => {
    expect(tubeCells({ along: 512, across: 64 }, 2)).toBe(32768);
    expect(tubeCells({ along: 128, across: 20 }, 3)).toBe(51200);
    expect(tubeCells({ along: 128, across: [20, 10] }, 3)).toBe(25600);
    expect(tubeCells({ along: [64, 32], across: 24 }, 3)).toBe(49152);
  });

  it('doubles along and across in one run while that fits the budget and costs no more than one direction at a time, else one run per direction', () => {
    const c = resolutionCheckGrids(loadCase('hyperbola-label'))!;
    expect(c.map((r) => [r.changed, r.scale])).toEqual([['along+across', 'twice']]);
    expect(c[0].spec.grid).toMatchObject({ kind: 'tube', along: 512, across: 96, alongGrading: { focus: [0.35, 0.85], ratio: 4 } });
    const big = loadCase('scalar-net');
    big.grid = { ...(big.grid as Extract<typeof big.grid, { kind: 'tube' }>), along: [128, 128], across: 24 };
    expect(tubeCells({ along: [256, 256], across: 48 }, 3)).toBeGreaterThan(RESOLUTION_CHECK_MAX_CELLS);
    const h = resolutionCheckGrids(big)!;
    // 256² × 24 does not fit: half along; 128² × 48 = 786k does: twice across.
    expect(h.map((r) => [r.changed, r.scale])).toEqual([['along', 'half'], ['across', 'twice']]);
    expect(h[0].spec.grid).toMatchObject({ along: [64, 64], across: 24 });
    expect(h[1].spec.grid).toMatchObject({ along: [128, 128], across: 48 });
    // The shipped surface, 56 × 68 × 26 (99 008 cells): twice both ways would be 8× its cells (792 064), the
    // directions one at a time 4× + 2× (396 032 + 198 016): one run per direction, graded as shipped; with
    // `joint` (verify --refine) the one run.
    const shipped = loadCase('scalar-net');
    const net = resolutionCheckGrids(shipped)!;
    const cellsOf = (r: { spec: { grid: unknown } }) => tubeCells(r.spec.grid as { along: [number, number]; across: number }, 3);
    expect(net.map((r) => [r.changed, r.scale, cellsOf(r)])).toEqual([
      ['along', 'twice', 112 * 136 * 26],
      ['across', 'twice', 56 * 68 * 52],
    ]);
    expect(net[0].spec.grid).toMatchObject({ alongGrading: [{ focus: [-0.35, 0.7], ratio: 2 }, { focus: [-0.35, 0.3], ratio: 4 }] });
    expect(resolutionCheckGrids(shipped, { joint: true })!.map((r) => [r.changed, r.scale, cellsOf(r)])).toEqual([['along+across', 'twice', 112 * 136 * 52]]);
    // A 3D tube around a curve: 2× along + 4× across (two axes) against 8×: per direction too.
    const tw = resolutionCheckGrids(loadCase('twisted-curve'))!;
    expect(tw.map((r) => [r.changed, r.scale])).toEqual([['along', 'twice'], ['across', 'twice']]);
    expect(resolutionCheckGrids(loadCase('valley-cartesian'))).toBeNull();
  });
});
