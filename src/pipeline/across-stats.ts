/**
 * The Gaussian across Γ at one frame (DESIGN.md §7): the conditional covariance per station against ηΩ,
 * over the stations holding 99 % of the mass — on the fibres of the gradient-flow map Φ where they are
 * known (the averaged generator describes Φ(θₜ)), and on normal lines for comparison.
 */
import { binnedMoments, massiveStations, type StationBins, type StationLayout } from '../trackers/along-gamma.js';

/** One frame's figures: worst station-wise relative error, its mean, the pooled signed error, the stations. */
export interface AcrossFrame {
  t: number;
  max: number;
  maxNormal: number;
  mean: number;
  pooled: number;
  n: number;
  covFpe: Float64Array;
  mass: Float64Array;
}

type Moments = { mean: Float64Array; cov: Float64Array; mass: Float64Array };

function moments(bins: StationBins, layout: StationLayout, volumes: Float64Array, rho: Float64Array, offsets: Float64Array, k: number): Moments {
  const m = { mean: new Float64Array(layout.nS * k), cov: new Float64Array(layout.nS * k * k), mass: new Float64Array(layout.nS) };
  binnedMoments(bins, layout.nS, volumes, rho, offsets, k, m);
  return m;
}

/**
 * The conditional covariance across Γ against `predicted` (ηΩ, k×k per station) at time t.
 * `fibres` null: the normal-line bins serve both.
 */
export function acrossFrame(
  t: number,
  layout: StationLayout,
  normalStationBins: StationBins,
  fibres: StationBins | null,
  volumes: Float64Array,
  rho: Float64Array,
  offsets: Float64Array,
  k: number,
  predicted: Float64Array,
): AcrossFrame {
  const momNormal = moments(normalStationBins, layout, volumes, rho, offsets, k);
  const mom = fibres ? moments(fibres, layout, volumes, rho, offsets, k) : momNormal;
  const heavy = massiveStations(mom.mass, 0.99);
  let worstNormal = 0;
  for (const j of massiveStations(momNormal.mass, 0.99)) {
    worstNormal = Math.max(worstNormal, Math.abs(momNormal.cov[j * k * k] / predicted[j * k * k] - 1));
  }
  let worst = 0;
  let sum = 0;
  // Pooled: Σ m_j C_j / Σ m_j (ηΩ)_j over the same stations (diagonal entries), signed.
  let pooledNum = 0;
  let pooledDen = 0;
  for (const j of heavy) {
    for (let a = 0; a < k; a++) {
      pooledNum += mom.mass[j] * mom.cov[j * k * k + a * k + a];
      pooledDen += mom.mass[j] * predicted[j * k * k + a * k + a];
    }
    let e = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) {
        const pr = predicted[j * k * k + a * k + b];
        const scale = Math.sqrt(predicted[j * k * k + a * k + a] * predicted[j * k * k + b * k + b]);
        e = Math.max(e, Math.abs(mom.cov[j * k * k + a * k + b] - pr) / scale);
      }
    worst = Math.max(worst, e);
    sum += e;
  }
  return { t, max: worst, maxNormal: worstNormal, mean: heavy.length ? sum / heavy.length : 0, pooled: pooledNum / pooledDen - 1, n: heavy.length, covFpe: mom.cov, mass: mom.mass };
}
