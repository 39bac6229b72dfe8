/**
 * The run's parts alone (issue 21): the step monitor's mass and minimum bookkeeping against hand sums, its
 * checkpoint round trip, and the frame recorder's copies and slow-variable means.
 */
import { describe, expect, it } from 'vitest';
import { FrameRecorder } from '../../src/pipeline/frame-recorder.js';
import { StepMonitor } from '../../src/pipeline/step-monitor.js';

describe('StepMonitor', () => {
  const volumes = Float64Array.from([1, 2, 3]);
  it('tracks the mass Σ V ρ, its largest relative drift, min ρ and the step series', () => {
    const m = new StepMonitor(volumes, Float64Array.from([0.5, 0.25, 0])); // mass 1, max ρ 0.5
    expect(m.mass0).toBe(1);
    expect(m.maxRho0).toBe(0.5);
    m.onStep(0.1, Float64Array.from([0.5, 0.25, 0.01])); // mass 1.03
    m.onStep(0.3, Float64Array.from([0.5, 0.24, -0.002])); // mass 0.974
    expect(m.relDriftMax).toBeCloseTo(0.03, 14);
    expect(m.minRho).toBe(-0.002);
    expect(m.series.t).toEqual([0.1, 0.3]);
    expect(m.series.mass[1]).toBeCloseTo(0.974, 14);
    expect(m.series.dt[0]).toBeCloseTo(0.1, 15);
    expect(m.series.dt[1]).toBeCloseTo(0.2, 15);
  });

  it('restores what it saved (the checkpoint form), mass0 included', () => {
    const a = new StepMonitor(volumes, Float64Array.from([1, 0, 0]));
    a.onStep(0.2, Float64Array.from([0.9, 0.05, 0]));
    const saved = { scalars: a.scalars(), series: structuredClone(a.series) };
    const b = new StepMonitor(volumes, Float64Array.from([7, 7, 7]));
    b.restore(saved);
    expect(b.scalars()).toEqual(a.scalars());
    expect(b.series).toEqual(a.series);
    b.onStep(0.5, Float64Array.from([1, 0, 0]));
    expect(b.series.dt.at(-1)).toBeCloseTo(0.3, 15);
  });
});

describe('FrameRecorder', () => {
  it('keeps float32 frames, float64 copies on request, and the mass-weighted mean of the slow variable', () => {
    const volumes = Float64Array.from([1, 1, 2]);
    const slow = { text: 'q', at: Float64Array.from([1, 2, 3]) };
    const r = new FrameRecorder(volumes, true, slow, null);
    const rho = Float64Array.from([0.25, 0.25, 0.25]);
    r.observe(0, rho);
    rho[0] = 0.5;
    rho[1] = 0;
    r.observe(1, rho);
    expect(r.frameT).toEqual([0, 1]);
    expect(Array.from(r.frames[0])).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(r.keep[1])).toEqual([0.5, 0, 0.25]);
    // Σ V ρ q / Σ V ρ: (0.25 + 0.5 + 1.5)/1 = 2.25, then (0.5 + 0 + 1.5)/1 = 2.
    expect(r.slowMean[0]).toBeCloseTo(2.25, 14);
    expect(r.slowMean[1]).toBeCloseTo(2, 14);
    const noKeep = new FrameRecorder(volumes, false, null, null);
    noKeep.observe(0, rho);
    expect(noKeep.keep).toHaveLength(0);
    expect(noKeep.slowMean).toHaveLength(0);
  });
});
