/**
 * verify's resolution rule (src/pipeline/resolution.ts) and --refine's loop (src/pipeline/refine.ts) on
 * synthetic errors E(η, h) = averaging + grid, where the right answers follow by hand.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import type { CaseSpec } from '../../src/case/types.js';
import type { RunSummary } from '../../src/pipeline.js';
import { refineUnresolved } from '../../src/pipeline/refine.js';
import { RESOLUTION_CHECK_MAX_CELLS, RESOLVED_SHARE, type CheckRow, isResolved, refinementChange, resolutionPerEta, suggestGrid } from '../../src/pipeline/resolution.js';
import { verifyErrors } from '../../src/pipeline/verify-errors.js';

const row = (changed: CheckRow['changed'], scale: CheckRow['scale'], delta: number): CheckRow => ({ changed, scale, along: 0, across: 0, l1Li: 0, delta });

describe('resolution rule', () => {
  it('calls the issue\'s 85 % change under-resolved and the shipped 3 % one resolved; the boundary is a third', () => {
    expect(isResolved(0.00695, 0.00813)).toBe(false);
    expect(isResolved(8e-5, 2.4e-3)).toBe(true);
    expect(isResolved(0.25, 0.75)).toBe(true);
    expect(isResolved(0.25 * (1 + 1e-12), 0.75)).toBe(false);
    expect(isResolved(NaN, 1)).toBe(false);
  });

  it('with first-order grid error, a change of a third leaves exactly half of the refined error to the grid', () => {
    // E(h) = A + c·h; the change h → h/2 is c·h/2. Δ = E(h)/3 ⟺ A = c·h/2, and then the grid part of E(h/2) is half.
    const c = 0.8;
    const h = 0.05;
    const A = (c * h) / 2;
    const E = (x: number) => A + c * x;
    const change = E(h) - E(h / 2);
    expect(change).toBeCloseTo(RESOLVED_SHARE * E(h), 15);
    expect((c * h) / 2 / E(h / 2)).toBeCloseTo(0.5, 15);
  });

  it('counts a twice-run as measured, a halved along-run over 2^order, a halved across-run over 2, and adds directions', () => {
    expect(refinementChange([row('along+across', 'twice', 0.013)], 2)).toBe(0.013);
    // g ∝ h²: g(2h) − g(h) = 3c h², g(h) − g(h/2) = ¾ c h², ratio 4.
    expect(refinementChange([row('along', 'half', 4.1e-3), row('across', 'twice', 8e-4)], 2)).toBeCloseTo(4.1e-3 / 4 + 8e-4, 15);
    expect(refinementChange([row('along', 'half', 4e-3), row('across', 'half', 1e-3)], 1)).toBeCloseTo(2e-3 + 5e-4, 15);
  });

  it('judges every η by the change measured at the smallest, marking the others estimated', () => {
    const spec = loadCase('hyperbola-label');
    const per = resolutionPerEta([0.04, 0.02, 0.01, 0.005], [0.0377, 0.0124, 0.0106, 0.0147], 0.0130, spec);
    expect(per.map((r) => r.resolved)).toEqual([false, false, false, false]);
    expect(per.map((r) => r.measured)).toEqual([false, false, false, true]);
    const ok = resolutionPerEta([0.04, 0.02], [0.05, 0.02], 0.01, spec);
    expect(ok.map((r) => r.resolved)).toEqual([true, false]);
  });

  it('names the smallest 2^m grid whose predicted change Δ·2^(−qm) is at most a third of the finer grid\'s error', () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { ...(spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>), along: 256, across: 48 };
    // q = 2: 0.013/16 = 8.1e-4 > 5.57e-4; 0.013/64 = 2.0e-4 ≤ 5.57e-4 → m = 3.
    expect(suggestGrid(spec, 0.013, 0.00167, 2)).toEqual({ factor: 8, along: 2048, across: 384, order: 2 });
    // q = 1: 2^m ≥ 0.013/5.57e-4 = 23.4 → m = 5.
    expect(suggestGrid(spec, 0.013, 0.00167, 1)!.factor).toBe(32);
    expect(suggestGrid(spec, 1e-4, 0.01, 2)!.factor).toBe(2);
  });
});

/** A stand-in for a run: L1 (Li) = η + g·4^(−level) with level = log2(along / 32); seed errors 10× that. */
function fakeRun(spec: CaseSpec, eta: number, g: number): RunSummary {
  const along = (spec.grid as { along: number }).along;
  const level = Math.log2(along / 32);
  const li = eta + g * 4 ** -level;
  return { along: { l1Li: [2 * li, li], l1Seed: [10 * li], endErrLi: li / 2, endErrSeed: 5 * li } } as unknown as RunSummary;
}

