import { describe, expect, it } from 'vitest';
import { isotropicNoise } from '../../src/noise/isotropic.js';
import { labelNoise } from '../../src/noise/label.js';
import { constantNoise } from '../../src/noise/constant.js';
import { formulaNoise } from '../../src/noise/formula-noise.js';
import { makeNoise, type NoiseSpec } from '../../src/noise/make-noise.js';
import { checkNoiseAt } from '../../src/noise/check-noise.js';
import { symEig } from '../../src/landscape/sym-eig.js';
import type { NoiseModel } from '../../src/noise/types.js';
import { InputError } from '../../src/util/errors.js';
import { fdJacobian, relErr, rng } from '../landscape/fd.js';
import { inputError } from '../support/assertions.js';


/** (∇·Σ)ᵢ = Σⱼ ∂ⱼΣᵢⱼ by central differences of Σ. */
function fdDiv(noise: NoiseModel, x: Float64Array): Float64Array {
  const d = noise.dim;
  const J = fdJacobian((y, o) => noise.sigma(y, o), x, d * d); // J[k*d*d + i*d + j] = ∂ₖΣᵢⱼ
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i] += J[j * d * d + i * d + j];
  return out;
}

function checkDivergence(noise: NoiseModel, box: number, seed: number): void {
  const r = rng(seed);
  const d = noise.dim;
  for (let p = 0; p < 20; p++) {
    const x = Float64Array.from({ length: d }, () => r(-box, box));
    expect(relErr(noise.divSigma(x, new Float64Array(d)), fdDiv(noise, x))).toBeLessThan(1e-7);
  }
}

