/**
 * Checks that span fields, run after the zod pass: everything whose allowed
 * shape depends on the number of variables d, and the consistency of Γ, the
 * grid and the initial density. Each failure is an `InputError` at the JSON
 * path of the field to fix.
 */
import { InputError, showValue } from '../util/errors.js';
import { BUILTIN_LANDSCAPES, BUILTIN_LANDSCAPE_INFO } from './constants.js';
import type { CaseFile } from './schema.js';

/** Relative tolerance of the symmetry test |Aᵢⱼ − Aⱼᵢ| ≤ tol·max|A|. */
const SYM_TOL = 1e-12;

/** Throws the first cross-field violation found in `c` (already shape-checked by zod). */
export function crossCheck(c: CaseFile, source: string): void {
  const where = ` (in ${source})`;
  const fail = (path: string, msg: string, value: unknown): never => {
    throw new InputError(path, `${msg}, got ${showValue(value)}${where}`);
  };
  const d = c.variables.length;
  const dimNote = `(${d} variables: ${c.variables.join(', ')})`;

  // variables: distinct
  c.variables.forEach((v, i) => {
    const j = c.variables.indexOf(v);
    if (j < i) fail(`variables[${i}]`, `expected distinct variable names, but it repeats variables[${j}]`, v);
  });

  // loss xor landscape xor task; noise with the first two
  checkLossForm(c, where, fail);
  const builtin = c.landscape !== undefined ? BUILTIN_LANDSCAPE_INFO[c.landscape] : undefined;
  if (builtin !== undefined && builtin.variables.join(',') !== c.variables.join(',')) {
    fail('variables', `expected ${JSON.stringify(builtin.variables)} for landscape "${c.landscape}"`, c.variables);
  }

  // noise
  if (c.noise?.kind === 'constant' || c.noise?.kind === 'formula') {
    checkSquare(c.noise.Sigma, d, 'noise.Sigma', dimNote, fail);
  }
  if (c.noise?.kind === 'constant') {
    checkSymmetric(c.noise.Sigma, 'noise.Sigma', fail);
    const lam = symmetricEigenvalues(c.noise.Sigma);
    const scale = Math.max(...lam.map(Math.abs));
    if (Math.min(...lam) < -1e-12 * scale || scale === 0) {
      fail(
        'noise.Sigma',
        `expected a positive semidefinite, nonzero matrix (eigenvalues ${lam.map((x) => x.toPrecision(4)).join(', ')})`,
        c.noise.Sigma,
      );
    }
  }
  if (c.task !== undefined) checkTask(c.task, c.variables, fail);

  // gamma
  const g = c.gamma;
  if (g?.kind === 'curve' && g.param.length !== d) {
    fail('gamma.param', `expected ${d} formulas in s, one per variable ${dimNote}`, g.param);
  }
  if (g?.kind === 'surface') {
    if (d !== 3) fail('gamma.kind', `a surface Γ needs 3 variables ${dimNote}; use "curve" in 2D`, g.kind);
    if (g.param.length !== 3) fail('gamma.param', 'expected 3 formulas in a and b, one per variable', g.param);
  }
  if (g?.kind === 'traced' && g.seed.length !== d) {
    fail('gamma.seed', `expected ${d} numbers, a point near Γ ${dimNote}`, g.seed);
  }
  // Γ is the case's `gamma`, else the built-in landscape's own Γ (whose kind we know, not its range).
  const hasGamma = g !== undefined || builtin !== undefined;
  const surface = g !== undefined ? g.kind === 'surface' : builtin?.gamma === 'surface';

  // grid
  const grid = c.grid;
  if (grid.kind === 'tube') {
    if (!hasGamma) {
      throw new InputError(
        'gamma',
        `missing; a tube grid needs Γ: give gamma {kind: "curve" | "surface" | "traced", ...}, or use grid.kind "cartesian"${where}`,
      );
    }
    if (surface && typeof grid.along === 'number') {
      fail('grid.along', 'expected a pair [na, nb] of integers ≥ 4 around a surface Γ', grid.along);
    }
    if (!surface && typeof grid.along !== 'number') {
      fail('grid.along', 'expected one integer ≥ 4 around a curve Γ (a pair [na, nb] is for a surface)', grid.along);
    }
    if (typeof grid.across !== 'number' && (surface || d !== 3)) {
      fail('grid.across', 'expected one integer ≥ 4 (a pair is only for a tube around a curve in 3D)', grid.across);
    }
  } else {
    if (grid.bounds.length !== d) fail('grid.bounds', `expected ${d} pairs [lo, hi], one per variable ${dimNote}`, grid.bounds);
    if (grid.shape.length !== d) fail('grid.shape', `expected ${d} integers ≥ 2, one per variable ${dimNote}`, grid.shape);
  }

  // initial
  const ini = c.initial;
  if (ini.kind === 'gaussian') {
    if (ini.mean.length !== d) fail('initial.mean', `expected ${d} numbers ${dimNote}`, ini.mean);
    checkSquare(ini.cov, d, 'initial.cov', dimNote, fail);
    checkSymmetric(ini.cov, 'initial.cov', fail);
    const lam = symmetricEigenvalues(ini.cov);
    const scale = Math.max(...lam.map(Math.abs));
    if (!(Math.min(...lam) > 1e-12 * scale)) {
      fail(
        'initial.cov',
        `expected a positive definite matrix (eigenvalues ${lam.map((x) => x.toPrecision(4)).join(', ')})`,
        ini.cov,
      );
    }
  }
  if (ini.kind === 'on-gamma') {
    if (!hasGamma) {
      throw new InputError('gamma', `missing; initial.kind "on-gamma" needs Γ (gamma: curve, surface or traced)${where}`);
    }
    // On a surface a single number means the same value in both chart directions; on a curve a pair is wrong.
    if (!surface && typeof ini.at !== 'number') {
      fail('initial.at', 'expected one number (the parameter along a curve Γ)', ini.at);
    }
    if (!surface && typeof ini.width !== 'number') {
      fail('initial.width', 'expected one number > 0 (the width along a curve Γ)', ini.width);
    }
    if (g?.kind === 'curve' && typeof ini.at === 'number') {
      const [s0, s1] = g.range;
      if (ini.at < s0 || ini.at > s1) fail('initial.at', `expected a parameter inside gamma.range [${s0}, ${s1}]`, ini.at);
    }
    if (g?.kind === 'traced' && typeof ini.at === 'number') {
      const [s0, s1] = g.length;
      if (ini.at < s0 || ini.at > s1) fail('initial.at', `expected an arclength inside gamma.length [${s0}, ${s1}]`, ini.at);
    }
    if (g?.kind === 'surface') {
      const at = typeof ini.at === 'number' ? [ini.at, ini.at] : ini.at;
      for (let k = 0; k < 2; k++) {
        const [lo, hi] = g.range[k]!;
        const v = at[k]!;
        if (v < lo || v > hi) {
          const path = typeof ini.at === 'number' ? 'initial.at' : `initial.at[${k}]`;
          fail(path, `expected a parameter inside gamma.range[${k}] [${lo}, ${hi}]${typeof ini.at === 'number' ? ' (one number on a surface is used for both a and b)' : ''}`, v);
        }
      }
    }
  }

  // time
  if (c.time.dt !== undefined && c.time.dt > c.time.end) {
    fail('time.dt', `expected a step no longer than time.end = ${c.time.end}`, c.time.dt);
  }
}

