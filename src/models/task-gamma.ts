/**
 * A task's Γ must carry a Gaussian across it: Γ is the minimum set of the *mean* loss (DropConnect changes it),
 * given or traced (the trace refuses isolated minima with the Hessian's eigenvalues; a given Γ is checked to be
 * critical by checkOnGamma), and the derived Σ must reach the normal directions somewhere on Γ — otherwise
 * there is no width √(ηΩ) to grid. Checked on 33 stations of a curve (9 × 9 on a surface): with H's
 * eigenpairs (λₖ, eₖ), the normal ones those with λₖ > 1e-8·λ_max, tr QΣQ = Σ_normal eₖᵀΣeₖ.
 */
import { formatPoint } from '../landscape/formula.js';
import { symEig } from '../landscape/sym-eig.js';
import type { GammaParam, Landscape } from '../landscape/types.js';
import type { NoiseModel } from '../noise/types.js';
import { InputError } from '../util/errors.js';

/** The points of Γ the check visits. */
function stations(gamma: GammaParam): Float64Array[] {
  const pts: Float64Array[] = [];
  if (gamma.kind === 'curve') {
    const [s0, s1] = gamma.range;
    for (let k = 0; k <= 32; k++) pts.push(gamma.point(s0 + ((s1 - s0) * k) / 32, new Float64Array(gamma.dim)));
  } else {
    const [a0, a1] = gamma.rangeA;
    const [b0, b1] = gamma.rangeB;
    for (let i = 0; i <= 8; i++) for (let j = 0; j <= 8; j++) pts.push(gamma.point(a0 + ((a1 - a0) * i) / 8, b0 + ((b1 - b0) * j) / 8, new Float64Array(3)));
  }
  return pts;
}

/** Throws InputError('task') with the numbers when Σ has no normal part anywhere on Γ. */
export function checkTaskGamma(landscape: Landscape, noise: NoiseModel, gamma: GammaParam): void {
  const d = landscape.dim;
  const H = new Float64Array(d * d);
  const S = new Float64Array(d * d);
  const lam = new Float64Array(d);
  const V = new Float64Array(d * d);
  let best = 0;
  let trMax = 0;
  let where = '';
  for (const x of stations(gamma)) {
    landscape.hessian(x, H);
    noise.sigma(x, S);
    symEig(H, d, lam, V);
    const lmax = Math.max(...Array.from(lam, Math.abs));
    let tr = 0;
    let trAll = 0;
    for (let k = 0; k < d; k++) {
      trAll += S[k * d + k]!;
      if (!(lam[k]! > 1e-8 * lmax)) continue;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) tr += V[k * d + i]! * S[i * d + j]! * V[k * d + j]!;
    }
    trMax = Math.max(trMax, trAll);
    if (tr > best || where === '') where = formatPoint(x, landscape.variables);
    best = Math.max(best, tr);
  }
  if (!(best > 1e-14 * trMax)) {
    throw new InputError(
      'task',
      `the derived Σ vanishes across Γ: tr QΣQ ≤ ${best.toPrecision(3)} on every station (largest tr Σ ${trMax.toPrecision(3)}; largest tr QΣQ at ${where}), so there is no Gaussian of width √(ηΩ) across Γ; add labelNoise, a batch smaller than the data, or dropconnect`,
    );
  }
}