describe('noise models', () => {
  it('isotropic: Σ = σ²I, ∇·Σ = 0; σ² must be > 0', () => {
    const n = isotropicNoise(0.3, 3);
    expect(Array.from(n.sigma([1, 2, 3], new Float64Array(9)))).toEqual([0.3, 0, 0, 0, 0.3, 0, 0, 0, 0.3]);
    expect(Array.from(n.divSigma([1, 2, 3], new Float64Array(3).fill(7)))).toEqual([0, 0, 0]);
    expect(n.constant).toBe(true);
    expect(inputError(() => isotropicNoise(0, 2)).field).toBe('noise.sigma2');
    expect(inputError(() => isotropicNoise(NaN, 2)).field).toBe('noise.sigma2');
  });

  it('label noise on the hyperbola: Σ = c (v, u)(v, u)ᵀ, rank one, exact divergence c(∇²f∇f + ∇fΔf)', () => {
    const n = labelNoise('u*v', 2, ['u', 'v']);
    const S = n.sigma([1.5, -0.4], new Float64Array(4));
    [2 * 0.16, 2 * -0.4 * 1.5, 2 * -0.4 * 1.5, 2 * 2.25].forEach((v, i) => expect(S[i]).toBeCloseTo(v, 14));
    // ∇f = (v, u), ∇²f = [[0,1],[1,0]], Δf = 0 → ∇·Σ = c (u, v)
    const div = n.divSigma([1.5, -0.4], new Float64Array(2));
    expect(div[0]).toBeCloseTo(2 * 1.5, 14);
    expect(div[1]).toBeCloseTo(2 * -0.4, 14);
    checkDivergence(n, 2, 1);
  });

  it('label noise is rank one and PSD at random points (3D, nonlinear output)', () => {
    const n = labelNoise('x*y*z + sin(x)*z^2', 0.7, ['x', 'y', 'z']);
    checkDivergence(n, 1.5, 2);
    const r = rng(3);
    const lam = new Float64Array(3), V = new Float64Array(9), S = new Float64Array(9);
    for (let p = 0; p < 50; p++) {
      const x = [r(-2, 2), r(-2, 2), r(-2, 2)];
      n.sigma(x, S);
      symEig(S, 3, lam, V);
      const tr = S[0] + S[4] + S[8];
      expect(Math.abs(lam[0])).toBeLessThan(1e-12 * tr);
      expect(Math.abs(lam[1])).toBeLessThan(1e-12 * tr);
      expect(lam[2]).toBeCloseTo(tr, 12);
    }
    const pts = Float64Array.from({ length: 60 }, () => r(-2, 2));
    expect(() => checkNoiseAt(n, pts, 'noise')).not.toThrow();
    expect(inputError(() => labelNoise('u*v', 0, ['u', 'v'])).field).toBe('noise.c');
    expect(inputError(() => labelNoise('u*w', 1, ['u', 'v'])).field).toBe('noise.output');
  });

  it('constant noise: shape, symmetry and PSD checks; [[1,2],[2,1]] is refused with its smallest eigenvalue', () => {
    const n = constantNoise([[2, 0.5], [0.5, 1]]);
    expect(Array.from(n.sigma([0, 0], new Float64Array(4)))).toEqual([2, 0.5, 0.5, 1]);
    expect(Array.from(n.divSigma([0, 0], new Float64Array(2)))).toEqual([0, 0]);
    const e = inputError(() => constantNoise([[1, 2], [2, 1]]));
    expect(e.field).toBe('noise.Sigma');
    expect(e.message).toContain('smallest eigenvalue -1');
    expect(inputError(() => constantNoise([[1, 0.5], [0.4, 1]])).message).toContain('symmetric');
    expect(inputError(() => constantNoise([[1, 0], [0, 1, 0]] as number[][])).field).toBe('noise.Sigma[1]');
    expect(inputError(() => constantNoise([[1]])).field).toBe('noise.Sigma');
    expect(inputError(() => constantNoise([[1, 0], [0, NaN]])).field).toBe('noise.Sigma[1][1]');
    // degenerate (PSD, rank one) is fine
    expect(() => constantNoise([[1, 1], [1, 1]])).not.toThrow();
  });

  it('formula noise: exact divergence by symbolic derivatives, symmetry checked', () => {
    const n = formulaNoise(
      [
        ['1 + x^2', 'x*y', 'sin(z)'],
        ['y*x', '2 + cos(x*z)', '0.1*y'],
        ['sin(z)', '0.1*y', 'exp(-x^2)'],
      ],
      ['x', 'y', 'z'],
    );
    expect(n.constant).toBe(false);
    checkDivergence(n, 1.5, 4);
    const S = n.sigma([0.3, -0.2, 0.9], new Float64Array(9));
    expect(S[1]).toBe(S[3]);
    expect(S[2]).toBeCloseTo(Math.sin(0.9), 15);
    const e = inputError(() => formulaNoise([['1', 'x'], ['y', '1']], ['x', 'y']));
    expect(e.field).toBe('noise.Sigma');
    expect(e.message).toContain('symmetric');
    expect(inputError(() => formulaNoise([['1', 'x'], ['x', 'foo(x)']], ['x', 'y'])).field).toBe('noise.Sigma[1][1]');
    expect(inputError(() => formulaNoise([['1', 'x']], ['x', 'y'])).field).toBe('noise.Sigma');
  });

  it('checkNoiseAt names the point and the smallest eigenvalue; non-finite Σ is refused', () => {
    const n = formulaNoise([['1', 'x'], ['x', '1']], ['x', 'y']);
    expect(() => checkNoiseAt(n, new Float64Array([0.5, 0, -0.9, 3]), 'noise.Sigma')).not.toThrow();
    const e = inputError(() => checkNoiseAt(n, new Float64Array([0.5, 0, 2, 1]), 'noise.Sigma', ['x', 'y']));
    expect(e.message).toContain('x = 2, y = 1');
    expect(e.message).toContain('smallest eigenvalue -1');
    const m = formulaNoise([['log(x)', '0'], ['0', '1']], ['x', 'y']);
    const e2 = inputError(() => checkNoiseAt(m, new Float64Array([-1, 0]), 'noise.Sigma'));
    expect(e2.message).toContain('NaN');
    expect(e2.message).toContain('(-1, 0)');
  });

  it('makeNoise dispatches on kind and rejects unknown kinds and fields with their paths', () => {
    const vars = ['u', 'v'];
    expect(makeNoise({ kind: 'isotropic', sigma2: 1 }, vars).kind).toBe('isotropic');
    expect(makeNoise({ kind: 'label', output: 'u*v', c: 1 }, vars).kind).toBe('label');
    expect(makeNoise({ kind: 'constant', Sigma: [[1, 0], [0, 2]] }, vars).kind).toBe('constant');
    expect(makeNoise({ kind: 'formula', Sigma: [['1', '0'], ['0', 'u^2']] }, vars).kind).toBe('formula');
    expect(inputError(() => makeNoise({ kind: 'pink' } as unknown as NoiseSpec, vars)).field).toBe('noise.kind');
    expect(inputError(() => makeNoise({ kind: 'label', output: 'u*v', c: 1, sigma2: 2 } as unknown as NoiseSpec, vars)).field).toBe('noise.sigma2');
    expect(inputError(() => makeNoise({ kind: 'label', output: 'u*v' } as unknown as NoiseSpec, vars)).field).toBe('noise.c');
    expect(inputError(() => makeNoise({ kind: 'constant', Sigma: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }, vars)).field).toBe('noise.Sigma');
    expect(inputError(() => makeNoise({ kind: 'isotropic', sigma2: -1 }, vars)).field).toBe('noise.sigma2');
  });
});
