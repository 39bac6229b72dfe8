/**
 * Learning tasks (issue 17): L and Σ derived from a task against hand derivations, the enumerated
 * covariance over every batch and mask, 10⁶ draws of the rule itself, the label-noise case as a task,
 * and bad tasks.
 */
import { describe, expect, it } from 'vitest';
import { parseCase } from '../../src/case/schema.js';
import type { CaseSpec, TaskSpec } from '../../src/case/types.js';
import { caseModels, taskModels } from '../../src/models/case-models.js';
import { blockStream } from '../../src/particles/rng.js';
import { taskRule } from '../../src/task/rule.js';
import { InputError } from '../../src/util/errors.js';

const V = ['u', 'v'];
const base = {
  name: 't',
  variables: V,
  eta: 0.01,
  grid: { kind: 'cartesian', bounds: [[-2, 2], [-2, 2]], shape: [8, 8] },
  initial: { kind: 'gaussian', mean: [1, 1], cov: [[0.01, 0], [0, 0.01]] },
  time: { end: 0.1 },
};
const caseOf = (task: object, extra: object = {}): CaseSpec => parseCase({ ...base, task, ...extra }, 'test');
const models = (task: object) => taskModels(caseOf(task));
const POINTS = [[1.3, 0.6], [-0.7, 1.1], [0.4, -1.9]];

/** f = u·v·x on rows (x, y); hand derivation: every gradient is a multiple of w = (v, u), so Σ = s·wwᵀ. */
const X = [1, 2, 3];
const Yl = [1, 3, 2];
const rows = X.map((x, i) => ({ x, y: Yl[i]! }));
function hand(th: number[], o: { B?: number; repl?: boolean; c?: number; q?: number }) {
  const [u, v] = th as [number, number];
  const p = X.length;
  const q = o.q ?? 1;
  const B = o.B ?? p;
  const kappa = o.B === undefined ? 0 : o.repl ? 1 / B : (p - B) / ((p - 1) * B);
  // kept mask (prob q): f = (u/q)·v·x; dropped: f = 0 (gradient 0).
  const a = X.map((x, i) => ((u * v * x) / q - Yl[i]!) * (x / q));
  const abar = a.reduce((s, z) => s + z, 0) / p;
  const varA = a.reduce((s, z) => s + (z - abar) ** 2, 0) / p;
  const mx2 = X.reduce((s, x) => s + x * x, 0) / p;
  const s = q * kappa * varA + q * (1 - q) * abar * abar + ((o.c ?? 0) / B) * (mx2 / q);
  const L = (q * X.reduce((acc, x, i) => acc + 0.5 * ((u * v * x) / q - Yl[i]!) ** 2, 0) + (1 - q) * Yl.reduce((acc, y) => acc + 0.5 * y * y, 0)) / p;
  const w = [v, u];
  return { L, grad: w.map((wi) => q * abar * wi), Sigma: [s * w[0]! * w[0]!, s * w[0]! * w[1]!, s * w[1]! * w[1]!] };
}

function close(a: number, b: number, scale: number) {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, scale));
}

