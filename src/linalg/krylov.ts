/**
 * Krylov solvers for nonsymmetric A x = b: BiCGSTAB (van der Vorst 1992) and
 * restarted GMRES(m) (Saad & Schultz 1986; Givens-rotation form as in Saad,
 * "Iterative Methods for Sparse Linear Systems", 2nd ed., Alg. 6.9 and 9.5),
 * each right- or left-preconditioned.
 *
 * Right preconditioning solves A M⁻¹ u = b, x = M⁻¹u: the recurrence tracks
 * the unpreconditioned residual b − Ax. Left preconditioning solves
 * M⁻¹A x = M⁻¹b and tracks ‖M⁻¹(b − Ax)‖/‖M⁻¹b‖. In both cases every solve
 * ends with the TRUE relative residual ‖b − Ax‖₂/‖b‖₂; if the recurrence
 * claims convergence but the true residual misses `tol`, the method restarts
 * from the current x with a tightened inner target while iterations remain,
 * and otherwise throws NumericalError with the iteration count and history.
 *
 * Workspace is allocated in the constructor; `solve` allocates only the
 * residual-history array.
 */
import { NumericalError } from '../util/errors.js';
import { fillProbe, matVec, residual } from './csr.js';
import type { Csr, LinearSolver, SolveInfo } from './types.js';

/**
 * A stationary multigrid phase stops when the next residual, predicted from the last contraction, is below this
 * fraction of the target. 20 backward-Euler steps of the 256² valley: 0.25 → 8.05 cycles a step, 0.5 → 7.75,
 * 1 → 7.60 (more misses of the true-residual check, each resumed); 0.5 keeps most of the gain.
 */
export const PREDICTED_STOP_MARGIN = 0.5;

/** z ≈ M⁻¹ r. Must be a fixed linear map for right-preconditioned GMRES; must not keep references to r or z. */
export interface Preconditioner {
  apply(r: Float64Array, z: Float64Array): void;
  /**
   * Optional: one step of the stationary iteration x ← x + M⁻¹(b − A x) done in place, returning
   * the norm of a residual b − A x that the step formed on the way, for an x it passed through;
   * when that norm is ≤ `stop` the step may end with x at that point (multigrid: the residual
   * after pre-smoothing). Used by BiCGSTAB's stationary phase instead of apply + residual.
   */
  iterate?(b: Float64Array, x: Float64Array, stop: number): number;
}

/**
 * A faster implementation of products with the solver's matrix (e.g. the
 * structured kernels of the multigrid fine level, tested against the CSR
 * loops to the last bit in test/stencil.test.ts). Used inside the recurrence
 * and for the final true-residual check (which on the 256² valley took 5 % of
 * a backward-Euler step with the CSR loop).
 */
export interface LinearOperator {
  matVec(x: Float64Array, y: Float64Array): void;
  /** r = b − A x. */
  residual(b: Float64Array, x: Float64Array, r: Float64Array): void;
}

/** z = r. */
export const identityPreconditioner: Preconditioner = {
  apply(r, z) {
    z.set(r);
  },
};

export interface KrylovOptions {
  /** Relative true-residual tolerance ‖b − Ax‖/‖b‖ (default 1e-10). */
  tol?: number;
  /** Iteration cap (BiCGSTAB: one iteration = 2 mat-vecs; GMRES: 1 mat-vec). Default 1000. */
  maxIter?: number;
  preconditioner?: Preconditioner;
  /** Preconditioning side (default 'right'). */
  side?: 'left' | 'right';
  /** GMRES restart length m (default 30). */
  restart?: number;
  /** Products with A inside the recurrence (default: CSR). It must stay equal to the matrix given by `setMatrix`. */
  operator?: LinearOperator;
  /**
   * BiCGSTAB, right preconditioning only: first iterate x ← x + M⁻¹(b − Ax) (one preconditioner
   * application and one residual per iteration; `Preconditioner.iterate` when M offers it) while
   * each step reduces the residual norm by at least this factor; at the first step that does
   * not, continue with BiCGSTAB from that x.
   * 0 (default) starts with BiCGSTAB. Each such step counts as one iteration (a BiCGSTAB
   * iteration applies M⁻¹ twice). Worth it when M⁻¹ is a multigrid cycle that contracts fast: a
   * BiCGSTAB iteration costs two applications plus two products and seven vector passes.
   */
  stationaryFactor?: number;
  /** Stop early with NumericalError when the iteration diverges or stalls (a solver ladder then moves on). */
  giveUp?: GiveUpRule;
}

