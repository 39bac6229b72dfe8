/** Small assertions shared by the test files. */
import { expect } from 'vitest';
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
