/**
 * `gammafp theory`: the averaged generator tabulated on stations along Γ —
 * P, Ω (its normal block), both drift formulas (ambient vectors and their
 * components along Γ) and the slow noise Σ̄ — from the case's landscape,
 * noise and Γ, with no solve.
 */
import type { CaseSpec } from '../case/types.js';
import { curveFrame3d } from '../grid/frames.js';
import { curveStation } from '../theory/along-curve.js';
import { surfaceStation } from '../theory/along-surface.js';
import { InputError } from '../util/errors.js';
import { caseModels, taskModels, taskNoiseText } from '../models/case-models.js';
import { exprText } from '../landscape/formula.js';

export interface TheoryRow {
  /** Chart parameter(s) of the station. */
  at: number[];
  theta: number[];
  /** Normal block of Ω (1 value, or 2×2 flat for a curve in 3D). */
  omegaNormal: number[];
  driftLi: number[];
  driftSeed: number[];
  /** The seed drift's projector term g = ½ Σ_{i,j,l} Σᵢⱼ Pⱼₗ ∂ₗPᵢₖ alone (ambient; zero for label noise, normal for σ²I). */
  seedProjectorTerm: number[];
  /** Drift components along Γ: t̂·f̄ (curve) or chart components (surface). */
  alongLi: number[];
  alongSeed: number[];
  /** Σ̄ = PΣP along Γ: t̂ᵀΣt̂ (curve) or chart components (surface, flat 2×2). */
  sigmaBar: number[];
  P: number[];
}

export interface TheoryTable {
  case: string;
  gamma: 'curve' | 'surface';
  variables: string[];
  rows: TheoryRow[];
  /** A task case: the derived mean loss and Σ as formulas (each cut to 400 characters for display). */
  task?: { noise: string; loss: string; lossConstant: number; sigma: string[][] };
}

/** The derived L and Σ of a task case, as text (`theory` prints it; the report shows it). */
export function taskFormulas(spec: CaseSpec): TheoryTable['task'] {
  if (!spec.task) return undefined;
  const { derived } = taskModels(spec);
  const cut = (t: string) => (t.length > 400 ? `${t.slice(0, 400)}… (${t.length} characters)` : t);
  return {
    noise: taskNoiseText(spec),
    loss: cut(exprText(derived.loss, spec.variables)),
    lossConstant: derived.lossConstant,
    sigma: derived.sigma.map((row) => row.map((e) => cut(exprText(e, spec.variables)))),
  };
}

const arr = (a: ArrayLike<number>) => Array.from(a);

export function theoryTable(spec: CaseSpec, stations = 17): TheoryTable {
  const { landscape, noise, gamma } = caseModels(spec);
  if (!gamma) throw new InputError('gamma', 'the theory is tabulated along Γ: give `gamma` (a parametrisation or `traced`) or a built-in `landscape`');
  const rows: TheoryRow[] = [];
  if (gamma.kind === 'curve') {
    const [s0, s1] = gamma.range;
    const n = gamma.closed ? stations : stations;
    for (let i = 0; i < n; i++) {
      const s = gamma.closed ? s0 + ((s1 - s0) * i) / n : s0 + ((s1 - s0) * i) / (n - 1);
      let normals: Float64Array | undefined;
      if (gamma.dim === 3) {
        const f = curveFrame3d(gamma, s);
        normals = Float64Array.from([...f.N1, ...f.N2]);
      }
      const st = curveStation(landscape, noise, gamma, s, normals ? { normals } : {});
      rows.push({
        at: [s],
        theta: arr(st.theta),
        omegaNormal: arr(st.omegaNormal),
        driftLi: arr(st.driftLi),
        driftSeed: arr(st.driftSeed),
        seedProjectorTerm: arr(st.point.seedProjectorTerm),
        alongLi: [st.fLi_sigma],
        alongSeed: [st.fSeed_sigma],
        sigmaBar: [st.sigmaBar_sigmasigma],
        P: arr(st.P),
      });
    }
    return { case: spec.name, gamma: 'curve', variables: spec.variables, rows, ...(spec.task ? { task: taskFormulas(spec) } : {}) };
  }
  const k = Math.max(2, Math.round(Math.sqrt(stations)));
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      const a = gamma.rangeA[0] + ((gamma.rangeA[1] - gamma.rangeA[0]) * i) / (k - 1);
      const b = gamma.rangeB[0] + ((gamma.rangeB[1] - gamma.rangeB[0]) * j) / (k - 1);
      const st = surfaceStation(landscape, noise, gamma, a, b);
      rows.push({
        at: [a, b],
        theta: arr(st.theta),
        omegaNormal: [st.omegaNormal],
        driftLi: arr(st.driftLi),
        driftSeed: arr(st.driftSeed),
        seedProjectorTerm: arr(st.point.seedProjectorTerm),
        alongLi: arr(st.chartDriftLi),
        alongSeed: arr(st.chartDriftSeed),
        sigmaBar: arr(st.sigmaBar),
        P: arr(st.P),
      });
    }
  return { case: spec.name, gamma: 'surface', variables: spec.variables, rows, ...(spec.task ? { task: taskFormulas(spec) } : {}) };
}

/** A plain-text rendering of the table. */
export function formatTheoryTable(t: TheoryTable): string {
  const f = (v: number) => (Math.abs(v) < 1e-12 ? '0' : v.toPrecision(5));
  const param = t.gamma === 'curve' ? 's' : 'a, b';
  const lines = [
    `Averaged generator along Γ for ${t.case} (${t.gamma}); drifts are d/dt of θ on Γ in slow time.`,
    `${param.padEnd(16)} ${'θ'.padEnd(30)} ${'ηΩ/η (normal)'.padEnd(22)} ${'Li along'.padEnd(24)} ${'seed along'.padEnd(24)} Σ̄`,
  ];
  for (const r of t.rows) {
    lines.push(
      `${r.at.map(f).join(', ').padEnd(16)} ${('(' + r.theta.map(f).join(', ') + ')').padEnd(30)} ${r.omegaNormal.map(f).join(', ').padEnd(22)} ${r.alongLi.map(f).join(', ').padEnd(24)} ${r.alongSeed.map(f).join(', ').padEnd(24)} ${r.sigmaBar.map(f).join(', ')}`,
    );
  }
  if (t.task) {
    lines.push(`Derived from the task (${t.task.noise}):`, `  L = ${t.task.loss}${t.task.lossConstant ? ` + ${t.task.lossConstant}` : ''}`);
    t.task.sigma.forEach((row, i) => row.forEach((e, j) => j >= i && lines.push(`  Σ[${i}][${j}] = ${e}`)));
  }
  return lines.join('\n') + '\n';
}