/**
 * When a Krylov solve is hopeless: the residual estimate climbs `growth` times above the best it reached
 * (divergence, e.g. a preconditioner that amplifies), or the best has not halved within `window` iterations
 * (stagnation). Never met by a converging solve, so a solve that converges runs exactly as without the rule.
 */
export interface GiveUpRule {
  growth: number;
  window: number;
}

/** (a, b) with four partial sums (the reduction is latency-bound with one accumulator). */
function dot(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  const m = n - (n & 3);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let i = 0; i < m; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (let i = m; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + (s2 + s3);
}

function nrm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

abstract class KrylovBase implements LinearSolver {
  abstract readonly name: string;
  protected A: Csr;
  readonly tol: number;
  readonly maxIter: number;
  readonly side: 'left' | 'right';
  protected readonly M: Preconditioner;
  protected readonly tmp: Float64Array;
  protected readonly rTrue: Float64Array;
  protected readonly op: LinearOperator | null;
  private readonly giveUp: GiveUpRule | null;
  /** With an operator: whether it was checked against the CSR matrix since the last `setMatrix`, and a vector for that. */
  private opChecked = false;
  private readonly opProbe: Float64Array;
  /** Progress of the current solve for the give-up rule: iterations of earlier runs, best residual, last halving. */
  private itBase = 0;
  private best = Infinity;
  private mark = Infinity;
  private markIt = 0;

  constructor(A: Csr, opts: KrylovOptions) {
    this.A = A;
    this.op = opts.operator ?? null;
    this.tol = opts.tol ?? 1e-10;
    this.maxIter = opts.maxIter ?? 1000;
    this.side = opts.side ?? 'right';
    this.M = opts.preconditioner ?? identityPreconditioner;
    this.giveUp = opts.giveUp ?? null;
    this.tmp = new Float64Array(A.n);
    this.rTrue = new Float64Array(A.n);
    this.opProbe = new Float64Array(this.op ? A.n : 0);
  }

  /** Points the solver at a new matrix of the same order (the preconditioner is refreshed by its owner). */
  setMatrix(A: Csr): void {
    if (A.n !== this.A.n) throw new NumericalError(`setMatrix: order ${A.n} differs from ${this.A.n}`, { n: A.n });
    this.A = A;
    this.opChecked = false;
  }

  /**
   * The operator against the CSR matrix, once per matrix: its product and residual for a fixed
   * pseudo-random vector v must match the CSR row sums to 1e-12 of Σⱼ|aᵢⱼvⱼ| (+ |vᵢ| for the residual) in every row. The
   * true-residual check that ends every solve then uses the operator (the CSR loop took 5 % of a
   * backward-Euler step on the 256² valley); an operator that is not the matrix throws here.
   */
  private checkOperator(): void {
    const op = this.op!;
    const { rowPtr, colIdx, values, n } = this.A;
    const v = this.tmp;
    const y = this.rTrue;
    const r = this.opProbe;
    fillProbe(v, 0x2545f491);
    op.matVec(v, y);
    op.residual(v, v, r);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      let abs = 0;
      for (let k = rowPtr[i]; k < rowPtr[i + 1]; k++) {
        const t = values[k] * v[colIdx[k]];
        sum += t;
        abs += Math.abs(t);
      }
      // Sums in another order differ by a few ulps of the terms (b = v in the residual adds |vᵢ| to the scale).
      const productOk = Math.abs(y[i] - sum) <= 1e-12 * abs;
      if (!productOk || !(Math.abs(r[i] - (v[i] - sum)) <= 1e-12 * (abs + Math.abs(v[i])))) {
        const what = productOk ? `residual ${r[i]} against ${v[i] - sum}` : `product ${y[i]} against ${sum}`;
        throw new NumericalError(`${this.name}: the fast operator differs from the matrix in row ${i} (${what}); it must apply the matrix given to setMatrix`, { method: this.name, row: i });
      }
    }
    this.opChecked = true;
  }

  /** dst = op(src): A M⁻¹ src for right preconditioning (M⁻¹src left in `pre`), M⁻¹ A src for left. */
  protected applyOp(src: Float64Array, dst: Float64Array, pre: Float64Array): void {
    if (this.side === 'right') {
      this.M.apply(src, pre);
      this.mul(pre, dst);
    } else {
      this.mul(src, this.tmp);
      this.M.apply(this.tmp, dst);
    }
  }

  /** y = A x inside the recurrence. */
  protected mul(x: Float64Array, y: Float64Array): void {
    if (this.op) this.op.matVec(x, y);
    else matVec(this.A, x, y);
  }

  /** r = b − A x inside the recurrence. */
  protected res(b: Float64Array, x: Float64Array, r: Float64Array): void {
    if (this.op) this.op.residual(b, x, r);
    else residual(this.A, x, b, r);
  }

  readonly iterative = true;

  /** Applies the give-up rule to the residual estimate rn after `it` iterations of the current run. */
  protected watch(rn: number, it: number, history: number[]): void {
    const g = this.giveUp;
    if (!g) return;
    const at = this.itBase + it;
    if (rn < this.best) {
      this.best = rn;
      if (rn <= 0.5 * this.mark) {
        this.mark = rn;
        this.markIt = at;
      }
    }
    const diverged = rn > g.growth * this.best;
    if (!diverged && at - this.markIt <= g.window) return;
    const why = diverged ? `the residual ${rn.toExponential(3)} grew ${g.growth}× above its best ${this.best.toExponential(3)}` : `the residual did not halve in ${g.window} iterations (best ${this.best.toExponential(3)})`;
    throw new NumericalError(`${this.name} gave up after ${at} iterations: ${why}`, { method: this.name, iterations: at, residual: rn, history, gaveUp: true });
  }

  solve(b: Float64Array, x: Float64Array, looseTol?: number): SolveInfo {
    const n = this.A.n;
    const tol = looseTol !== undefined && looseTol > this.tol ? looseTol : this.tol;
    if (b.length !== n || x.length !== n) throw new NumericalError(`${this.name}: vector lengths ${b.length}, ${x.length} differ from matrix order ${n}`, { n });
    const bNorm = nrm(b);
    if (!Number.isFinite(bNorm)) throw new NumericalError(`${this.name}: right-hand side contains NaN or Inf`, { bNorm });
    if (bNorm === 0) {
      x.fill(0);
      return { converged: true, iterations: 0, residual: 0, history: [] };
    }
    if (this.op && !this.opChecked) this.checkOperator();
    const history: number[] = [];
    let iterations = 0;
    let target = tol;
    let rel = Infinity;
    this.best = this.mark = Infinity;
    this.markIt = 0;
    for (let attempt = 0; ; attempt++) {
      this.itBase = iterations;
      iterations += this.run(b, x, bNorm, target, this.maxIter - iterations, history);
      this.res(b, x, this.rTrue);
      rel = nrm(this.rTrue) / bNorm;
      if (!Number.isFinite(rel)) {
        throw new NumericalError(`${this.name}: solution became NaN/Inf after ${iterations} iterations`, { method: this.name, iterations, history });
      }
      if (rel <= tol) return { converged: true, iterations, residual: rel, history };
      if (iterations >= this.maxIter || attempt >= 20) break;
      // The recurrence drifted from the true residual: restart from x, aiming lower.
      target = Math.max(target * 0.5 * Math.min(1, tol / rel), 1e-16);
    }
    throw new NumericalError(
      `${this.name} did not reach tol ${tol}: true residual ${rel.toExponential(3)} after ${iterations} iterations (maxIter ${this.maxIter})`,
      { method: this.name, iterations, residual: rel, tol, maxIter: this.maxIter, history },
    );
  }

  /** Runs the recurrence from x until its residual estimate is ≤ target or `budget` iterations pass; returns iterations used. */
  protected abstract run(b: Float64Array, x: Float64Array, bNorm: number, target: number, budget: number, history: number[]): number;
}

