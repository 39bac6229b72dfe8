/**
 * The buffer pool hands large arrays back out with stale contents; a banded factorisation that takes its
 * band from the pool must give exactly the answer of one on fresh memory, and a disposed solver must refuse
 * to work rather than read a band another solver now owns.
 */
import { describe, expect, it } from 'vitest';
import { BandedSolver } from '../../src/linalg/banded-lu.js';
import { giveFloat64, POOL_MAX_BYTES, POOL_MIN_BYTES, pooledFloat64Bytes, takeFloat64 } from '../../src/linalg/buffer-pool.js';
import { NumericalError } from '../../src/util/errors.js';
import { backwardEulerSystem, sgOperator, valleySpec } from './sg-operator.js';

describe('buffer pool', () => {
  it('returns a given buffer for the same length, leaves small ones to the allocator, and stops at its cap', () => {
    const len = POOL_MIN_BYTES / 8 + 3;
    const a = takeFloat64(len);
    const before = pooledFloat64Bytes();
    giveFloat64(a);
    giveFloat64(a); // twice: pooled once
    expect(pooledFloat64Bytes()).toBe(before + a.byteLength);
    expect(takeFloat64(len)).toBe(a);
    expect(pooledFloat64Bytes()).toBe(before);
    const small = new Float64Array(16);
    giveFloat64(small);
    expect(takeFloat64(16)).not.toBe(small);
    const huge = new Float64Array(POOL_MAX_BYTES / 8 + 1);
    giveFloat64(huge);
    expect(pooledFloat64Bytes()).toBe(before);
  });

  it('a banded solver on a pooled band full of garbage solves bit for bit like one on fresh memory', () => {
    // 160×100 valley: the band (≈ 2·100+1 columns × 16 000 rows × 8 B) is well over POOL_MIN_BYTES.
    const op = sgOperator(valleySpec(160, 100, 0.05, 0.3));
    const { A, b } = backwardEulerSystem(op, 0.01, [0.3, 0.1], 0.4);
    const fresh = new BandedSolver(A);
    const x1 = new Float64Array(A.n);
    fresh.solve(b, x1);
    fresh.dispose();
    expect(() => fresh.solve(b, new Float64Array(A.n))).toThrow(NumericalError);
    expect(() => fresh.refresh(A)).toThrow(NumericalError);
    // Poison the pooled band, then take it again through a new solver.
    const bandLength = A.n * (fresh.lower + fresh.upper + 1);
    expect(bandLength * 8).toBeGreaterThan(POOL_MIN_BYTES);
    const band = takeFloat64(bandLength);
    band.fill(NaN);
    giveFloat64(band);
    const pooled = pooledFloat64Bytes();
    const again = new BandedSolver(A);
    expect(pooledFloat64Bytes()).toBe(pooled - bandLength * 8); // the poisoned band was taken
    const x2 = new Float64Array(A.n);
    again.solve(b, x2);
    for (let i = 0; i < A.n; i++) if (x1[i] !== x2[i]) expect.fail(`entry ${i}: ${x1[i]} vs ${x2[i]}`);
    again.dispose();
  });
});
