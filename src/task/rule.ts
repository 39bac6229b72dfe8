/**
 * The learning rule of a task, one stochastic gradient at a time (the `sgd` particles; issue 17):
 *   ∇L̂(θ) = (1/B) Σ_{ν∈b} (f(x^ν; θ⊙m) − y^ν − ε^ν) · m ⊙ (∇f)(x^ν; θ⊙m),
 * with, drawn in this order each call: the DropConnect mask (one uniform per named parameter,
 * ξᵢ = [u < q], mᵢ = ξᵢ/q), the batch (B uniform indices with replacement; without: the first B of a
 * partial Fisher–Yates shuffle of 0…p−1, restarted from the identity every call so the draws depend on the
 * stream alone), and one label noise ε = √c·ζ per sampled row (ζ standard normal). Without `batch`
 * every row is used once in order. The model and its parameter gradient are compiled once as one
 * function of (θ′, x); nothing is allocated per call.
 */
import type { TaskSpec } from '../case/types.js';
import { compileFill, diffExpr } from '../landscape/formula.js';
import { parseTaskModel } from './derive.js';

/** The random numbers the rule draws (the particles' Xoshiro128 stream). */
export interface RandomSource {
  uniform(): number;
  normal(): number;
}

export interface TaskRule {
  /** Write one draw of ∇L̂(θ) into out (length d) and return it. */
  stochasticGradient(theta: ArrayLike<number>, rng: RandomSource, out: Float64Array): Float64Array;
}

export function taskRule(task: TaskSpec, variables: readonly string[], field = 'task'): TaskRule {
  const d = variables.length;
  const k = task.inputs.length;
  const model = parseTaskModel(task, variables, field);
  const exprs = [model, ...Array.from({ length: d }, (_, i) => diffExpr(model, i))];
  const fdf = compileFill(exprs, exprs.map((_, i) => [i]), d + 1);
  const p = task.data.length;
  const X = Float64Array.from(task.data.flatMap((r) => r.x));
  const Y = Float64Array.from(task.data.map((r) => r.y));
  const B = task.batch ? task.batch.size : p;
  const replace = task.batch?.replacement ?? false;
  const sampled = task.batch !== undefined;
  const sc = Math.sqrt(task.labelNoise ?? 0);
  const q = task.dropconnect?.q ?? 1;
  const dcIdx = Int32Array.from(q < 1 ? task.dropconnect!.params.map((n) => variables.indexOf(n)) : []);
  const m = new Float64Array(d);
  const z = new Float64Array(d + k);
  const val = new Float64Array(d + 1);
  const perm = new Int32Array(p);
  return {
    stochasticGradient(theta, rng, out) {
      m.fill(1);
      for (let a = 0; a < dcIdx.length; a++) m[dcIdx[a]!] = rng.uniform() < q ? 1 / q : 0;
      for (let i = 0; i < d; i++) z[i] = theta[i]! * m[i]!;
      if (sampled && !replace) {
        for (let i = 0; i < p; i++) perm[i] = i;
        for (let j = 0; j < B; j++) {
          const r = j + Math.floor(rng.uniform() * (p - j));
          const t = perm[j]!;
          perm[j] = perm[r]!;
          perm[r] = t;
        }
      }
      out.fill(0, 0, d);
      for (let j = 0; j < B; j++) {
        const nu = !sampled ? j : replace ? Math.floor(rng.uniform() * p) : perm[j]!;
        for (let a = 0; a < k; a++) z[d + a] = X[nu * k + a]!;
        fdf.fill(z, val);
        const res = val[0]! - Y[nu]! - (sc > 0 ? sc * rng.normal() : 0);
        for (let i = 0; i < d; i++) out[i] += res * m[i]! * val[i + 1]!;
      }
      for (let i = 0; i < d; i++) out[i] /= B;
      return out;
    },
  };
}
