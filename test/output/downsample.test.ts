import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeB64, encodeB64 } from '../../src/output/typed-b64.js';
import { blockAverager, densestPoints, mappedResampler, pickFrameIndices } from '../../src/output/downsample.js';
import { seriesToCsv, safeName } from '../../src/output/csv.js';

describe('base64 typed arrays', () => {
  it('f8 round trip is exact, f4 round trip equals Math.fround', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { maxLength: 50 }), (xs) => {
        expect(Array.from(decodeB64(encodeB64(xs, 'f8')))).toEqual(xs.map((x) => (Object.is(x, -0) ? -0 : x)));
        expect(Array.from(decodeB64(encodeB64(xs, 'f4')))).toEqual(xs.map(Math.fround));
      }),
    );
  });
  it('carries plotly shape (slowest axis first) and checks it', () => {
    const e = encodeB64([1, 2, 3, 4, 5, 6], 'f4', [2, 3]);
    expect(e).toMatchObject({ dtype: 'f4', shape: '2,3' });
    expect(Buffer.from(e.bdata, 'base64').length).toBe(24);
    expect(() => encodeB64([1, 2, 3], 'f4', [2, 2])).toThrow(/shape/);
  });
});

describe('frame selection and spatial reduction', () => {
  it('pickFrameIndices keeps first and last, at most max, increasing', () => {
    expect(pickFrameIndices(5, 60)).toEqual([0, 1, 2, 3, 4]);
    const k = pickFrameIndices(80, 60);
    expect(k.length).toBe(60);
    expect(k[0]).toBe(0);
    expect(k[59]).toBe(79);
    for (let i = 1; i < k.length; i++) expect(k[i]).toBeGreaterThan(k[i - 1]);
  });

  it('block averages are exact means (x fastest), keeping the total for uniform blocks', () => {
    const x = [0, 1, 2, 3, 4], y = [10, 20, 30, 40];
    const red = blockAverager([x, y], 2); // f = [3, 2] → 2×2 reduced
    expect(red.shape).toEqual([2, 2]);
    expect(Array.from(red.coords[0])).toEqual([1, 3.5]);
    expect(Array.from(red.coords[1])).toEqual([15, 35]);
    const f = Array.from({ length: 20 }, (_, i) => i); // value = i + 5j
    const out = red.reduce(f, new Float32Array(4));
    // block (0,0): i∈{0,1,2}, j∈{0,1} → mean of i + 5j = 1 + 2.5
    expect(Array.from(out)).toEqual([3.5, 6, 13.5, 16]);
  });

  it('mapped resampling reproduces a linear field exactly inside the mesh and leaves the outside empty', () => {
    // an annular sector: centres at radius r, angle φ (axis 0 = radius, fastest)
    const n0 = 8, n1 = 40;
    const X = new Float64Array(n0 * n1), Y = new Float64Array(n0 * n1), F = new Float64Array(n0 * n1);
    const lin = (x: number, y: number) => 2 * x - 3 * y + 0.5;
    for (let j = 0; j < n1; j++)
      for (let i = 0; i < n0; i++) {
        const r = 1 + (0.5 * i) / (n0 - 1), p = (Math.PI * j) / (n1 - 1);
        const k = i + n0 * j;
        X[k] = r * Math.cos(p); Y[k] = r * Math.sin(p); F[k] = lin(X[k], Y[k]);
      }
    const red = mappedResampler(X, Y, [n0, n1], [false, false], 64);
    const [nx, ny] = red.shape;
    const out = red.reduce(F, new Float32Array(nx * ny));
    let inside = 0, outside = 0;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const x = red.coords[0][i], y = red.coords[1][j], v = out[i + nx * j], r = Math.hypot(x, y);
        if (Number.isNaN(v)) {
          outside++;
          expect(r < 1.02 || r > 1.48 || y < 0.05).toBe(true); // empty only near or outside the annulus' edge
        } else {
          inside++;
          expect(r).toBeGreaterThan(0.98);
          expect(r).toBeLessThan(1.52);
          expect(Math.abs(v - lin(x, y))).toBeLessThan(1e-5);
        }
      }
    expect(inside).toBeGreaterThan(200);
    expect(outside).toBeGreaterThan(200);
  });

  it('a periodic axis closes the ring (no gap at the seam)', () => {
    const n0 = 4, n1 = 24;
    const X = new Float64Array(n0 * n1), Y = new Float64Array(n0 * n1);
    for (let j = 0; j < n1; j++)
      for (let i = 0; i < n0; i++) {
        const r = 1 + 0.1 * i, p = (2 * Math.PI * j) / n1;
        X[i + n0 * j] = r * Math.cos(p); Y[i + n0 * j] = r * Math.sin(p);
      }
    const count = (per: boolean) => {
      const red = mappedResampler(X, Y, [n0, n1], [false, per], 80);
      const out = red.reduce(new Float64Array(n0 * n1).fill(1), new Float32Array(red.shape[0] * red.shape[1]));
      return out.filter((v) => !Number.isNaN(v)).length;
    };
    expect(count(true)).toBeGreaterThan(count(false));
  });

  it('densestPoints keeps the points with the largest peak', () => {
    expect(Array.from(densestPoints([[0, 5, 1, 0], [0, 0, 0, 9]], 4, 2))).toEqual([1, 3]);
  });
});

describe('CSV', () => {
  it('writes a header and full-precision rows that parse back to the same doubles', () => {
    const t = [0, 0.1, 1 / 3];
    const v = [Math.PI, -1e-300, 2 ** 60 + 0.5];
    const csv = seriesToCsv('m', { t, columns: { 'a,b': v } });
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe('t,"a,b"');
    expect(lines.slice(1).map((l) => l.split(',').map(Number))).toEqual(t.map((tk, k) => [tk, v[k]]));
    expect(() => seriesToCsv('m', { t, columns: { a: [1] } })).toThrow(/series\.m\.columns\.a/);
    expect(safeName('along mean/Γ')).toBe('along-mean-');
  });
});