/**
 * Preconditioned BiCGSTAB. Per iteration: 2 mat-vecs, 2 preconditioner
 * applications. On breakdown (ρ = (r̂, r) ≈ 0 or (r̂, v) ≈ 0 or ω = 0) the
 * shadow residual is reset to the current residual.
 */
export class BiCgStab extends KrylovBase {
  readonly name: string;
  private readonly r: Float64Array;
  private readonly rHat: Float64Array;
  private readonly p: Float64Array;
  private readonly v: Float64Array;
  private readonly s: Float64Array;
  private readonly t: Float64Array;
  private readonly pHat: Float64Array;
  private readonly sHat: Float64Array;

  private readonly stationaryFactor: number;

  constructor(A: Csr, opts: KrylovOptions = {}) {
    super(A, opts);
    this.stationaryFactor = this.side === 'right' ? Math.max(0, Math.min(1, opts.stationaryFactor ?? 0)) : 0;
    this.name = this.stationaryFactor > 0 ? `mg-iteration+bicgstab(${this.side})` : `bicgstab(${this.side})`;
    const n = A.n;
    this.r = new Float64Array(n);
    this.rHat = new Float64Array(n);
    this.p = new Float64Array(n);
    this.v = new Float64Array(n);
    this.s = new Float64Array(n);
    this.t = new Float64Array(n);
    this.pHat = new Float64Array(n);
    this.sHat = new Float64Array(n);
  }

