/**
 * What the run checks at every accepted step of the full problem (DESIGN.md §7): the mass drift
 * |m(t) − m(0)|/m(0), the minimum of ρ, and the step series (t, mass, min ρ, Δt) for the report.
 * A pending stop request (SIGINT/SIGTERM) ends the time loop here, at a step boundary.
 */
import { minOf, weightedSum } from '../stepper/vector-kernels.js';
import { StopSignal, stopRequested } from '../util/interrupt.js';
import type { RunState } from './types.js';

export class StepMonitor {
  readonly series = { t: [] as number[], mass: [] as number[], minDensity: [] as number[], dt: [] as number[] };
  mass0: number;
  relDriftMax = 0;
  minRho = Infinity;
  /** max ρ at t = 0 (the scale of `density.minRel`). */
  maxRho0 = 0;
  lastT = 0;

  constructor(
    private readonly volumes: Float64Array,
    rho0: Float64Array,
  ) {
    this.mass0 = this.massOf(rho0);
    for (let c = 0; c < rho0.length; c++) this.maxRho0 = Math.max(this.maxRho0, rho0[c]);
  }

  /** Σ_c V_c y_c (a module kernel: its optimised code serves every run in the thread). */
  massOf(y: Float64Array): number {
    return weightedSum(this.volumes, y, y.length);
  }

  /** The stepper's per-step callback. */
  readonly onStep = (t: number, y: Float64Array): void => {
    if (stopRequested()) throw new StopSignal(t);
    const m = this.massOf(y);
    this.relDriftMax = Math.max(this.relDriftMax, Math.abs(m - this.mass0) / this.mass0);
    const lo = minOf(y, y.length);
    this.minRho = Math.min(this.minRho, lo);
    this.series.t.push(t);
    this.series.mass.push(m);
    this.series.minDensity.push(lo);
    this.series.dt.push(t - this.lastT);
    this.lastT = t;
  };

  scalars(): RunState['scalars'] {
    return { mass0: this.mass0, relDriftMax: this.relDriftMax, minRho: this.minRho, maxRho0: this.maxRho0, lastT: this.lastT };
  }

  restore(state: Pick<RunState, 'scalars' | 'series'>): void {
    Object.assign(this.series, state.series);
    ({ mass0: this.mass0, relDriftMax: this.relDriftMax, minRho: this.minRho, maxRho0: this.maxRho0, lastT: this.lastT } = state.scalars);
  }
}
