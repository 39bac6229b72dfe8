import { describe, expect, it } from 'vitest';
import { focusedEdges, uniformEdges } from '../../src/grid/grading.js';
import { tubeGrid2d } from '../../src/grid/tube-2d.js';
import { gaussLegendre } from '../../src/grid/quadrature.js';
import { GridSpecError } from '../../src/util/errors.js';
import { expHyperbola } from './tube-fixtures.js';
import { parseCase } from '../../src/case/schema.js';
import { averagedProblem } from '../../src/pipeline/averaged.js';
import { buildProblem } from '../../src/pipeline/problem.js';

/** The station density of `focusedEdges`, written out independently of its closed-form integral. */
const density = (s: number, lo: number, hi: number, r: number, d: number) => 1 + 0.5 * (r - 1) * (Math.tanh((s - lo) / d) - Math.tanh((s - hi) / d));

describe('focusedEdges (grid.alongGrading)', () => {
  it('equidistributes the station density: every cell holds the same ∫m (Gauss–Legendre), ends exact, increasing', () => {
    const [lo, hi, r] = [0.2, 0.9, 4];
    const d = (hi - lo) / 4;
    const e = focusedEdges(200, -1.2, 1.2, { focus: [lo, hi], ratio: r });
    expect(e[0]).toBe(-1.2);
    expect(e[200]).toBe(1.2);
    const { nodes, weights } = gaussLegendre(16);
    const cellMass = (a: number, b: number) => {
      let m = 0;
      for (let q = 0; q < nodes.length; q++) m += weights[q] * density(0.5 * (a + b) + 0.5 * (b - a) * nodes[q], lo, hi, r, d);
      return 0.5 * (b - a) * m;
    };
    const masses = Array.from({ length: 200 }, (_, k) => cellMass(e[k], e[k + 1]));
    const mean = masses.reduce((a, b) => a + b, 0) / 200;
    for (let k = 0; k < 200; k++) {
      expect(e[k + 1]).toBeGreaterThan(e[k]);
      expect(Math.abs(masses[k] - mean) / mean).toBeLessThan(1e-12);
    }
  });

  it('inside the focus cells are `ratio` times narrower than far outside; neighbours differ by at most 1 + (r − 1)h/(2δ)', () => {
    const e = focusedEdges(400, 0, 10, { focus: [4, 6], ratio: 3, transition: 0.25 });
    const w = Array.from({ length: 400 }, (_, k) => e[k + 1] - e[k]);
    const at = (s: number) => w[e.findIndex((x) => x > s) - 1];
    // widths ∝ 1/m: m(5)/m(0.5) = 1 + 2 tanh 4 ≈ 2.9987 (tails of tanh negligible), within 0.1 % of the ratio 3
    const m = (s: number) => density(s, 4, 6, 3, 0.25);
    expect(at(0.5) / at(5)).toBeCloseTo(m(5) / m(0.5), 3);
    expect(at(9.5) / at(5)).toBeCloseTo(m(5) / m(9.5), 3);
    expect(Math.abs(at(0.5) / at(5) - 3)).toBeLessThan(3e-3);
    const hMax = Math.max(...w);
    let worst = 1;
    for (let k = 1; k < 400; k++) worst = Math.max(worst, w[k] / w[k - 1], w[k - 1] / w[k]);
    expect(worst).toBeLessThan(1 + (2 * hMax) / (2 * 0.25));
    expect(worst).toBeGreaterThan(1.01); // it does grade
  });

  it('ratio 1 or no spec is the uniform grid, bit for bit', () => {
    const ref = uniformEdges(16, -1, 2);
    expect(Array.from(focusedEdges(16, -1, 2, undefined))).toEqual(Array.from(ref));
    expect(Array.from(focusedEdges(16, -1, 2, { focus: [0, 1], ratio: 1 }))).toEqual(Array.from(ref));
  });

  it('refuses a focus outside the range, an empty focus, a ratio below 1, a transition ≤ 0, naming the field', () => {
    expect(() => focusedEdges(16, 0, 1, { focus: [0.5, 1.5], ratio: 2 })).toThrow(/grid\.alongGrading\.focus.*inside/);
    expect(() => focusedEdges(16, 0, 1, { focus: [0.6, 0.5], ratio: 2 })).toThrow(GridSpecError);
    expect(() => focusedEdges(16, 0, 1, { focus: [0.2, 0.5], ratio: 0.5 })).toThrow(/ratio/);
    expect(() => focusedEdges(16, 0, 1, { focus: [0.2, 0.5], ratio: 2, transition: 0 })).toThrow(/transition/);
  });

  it('a graded tube keeps its exact measure: Σ volumes = ∫2w|γ′|ds on the exp-hyperbola', () => {
    const g = tubeGrid2d(expHyperbola(), { along: 64, across: 6, halfWidth: 0.1, alongGrading: { focus: [0.3, 0.8], ratio: 4 } });
    const [s0, s1] = [g.edges[1][0], g.edges[1][64]];
    // |γ′| = √(e^{2s} + e^{−2s}) for γ = (e^s, e^{−s}); Gauss–Legendre on many panels
    const { nodes, weights } = gaussLegendre(16);
    let exact = 0;
    const panels = 64;
    for (let p = 0; p < panels; p++) {
      const a = s0 + ((s1 - s0) * p) / panels;
      const b = a + (s1 - s0) / panels;
      for (let q = 0; q < nodes.length; q++) {
        const s = 0.5 * (a + b) + 0.5 * (b - a) * nodes[q];
        exact += 0.5 * (b - a) * weights[q] * 2 * 0.1 * Math.hypot(Math.exp(s), Math.exp(-s));
      }
    }
    const total = g.volumes.reduce((x, y) => x + y, 0);
    expect(Math.abs(total - exact) / exact).toBeLessThan(1e-10);
    const w = Array.from({ length: 64 }, (_, k) => g.edges[1][k + 1] - g.edges[1][k]);
    expect(Math.max(...w) / Math.min(...w)).toBeGreaterThan(3);
  });
});