describe('task: L and Σ against a hand derivation (f = u·v·x, 3 rows, 3 points)', () => {
  const sources: [string, object, Parameters<typeof hand>[1]][] = [
    ['batch 2 without replacement', { batch: { size: 2, replacement: false } }, { B: 2, repl: false }],
    ['batch 2 with replacement', { batch: { size: 2, replacement: true } }, { B: 2, repl: true }],
    ['label noise', { labelNoise: 0.7 }, { c: 0.7 }],
    ['dropconnect', { dropconnect: { q: 0.6, params: ['u'] } }, { q: 0.6 }],
    ['all three', { batch: { size: 2, replacement: false }, labelNoise: 0.7, dropconnect: { q: 0.6, params: ['u'] } }, { B: 2, repl: false, c: 0.7, q: 0.6 }],
  ];
  for (const [name, extra, o] of sources) {
    it(name, () => {
      const m = models({ data: rows, model: 'u*v*x', ...extra });
      const g = new Float64Array(2);
      const S = new Float64Array(4);
      for (const th of POINTS) {
        const h = hand(th, o);
        close(m.landscape.value(th) + m.derived.lossConstant, h.L + (o.c ?? 0) / 2, h.L);
        m.landscape.grad(th, g);
        close(g[0]!, h.grad[0]!, Math.abs(h.grad[0]!));
        close(g[1]!, h.grad[1]!, Math.abs(h.grad[1]!));
        m.noise.sigma(th, S);
        const big = Math.max(...h.Sigma.map(Math.abs));
        close(S[0]!, h.Sigma[0]!, big);
        close(S[1]!, h.Sigma[1]!, big);
        close(S[2]!, h.Sigma[1]!, big);
        close(S[3]!, h.Sigma[2]!, big);
      }
    });
  }
});

/** A model whose rows' gradients span two directions, f = u·x1 + u·sin(v)·x2, written out by hand. */
const F = (u: number, v: number, x1: number, x2: number) => u * x1 + u * Math.sin(v) * x2;
const dF = (u: number, v: number, x1: number, x2: number) => [x1 + Math.sin(v) * x2, u * Math.cos(v) * x2];
const rows2 = [
  { x: [1, 0.5], y: 1 },
  { x: [-0.5, 2], y: 0.3 },
  { x: [0.8, -1], y: -0.4 },
  { x: [1.5, 1], y: 2 },
];

/** Mean and covariance of ∇L̂ over every batch (ordered draws with replacement; subsets without) × mask, plus label noise. */
function enumerate(th: number[], B: number, repl: boolean, c: number, q: number) {
  const p = rows2.length;
  const batches: number[][] = [];
  const rec = (pre: number[]) => {
    if (pre.length === B) return void batches.push(pre);
    for (let i = repl ? 0 : (pre[pre.length - 1] ?? -1) + 1; i < p; i++) rec([...pre, i]);
  };
  rec([]);
  const masks = q < 1 ? [[1 / q, q], [0, 1 - q]] : [[1, 1]]; // [factor on v, probability]
  let E = [0, 0];
  const M = [0, 0, 0];
  let labelCov = [0, 0, 0];
  for (const [mv, pm] of masks) {
    for (const b of batches) {
      const pb = pm! / batches.length;
      const g = [0, 0];
      const lc = [0, 0, 0];
      for (const nu of b) {
        const { x, y } = rows2[nu]!;
        const vv = th[1]! * mv!;
        const r = F(th[0]!, vv, x[0]!, x[1]!) - y;
        const d = dF(th[0]!, vv, x[0]!, x[1]!);
        d[1] = d[1]! * mv!;
        g[0] += (r * d[0]!) / B;
        g[1] += (r * d[1]!) / B;
        lc[0] += (c * d[0]! * d[0]!) / (B * B);
        lc[1] += (c * d[0]! * d[1]!) / (B * B);
        lc[2] += (c * d[1]! * d[1]!) / (B * B);
      }
      E = [E[0]! + pb * g[0]!, E[1]! + pb * g[1]!];
      M[0] += pb * g[0]! * g[0]!;
      M[1] += pb * g[0]! * g[1]!;
      M[2] += pb * g[1]! * g[1]!;
      labelCov = labelCov.map((s, k) => s + pb * lc[k]!);
    }
  }
  return { E, Sigma: [M[0]! - E[0]! ** 2 + labelCov[0]!, M[1]! - E[0]! * E[1]! + labelCov[1]!, M[2]! - E[1]! ** 2 + labelCov[2]!] };
}

