import { describe, expect, it } from 'vitest';
import {
  bdf2Rhs,
  beErrorRhs,
  beRhs,
  clampedLine,
  massWeightedMean,
  minOf,
  rangeAndSums,
  trapezoidRhs,
  trbdf2ErrorRhs,
  weightedAbsSum,
  weightedSum,
} from '../../src/stepper/vector-kernels.js';

const v = (...x: number[]) => Float64Array.from(x);

describe('stepper vector kernels', () => {
  it('sums and ranges: exact values, only the first n entries, the first non-finite index', () => {
    const m = v(1, 2, 4, 8);
    const y = v(-1, 3, -0.5, 100);
    expect(weightedSum(m, y, 3)).toBe(-1 + 6 - 2);
    expect(weightedAbsSum(m, y, 3)).toBe(1 + 6 + 2);
    // Range and the two sums in one pass: exact values, and bit for bit the separate sums on random data.
    const q = new Float64Array(4);
    expect(rangeAndSums(y, m, 3, q)).toBe(-1);
    expect(Array.from(q)).toEqual([-1, 3, 1 + 6 + 2, -1 + 6 - 2]);
    const ry = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(7.3 * i) * 1e3 ** Math.cos(i));
    const rm = Float64Array.from({ length: 1001 }, (_, i) => 1 + Math.cos(1.1 * i) ** 2);
    expect(rangeAndSums(ry, rm, 1001, q)).toBe(-1);
    expect(Array.from(q)).toEqual([Math.min(...ry), Math.max(...ry), weightedAbsSum(rm, ry, 1001), weightedSum(rm, ry, 1001)]);
    const ones = v(1, 1, 1, 1);
    expect(rangeAndSums(v(1, 2, NaN, Infinity), ones, 4, q)).toBe(2);
    expect(rangeAndSums(v(1, -Infinity), ones, 2, q)).toBe(1);
  });

  it('minimum and mass-weighted mean: exact values over the first n entries', () => {
    expect(minOf(v(3, -2, 5, -7), 3)).toBe(-2);
    expect(minOf(v(1), 0)).toBe(Infinity);
    // masses m·ρ = 1, 4, 2 (the 4th entry is outside n): (1·10 + 4·1 + 2·(−3)) / 7
    expect(massWeightedMean(v(1, 2, 4, 100), v(1, 2, 0.5, 100), v(10, 1, -3, 1e9), 3)).toBe((10 + 4 - 6) / 7);
  });

  it('right-hand sides equal the formulas they stand for, with and without a source', () => {
    const M = v(2, 0.5);
    const y = v(1, -3);
    const Y = v(4, 2);
    const f = v(0.25, -1);
    const g = v(10, 20);
    const r = new Float64Array(2);
    trapezoidRhs(r, M, y, f, g, 0.5, 2);
    expect(Array.from(r)).toEqual([2 * 1 + 0.5 * (0.25 + 10), 0.5 * -3 + 0.5 * (-1 + 20)]);
    trapezoidRhs(r, M, y, f, null, 0.5, 2);
    expect(Array.from(r)).toEqual([2 + 0.5 * 0.25, -1.5 - 0.5]);
    bdf2Rhs(r, M, Y, y, 3, 2, g, 0.5, 2);
    expect(Array.from(r)).toEqual([2 * (12 - 2) + 5, 0.5 * (6 + 6) + 10]);
    bdf2Rhs(r, M, Y, y, 3, 2, null, 0.5, 2);
    expect(Array.from(r)).toEqual([20, 6]);
    beRhs(r, M, y, g, 0.1, 2);
    expect(Array.from(r)).toEqual([2 + 0.1 * 10, -1.5 + 0.1 * 20]);
    beErrorRhs(r, f, Y, 2, 2);
    expect(Array.from(r)).toEqual([4 - 0.25, 2 + 1]);
    trbdf2ErrorRhs(r, f, Y, g, 3, 2, 1, 2);
    expect(Array.from(r)).toEqual([3 * (0.5 - 4 / 3 + 10), 3 * (-2 - 2 / 3 + 20)]);
  });

  it('the guess on a line is clamped at zero', () => {
    const x = new Float64Array(3);
    clampedLine(x, v(1, 1, 4), v(2, 0.5, 1), 2, 3);
    expect(Array.from(x)).toEqual([3, 0, 0]);
  });
});
