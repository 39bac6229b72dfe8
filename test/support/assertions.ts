/** Small assertions shared by the test files. */
import { expect } from 'vitest';
import { matVec } from '../../src/linalg/csr.js';
import type { Csr } from '../../src/linalg/types.js';
import { InputError } from '../../src/util/errors.js';

/** Runs f, which must throw an InputError; returns it. */
export function inputError(f: () => unknown): InputError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

/** max |x − y| / max |y|. */
export function maxRelDiff(x: Float64Array, y: Float64Array): number {
  let m = 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    m = Math.max(m, Math.abs(x[i] - y[i]));
    s = Math.max(s, Math.abs(y[i]));
  }
  return m / s;
}

/** max |Kρ| relative to max Σⱼ|Kᵢⱼ|ρⱼ — the size of the terms that cancel (a discrete steady state gives round-off). */
export function relativeImbalance(K: Csr, rho: Float64Array): number {
  const out = matVec(K, rho, new Float64Array(K.n));
  let num = 0;
  let den = 0;
  for (let r = 0; r < K.n; r++) {
    let s = 0;
    for (let k = K.rowPtr[r]; k < K.rowPtr[r + 1]; k++) s += Math.abs(K.values[k]) * rho[K.colIdx[k]];
    num = Math.max(num, Math.abs(out[r]));
    den = Math.max(den, s);
  }
  return num / den;
}

