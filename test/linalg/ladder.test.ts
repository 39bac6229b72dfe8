import { describe, expect, it } from 'vitest';
import { residualNorm, shiftedMatrix } from '../../src/linalg/csr.js';
import { BiCgStab, Gmres, type Preconditioner } from '../../src/linalg/krylov.js';
import { type RungSpec, SolverLadder } from '../../src/linalg/ladder.js';
import { makeSolver } from '../../src/linalg/solver.js';
import type { Csr, LinearSolver, Rung } from '../../src/linalg/types.js';
import { NumericalError } from '../../src/util/errors.js';
import { backwardEulerSystem, sgOperator, tubeSpec } from './sg-operator.js';

const op = sgOperator(tubeSpec(10, 24, 0.05, 0.1));
const sys = backwardEulerSystem(op, 0.01, [0.3, 1], 0.4);
const structure = { shape: [10, 24], periodic: [false, true] };

/** A rung that fails (or solves with GMRES) on demand, counting its builds and solves. */
function scripted(rung: Rung, fail: () => boolean): RungSpec & { builds: number; solves: number } {
  const spec = {
    rung,
    builds: 0,
    solves: 0,
    build(A: Csr): LinearSolver {
      spec.builds++;
      const g = new Gmres(A, { tol: 1e-11, maxIter: 2000 });
      return {
        name: `scripted-${rung}`,
        iterative: true,
        solve(b, x, looseTol) {
          spec.solves++;
          if (fail()) throw new NumericalError(`${rung} failed on purpose`, {});
          return g.solve(b, x, looseTol);
        },
      };
    },
    refresh: () => {},
  };
  return spec;
}

describe('SolverLadder', () => {
  it('a failing rung hands the same solve, from the same guess, to the next; later solves start there until refresh', () => {
    let failMg = true;
    const mg = scripted('mg', () => failMg);
    const kry = scripted('krylov', () => false);
    const ladder = new SolverLadder(sys.A, [mg, kry]);
    expect(kry.builds).toBe(0); // built on first use
    const x = new Float64Array(op.n);
    const info = ladder.solve(sys.b, x);
    expect(info).toMatchObject({ rung: 'krylov', fallback: true, converged: true });
    expect(residualNorm(sys.A, x, sys.b)).toBeLessThanOrEqual(1e-11);
    ladder.solve(sys.b, x.fill(0));
    expect([mg.solves, kry.solves]).toEqual([1, 2]);
    failMg = false;
    ladder.refresh(sys.A);
    expect(ladder.solve(sys.b, x.fill(0))).toMatchObject({ rung: 'mg', fallback: false });
  });
  it('when every rung fails, one NumericalError names each failure and x keeps the guess', () => {
    const ladder = new SolverLadder(sys.A, [scripted('mg', () => true), scripted('krylov', () => true)]);
    const x = new Float64Array(op.n).fill(0.5);
    expect(() => ladder.solve(sys.b, x)).toThrow(/mg failed on purpose; the other rungs failed too: krylov \(scripted-krylov\): krylov failed on purpose/);
    expect(x.every((v) => v === 0.5)).toBe(true);
  });
  it('a rung that cannot be built is skipped (its reason kept); none buildable is a NumericalError', () => {
    const broken: RungSpec = { rung: 'direct', build: () => { throw new NumericalError('zero pivot', {}); }, refresh: () => {} };
    const ladder = new SolverLadder(sys.A, [broken, scripted('krylov', () => false)]);
    expect(ladder.name).toBe('scripted-krylov');
    expect(ladder.solve(sys.b, new Float64Array(op.n))).toMatchObject({ rung: 'krylov', fallback: true });
    expect(() => new SolverLadder(sys.A, [broken])).toThrow(/no rung of the solver ladder could be built: direct: zero pivot/);
  });
});

describe('GiveUpRule: a hopeless Krylov solve stops early instead of after maxIter', () => {
  // M⁻¹ = −(1e3 + index) · I on alternate cells: no fixed linear map that helps, and a wildly scaled one.
  const amplifier: Preconditioner = {
    apply(r, z) {
      for (let i = 0; i < r.length; i++) z[i] = (i % 2 ? -1e3 : 1e-3) * (1 + (i % 7)) * r[i];
    },
  };
  for (const make of [(A: Csr) => new BiCgStab(A, { maxIter: 500, preconditioner: amplifier, giveUp: { growth: 1e6, window: 20 } }), (A: Csr) => new Gmres(A, { maxIter: 500, restart: 5, preconditioner: amplifier, giveUp: { growth: 1e6, window: 20 } })]) {
    const solver = make(sys.A);
    it(`${solver.name} gives up within the window and says why`, () => {
      let err: NumericalError | null = null;
      try {
        solver.solve(sys.b, new Float64Array(op.n));
      } catch (e) {
        err = e as NumericalError;
      }
      expect(err).toBeInstanceOf(NumericalError);
      expect(err!.message).toMatch(/gave up after \d+ iterations: the residual (did not halve|.* grew)/);
      expect(err!.detail.gaveUp).toBe(true);
      expect(err!.detail.iterations as number).toBeLessThan(100);
    });
  }
  it('a converging solve runs exactly as without the rule', () => {
    const a = new Float64Array(op.n);
    const b = new Float64Array(op.n);
    const i1 = new Gmres(sys.A, { restart: 10, maxIter: 3000 }).solve(sys.b, a);
    const i2 = new Gmres(sys.A, { restart: 10, maxIter: 3000, giveUp: { growth: 1e6, window: 400 } }).solve(sys.b, b);
    expect(i2.iterations).toBe(i1.iterations);
    expect(Array.from(b)).toEqual(Array.from(a));
  });
});

describe('makeSolver refresh with the matrix changed in place', () => {
  it('the shared ILU(0) and multigrid follow new values in the same Csr object', () => {
    for (const method of ['ilu-bicgstab', 'mg-bicgstab'] as const) {
      // Interpolation fixed: the 'auto' rule may choose differently for new values, and refresh keeps the hierarchy.
      const opts = { method, structure, multigrid: { coarsestSize: 10, interpolation: 'constant' as const } };
      const A = shiftedMatrix(op.K, op.volumes, 0.01);
      const s = makeSolver(A, opts);
      const A2 = shiftedMatrix(op.K, op.volumes, 0.5);
      A.values.set(A2.values);
      s.refresh(A);
      const fresh = makeSolver(A2, opts);
      const x1 = new Float64Array(op.n);
      const x2 = new Float64Array(op.n);
      expect(s.solve(sys.b, x1).iterations).toBe(fresh.solve(sys.b, x2).iterations);
      expect(Array.from(x1)).toEqual(Array.from(x2));
    }
  });
});