type Fail = (path: string, msg: string, value: unknown) => never;

/** Exactly one of `loss`, `landscape` and `task`; `noise` with `loss` or `landscape`, never with `task`. */
function checkLossForm(c: CaseFile, where: string, fail: Fail): void {
  const given = (['loss', 'landscape', 'task'] as const).filter((k) => c[k] !== undefined);
  if (given.length === 0) {
    throw new InputError(
      'loss',
      `missing; give either "loss" (a formula in ${c.variables.join(', ')}) or "landscape" (one of ${BUILTIN_LANDSCAPES.join(', ')}), with "noise", or a learning "task"${where}`,
    );
  }
  if (given.length > 1) {
    fail(given[1]!, `expected only one of "loss", "landscape" and "task", but "${given[0]}" is given too`, c[given[1]!]);
  }
  if (c.task !== undefined && c.noise !== undefined) {
    fail('noise', 'expected no "noise" with a "task": the task derives Σ from its batch, labelNoise and dropconnect; remove "noise"', c.noise);
  }
  if (c.task === undefined && c.noise === undefined) {
    throw new InputError('noise', `missing; a case with "${given[0]}" needs "noise" {kind: "isotropic" | "label" | "constant" | "formula", ...}${where}`);
  }
}

/** Reserved names an input may not take (the formula constants and functions are checked when the model is parsed). */
const INPUT_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A task's fields against each other and the variables: input names, row lengths, B ≤ p, DropConnect parameters. */
function checkTask(t: NonNullable<CaseFile['task']>, variables: readonly string[], fail: Fail): void {
  const k = typeof t.data[0]!.x === 'number' ? 1 : (t.data[0]!.x as number[]).length;
  if (k === 0) fail('task.data[0].x', 'expected at least one input value', t.data[0]!.x);
  t.data.forEach((r, m) => {
    const km = typeof r.x === 'number' ? 1 : r.x.length;
    if (km !== k) fail(`task.data[${m}].x`, `expected ${k} input value${k > 1 ? 's' : ''} like task.data[0].x`, r.x);
  });
  const inputs = t.inputs ?? (k === 1 ? ['x'] : Array.from({ length: k }, (_, i) => `x${i + 1}`));
  if (inputs.length !== k) fail('task.inputs', `expected ${k} names, one per entry of task.data[…].x`, t.inputs);
  inputs.forEach((n, i) => {
    if (!INPUT_RE.test(n)) fail(`task.inputs[${i}]`, 'expected an identifier (letters, digits, _)', n);
    if (variables.includes(n)) fail(`task.inputs[${i}]`, `expected an input name that is not also a parameter (variables: ${variables.join(', ')}); rename one`, n);
    if (inputs.indexOf(n) < i) fail(`task.inputs[${i}]`, `expected distinct input names, but it repeats task.inputs[${inputs.indexOf(n)}]`, n);
  });
  const p = t.data.length;
  if (t.batch && !t.batch.replacement && t.batch.size > p) {
    fail('task.batch.size', `expected a batch of at most p = ${p} rows when drawn without replacement; lower it or set replacement: true`, t.batch.size);
  }
  if (t.batch && t.batch.replacement && t.batch.size > 64) fail('task.batch.size', 'expected at most 64 draws with replacement', t.batch.size);
  const dc = t.dropconnect?.params ?? [];
  dc.forEach((n, i) => {
    if (!variables.includes(n)) fail(`task.dropconnect.params[${i}]`, `expected one of the variables ${variables.join(', ')}`, n);
    if (dc.indexOf(n) < i) fail(`task.dropconnect.params[${i}]`, `expected each parameter once, but it repeats task.dropconnect.params[${dc.indexOf(n)}]`, n);
  });
}

