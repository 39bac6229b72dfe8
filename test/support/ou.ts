/**
 * Ornstein–Uhlenbeck references: L = ½ θᵀAθ, dθ = −η⁻¹Aθ dt + σ dW with constant Σ.
 * With B = A/η symmetric (B = VΛVᵀ): m(t) = e^{−Bt} m₀ and, in B's eigenbasis,
 * C̃ₖₗ(t) = e^{−(λₖ+λₗ)t} C̃ₖₗ(0) + Σ̃ₖₗ (1 − e^{−(λₖ+λₗ)t})/(λₖ+λₗ).
 */
import { EVD, Matrix, inverse } from 'ml-matrix';
import type { DriftDiffusionFields } from '../../src/operator/types.js';

export function ouFields(A: number[][], Sigma: number[][], eta: number): DriftDiffusionFields {
  const d = A.length;
  return {
    dim: d,
    potential(x) {
      let s = 0;
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += 0.5 * x[i] * A[i][j] * x[j];
      return s / eta;
    },
    potentialGrad(x, out) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += A[i][j] * x[j];
        out[i] = s / eta;
      }
    },
    diffusion(_x, out) {
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) out[i * d + j] = 0.5 * Sigma[i][j];
    },
  };
}

export function ouExact(A: number[][], Sigma: number[][], eta: number, m0: number[], C0: number[][], t: number) {
  const d = A.length;
  const evd = new EVD(new Matrix(A).div(eta), { assumeSymmetric: true });
  const V = evd.eigenvectorMatrix;
  const lam = evd.realEigenvalues;
  const Vt = V.transpose();
  const mt = Vt.mmul(Matrix.columnVector(m0));
  for (let k = 0; k < d; k++) mt.set(k, 0, mt.get(k, 0) * Math.exp(-lam[k] * t));
  const m = V.mmul(mt).to1DArray();
  const Ct = Vt.mmul(new Matrix(C0)).mmul(V);
  const St = Vt.mmul(new Matrix(Sigma)).mmul(V);
  const out = new Matrix(d, d);
  for (let k = 0; k < d; k++)
    for (let l = 0; l < d; l++) {
      const s = lam[k] + lam[l];
      out.set(k, l, Math.exp(-s * t) * Ct.get(k, l) + (St.get(k, l) * -Math.expm1(-s * t)) / s);
    }
  const C = V.mmul(out).mmul(Vt).to2DArray();
  return { mean: m, cov: C };
}

/** Mean and covariance of a cell density (midpoint quadrature). */
export function moments(centres: Float64Array, volumes: Float64Array, rho: Float64Array, d: number) {
  let mass = 0;
  const m = new Array(d).fill(0);
  for (let c = 0; c < rho.length; c++) {
    const w = volumes[c] * rho[c];
    mass += w;
    for (let i = 0; i < d; i++) m[i] += w * centres[c * d + i];
  }
  for (let i = 0; i < d; i++) m[i] /= mass;
  const C = Array.from({ length: d }, () => new Array(d).fill(0));
  for (let c = 0; c < rho.length; c++) {
    const w = volumes[c] * rho[c];
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) C[i][j] += w * (centres[c * d + i] - m[i]) * (centres[c * d + j] - m[j]);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) C[i][j] /= mass;
  return { mass, mean: m, cov: C };
}

/** Gaussian density values at the cell centres, normalised to unit mass. */
export function gaussianOnCells(centres: Float64Array, volumes: Float64Array, d: number, m: number[], C: number[][]): Float64Array {
  const Ci = inverse(new Matrix(C));
  const rho = new Float64Array(volumes.length);
  let mass = 0;
  for (let c = 0; c < rho.length; c++) {
    let q = 0;
    for (let i = 0; i < d; i++)
      for (let j = 0; j < d; j++) q += (centres[c * d + i] - m[i]) * Ci.get(i, j) * (centres[c * d + j] - m[j]);
    rho[c] = Math.exp(-0.5 * q);
    mass += rho[c] * volumes[c];
  }
  for (let c = 0; c < rho.length; c++) rho[c] /= mass;
  return rho;
}
