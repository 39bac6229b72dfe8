/**
 * caseModels: the landscape, noise and Γ of a case are built once per thread for each distinct set of the
 * sections they come from and shared by later runs (so V8 keeps its optimised code between runs). Sharing
 * must change no number: a run whose models come from the cache gives the same summary, bit for bit, as the
 * run that built them, also after runs of another case in between.
 */
import { describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import type { CaseSpec } from '../../src/case/types.js';
import { runCase } from '../../src/pipeline.js';
import { caseModels } from '../../src/models/case-models.js';
import { InputError } from '../../src/util/errors.js';

const small = (spec: CaseSpec): CaseSpec => ({ ...spec, grid: { kind: 'tube', along: 64, across: 16, halfWidth: 6 }, output: { frames: 5 } });
const strip = (s: unknown) => JSON.stringify(s, (k, v) => (/Seconds$/.test(k) ? undefined : v));

describe('caseModels', () => {
  it('returns the same objects for the same loss, variables, noise and Γ, whatever the grid, η or name', () => {
    const a = loadCase('hyperbola-label');
    const b = { ...small(a), name: 'other', eta: 0.003 };
    const ma = caseModels(a);
    const mb = caseModels(b);
    expect(mb.landscape).toBe(ma.landscape);
    expect(mb.noise).toBe(ma.noise);
    expect(mb.gamma).toBe(ma.gamma);
  });

  it('builds new ones when a section differs', () => {
    const a = loadCase('hyperbola-label');
    const c: CaseSpec = { ...a, noise: { kind: 'isotropic', sigma2: 0.5 } };
    const ma = caseModels(a);
    const mc = caseModels(c);
    expect(mc.noise).not.toBe(ma.noise);
    expect(mc.noise.sigma(Float64Array.of(1, 0.5), new Float64Array(4))[0]).toBe(0.5);
    expect(ma.noise.sigma(Float64Array.of(1, 0.5), new Float64Array(4))[0]).not.toBe(0.5);
  });

  it('does not keep a failed build: a bad case fails again with the same error', () => {
    const bad: CaseSpec = { ...loadCase('hyperbola-label'), variables: ['u', 'v', 'w'] };
    const first = (() => { try { caseModels(bad); } catch (e) { return e; } return null; })();
    expect(first).toBeInstanceOf(InputError);
    expect(() => caseModels(bad)).toThrow((first as Error).message);
  });

  it('a run on shared models gives the same summary, bit for bit, as the run that built them', async () => {
    const hyp = small(loadCase('hyperbola-label'));
    // A key no other test builds (the loss times 1), so the first run below really builds its models.
    const fresh: CaseSpec = { ...hyp, name: 'fresh-models' };
    (fresh as { loss?: string }).loss = `(${hyp.loss}) * 1`;
    const first = await runCase(fresh, { eta: 0.02, particles: false });
    await runCase(small(loadCase('valley')), { eta: 0.05, particles: false });
    const again = await runCase(fresh, { eta: 0.02, particles: false });
    expect(strip(again)).toBe(strip(first));
  });
});