describe('task: the closed forms equal the enumerated covariance', () => {
  const settings: [number, boolean, number, number][] = [
    [2, false, 0, 1], [3, false, 0, 1], [2, true, 0, 1], [3, true, 0.4, 1], [2, false, 0.4, 0.7], [1, true, 0.25, 0.5],
  ];
  for (const [B, repl, c, q] of settings) {
    it(`B = ${B} ${repl ? 'with' : 'without'} replacement, c = ${c}, q = ${q} on v`, () => {
      const task = { inputs: ['x1', 'x2'], data: rows2, model: 'u*x1 + u*sin(v)*x2', batch: { size: B, replacement: repl }, ...(c > 0 ? { labelNoise: c } : {}), ...(q < 1 ? { dropconnect: { q, params: ['v'] } } : {}) };
      const m = models(task);
      const g = new Float64Array(2);
      const S = new Float64Array(4);
      for (const th of POINTS) {
        const e = enumerate(th, B, repl, c, q);
        m.landscape.grad(th, g);
        m.noise.sigma(th, S);
        const big = Math.max(...e.Sigma.map(Math.abs));
        close(g[0]!, e.E[0]!, Math.abs(e.E[0]!));
        close(g[1]!, e.E[1]!, Math.abs(e.E[1]!));
        close(S[0]!, e.Sigma[0]!, big);
        close(S[1]!, e.Sigma[1]!, big);
        close(S[3]!, e.Sigma[2]!, big);
        expect(Math.abs(S[0]! * S[3]! - S[1]! ** 2)).toBeGreaterThan(1e-8 * big * big); // two directions: rank 2
      }
    });
  }
});

describe('task: the rule itself', () => {
  it('10⁶ draws of ∇L̂: mean ∇L and covariance Σ within 3 standard errors per entry', () => {
    const task: TaskSpec = { inputs: ['x1', 'x2'], data: rows2.map((r) => ({ x: [...r.x], y: r.y })), model: 'u*x1 + u*sin(v)*x2', loss: 'squared', batch: { size: 2, replacement: false }, labelNoise: 0.3, dropconnect: { q: 0.7, params: ['v'] } };
    const m = models(task);
    const rule = taskRule(task, V);
    const rng = blockStream(7, 0);
    const th = [0.9, 0.4];
    const N = 1_000_000;
    const G = new Float64Array(2 * N);
    const g = new Float64Array(2);
    for (let n = 0; n < N; n++) {
      rule.stochasticGradient(th, rng, g);
      G[2 * n] = g[0]!;
      G[2 * n + 1] = g[1]!;
    }
    const gl = m.landscape.grad(th, new Float64Array(2));
    const S = m.noise.sigma(th, new Float64Array(4));
    for (const [i, j] of [[0, 0], [0, 1], [1, 1]] as const) {
      let s1 = 0, s2 = 0;
      for (let n = 0; n < N; n++) {
        const z = (G[2 * n + i]! - gl[i]!) * (G[2 * n + j]! - gl[j]!);
        s1 += z;
        s2 += z * z;
      }
      const mean = s1 / N;
      const se = Math.sqrt((s2 / N - mean * mean) / N);
      expect(Math.abs(mean - S[i * 2 + j]!), `Σ[${i}][${j}] = ${S[i * 2 + j]}, sampled ${mean} ± ${se}`).toBeLessThanOrEqual(3 * se);
    }
    for (const i of [0, 1]) {
      let s1 = 0;
      for (let n = 0; n < N; n++) s1 += G[2 * n + i]!;
      const se = Math.sqrt(S[i * 3]! / N);
      expect(Math.abs(s1 / N - gl[i]!)).toBeLessThanOrEqual(3 * se);
    }
  });
});

