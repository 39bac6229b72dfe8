import { describe, expect, it } from 'vitest';
import { symEig } from '../../src/landscape/sym-eig.js';
import { rng } from './fd.js';

function check(a: Float64Array, d: number): Float64Array {
  const lam = new Float64Array(d);
  const V = new Float64Array(d * d);
  const copy = Float64Array.from(a);
  symEig(a, d, lam, V);
  expect(Array.from(a)).toEqual(Array.from(copy));
  let scale = 1e-300;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let k = 0; k < d; k++) {
    if (k > 0) expect(lam[k]).toBeGreaterThanOrEqual(lam[k - 1]);
    for (let i = 0; i < d; i++) {
      let av = 0;
      for (let j = 0; j < d; j++) av += a[i * d + j] * V[k * d + j];
      expect(Math.abs(av - lam[k] * V[k * d + i])).toBeLessThan(1e-13 * scale);
    }
    for (let m = 0; m < d; m++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += V[k * d + i] * V[m * d + i];
      expect(dot).toBeCloseTo(k === m ? 1 : 0, 13);
    }
  }
  return lam;
}

describe('symEig (Jacobi)', () => {
  it('random symmetric 2×2 and 3×3 matrices: A e = λ e, orthonormal, ascending', () => {
    const r = rng(9);
    for (const d of [2, 3])
      for (let n = 0; n < 200; n++) {
        const a = new Float64Array(d * d);
        for (let i = 0; i < d; i++)
          for (let j = i; j < d; j++) a[i * d + j] = a[j * d + i] = r(-3, 3);
        check(a, d);
      }
  });

  it('known spectra: [[1,2],[2,1]] → −1, 3; repeated and zero eigenvalues; diagonal', () => {
    expect(Array.from(check(new Float64Array([1, 2, 2, 1]), 2))).toEqual([expect.closeTo(-1, 14), expect.closeTo(3, 14)]);
    const l = check(new Float64Array([2, 1, 1, 1, 2, 1, 1, 1, 2]), 3);
    expect(l[0]).toBeCloseTo(1, 14);
    expect(l[1]).toBeCloseTo(1, 14);
    expect(l[2]).toBeCloseTo(4, 14);
    const z = check(new Float64Array([1, 1, 0, 1, 1, 0, 0, 0, 0]), 3);
    expect(Math.abs(z[0]) + Math.abs(z[1])).toBeLessThan(1e-15);
    expect(z[2]).toBeCloseTo(2, 14);
    expect(Array.from(check(new Float64Array([5, 0, 0, -2]), 2))).toEqual([-2, 5]);
  });

  it('a 4×4 matrix (scratch grows)', () => {
    const a = new Float64Array([4, 1, 0, 0, 1, 3, 1, 0, 0, 1, 2, 1, 0, 0, 1, 1]);
    const l = check(a, 4);
    expect(l[0] + l[1] + l[2] + l[3]).toBeCloseTo(10, 12);
  });
});
