/**
 * Particles against the Fokker–Planck solution and the averaged solutions, at
 * the tracker (frame) times: the particles' mean and variance along Γ with
 * their standard errors, z-scores of the FPE's (and the averaged problems')
 * mean and variance against them, and the Wasserstein-1 distance along Γ
 * between the particles' histogram and each marginal.
 *
 * A z-score treats the particle estimate as the only random quantity: the FPE
 * and the averaged solutions are deterministic (their discretisation error is
 * measured elsewhere, by the resolution check of `verify`). |z| ≤ 3 is what
 * agreement within 3 standard errors means. The discrete learning rule (mode
 * `sgd`) and Euler–Maruyama differ from the SDE by O(dt/η) (simulate.ts), a
 * bias that more particles do not remove: with many particles |z| against the
 * FPE grows like √n·bias.
 */
import type { ParticleResult } from './types.js';

/** A family of densities along a curve on stations (edges in the chart parameter). */
export interface MarginalSeries {
  /** Station edges (length nS + 1), increasing. */
  edges: ArrayLike<number>;
  /** Per time: density per unit parameter on each station. */
  p: ArrayLike<number>[];
  /** Per time: mean and variance along Γ (as the FPE's trackers compute them). */
  mean: ArrayLike<number>;
  var?: ArrayLike<number>;
}

export interface ParticleComparison {
  mode: ParticleResult['mode'];
  /** SDE: the integrator (extrapolated or euler). */
  sdeScheme?: ParticleResult['sdeScheme'];
  n: number;
  seed: number;
  eta: number;
  dt: number;
  dtOverEta: number;
  workers: number;
  wallSeconds: number;
  /** The FPE's frame times; the particles' actual times differ by at most `tOffsetMax` (SGD rounds to whole steps). */
  t: number[];
  tOffsetMax: number;
  mean: number[];
  se: number[];
  var: number[];
  seVar: number[];
  /** Fraction of the particles outside the chart's range (open curves). */
  outside: number[];
  /** (mean_particles − mean_X)/se per time, X = FPE, Li, seed. */
  zMeanFpe: number[];
  zVarFpe: number[] | null;
  zMeanLi: number[] | null;
  zMeanSeed: number[] | null;
  /** W1 along Γ between the particles' histogram and each marginal, per time. */
  w1Fpe: number[] | null;
  w1Li: number[] | null;
  w1Seed: number[] | null;
  /** The exact slow variable (when the case has one): mean ± se per time, the FPE's mean and z against it. */
  slow?: { name: string; mean: number[]; se: number[]; meanFpe?: number[]; zFpe?: number[] };
  /** At the last time: the figures a table shows. */
  end: {
    t: number;
    mean: number;
    se: number;
    meanFpe: number;
    zMeanFpe: number;
    zVarFpe: number | null;
    zMeanLi: number | null;
    w1Fpe: number | null;
    w1Li: number | null;
    /** Largest |z| of the mean against the FPE over the times after t = 0. */
    maxAbsZMeanFpe: number;
    /** The slow variable at the end: particles ± SE, the FPE's, z. */
    slow?: { mean: number; se: number; meanFpe: number | null; zFpe: number | null };
  };
  histogram?: { s: number[]; p: number[][] };
}

/**
 * W1 = ∫|F_A − F_B| ds between two piecewise-constant densities on bins (CDFs
 * piecewise linear; exact on the union of the edges). `closed`: Γ is a loop of
 * length `period`, W1 = min_c ∫|F_A − F_B − c| (c the weighted median of the difference).
 */
export function w1Binned(
  edgesA: ArrayLike<number>,
  densA: ArrayLike<number>,
  edgesB: ArrayLike<number>,
  densB: ArrayLike<number>,
  closed = false,
): number {
  const pts = Array.from(new Set([...Array.from(edgesA), ...Array.from(edgesB)])).sort((a, b) => a - b);
  const cdf = (edges: ArrayLike<number>, dens: ArrayLike<number>) => {
    const F = new Float64Array(edges.length);
    for (let j = 0; j + 1 < edges.length; j++) F[j + 1] = F[j] + dens[j] * (edges[j + 1] - edges[j]);
    return (x: number) => {
      if (x <= edges[0]) return 0;
      const n = edges.length - 1;
      if (x >= edges[n]) return F[n];
      let lo = 0;
      let hi = n;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (edges[mid] <= x) lo = mid;
        else hi = mid;
      }
      return F[lo] + dens[lo] * (x - edges[lo]);
    };
  };
  const FA = cdf(edgesA, densA);
  const FB = cdf(edgesB, densB);
  const D = pts.map((x) => FA(x) - FB(x));
  let c = 0;
  if (closed) {
    const segs = pts.slice(1).map((x, k) => ({ len: x - pts[k], v: 0.5 * (D[k] + D[k + 1]) })).sort((a, b) => a.v - b.v);
    const total = segs.reduce((s, g) => s + g.len, 0);
    let acc = 0;
    for (const g of segs) {
      acc += g.len;
      if (acc >= total / 2) {
        c = g.v;
        break;
      }
    }
  }
  let w = 0;
  for (let k = 0; k + 1 < pts.length; k++) {
    const a = D[k] - c;
    const b = D[k + 1] - c;
    const len = pts[k + 1] - pts[k];
    // ∫|linear| over the segment, exact when it changes sign.
    if (a * b >= 0) w += 0.5 * (Math.abs(a) + Math.abs(b)) * len;
    else w += (0.5 * (a * a + b * b) * len) / (Math.abs(a) + Math.abs(b));
  }
  return w;
}

