/**
 * The models of a case — its landscape, noise model and Γ — built from the case's sections and shared per
 * thread. They sit below every stage that uses them (the pipeline, the particles, the theory table), so no
 * lower room has to import the pipeline to get them.
 */
import type { CaseSpec } from '../case/types.js';
import { builtinGammaParam, builtinLandscape } from '../landscape/catalog.js';
import { landscapeFromExpr, landscapeFromFormula } from '../landscape/from-formula.js';
import { checkOnGamma, curveFromFormula, surfaceFromFormula } from '../landscape/gamma-param.js';
import { traceCurve } from '../landscape/trace-gamma.js';
import type { GammaParam, Landscape } from '../landscape/types.js';
import { makeNoise } from '../noise/make-noise.js';
import type { NoiseModel } from '../noise/types.js';
import { InputError } from '../util/errors.js';
import { checkVariableNames, exprText } from '../landscape/formula.js';
import { exprNoise } from '../noise/formula-noise.js';
import { deriveTask, type DerivedTask } from '../task/derive.js';
import { checkTaskGamma } from './task-gamma.js';

/** The landscape a case names (built-in), gives (formula) or derives (the mean loss of its task). */
export function caseLandscape(spec: CaseSpec): Landscape {
  if (spec.landscape) return builtinLandscape(spec.landscape, 'landscape');
  if (spec.loss) return landscapeFromFormula(spec.loss, spec.variables, 'loss');
  if (spec.task) return taskModels(spec).landscape;
  throw new InputError('loss', 'the case gives neither `loss` (a formula) nor `landscape` (a built-in name) nor a `task`; add one');
}

/** The noise model a case gives (`noise`) or derives (the gradient noise of its task). */
function caseNoise(spec: CaseSpec): NoiseModel {
  if (spec.task) return taskModels(spec).noise;
  if (!spec.noise) throw new InputError('noise', 'missing; give `noise` {kind: "isotropic" | "label" | "constant" | "formula", ...}');
  return makeNoise(spec.noise, spec.variables);
}

/** A task's derived L and Σ with the landscape and noise model compiled from them, per thread. */
export interface TaskModels {
  derived: DerivedTask;
  landscape: Landscape;
  noise: NoiseModel;
}
const tasks = new Map<string, TaskModels>();

export function taskModels(spec: CaseSpec): TaskModels {
  if (!spec.task) throw new Error('internal: taskModels on a case without a task');
  const key = JSON.stringify([spec.variables, spec.task]);
  const hit = tasks.get(key);
  if (hit) return hit;
  checkVariableNames(spec.variables, 'variables');
  const d = spec.variables.length as 2 | 3;
  const derived = deriveTask(spec.task, spec.variables);
  const names = spec.variables;
  const landscape = landscapeFromExpr(derived.loss, names, exprText(derived.loss, names), 'task');
  const noise = exprNoise((i, j) => derived.sigma[i]![j]!, d, 'task', `task: ${taskNoiseText(spec)}`);
  if (tasks.size >= MODELS_MAX) tasks.delete(tasks.keys().next().value!);
  const built = { derived, landscape, noise };
  tasks.set(key, built);
  return built;
}

/** "batch 2 of 3 without replacement, label noise c = 0.5, DropConnect q = 0.8 on u". */
export function taskNoiseText(spec: CaseSpec): string {
  const t = spec.task!;
  const p = t.data.length;
  const parts = [t.batch ? `batch ${t.batch.size} of ${p} ${t.batch.replacement ? 'with' : 'without'} replacement` : `full batch of ${p}`];
  if (t.labelNoise !== undefined) parts.push(`label noise c = ${t.labelNoise}`);
  if (t.dropconnect) parts.push(`DropConnect q = ${t.dropconnect.q} on ${t.dropconnect.params.join(', ')}`);
  return parts.join(', ');
}

/** Γ from the case (parametrised or traced), or the built-in landscape's own; null when none applies. */
export function caseGamma(spec: CaseSpec, landscape: Landscape): GammaParam | null {
  const g = spec.gamma;
  let gamma: GammaParam | null = null;
  if (g?.kind === 'curve') gamma = curveFromFormula(g.param, g.range, g.closed, 'gamma');
  else if (g?.kind === 'surface') gamma = surfaceFromFormula(g.param, g.range[0], g.range[1], 'gamma');
  else if (g?.kind === 'traced') {
    gamma = traceCurve(landscape, Float64Array.from(g.seed), { range: g.length, field: 'gamma' });
  } else if (spec.landscape) gamma = builtinGammaParam(spec.landscape, 'landscape');
  if (gamma) checkOnGamma(landscape, gamma, 'gamma');
  return gamma;
}

export interface CaseModels {
  landscape: Landscape;
  noise: NoiseModel;
  gamma: GammaParam | null;
}

/** Entries kept by `caseModels` (per thread; a sweep or a verify reuses one or two). */
const MODELS_MAX = 16;
const models = new Map<string, CaseModels>();

/**
 * The landscape, noise model and Γ of a case, built once per thread for each distinct set of the sections they
 * come from (loss/landscape, variables, noise, gamma) and shared by later runs. They are pure functions of
 * those sections (formulas compiled to code, no state that a call changes), so sharing them changes no
 * number; it keeps the call targets of the solver's hot code the same from one run to the next, so V8 keeps
 * the optimised code instead of deoptimising on a new closure and compiling again every run.
 */
export function caseModels(spec: CaseSpec): CaseModels {
  const key = JSON.stringify([spec.loss ?? null, spec.landscape ?? null, spec.variables, spec.noise ?? null, spec.task ?? null, spec.gamma ?? null]);
  const hit = models.get(key);
  if (hit) return hit;
  const landscape = caseLandscape(spec);
  if (landscape.dim !== spec.variables.length) {
    throw new InputError('variables', `the landscape has ${landscape.dim} variables but the case lists ${spec.variables.length} (${spec.variables.join(', ')})`);
  }
  const noise = caseNoise(spec);
  const gamma = caseGamma(spec, landscape);
  if (spec.task && gamma) checkTaskGamma(landscape, noise, gamma);
  if (models.size >= MODELS_MAX) models.delete(models.keys().next().value!);
  const built = { landscape, noise, gamma };
  models.set(key, built);
  return built;
}