describe('task: the single-output label-noise cases, written as tasks', () => {
  const pairs: [string[], string, string, object][] = [
    [['u', 'v'], '0.5*(u*v - 1)^2', 'u*v', { data: [{ x: 1, y: 1 }], model: 'u*v*x', labelNoise: 1 }],
    [['x', 'y', 'z'], '0.5*(x*y*z - 1)^2', 'x*y*z', { inputs: ['a'], data: [{ x: 2, y: 1 }], model: 'x*y*z*a/2', labelNoise: 0.5 }],
  ];
  for (const [vars, loss, output, task] of pairs) {
    it(`${loss} with label noise on ${output}: L, its derivatives, Σ and ∇·Σ to 1e-12`, () => {
      const d = vars.length;
      const grid = { kind: 'cartesian', bounds: vars.map(() => [-2, 2]), shape: vars.map(() => 4) };
      const initial = { kind: 'gaussian', mean: vars.map(() => 1), cov: vars.map((_, i) => vars.map((__, j) => (i === j ? 0.01 : 0))) };
      const c = (task as { labelNoise: number }).labelNoise;
      const a = caseModels(parseCase({ ...base, variables: vars, grid, initial, loss, noise: { kind: 'label', output, c } }, 'a'));
      const b = caseModels(parseCase({ ...base, variables: vars, grid, initial, task }, 'b'));
      const pts = [[1.2, 0.7, -0.4], [-0.3, 1.5, 0.9], [0.8, -1.1, 1.3]].map((p) => p.slice(0, d));
      const buf = (n: number) => [new Float64Array(n), new Float64Array(n)] as const;
      for (const x of pts) {
        close(a.landscape.value(x), b.landscape.value(x), 1);
        for (const [f, n] of [['grad', d], ['hessian', d * d], ['third', d * d * d]] as const) {
          const [p, q] = buf(n);
          a.landscape[f](x, p);
          b.landscape[f](x, q);
          p.forEach((v, k) => close(v, q[k]!, Math.abs(v)));
        }
        for (const f of ['sigma', 'divSigma'] as const) {
          const n = f === 'sigma' ? d * d : d;
          const [p, q] = buf(n);
          a.noise[f](x, p);
          b.noise[f](x, q);
          p.forEach((v, k) => close(v, q[k]!, Math.abs(v)));
        }
      }
    });
  }
});

describe('task: bad tasks are one-line input errors naming the field', () => {
  const bad: [string, object, string][] = [
    ['a model that does not use the inputs', { data: rows, model: 'u*v', labelNoise: 1 }, 'task.model'],
    ['p < B without replacement', { data: rows, model: 'u*v*x', batch: { size: 4, replacement: false } }, 'task.batch.size'],
    ['q outside (0, 1]', { data: rows, model: 'u*v*x', dropconnect: { q: 1.5, params: ['u'] } }, 'task.dropconnect.q'],
    ['q = 0', { data: rows, model: 'u*v*x', dropconnect: { q: 0, params: ['u'] } }, 'task.dropconnect.q'],
    ['a parameter named twice', { data: rows, model: 'u*v*x', dropconnect: { q: 0.5, params: ['u', 'u'] } }, 'task.dropconnect.params[1]'],
    ['an input named like a parameter', { inputs: ['u'], data: rows, model: 'u*v', labelNoise: 1 }, 'task.inputs[0]'],
    ['an unknown field', { data: rows, model: 'u*v*x', labelnoise: 1 }, 'task'],
    ['rows of different lengths', { data: [{ x: 1, y: 1 }, { x: [1, 2], y: 1 }], model: 'u*v*x' }, 'task.data[1].x'],
  ];
  for (const [name, task, field] of bad) {
    it(name, () => {
      let err: unknown;
      try {
        taskModels(caseOf(task));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InputError);
      const msg = (err as Error).message;
      expect(msg.startsWith(`${field}`), msg).toBe(true);
      expect(msg.includes('\n')).toBe(false);
    });
  }
  it('a task with noise, or with a loss, is refused', () => {
    expect(() => caseOf({ data: rows, model: 'u*v*x', labelNoise: 1 }, { noise: { kind: 'isotropic', sigma2: 1 } })).toThrow(/^noise: /);
    expect(() => caseOf({ data: rows, model: 'u*v*x', labelNoise: 1 }, { loss: 'u^2' })).toThrow(/^task: expected only one/);
  });
});
