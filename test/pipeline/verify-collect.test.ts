/**
 * `verify --collect`: the verdict built from run summaries written separately (one `run --json` file per η, one
 * `run --out` folder, the resolution check's run on `--check-grid 1`) is the verdict of an in-process verify —
 * the same errors, orders, resolution check, verdict and words, to the last bit (JSON keeps doubles exactly).
 * Without the check run the resolution is reported as not checked. Bad sets of summaries are refused with the
 * file, the field and the fix.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCase } from '../../src/case/schema.js';
import { runCase } from '../../src/pipeline.js';
import { collectVerify } from '../../src/pipeline/verify-collect.js';
import { type VerifyResult, resolutionCheckGrids, verifyCase } from '../../src/pipeline/verify.js';
import { InputError } from '../../src/util/errors.js';

const spec = loadCase('valley');
spec.grid = { kind: 'tube', along: 128, across: 24, halfWidth: 8 };
spec.output = { frames: 11 };
const etas = [0.04, 0.02, 0.01];

/** The verdict's numbers and words (everything but the run summaries and how long it took). */
const verdictOf = (r: VerifyResult) => ({
  etas: r.etas,
  errors: r.errors,
  order: r.order,
  orderMean: r.orderMean,
  orderAllEtas: r.orderAllEtas,
  verdict: r.verdict,
  verdictDetail: r.verdictDetail,
  resolved: r.resolved,
  unresolvedEtas: r.unresolvedEtas,
  resolutionCheck: r.resolutionCheck,
});