describe('verify --refine', () => {
  it('refines level by level until each η is resolved, reusing the smallest η of each check as the next level', async () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { ...(spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>), along: 32, across: 8 };
    const etas = [0.04, 0.02, 0.01, 0.005];
    const g = 0.02;
    const base = verifyErrors(etas.map((e) => fakeRun(spec, e, g)));
    // Level 0: E = .06, .04, .03, .025; the check (level 1, η = .005) gives .01: change .015 resolves only η = .04.
    const perEta = resolutionPerEta(etas, base.li, 0.015, spec);
    expect(perEta.map((r) => r.resolved)).toEqual([true, false, false, false]);
    const asked: [number, number][] = [];
    const run = async (jobs: { spec: CaseSpec; eta: number }[]) =>
      jobs.map((j) => {
        asked.push([(j.spec.grid as { along: number }).along, j.eta]);
        return fakeRun(j.spec, j.eta, g);
      });
    const r = await refineUnresolved(spec, etas, base, perEta, fakeRun({ ...spec, grid: { ...spec.grid, along: 64 } as CaseSpec['grid'] }, 0.005, g), run);
    // Level 1: .025, .015, .01; change to level 2 at η = .005 is .01 − .00625 = .00375 → η = .02, .01 resolved.
    // Level 2: .00625; change to level 3 is .00625 − .0053125 = 9.375e-4 ≤ .00625/3 → resolved.
    expect(asked).toEqual([[64, 0.02], [64, 0.01], [128, 0.005], [256, 0.005]]);
    expect(r.perEta.map((e) => e.level)).toEqual([0, 1, 1, 2]);
    expect(r.perEta.every((e) => e.resolved)).toBe(true);
    expect(r.levels.map((l) => l.change)).toEqual([expect.closeTo(0.00375, 15), expect.closeTo(9.375e-4, 15)]);
    [0.06, 0.025, 0.015, 0.00625].forEach((v, i) => expect(r.errors.li[i]).toBeCloseTo(v, 15));
    expect(r.errors.seed[3]).toBeCloseTo(0.0625, 14);
    expect(r.stopped).toBeNull();
    // The order is fitted on those four resolved errors.
    const lx = etas.map(Math.log);
    const ly = r.errors.li.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / 4;
    const my = ly.reduce((a, b) => a + b) / 4;
    const slope = lx.reduce((t, x, i) => t + (x - mx) * (ly[i] - my), 0) / lx.reduce((t, x) => t + (x - mx) ** 2, 0);
    expect(r.order.li).toBeCloseTo(slope, 12);
  });

  it('stops at the cell budget and says so, leaving the rest under-resolved', async () => {
    const spec = loadCase('hyperbola-label');
    spec.grid = { ...(spec.grid as Extract<CaseSpec['grid'], { kind: 'tube' }>), along: 4096, across: 64 };
    const etas = [0.02, 0.01];
    const base = verifyErrors(etas.map(() => fakeRun({ ...spec, grid: { ...spec.grid, along: 32 } as CaseSpec['grid'] }, 0.001, 1)));
    const perEta = resolutionPerEta(etas, base.li, 0.5, spec);
    let calls = 0;
    const r = await refineUnresolved(spec, etas, base, perEta, fakeRun({ ...spec, grid: { ...spec.grid, along: 64 } as CaseSpec['grid'] }, 0.001, 1), async () => {
      calls++;
      return [];
    });
    expect(calls).toBe(0);
    expect(r.levels).toEqual([]);
    expect(r.perEta.every((e) => !e.resolved)).toBe(true);
    // Level 1 is 8192 × 128; its check, 16384 × 256 = 4,194,304 cells, is past the budget, which the message names.
    expect(RESOLUTION_CHECK_MAX_CELLS).toBeLessThan(4_194_304);
    expect(r.stopped).toBe(`the check of level 1 would need 4,194,304 cells (budget ${RESOLUTION_CHECK_MAX_CELLS.toLocaleString('en-US')})`);
    expect(Number.isNaN(r.order.li)).toBe(true);
  });
});
