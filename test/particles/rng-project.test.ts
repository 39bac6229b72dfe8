import { describe, expect, it } from 'vitest';
import { Xoshiro128, blockStream } from '../../src/particles/rng.js';
import { psdFactor } from '../../src/particles/psd-factor.js';
import { makeProjector } from '../../src/particles/project.js';
import { curveFromFormula, surfaceFromFormula } from '../../src/landscape/gamma-param.js';

/** Reference xoshiro128** on BigInt-free uint32 arithmetic, written independently. */
function referenceXoshiro(seed: number[], count: number): number[] {
  const s = seed.map((v) => v >>> 0);
  const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
  const mul = (a: number, b: number) => Number((BigInt(a) * BigInt(b)) & 0xffffffffn);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(mul(rotl(mul(s[1], 5), 7), 9));
    const t = (s[1] << 9) >>> 0;
    s[2] = (s[2] ^ s[0]) >>> 0;
    s[3] = (s[3] ^ s[1]) >>> 0;
    s[1] = (s[1] ^ s[2]) >>> 0;
    s[0] = (s[0] ^ s[3]) >>> 0;
    s[2] = (s[2] ^ t) >>> 0;
    s[3] = rotl(s[3], 11);
  }
  return out;
}

describe('rng', () => {
  it('xoshiro128** matches an independent implementation (and the hand-checked first outputs 11520, 0)', () => {
    const g = new Xoshiro128(1, 2, 3, 4);
    const got = Array.from({ length: 1000 }, () => g.nextU32());
    expect(got.slice(0, 2)).toEqual([11520, 0]);
    expect(got).toEqual(referenceXoshiro([1, 2, 3, 4], 1000));
    const h = new Xoshiro128(0xdeadbeef, 0x12345678, 0xffffffff, 7);
    expect(Array.from({ length: 200 }, () => h.nextU32())).toEqual(referenceXoshiro([0xdeadbeef, 0x12345678, 0xffffffff, 7], 200));
  });

  it('streams are reproducible per (seed, block) and differ between blocks and seeds', () => {
    const a = Array.from({ length: 8 }, ((g) => () => g.nextU32())(blockStream(5, 3)));
    const b = Array.from({ length: 8 }, ((g) => () => g.nextU32())(blockStream(5, 3)));
    const c = Array.from({ length: 8 }, ((g) => () => g.nextU32())(blockStream(5, 4)));
    const d = Array.from({ length: 8 }, ((g) => () => g.nextU32())(blockStream(6, 3)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
    expect(() => blockStream(-1, 0)).toThrow(RangeError);
  });

  it('normals have mean 0, variance 1, kurtosis 3; uniforms lie in [0, 1) with mean ½', () => {
    const g = blockStream(11, 0);
    const n = 200_000;
    let m1 = 0, m2 = 0, m4 = 0, um = 0, umin = 1, umax = 0;
    for (let i = 0; i < n; i++) {
      const z = g.normal();
      m1 += z;
      m2 += z * z;
      m4 += z ** 4;
      const u = g.uniform();
      um += u;
      umin = Math.min(umin, u);
      umax = Math.max(umax, u);
    }
    m1 /= n; m2 /= n; m4 /= n; um /= n;
    expect(Math.abs(m1)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.abs(um - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(umin).toBeGreaterThanOrEqual(0);
    expect(umax).toBeLessThan(1);
  });
});

describe('psdFactor', () => {
  const check = (S: number[], d: number) => {
    const B = new Float64Array(d * d);
    expect(psdFactor(S, d, B)).toBe(true);
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += B[i * d + k] * B[j * d + k];
        expect(s).toBeCloseTo(S[i * d + j], 12);
      }
  };
  it('factors definite and rank-deficient PSD matrices (label noise c∇f∇fᵀ)', () => {
    check([4, 2, 2, 3], 2);
    const g = [0.5, 2, -1];
    check(g.flatMap((a) => g.map((b) => 3 * a * b)), 3); // rank one
    check([0, 0, 0, 2], 2); // zero first pivot
    check([1, 1, 0, 1, 1, 0, 0, 0, 5], 3); // rank two
  });
  it('refuses an indefinite matrix', () => {
    expect(psdFactor([1, 2, 2, 1], 2, new Float64Array(4))).toBe(false);
  });
});

describe('projection onto Γ', () => {
  it('hyperbola: γ(s) + δν(s) projects back to s with distance δ', () => {
    const g = curveFromFormula(['exp(s)', 'exp(-s)'], [-1.2, 1.2], false);
    const P = makeProjector(g);
    const p = new Float64Array(1), foot = new Float64Array(2), x = new Float64Array(2);
    for (const s of [-1.1, -0.3, 0, 0.7, 1.19]) {
      for (const delta of [-0.2, 0, 0.05]) {
        const t = g.d1(s, new Float64Array(2));
        const tn = Math.hypot(t[0], t[1]);
        g.point(s, x);
        x[0] += (-delta * t[1]) / tn;
        x[1] += (delta * t[0]) / tn;
        const d2 = P.project(x, p, foot);
        expect(p[0]).toBeCloseTo(s, 11);
        expect(Math.sqrt(d2)).toBeCloseTo(Math.abs(delta), 11);
      }
    }
    // beyond the end of the range: the formula's own continuation
    expect((P.project([Math.exp(1.5), Math.exp(-1.5)], p, foot), p[0])).toBeCloseTo(1.5, 11);
  });

  it('closed curves wrap (circle); an open line continues past its range', () => {
    const circle = makeProjector(curveFromFormula(['cos(s)', 'sin(s)'], [0, 2 * Math.PI], true));
    const p = new Float64Array(1), foot = new Float64Array(2);
    circle.project([1.3 * Math.cos(-0.4), 1.3 * Math.sin(-0.4)], p, foot);
    expect(p[0]).toBeCloseTo(2 * Math.PI - 0.4, 11);
    circle.project([0.5 * Math.cos(0.3), 0.5 * Math.sin(0.3)], p, foot);
    expect(p[0]).toBeCloseTo(0.3, 11);
    const line = makeProjector(curveFromFormula(['s', '0'], [-Math.PI, Math.PI], false));
    expect(line.project([7, 0.1], p, foot)).toBeCloseTo(0.01, 14);
    expect(p[0]).toBeCloseTo(7, 11);
  });

  it('surface xyz = 1: S(a, b) + δN projects back to (a, b)', () => {
    const S = surfaceFromFormula(['exp(a)', 'exp(b)', 'exp(-a-b)'], [-0.6, 0.6], [-0.6, 0.6]);
    const P = makeProjector(S);
    const p = new Float64Array(2), foot = new Float64Array(3);
    for (const [a, b] of [[0, 0], [0.3, -0.5], [-0.55, 0.2]]) {
      const x = S.point(a, b, new Float64Array(3));
      const Sa = S.da(a, b, new Float64Array(3)), Sb = S.db(a, b, new Float64Array(3));
      const N = [Sa[1] * Sb[2] - Sa[2] * Sb[1], Sa[2] * Sb[0] - Sa[0] * Sb[2], Sa[0] * Sb[1] - Sa[1] * Sb[0]];
      const nn = Math.hypot(...N);
      for (let i = 0; i < 3; i++) x[i] += (0.04 * N[i]) / nn;
      const d2 = P.project(x, p, foot);
      expect(p[0]).toBeCloseTo(a, 10);
      expect(p[1]).toBeCloseTo(b, 10);
      expect(Math.sqrt(d2)).toBeCloseTo(0.04, 10);
    }
  });
});