/** `m` must be d rows of d entries. */
function checkSquare(m: readonly (readonly unknown[])[], d: number, path: string, dimNote: string, fail: Fail): void {
  if (m.length !== d) fail(path, `expected a ${d}×${d} matrix ${dimNote}`, m);
  m.forEach((row, i) => {
    if (row.length !== d) fail(`${path}[${i}]`, `expected a row of ${d} entries (a ${d}×${d} matrix)`, row);
  });
}

/** |Aᵢⱼ − Aⱼᵢ| ≤ SYM_TOL·max|A|, reported at the lower-triangle entry. */
function checkSymmetric(m: readonly (readonly number[])[], path: string, fail: Fail): void {
  const d = m.length;
  let scale = 0;
  for (const row of m) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < i; j++) {
      const a = m[i]![j]!;
      const b = m[j]![i]!;
      if (Math.abs(a - b) > SYM_TOL * scale) {
        fail(`${path}[${i}][${j}]`, `expected a symmetric matrix: ${path}[${i}][${j}] must equal ${path}[${j}][${i}] = ${b}`, a);
      }
    }
  }
}

/**
 * Eigenvalues of a small symmetric matrix (d ≤ 3) by cyclic Jacobi rotations,
 * sorted ascending. Converges to round-off in a handful of sweeps for d ≤ 3.
 */
export function symmetricEigenvalues(m: readonly (readonly number[])[]): number[] {
  const d = m.length;
  const a = m.map((r) => [...r]);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p]![q]! ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        // Rotation zeroing a[p][q]: θ = (a_qq − a_pp)/(2 a_pq), t = sign(θ)/(|θ| + √(θ²+1)).
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < d; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = cs * akp - sn * akq;
          a[k]![q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = cs * apk - sn * aqk;
          a[q]![k] = sn * apk + cs * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]!).sort((x, y) => x - y);
}
