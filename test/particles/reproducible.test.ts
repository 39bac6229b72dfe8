import { describe, expect, it } from 'vitest';
import { simulateParticles, particleTimes } from '../../src/particles/simulate.js';
import type { ParticleResult } from '../../src/particles/types.js';
import type { CaseSpec } from '../../src/case/types.js';
import { InputError } from '../../src/util/errors.js';
import { hyperbolaLabel, valleyIso } from './fixtures.js';

/** Everything except the machine facts, as exact JSON (doubles round-trip exactly). */
const bits = (r: ParticleResult) => JSON.stringify({ ...r, wallSeconds: 0, workers: 0 });

const short: CaseSpec = { ...hyperbolaLabel, time: { end: 0.03, scheme: 'tr-bdf2' }, output: { frames: 4 } };

describe('particles: reproducibility and input errors', () => {
  it('a seeded run is bitwise identical in-thread and with 1 and 2 workers; another seed differs', async () => {
    const opts = { mode: 'sgd' as const, n: 3000, seed: 42, times: particleTimes(short), blockSize: 512 };
    const a = await simulateParticles(short, { ...opts, workers: 0 });
    const b = await simulateParticles(short, { ...opts, workers: 1 });
    const c = await simulateParticles(short, { ...opts, workers: 2 });
    expect(a.blocks).toBe(6);
    expect(b.workers).toBe(1);
    expect(c.workers).toBe(2);
    expect(bits(b)).toBe(bits(a));
    expect(bits(c)).toBe(bits(a));
    const d = await simulateParticles(short, { ...opts, workers: 0, seed: 43 });
    expect(d.meanAlong[3]).not.toBe(a.meanAlong[3]);
    expect(d.slow!.mean[0]).not.toBe(a.slow!.mean[0]);
  });

  it('SGD rounds tracker times to whole steps and reports the actual t', async () => {
    const r = await simulateParticles(short, { mode: 'sgd', n: 64, seed: 1, times: [0, 0.00016, 0.001], workers: 0 });
    expect(r.steps).toEqual([0, 2, 10]);
    expect(r.t[1]).toBeCloseTo(0.0002, 15);
  });

  it('constant Σ = I and formula Σ = I reproduce isotropic σ² = 1 bit for bit (same normals, B = I)', async () => {
    const base: CaseSpec = { ...valleyIso, eta: 0.2 };
    const opts = { mode: 'sde' as const, n: 200, seed: 9, times: [0, 0.2], workers: 0 };
    const iso = await simulateParticles(base, opts);
    const con = await simulateParticles({ ...base, noise: { kind: 'constant', Sigma: [[1, 0], [0, 1]] } }, opts);
    const frm = await simulateParticles({ ...base, noise: { kind: 'formula', Sigma: [['1', '0'], ['0', '1']] } }, opts);
    expect(bits(con)).toBe(bits(iso));
    expect(bits(frm)).toBe(bits(iso));
  });

  it('refuses a density start, bad options, and passes worker errors through with their type', async () => {
    const dens: CaseSpec = { ...short, initial: { kind: 'density', formula: 'exp(-u^2)' } };
    await expect(simulateParticles(dens, { mode: 'sgd', n: 10, seed: 1, times: [0] })).rejects.toThrow(/initial\.kind/);
    await expect(simulateParticles(short, { mode: 'nope' as 'sgd', n: 10, seed: 1, times: [0] })).rejects.toBeInstanceOf(InputError);
    await expect(simulateParticles(short, { mode: 'sgd', n: 10, seed: 1, times: [0.2, 0.1] })).rejects.toThrow(/times\[1\]/);
    // Gaussian start with a bad covariance: raised in the worker, arrives as an InputError on initial.cov.
    const bad: CaseSpec = { ...short, initial: { kind: 'gaussian', mean: [2, 0.5], cov: [[1, 2], [2, 1]] } };
    const err = await simulateParticles(bad, { mode: 'sgd', n: 10, seed: 1, times: [0], workers: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('initial.cov');
  });
});