describe('alongGrading in a case', () => {
  const surfaceCase = (alongGrading: unknown) => ({
    name: 'graded-net',
    variables: ['x', 'y', 'z'],
    landscape: 'scalar-net',
    noise: { kind: 'label', output: 'x*y*z', c: 1 },
    gamma: { kind: 'surface', param: ['exp(a)', 'exp(b)', 'exp(-a-b)'], range: [[-0.5, 0.5], [-0.5, 0.5]] },
    eta: 0.01,
    grid: { kind: 'tube', along: [12, 16], across: 6, halfWidth: 4, alongGrading },
    initial: { kind: 'on-gamma', at: [0, 0], width: [0.15, 0.15] },
    time: { end: 0.01 },
  });

  it('a surface takes one focus per chart axis; the averaged problem is solved on the same graded stations', () => {
    const spec = parseCase(surfaceCase([null, { focus: [-0.2, 0.2], ratio: 3 }]), 'test');
    const problem = buildProblem(spec);
    const [axA, axB] = problem.grid.alongAxes;
    const eA = problem.grid.edges[axA];
    const eB = problem.grid.edges[axB];
    expect(eA[1] - eA[0]).toBeCloseTo(eA[7] - eA[6], 14); // uniform in a
    expect((eB[1] - eB[0]) / (eB[8] - eB[7])).toBeGreaterThan(2); // graded in b
    const avg = averagedProblem(problem, 'li');
    // refine 2: the averaged chart's cells are the stations halved, so two fine cells make each station's measure
    for (let jb = 0; jb < 16; jb++)
      for (let ja = 0; ja < 12; ja++) {
        let m = 0;
        for (let kb = 0; kb < 2; kb++) for (let ka = 0; ka < 2; ka++) m += avg.widths[2 * ja + ka + 24 * (2 * jb + kb)];
        expect(m).toBeCloseTo((eA[ja + 1] - eA[ja]) * (eB[jb + 1] - eB[jb]), 15);
      }
  });

  it('bad alongGrading is refused with the field named', () => {
    expect(() => buildProblem(parseCase(surfaceCase({ focus: [-0.2, 0.2], ratio: 3 }), 'test'))).toThrow(/grid\.alongGrading.*pair/);
    expect(() => buildProblem(parseCase(surfaceCase([null, { focus: [-0.2, 0.9], ratio: 3 }]), 'test'))).toThrow(/grid\.alongGrading\[1\]\.focus/);
    expect(() => parseCase(surfaceCase([null, { focus: [-0.2, 0.2], ratio: 3, width: 1 }]), 'test')).toThrow(/unknown field "width"/);
  });
});
