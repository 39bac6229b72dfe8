/**
 * The bench's same-run references (no timing is asserted): without python3 the SuperLU reference is skipped with
 * the one-line reason; with python3 and SciPy (optional, the test is skipped otherwise) the exported backward-Euler
 * system is the one solved — SuperLU's residual is at round-off and M·x keeps the mass (zero column sums of K).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shiftedMatrix } from '../../src/linalg/csr.js';
import { buildProblem, initialDensity } from '../../src/pipeline/problem.js';
import { jsMatVecReference, superLuReference } from '../../src/pipeline/bench-reference.js';
import { valleyCartesian } from '../support/cases.js';

const valley = valleyCartesian({ time: { end: 0.2, scheme: 'backward-euler' } }, [24, 24]);
const hasScipy = spawnSync('python3', ['-c', 'import scipy.sparse.linalg'], { stdio: 'ignore' }).status === 0;

describe('bench references', () => {
  const p = buildProblem(valley);
  const A = shiftedMatrix(p.K, p.grid.volumes, 0.01);

  it('the JS mat-vec yardstick runs on the whole matrix and reports a median over its batches', () => {
    const r = jsMatVecReference(A, 'small', 5, 3);
    expect([r.n, r.nnz]).toEqual([576, A.values.length]);
    expect(r.batchMs).toHaveLength(5);
    expect(r.ms).toBe([...r.batchMs].sort((a, b) => a - b)[2]);
  });

  it('without python3: skipped, with the one-line reason', () => {
    expect(superLuReference(A, p.grid.volumes, initialDensity(p), 2, 'python3-not-installed-here')).toEqual({ ok: false, skipped: 'python3/scipy not found' });
  });

  it.skipIf(!hasScipy)('with SciPy: SuperLU solves the exported system (residual at round-off, mass kept)', () => {
    const r = superLuReference(A, p.grid.volumes, initialDensity(p), 4);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.result.solveRunsMs).toHaveLength(4);
    expect(r.result.factorRunsMs).toHaveLength(3);
    expect(r.result.maxRelResidual).toBeLessThan(1e-12);
    expect(r.result.massDrift).toBeLessThan(1e-12);
  });
});
