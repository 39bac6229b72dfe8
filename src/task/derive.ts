/**
 * From a learning task to L and Σ, exactly (issue 17; the source paper's Appendix A.1).
 *
 * The rule: θ ← θ − η ∇L̂(θ), L̂ = (1/B) Σ_{ν∈b} ½(f(x^ν; θ⊙m) − y^ν − ε^ν)², with per step
 *   * a DropConnect mask ξ ∈ {0,1}^k on the named parameters, P(ξᵢ = 1) = q, mᵢ = ξᵢ/q (mᵢ = 1 elsewhere),
 *     one mask per step shared by the batch;
 *   * a batch b of B rows (uniform, with or without replacement; absent: all p rows, B = p);
 *   * label noise ε^ν independent, mean 0, variance c, one per sampled row.
 * Write f^μ_ξ(θ) = f(x^μ; θ⊙m(ξ)), r = f − y, g^μ_ξ = r ∇f^μ_ξ (its gradient in θ, masks included),
 * ḡ_ξ = (1/p) Σ_μ g^μ_ξ, π_ξ the probability of a mask. Then, exactly:
 *   L(θ) = E[L̂] = Σ_ξ π_ξ (1/p) Σ_μ ½ (r^μ_ξ)²  + c/2            (the constant is kept apart: no dynamics)
 *   ∇L   = Σ_ξ π_ξ ḡ_ξ
 *   Σ(θ) = Cov[∇L̂] = Σ_ξ π_ξ [ κ C_ξ + (ḡ_ξ − ∇L)(ḡ_ξ − ∇L)ᵀ ] + (c/B) Σ_ξ π_ξ (1/p) Σ_μ ∇f^μ_ξ ∇f^μ_ξᵀ
 * with C_ξ = (1/p) Σ_μ (g^μ_ξ − ḡ_ξ)(g^μ_ξ − ḡ_ξ)ᵀ and κ = (1/B)(p − B)/(p − 1) without replacement
 * (0 for B = p), 1/B with replacement, 0 for the full batch — the law of total covariance over the mask,
 * the minibatch covariance given the mask, and the label noise, which is independent of both and whose
 * share (c/B²) Σ_{ν∈b} ∇f^ν∇f^νᵀ averages to the last term because each draw is marginally uniform.
 * All sums are finite: the expressions are built through the formula compiler's folded trees.
 */
import type { TaskSpec } from '../case/types.js';
import { add, dependsOn, diffExpr, div, fn, mul, neg, num, parseFormula, pow, sub, type Expr } from '../landscape/formula.js';
import { InputError } from '../util/errors.js';

/** One DropConnect outcome: its probability and the factor mᵢ on each parameter. */
export interface MaskOutcome {
  readonly prob: number;
  readonly scale: readonly number[];
}

/** The 2^k masks of the task (one outcome, all factors 1, without DropConnect or with q = 1). */
export function taskMasks(task: TaskSpec, variables: readonly string[]): MaskOutcome[] {
  const dc = task.dropconnect;
  const d = variables.length;
  if (!dc || dc.q === 1) return [{ prob: 1, scale: Array(d).fill(1) }];
  const idx = dc.params.map((n) => variables.indexOf(n));
  const out: MaskOutcome[] = [];
  for (let bits = 0; bits < 1 << idx.length; bits++) {
    const scale = Array(d).fill(1);
    let prob = 1;
    idx.forEach((i, b) => {
      const kept = (bits >> b) & 1;
      scale[i] = kept ? 1 / dc.q : 0;
      prob *= kept ? dc.q : 1 - dc.q;
    });
    out.push({ prob, scale });
  }
  return out;
}

/** κ: the minibatch covariance is κ·C (see the module comment). */
export function batchFactor(task: TaskSpec): number {
  const p = task.data.length;
  const b = task.batch;
  if (!b) return 0;
  if (b.replacement) return 1 / b.size;
  return b.size >= p ? 0 : (p - b.size) / ((p - 1) * b.size);
}

/** The number of rows a step sums over: B, or p for the full batch. */
export function batchSize(task: TaskSpec): number {
  return task.batch ? task.batch.size : task.data.length;
}

/** e with each variable node v replaced by `by(v.i, v)` (kept when undefined), refolded. */
export function substitute(e: Expr, by: (i: number, v: Expr) => Expr | undefined): Expr {
  switch (e.k) {
    case 'num':
      return e;
    case 'var':
      return by(e.i, e) ?? e;
    case 'neg':
      return neg(substitute(e.a, by));
    case 'fn':
      return fn(e.name, substitute(e.a, by));
    case 'bin': {
      const a = substitute(e.a, by);
      const b = substitute(e.b, by);
      return { '+': add, '-': sub, '*': mul, '/': div, '^': pow }[e.op](a, b);
    }
  }
}

