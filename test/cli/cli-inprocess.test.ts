/**
 * runCli in-process with captured streams and a stand-in pipeline: dispatch,
 * flags, help, the `--json` contract and the mapping of errors to exit codes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi, beforeEach } from 'vitest';
import { captureIo } from '../support/capture.js';
import type { RunSummary } from '../../src/pipeline.js';
import { InputError, NumericalError } from '../../src/util/errors.js';

const SUMMARY: RunSummary = {
  case: 'valley-cartesian',
  eta: 0.05,
  grid: { kind: 'cartesian', cells: 16384, shape: [128, 128] },
  time: { end: 0.5, steps: 42, sgdSteps: 200, scheme: 'tr-bdf2', rejected: 1 },
  wallSeconds: 1.25,
  mass: { initial: 1, relDriftMax: 3e-15 },
  density: { min: 0 },
  outputs: ['out/valley-cartesian/report.html', 'out/valley-cartesian/summary.json'],
};

const runCase = vi.fn();
vi.mock('../../src/pipeline.js', () => ({ runCase: (...a: unknown[]) => runCase(...a) }));

const { runCli, commandHelp } = await import('../../src/cli/cli.js');
const { COMMANDS, DEFAULT_CASE } = await import('../../src/cli/commands.js');
type CliCommand = (typeof COMMANDS)[number];


beforeEach(() => {
  runCase.mockReset();
});

describe('run (with a stand-in pipeline)', () => {
  it('runs the default case with the override η and the default output folder', async () => {
    runCase.mockResolvedValue(SUMMARY);
    const c = captureIo();
    expect(await runCli(['run', '--eta', '0.02', '--quiet'], c.io)).toBe(0);
    const [spec, opts] = runCase.mock.calls[0]!;
    expect(spec.name).toBe(DEFAULT_CASE);
    expect(opts.eta).toBe(0.02);
    expect(opts.outDir).toBe(`out/${DEFAULT_CASE}`);
    expect(c.stdout()).toContain('16384 cells (128 × 128)');
    expect(c.stdout()).toContain('out/valley-cartesian/summary.json');
    expect(c.stderr()).toBe('');
  });

  it('--json prints exactly one JSON document on stdout; progress goes to stderr', async () => {
    runCase.mockImplementation(async (_spec: unknown, opts: { progress: (f: number, m: string) => void }) => {
      opts.progress(0.5, 't = 0.25');
      opts.progress(1, 't = 0.5');
      return SUMMARY;
    });
    const c = captureIo();
    expect(await runCli(['run', 'valley', '--json', '--out', '/tmp/x'], c.io)).toBe(0);
    expect(JSON.parse(c.stdout())).toEqual(SUMMARY);
    expect(runCase.mock.calls[0]![1].eta).toBeUndefined();
    expect(runCase.mock.calls[0]![1].outDir).toBe('/tmp/x');
    expect(c.stderr()).toContain('100%');
    expect(c.stderr().trim().split('\n')).toHaveLength(2);
  });

  it('particles: --particles N with the mode and seed flags; the case section is the default; --no-particles skips it', async () => {
    runCase.mockResolvedValue(SUMMARY);
    const c = captureIo();
    expect(await runCli(['run', 'valley', '--particles', '5000', '--particle-mode', 'sde', '--particle-seed', '7', '--quiet'], c.io)).toBe(0);
    expect(runCase.mock.calls[0]![1].particles).toEqual({ mode: 'sde', n: 5000, seed: 7 });
    // The default case ships a particles section (the learning rule).
    expect(await runCli(['run', '--quiet'], c.io)).toBe(0);
    expect(runCase.mock.calls[1]![1].particles).toMatchObject({ mode: 'sgd', seed: 1 });
    expect(await runCli(['run', '--particles', '300', '--quiet'], c.io)).toBe(0);
    expect(runCase.mock.calls[2]![1].particles).toMatchObject({ mode: 'sgd', n: 300 });
    expect(await runCli(['run', '--no-particles', '--quiet'], c.io)).toBe(0);
    expect(runCase.mock.calls[3]![1].particles).toBe(false);
    // A case without the section and no flag: no particles option at all.
    expect(await runCli(['run', 'valley', '--quiet'], c.io)).toBe(0);
    expect(runCase.mock.calls[4]![1].particles).toBeUndefined();
  });

  it('--quiet silences progress', async () => {
    runCase.mockImplementation(async (_s: unknown, opts: { progress: (f: number, m: string) => void }) => {
      opts.progress(1, 'done');
      return SUMMARY;
    });
    const c = captureIo();
    await runCli(['run', '--json', '--quiet'], c.io);
    expect(c.stderr()).toBe('');
  });

  it('a NumericalError exits 3 with one line', async () => {
    runCase.mockRejectedValue(new NumericalError('BiCGSTAB did not converge in 500 iterations at t = 0.12'));
    const c = captureIo();
    expect(await runCli(['run', '--quiet'], c.io)).toBe(3);
    expect(c.stderr()).toBe('gammafp: BiCGSTAB did not converge in 500 iterations at t = 0.12\n');
    expect(c.stdout()).toBe('');
  });

  it('an InputError from the pipeline exits 2', async () => {
    runCase.mockRejectedValue(new InputError('loss', 'cannot parse "u*" (in x.json)'));
    const c = captureIo();
    expect(await runCli(['run', '--quiet'], c.io)).toBe(2);
    expect(c.stderr()).toBe('gammafp: loss: cannot parse "u*" (in x.json)\n');
  });

  it('any other exception: "internal error", exit 70, stack only with GAMMAFP_DEBUG=1', async () => {
    runCase.mockRejectedValue(new TypeError('x is undefined'));
    const c = captureIo();
    expect(await runCli(['run', '--quiet'], c.io)).toBe(70);
    expect(c.stderr()).toBe('gammafp: internal error: x is undefined\n');
    const d = captureIo({ GAMMAFP_DEBUG: '1' });
    expect(await runCli(['run', '--quiet'], d.io)).toBe(70);
    expect(d.stderr()).toMatch(/^gammafp: internal error: x is undefined\nTypeError: x is undefined\n\s+at /);
  });
});

describe('dispatch, flags and help', () => {
  it.each([
    [['run', '--eta', '0'], '--eta: expected a number in (0, 1], got "0"'],
    [['run', '--eta=1.5'], '--eta: expected a number in (0, 1], got "1.5"'],
    [['run', '--eta'], '--eta: expected a value (X), got nothing'],
    [['run', '--json=yes'], '--json: takes no value, got "yes"'],
    [['run', '--frames', '3'], '--frames: unknown flag for "run"'],
    [['run', 'a', 'b'], 'b: unexpected argument'],
    [['run', 'no-such-case'], 'case: no such case file or shipped case, got "no-such-case"'],
    [['verify', 'valley'], '--eta: missing'],
    [['verify', 'valley', '--eta', '0.1'], '--eta: expected at least two distinct values'],
    [['verify', 'valley', '--eta', '0.1,x'], '--eta: expected a comma-separated list of numbers in (0, 1]'],
    [['verify', 'valley', '--eta', '0.1,0.05', 's.json'], 's.json: unexpected argument; "verify" takes one case, and summary files only with --collect'],
    [['verify', 'valley', '--collect'], '--collect: needs summary files or output folders after the case'],
    [['verify', 'valley', '--collect', '--eta', '0.1,0.05', 's.json'], '--eta: does not go with --collect'],
    [['verify', 'valley', '--collect', '/no/such/run'], '/no/such/run: no such file or folder'],
    [['run', 'valley-cartesian', '--check-grid', '1'], '--check-grid: the case\'s grid is "cartesian"'],
    [['run', 'valley', '--check-grid', '2'], '--check-grid: 2: this case\'s resolution check has 1 grid'],
    [['run', 'valley', '--check-grid', '3'], '--check-grid: expected an integer from 1 to 2, got "3"'],
    [['run', '--particles', '1'], '--particles: expected an integer from 2 to 1e8, got "1"'],
    [['run', '--particles', '1.5e3x'], '--particles: expected an integer from 2 to 1e8'],
    [['run', 'valley', '--particle-mode', 'sde'], '--particle-mode: needs --particles N'],
    [['run', '--particles', '100', '--particle-mode', 'ode'], '--particle-mode: expected "sde" or "sgd", got "ode"'],
    [['run', '--particles', '100', '--no-particles'], '--no-particles: contradicts --particles'],
    [['verify', 'valley', '--eta', '0.1,0.05', '--particle-seed', '3'], '--particle-seed: needs --particles N'],
    [['theory'], '<case>: missing'],
    [['-x'], '-x: unknown option'],
    [['help', 'nope'], 'nope: unknown command'],
  ])('%j → exit 2: %s', async (argv, message) => {
    const c = captureIo();
    expect(await runCli(argv, c.io)).toBe(2);
    expect(c.stderr().startsWith(`gammafp: ${message}`)).toBe(true);
    expect(c.stderr().split('\n').filter(Boolean)).toHaveLength(1);
    expect(runCase).not.toHaveBeenCalled();
  });

  it('theory --json tabulates both drifts on stations along Γ: the seed component along Γ is twice Li\'s (valley)', async () => {
    const c = captureIo();
    expect(await runCli(['theory', 'valley', '--json'], c.io)).toBe(0);
    const t = JSON.parse(c.stdout()) as { rows: { at: number[]; alongLi: number[]; alongSeed: number[]; omegaNormal: number[] }[] };
    expect(t.rows.length).toBe(17);
    for (const r of t.rows) {
      const a = 1.5 + Math.sin(r.at[0]);
      // Exact: the valley's slow drift −σ²a′/(4a) (σ² = 1) and Ω = 1/(2a) across.
      expect(r.alongLi[0]).toBeCloseTo(-Math.cos(r.at[0]) / (4 * a), 10);
      expect(r.alongSeed[0]).toBeCloseTo(2 * r.alongLi[0], 10);
      expect(r.omegaNormal[0]).toBeCloseTo(1 / (2 * a), 10);
    }
  });

  it('verify refuses a case without a tube around a curve or surface (exit 2, one line)', async () => {
    const c = captureIo();
    expect(await runCli(['verify', 'valley-cartesian', '--eta', '0.2,0.1', '--workers', '1', '--quiet'], c.io)).toBe(2);
    expect(c.stderr().split('\n').filter(Boolean)).toHaveLength(1);
    expect(c.stderr()).toMatch(/grid\.kind/);
  }, 120_000);

  it('--version prints the package version', async () => {
    const c = captureIo();
    expect(await runCli(['--version'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^gammafp \d+\.\d+\.\d+\n$/);
  });

  it('a case file that is not JSON: exit 2, one line with line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gammafp-cli-'));
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "name": "x",\n}\n');
    const c = captureIo();
    expect(await runCli(['run', file], c.io)).toBe(2);
    expect(c.stderr()).toMatch(/^gammafp: .*broken\.json: not valid JSON at line 3, column 1: .*\n$/);
  });

  it('no command prints the help on stderr, exit 2', async () => {
    const c = captureIo();
    expect(await runCli([], c.io)).toBe(2);
    expect(c.stderr()).toContain('Usage: gammafp <command>');
  });

  it.each(COMMANDS.map((cmd: CliCommand) => [cmd.name]))('%s --help, help %s: usage, every flag, an example', async (name) => {
    const cmd = COMMANDS.find((x: CliCommand) => x.name === name)!;
    for (const argv of [[name, '--help'], ['help', name], [name, '-h']]) {
      const c = captureIo();
      expect(await runCli(argv, c.io)).toBe(0);
      expect(c.stdout()).toBe(commandHelp(cmd));
    }
    const text = commandHelp(cmd);
    expect(text.startsWith(`Usage: gammafp ${name}`)).toBe(true);
    for (const f of cmd.flags) expect(text).toContain(`--${f.name}`);
    expect(text).toMatch(/Examples?:\n {2}gammafp /);
  });

  it('list --json: one document with every shipped case', async () => {
    const c = captureIo();
    expect(await runCli(['list', '--json'], c.io)).toBe(0);
    const doc = JSON.parse(c.stdout()) as { cases: { name: string; description: string; error?: string }[] };
    expect(doc.cases.map((x) => x.name)).toContain('valley-cartesian');
    expect(doc.cases.every((x) => x.description.length > 0 && x.error === undefined)).toBe(true);
  });

  it('a command added to the table is dispatched with its parsed flags', async () => {
    const seen: unknown[] = [];
    const extra: CliCommand = {
      name: 'echo',
      summary: 'test command',
      positionals: [{ name: 'what', required: true, help: 'a word' }],
      flags: [{ name: 'n', value: 'N', help: 'a count', parse: (s: string) => Number(s) }],
      examples: ['gammafp echo hi --n 2'],
      async run(ctx) {
        seen.push(ctx.positionals, ctx.flags);
        return 0;
      },
    };
    const c = captureIo();
    expect(await runCli(['echo', 'hi', '--n=2'], c.io, [...COMMANDS, extra])).toBe(0);
    expect(seen).toEqual([['hi'], { n: 2 }]);
  });
});