  protected run(b: Float64Array, x: Float64Array, bNorm: number, target: number, budget: number, history: number[]): number {
    const { r, rHat, p, v, s, t, pHat, sHat } = this;
    const n = r.length;
    const left = this.side === 'left';
    let scale = bNorm;
    let rn = Infinity;
    // A multigrid stationary phase measures the residual itself (after its first pre-smoothing, which
    // leaves a converged x converged): no residual pass of its own here.
    if (!(this.stationaryFactor > 0 && this.M.iterate)) {
      this.res(b, x, left ? this.tmp : r);
      if (left) {
        this.M.apply(this.tmp, r);
        this.M.apply(b, s);
        scale = nrm(s);
        if (!(scale > 0)) scale = bNorm;
      }
      rn = nrm(r) / scale;
      if (rn <= target) return 0;
    }
    let it = 0;
    if (this.stationaryFactor > 0) {
      // Stationary phase: x += M⁻¹ r while it contracts by stationaryFactor per step.
      const z = pHat;
      const M = this.M;
      while (it < budget) {
        if (M.iterate) {
          // The step reports the residual norm of the iterate it passed through (and may stop there).
          const rho = M.iterate(b, x, target * scale) / scale;
          it++;
          if (!Number.isFinite(rho)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
          if (rho <= target) {
            history.push(rho);
            return it;
          }
          // rho belongs to the iterate before this step's correction: compare it with the previous one.
          if (it > 1) {
            history.push(rho);
            const factor = rho / rn;
            rn = rho;
            if (factor > this.stationaryFactor) break;
            // The correction just applied will, at this rate, bring the residual to ≈ rho·factor: well below
            // the target, stop here rather than pay a smoothing sweep and a residual pass to see it. The
            // caller's true-residual check decides (and resumes, aiming lower, in the rare miss).
            if (rho * factor <= PREDICTED_STOP_MARGIN * target) return it;
          } else rn = rho;
          continue;
        }
        M.apply(r, z);
        for (let i = 0; i < n; i++) x[i] += z[i];
        it++;
        this.res(b, x, r);
        const rNew = nrm(r) / scale;
        history.push(rNew);
        if (!Number.isFinite(rNew)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
        const factor = rNew / rn;
        rn = rNew;
        if (rn <= target) return it;
        if (factor > this.stationaryFactor) break;
      }
      if (it >= budget) return it;
      if (M.iterate) {
        // BiCGSTAB continues from x: its residual.
        this.res(b, x, r);
        rn = nrm(r) / scale;
        if (!Number.isFinite(rn)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
        if (rn <= target) return it;
      }
    }
    rHat.set(r);
    p.fill(0);
    v.fill(0);
    let rho = 1;
    let alpha = 1;
    let omega = 1;
    // ‖r̂‖ and ‖r‖ (absolute) for the breakdown test; (r̂, r) carried from the fused update of r.
    let rHatNorm = rn * scale;
    let rNorm = rHatNorm;
    let rhoNew = rNorm * rNorm;
    while (it < budget) {
      if (Math.abs(rhoNew) < 1e-300 || Math.abs(rhoNew) < 1e-14 * rHatNorm * rNorm) {
        rHat.set(r);
        p.fill(0);
        v.fill(0);
        rho = alpha = omega = 1;
        rhoNew = dot(rHat, r);
        rHatNorm = Math.sqrt(rhoNew);
        if (rhoNew === 0) return it;
      }
      const beta = (rhoNew / rho) * (alpha / omega);
      for (let i = 0; i < n; i++) p[i] = r[i] + beta * (p[i] - omega * v[i]);
      this.applyOp(p, v, pHat);
      const rv = dot(rHat, v);
      it++;
      if (rv === 0 || !Number.isFinite(rv)) {
        if (!Number.isFinite(rv)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
        rHat.set(r);
        p.fill(0);
        v.fill(0);
        rho = alpha = omega = 1;
        rhoNew = dot(rHat, r);
        rHatNorm = Math.sqrt(rhoNew);
        continue;
      }
      alpha = rhoNew / rv;
      let ss0 = 0;
      let ss1 = 0;
      for (let i = 0; i + 1 < n; i += 2) {
        const a0 = r[i] - alpha * v[i];
        const a1 = r[i + 1] - alpha * v[i + 1];
        s[i] = a0;
        s[i + 1] = a1;
        ss0 += a0 * a0;
        ss1 += a1 * a1;
      }
      if (n & 1) {
        const a0 = r[n - 1] - alpha * v[n - 1];
        s[n - 1] = a0;
        ss0 += a0 * a0;
      }
      const sn = Math.sqrt(ss0 + ss1) / scale;
      if (sn <= target) {
        if (left) for (let i = 0; i < n; i++) x[i] += alpha * p[i];
        else for (let i = 0; i < n; i++) x[i] += alpha * pHat[i];
        history.push(sn);
        return it;
      }
      this.applyOp(s, t, sHat);
      let tt0 = 0;
      let tt1 = 0;
      let ts0 = 0;
      let ts1 = 0;
      for (let i = 0; i + 1 < n; i += 2) {
        const t0 = t[i];
        const t1 = t[i + 1];
        tt0 += t0 * t0;
        tt1 += t1 * t1;
        ts0 += t0 * s[i];
        ts1 += t1 * s[i + 1];
      }
      if (n & 1) {
        tt0 += t[n - 1] * t[n - 1];
        ts0 += t[n - 1] * s[n - 1];
      }
      const tt = tt0 + tt1;
      omega = tt > 0 ? (ts0 + ts1) / tt : 0;
      const xp = left ? p : pHat;
      const xs = left ? s : sHat;
      let rr0 = 0;
      let rr1 = 0;
      let rh0 = 0;
      let rh1 = 0;
      for (let i = 0; i + 1 < n; i += 2) {
        x[i] += alpha * xp[i] + omega * xs[i];
        x[i + 1] += alpha * xp[i + 1] + omega * xs[i + 1];
        const a0 = s[i] - omega * t[i];
        const a1 = s[i + 1] - omega * t[i + 1];
        r[i] = a0;
        r[i + 1] = a1;
        rr0 += a0 * a0;
        rr1 += a1 * a1;
        rh0 += rHat[i] * a0;
        rh1 += rHat[i + 1] * a1;
      }
      if (n & 1) {
        const j = n - 1;
        x[j] += alpha * xp[j] + omega * xs[j];
        const a0 = s[j] - omega * t[j];
        r[j] = a0;
        rr0 += a0 * a0;
        rh0 += rHat[j] * a0;
      }
      rho = rhoNew;
      rhoNew = rh0 + rh1;
      rNorm = Math.sqrt(rr0 + rr1);
      rn = rNorm / scale;
      history.push(rn);
      if (!Number.isFinite(rn)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
      if (rn <= target) return it;
      this.watch(rn, it, history);
      if (omega === 0) {
        rHat.set(r);
        rho = alpha = omega = 1;
        p.fill(0);
        v.fill(0);
        rhoNew = rNorm * rNorm;
        rHatNorm = rNorm;
      }
    }
    return it;
  }
}

/**
 * Restarted GMRES(m) with modified Gram–Schmidt Arnoldi and Givens rotations.
 * Right preconditioning forms x += M⁻¹(V y) once per cycle (M⁻¹ must be linear).
 */
export class Gmres extends KrylovBase {
  readonly name: string;
  readonly restart: number;
  private readonly V: Float64Array[];
  private readonly w: Float64Array;
  private readonly z: Float64Array;
  private readonly H: Float64Array; // (m+1) × m, column-major: H[i + (m+1) j]
  private readonly cs: Float64Array;
  private readonly sn: Float64Array;
  private readonly g: Float64Array;
  private readonly y: Float64Array;

  constructor(A: Csr, opts: KrylovOptions = {}) {
    super(A, opts);
    const m = Math.max(1, Math.min(opts.restart ?? 30, A.n));
    this.restart = m;
    this.name = `gmres(${m},${this.side})`;
    const n = A.n;
    this.V = Array.from({ length: m + 1 }, () => new Float64Array(n));
    this.w = new Float64Array(n);
    this.z = new Float64Array(n);
    this.H = new Float64Array((m + 1) * m);
    this.cs = new Float64Array(m);
    this.sn = new Float64Array(m);
    this.g = new Float64Array(m + 1);
    this.y = new Float64Array(m);
  }

  protected run(b: Float64Array, x: Float64Array, bNorm: number, target: number, budget: number, history: number[]): number {
    const { V, w, z, H, cs, sn, g, y } = this;
    const m = this.restart;
    const ld = m + 1;
    const n = w.length;
    const left = this.side === 'left';
    let scale = bNorm;
    if (left) {
      this.M.apply(b, z);
      scale = nrm(z);
      if (!(scale > 0)) scale = bNorm;
    }
    let it = 0;
    while (it < budget) {
      const v0 = V[0];
      if (left) {
        this.res(b, x, this.tmp);
        this.M.apply(this.tmp, v0);
      } else this.res(b, x, v0);
      const beta = nrm(v0);
      if (!Number.isFinite(beta)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
      if (beta / scale <= target) return it;
      for (let i = 0; i < n; i++) v0[i] /= beta;
      g.fill(0);
      g[0] = beta;
      let k = 0;
      let done = false;
      for (; k < m && it < budget; k++) {
        this.applyOp(V[k], w, z);
        it++;
        for (let i = 0; i <= k; i++) {
          const vi = V[i];
          const h = dot(w, vi);
          H[i + ld * k] = h;
          for (let j = 0; j < n; j++) w[j] -= h * vi[j];
        }
        const hNext = nrm(w);
        H[k + 1 + ld * k] = hNext;
        if (hNext > 0) {
          const vk = V[k + 1];
          const inv = 1 / hNext;
          for (let j = 0; j < n; j++) vk[j] = w[j] * inv;
        }
        for (let i = 0; i < k; i++) {
          const a = H[i + ld * k];
          const c = H[i + 1 + ld * k];
          H[i + ld * k] = cs[i] * a + sn[i] * c;
          H[i + 1 + ld * k] = -sn[i] * a + cs[i] * c;
        }
        const a = H[k + ld * k];
        const c = H[k + 1 + ld * k];
        const rr = Math.hypot(a, c);
        cs[k] = rr > 0 ? a / rr : 1;
        sn[k] = rr > 0 ? c / rr : 0;
        H[k + ld * k] = rr;
        H[k + 1 + ld * k] = 0;
        g[k + 1] = -sn[k] * g[k];
        g[k] = cs[k] * g[k];
        const res = Math.abs(g[k + 1]) / scale;
        history.push(res);
        if (!Number.isFinite(res)) throw new NumericalError(`${this.name}: NaN/Inf in the iteration`, { method: this.name, iterations: it, history });
        if (res > target && hNext !== 0) this.watch(res, it, history);
        if (res <= target || hNext === 0) {
          k++;
          done = true;
          break;
        }
      }
      // Solve the k×k upper-triangular system H y = g.
      for (let i = k - 1; i >= 0; i--) {
        let s = g[i];
        for (let j = i + 1; j < k; j++) s -= H[i + ld * j] * y[j];
        const d = H[i + ld * i];
        y[i] = d !== 0 ? s / d : 0;
      }
      if (left) {
        for (let i = 0; i < k; i++) {
          const vi = V[i];
          const yi = y[i];
          for (let j = 0; j < n; j++) x[j] += yi * vi[j];
        }
      } else {
        w.fill(0);
        for (let i = 0; i < k; i++) {
          const vi = V[i];
          const yi = y[i];
          for (let j = 0; j < n; j++) w[j] += yi * vi[j];
        }
        this.M.apply(w, z);
        for (let j = 0; j < n; j++) x[j] += z[j];
      }
      if (done) return it;
    }
    return it;
  }
}