describe('verify --collect: the verdict from separately written run summaries', () => {
  let dir: string;
  let inProcess: VerifyResult;
  const file = (eta: number) => join(dir, `eta-${eta}.json`);
  const checkFile = () => join(dir, 'check-1.json');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gammafp-collect-'));
    inProcess = await verifyCase(spec, etas, { workers: 1 });
    // The shards: η = 0.04 and 0.01 as `run --json` files, η = 0.02 as a `run --out` folder (summary.json + case.json).
    for (const eta of [0.04, 0.01]) writeFileSync(file(eta), JSON.stringify(await runCase(spec, { eta }), null, 2));
    await runCase(spec, { eta: 0.02, outDir: join(dir, 'out-0.02') });
    const check = resolutionCheckGrids(spec)!;
    expect(check).toHaveLength(1);
    writeFileSync(checkFile(), JSON.stringify(await runCase(check[0].spec, { eta: 0.01 })));
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with the check run: the same verdict and numbers as verifyCase, exactly', async () => {
    const c = await collectVerify(spec, [file(0.01), join(dir, 'out-0.02'), file(0.04), checkFile()]);
    expect(inProcess.resolutionCheck).not.toBeNull();
    expect(verdictOf(c)).toEqual(verdictOf(inProcess));
    expect(c.collected.resolutionCheck).toBe('checked');
    expect(c.collected.files).toEqual([file(0.04), join(dir, 'out-0.02', 'summary.json'), file(0.01)]);
    expect(c.runs.map((r) => r.eta)).toEqual([0.04, 0.02, 0.01]);
    expect(c.workers).toBe(0);
  });

  it('without it: the same errors, orders over all η and verdict; resolution reported as not checked', async () => {
    const c = await collectVerify(spec, [file(0.04), join(dir, 'out-0.02'), file(0.01)]);
    expect(c.errors).toEqual(inProcess.errors);
    expect(c.verdict).toBe(inProcess.verdict);
    expect(c.order).toEqual({ li: inProcess.orderAllEtas.li, seed: inProcess.orderAllEtas.seed });
    expect(c.orderAllEtas).toEqual(inProcess.orderAllEtas);
    expect(c.resolved).toBeNull();
    expect(c.resolutionCheck).toBeNull();
    expect(c.collected.resolutionCheck).toBe('not checked');
    expect(c.verdictDetail).toContain('Resolution not checked');
    expect(c.verdictDetail).toContain('--eta 0.01 --check-grid 1');
  });

  it('two η are enough; a folder of run folders is read whole', async () => {
    const nest = join(dir, 'nest');
    mkdirSync(join(nest, 'a'), { recursive: true });
    mkdirSync(join(nest, 'b'), { recursive: true });
    writeFileSync(join(nest, 'a', 'summary.json'), readFileSync(file(0.04)));
    writeFileSync(join(nest, 'b', 'summary.json'), readFileSync(file(0.01)));
    const c = await collectVerify(spec, [nest]);
    expect(c.etas).toEqual([0.04, 0.01]);
    expect(c.errors.li).toEqual([inProcess.errors.li[0], inProcess.errors.li[2]]);
  });

  /** The InputError collectVerify throws for these paths (fails the test when it does not throw one). */
  const refusal = async (paths: string[]): Promise<InputError> => {
    const e = await collectVerify(spec, paths).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  };
  const edited = (name: string, from: string, edit: (s: Record<string, unknown>) => void) => {
    const s = JSON.parse(readFileSync(from, 'utf8'));
    edit(s);
    writeFileSync(join(dir, name), JSON.stringify(s));
    return join(dir, name);
  };

  it('refuses summaries of another case, of other settings, a repeated η, fewer than two η, an incomplete run', async () => {
    const other = edited('other.json', file(0.01), (s) => (s.case = 'hyperbola-label'));
    let e = await refusal([file(0.04), other]);
    expect(e.field).toBe(`${other}: case`);
    expect(e.message).toContain('"hyperbola-label" differs from the case being verified ("valley"); collect the summaries of one case');

    const longer = edited('longer.json', file(0.01), (s) => ((s.time as { end: number }).end = 9));
    e = await refusal([file(0.04), longer]);
    expect(e.field).toBe(`${longer}: time.end`);

    e = await refusal([file(0.04), file(0.01), file(0.01)]);
    expect(e.field).toBe(`${file(0.01)}: eta`);
    expect(e.message).toBe(`${file(0.01)}: eta: 0.01 is also the η of ${file(0.01)}; give each η once`);

    e = await refusal([file(0.04), checkFile()]);
    expect(e.field).toBe('--collect');
    expect(e.message).toContain("needs runs at two or more values of η on the case's grid to fit an order, got 1 (η = 0.04)");

    const stopped = edited('stopped.json', file(0.01), (s) => Object.assign(s, { complete: false, stoppedAt: 0.3, stopReason: 'SIGTERM' }));
    e = await refusal([file(0.04), stopped]);
    expect(e.field).toBe(`${stopped}: complete`);
    expect(e.message).toContain('stopped at t = 0.3');
    expect(e.message).toContain('gammafp run --resume DIR');
  });

  it('refuses a grid that is neither the case\'s nor a check grid, a check run at another η, a changed case.json', async () => {
    const coarse = edited('coarse.json', file(0.01), (s) => ((s.grid as { cells: number }).cells = 1234));
    let e = await refusal([file(0.04), coarse]);
    expect(e.field).toBe(`${coarse}: grid.cells`);
    expect(e.message).toContain("cells: the case's 3072, --check-grid 1: 12288");

    const late = edited('late-check.json', checkFile(), (s) => (s.eta = 0.02));
    e = await refusal([file(0.04), file(0.01), late]);
    expect(e.field).toBe(`${late}: eta`);
    expect(e.message).toContain('run it with --eta 0.01');

    const caseJson = join(dir, 'out-0.02', 'case.json');
    const original = readFileSync(caseJson, 'utf8');
    try {
      const c = JSON.parse(original);
      c.noise = { kind: 'isotropic', sigma2: 2 };
      writeFileSync(caseJson, JSON.stringify(c));
      e = await refusal([file(0.04), join(dir, 'out-0.02')]);
      expect(e.field).toBe(`${caseJson}: noise`);
    } finally {
      writeFileSync(caseJson, original);
    }

    e = await refusal([join(dir, 'no-such')]);
    expect(e.message).toContain('no such file or folder');
  });
});