/** Compare a particle run with the FPE's and the averaged problems' trackers at the same frame times. */
export function compareParticles(
  p: ParticleResult,
  t: number[],
  fpe: MarginalSeries,
  averaged: { li?: MarginalSeries; seed?: MarginalSeries },
  closed: boolean,
  slowFpe?: ArrayLike<number>,
): ParticleComparison {
  if (p.t.length !== t.length) throw new Error(`internal: ${p.t.length} particle times against ${t.length} frames`);
  const nT = t.length;
  const z = (a: number, b: number, se: number) => (se > 0 ? (a - b) / se : a === b ? 0 : Infinity * Math.sign(a - b));
  const zMean = (m: MarginalSeries | undefined) => (m ? t.map((_, k) => z(p.meanAlong[k], m.mean[k], p.seAlong[k])) : null);
  const hist = p.histogram;
  const histEdges = hist ? edgesFromCentres(hist.s) : null;
  const w1 = (m: MarginalSeries | undefined) =>
    m && hist && histEdges ? t.map((_, k) => w1Binned(histEdges, hist.p[k], m.edges, m.p[k], closed)) : null;
  const zMeanFpe = zMean(fpe)!;
  const zVarFpe = fpe.var ? t.map((_, k) => z(p.varAlong[k], fpe.var![k], p.seVarAlong[k])) : null;
  const zMeanLi = zMean(averaged.li);
  const w1Fpe = w1(fpe);
  const w1Li = w1(averaged.li);
  const last = nT - 1;
  const after = zMeanFpe.filter((_, k) => t[k] > 0).map(Math.abs);
  const slow = p.slow
    ? {
        name: p.slow.name,
        mean: p.slow.mean,
        se: p.slow.se,
        ...(slowFpe ? { meanFpe: Array.from(slowFpe), zFpe: t.map((_, k) => z(p.slow!.mean[k], slowFpe[k], p.slow!.se[k])) } : {}),
      }
    : undefined;
  return {
    mode: p.mode,
    ...(p.sdeScheme ? { sdeScheme: p.sdeScheme } : {}),
    n: p.n,
    seed: p.seed,
    eta: p.eta,
    dt: p.dt,
    dtOverEta: p.dtOverEta,
    workers: p.workers,
    wallSeconds: p.wallSeconds,
    t,
    tOffsetMax: Math.max(...t.map((tk, k) => Math.abs(p.t[k] - tk))),
    mean: p.meanAlong,
    se: p.seAlong,
    var: p.varAlong,
    seVar: p.seVarAlong,
    outside: hist ? p.histogram!.outside : t.map(() => 0),
    zMeanFpe,
    zVarFpe,
    zMeanLi,
    zMeanSeed: zMean(averaged.seed),
    w1Fpe,
    w1Li,
    w1Seed: w1(averaged.seed),
    ...(slow ? { slow } : {}),
    end: {
      t: t[last],
      mean: p.meanAlong[last],
      se: p.seAlong[last],
      meanFpe: fpe.mean[last],
      zMeanFpe: zMeanFpe[last],
      zVarFpe: zVarFpe ? zVarFpe[last] : null,
      zMeanLi: zMeanLi ? zMeanLi[last] : null,
      w1Fpe: w1Fpe ? w1Fpe[last] : null,
      w1Li: w1Li ? w1Li[last] : null,
      maxAbsZMeanFpe: after.length ? Math.max(...after) : 0,
      ...(slow
        ? { slow: { mean: slow.mean[last], se: slow.se[last], meanFpe: slow.meanFpe ? slow.meanFpe[last] : null, zFpe: slow.zFpe ? slow.zFpe[last] : null } }
        : {}),
    },
    ...(hist ? { histogram: { s: hist.s, p: hist.p } } : {}),
  };
}

/** Edges of uniform bins from their centres. */
function edgesFromCentres(s: number[]): number[] {
  const n = s.length;
  const h = n > 1 ? (s[n - 1] - s[0]) / (n - 1) : 1;
  return Array.from({ length: n + 1 }, (_, k) => s[0] + (k - 0.5) * h);
}