/** The model parsed over [variables…, inputs…], checked to use an input and a parameter. */
export function parseTaskModel(task: TaskSpec, variables: readonly string[], field = 'task'): Expr {
  const d = variables.length;
  const model = parseFormula(task.model, [...variables, ...task.inputs], `${field}.model`).expr;
  if (!task.inputs.some((_, k) => dependsOn(model, d + k))) {
    throw new InputError(
      `${field}.model`,
      `the model ${JSON.stringify(task.model)} does not use the inputs (${task.inputs.join(', ')}), so every row predicts the same; write f in terms of them`,
    );
  }
  if (!variables.some((_, i) => dependsOn(model, i))) {
    throw new InputError(`${field}.model`, `the model ${JSON.stringify(task.model)} uses none of the parameters ${variables.join(', ')}; nothing would be learnt`);
  }
  return model;
}

/** The derived landscape and noise of a task. */
export interface DerivedTask {
  readonly dim: number;
  readonly variables: readonly string[];
  /** E[L̂] without the constant c/2. */
  readonly loss: Expr;
  /** c/2 (the label noise's share of E[L̂]; it moves nothing). */
  readonly lossConstant: number;
  /** ∇L = Σ_ξ π_ξ ḡ_ξ. */
  readonly grad: readonly Expr[];
  /** Σ, full and symmetric (Σ[j][i] is the same tree as Σ[i][j]). */
  readonly sigma: readonly (readonly Expr[])[];
}

/** Per mask: the rows' predictions f^μ_ξ and their gradients (helper of deriveTask). */
function maskedRows(task: TaskSpec, model: Expr, mask: MaskOutcome, d: number): { r: Expr[]; df: Expr[][] } {
  const r: Expr[] = [];
  const df: Expr[][] = [];
  for (const row of task.data) {
    const f = substitute(model, (i, v) => (i >= d ? num(row.x[i - d]!) : mask.scale[i] === 1 ? undefined : mul(num(mask.scale[i]!), v)));
    r.push(sub(f, num(row.y)));
    df.push(Array.from({ length: d }, (_, i) => diffExpr(f, i)));
  }
  return { r, df };
}

/** L, ∇L and Σ of the task (see the module comment). */
export function deriveTask(task: TaskSpec, variables: readonly string[], field = 'task'): DerivedTask {
  const d = variables.length;
  const model = parseTaskModel(task, variables, field);
  const p = task.data.length;
  const kappa = batchFactor(task);
  const c = task.labelNoise ?? 0;
  const masks = taskMasks(task, variables);
  const zeroM = (): Expr[][] => Array.from({ length: d }, () => Array<Expr>(d).fill(num(0)));
  let loss: Expr = num(0);
  const grad: Expr[] = Array(d).fill(num(0));
  const perMask = masks.map((m) => {
    const { r, df } = maskedRows(task, model, m, d);
    const g = r.map((ri, mu) => df[mu]!.map((dfi) => mul(ri, dfi)));
    const gbar = Array.from({ length: d }, (_, i) => g.reduce<Expr>((s, gm) => add(s, gm[i]!), num(0))).map((s) => mul(num(1 / p), s));
    r.forEach((ri) => (loss = add(loss, mul(num((0.5 * m.prob) / p), pow(ri, num(2))))));
    for (let i = 0; i < d; i++) grad[i] = add(grad[i]!, mul(num(m.prob), gbar[i]!));
    return { m, df, g, gbar };
  });
  const S = zeroM();
  for (const { m, df, g, gbar } of perMask) {
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) {
        let s = S[i]![j]!;
        if (kappa > 0) {
          for (const gm of g) s = add(s, mul(num((kappa * m.prob) / p), mul(sub(gm[i]!, gbar[i]!), sub(gm[j]!, gbar[j]!))));
        }
        s = add(s, mul(num(m.prob), mul(sub(gbar[i]!, grad[i]!), sub(gbar[j]!, grad[j]!))));
        if (c > 0) for (const dfm of df) s = add(s, mul(num((c / batchSize(task)) * (m.prob / p)), mul(dfm[i]!, dfm[j]!)));
        S[i]![j] = s;
        S[j]![i] = s;
      }
    }
  }
  return { dim: d, variables: [...variables], loss, lossConstant: c / 2, grad, sigma: S };
}
