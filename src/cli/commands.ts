/**
 * The subcommands of `gammafp`, as a table. Adding a command = one entry:
 * its usage line, positionals, flags (shared ones below), one example, and `run`,
 * which returns the exit code. Output rules: with `--json` exactly one JSON
 * document on stdout; everything else (progress, notes) on stderr.
 */
import { join } from 'node:path';
import { GammaError, InputError } from '../util/errors.js';
import { loadCase } from '../case/schema.js';
import { shippedCaseNames, shippedCasesDir } from '../case/case-paths.js';
import { parseDir, parseEta, parseEtaList, type FlagSpec, type FlagValue, type PositionalSpec } from './args.js';
import { createProgress } from './progress.js';
import type { CaseSpec } from '../case/types.js';
import type { ParticleRunOptions } from '../pipeline.js';
import { formatRunSummary } from './summary-text.js';
import { sdeSchemeLabel, type SdeScheme } from '../particles/types.js';
import type { BenchReference } from '../pipeline/bench.js';
import type { AlongFlux } from '../operator/face-coefficients.js';

/** The case `gammafp run` solves when given none. */
export const DEFAULT_CASE = 'hyperbola-label';

export interface CliStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIO {
  stdout: CliStream;
  stderr: CliStream;
  env: Record<string, string | undefined>;
  /** Clock for progress throttling (ms). */
  now?: () => number;
}

export interface CommandContext {
  positionals: string[];
  flags: Record<string, FlagValue | undefined>;
  io: CliIO;
}

export interface CliCommand {
  name: string;
  /** One line for the program's help. */
  summary: string;
  /** More text for the command's help. */
  details?: string;
  positionals: PositionalSpec[];
  flags: FlagSpec[];
  /** One or more full example command lines. */
  examples: string[];
  /** Runs the command; returns the exit code. Throws GammaError for bad input / numerical failure. */
  run(ctx: CommandContext): Promise<number>;
}

// ---------------------------------------------------------------- shared flags and helpers
export const FLAG_JSON: FlagSpec = { name: 'json', help: 'print one JSON document on stdout (everything else on stderr)' };
export const FLAG_QUIET: FlagSpec = { name: 'quiet', help: 'no progress on stderr' };
export const FLAG_OUT: FlagSpec = {
  name: 'out',
  value: 'DIR',
  help: 'output folder (default: out/<case name>)',
  parse: (raw) => parseDir(raw, '--out'),
};
export const FLAG_ETA: FlagSpec = {
  name: 'eta',
  value: 'X',
  help: "override the case's learning rate η, a number in (0, 1]",
  parse: (raw) => parseEta(raw, '--eta'),
};
export const FLAG_ETA_LIST: FlagSpec = {
  name: 'eta',
  value: 'a,b,c',
  help: 'the learning rates, comma-separated, at least two in (0, 1]',
  parse: (raw) => parseEtaList(raw, '--eta'),
  required: true,
};
const caseArg = (required: boolean): PositionalSpec => ({
  name: 'case',
  required,
  help: `a case file (JSON) or the name of a shipped case (gammafp list)${required ? '' : `; default ${DEFAULT_CASE}`}`,
});

/** Raised by placeholder commands: exit 2 with "not available yet". */
export class NotAvailableError extends GammaError {
  constructor(command: string) {
    super(`${command}: not available yet in this version`, 2);
  }
}

function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function progressFor(ctx: CommandContext, label: string) {
  return createProgress(ctx.io.stderr, { quiet: ctx.flags['quiet'] === true, label, now: ctx.io.now });
}

const intFlag = (flag: string, lo: number, hi: number, hiText: string) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(n) || n < lo || n > hi) {
    throw new InputError(flag, `expected an integer from ${lo} to ${hiText}, got ${JSON.stringify(raw)}`);
  }
  return n;
};
const parseMode = (flag: string) => (raw: string) => {
  if (raw !== 'sde' && raw !== 'sgd') throw new InputError(flag, `expected "sde" or "sgd", got ${JSON.stringify(raw)}`);
  return raw;
};
export const FLAG_PARTICLES: FlagSpec = {
  name: 'particles',
  value: 'N',
  help: 'also run N particles (default: the case\'s `particles` section, if any) and compare them with the FPE',
  parse: intFlag('--particles', 2, 1e8, '1e8'),
};
export const FLAG_PARTICLE_MODE: FlagSpec = {
  name: 'particle-mode',
  value: 'sde|sgd',
  help: 'particles of the SDE (Euler–Maruyama) or of the learning rule itself (default: the case\'s, else sgd)',
  parse: parseMode('--particle-mode'),
};
export const FLAG_PARTICLE_SEED: FlagSpec = {
  name: 'particle-seed',
  value: 'S',
  help: "the particles' random seed (default: the case's, else 1)",
  parse: intFlag('--particle-seed', 0, 2 ** 32 - 1, '2^32−1'),
};

/** The particle options of `run`/`verify` from the flags and the case's `particles` section. */
function particleOptions(ctx: CommandContext, spec: Pick<CaseSpec, 'particles'>): { particles?: ParticleRunOptions | false } {
  const n = ctx.flags['particles'] as number | undefined;
  const mode = ctx.flags['particle-mode'] as 'sde' | 'sgd' | undefined;
  const seed = ctx.flags['particle-seed'] as number | undefined;
  if (ctx.flags['no-particles'] === true) {
    if (n !== undefined) throw new InputError('--no-particles', 'contradicts --particles: give one of them');
    return { particles: false };
  }
  const base = spec.particles;
  if (n === undefined && !base) {
    if (mode !== undefined || seed !== undefined) throw new InputError(mode !== undefined ? '--particle-mode' : '--particle-seed', 'needs --particles N (the case has no `particles` section)');
    return {};
  }
  return {
    particles: {
      mode: mode ?? base?.mode ?? 'sgd',
      n: n ?? base!.n,
      seed: seed ?? base?.seed ?? 1,
      ...(base?.dtFactor !== undefined ? { dtFactor: base.dtFactor } : {}),
    },
  };
}

/** `--along-flux quick|limited`: the high-resolution face value along Γ (RunOptions.alongFlux). */
const FLAG_ALONG_FLUX: FlagSpec = {
  name: 'along-flux',
  value: 'quick|limited|fct',
  help: 'the face value along Γ where the noise leaves no diffusion there: quick (default, linear), limited (Koren-limited, by defect correction) or fct (Zalesak flux-corrected transport after each implicit stage)',
  parse: (raw) => {
    if (raw !== 'quick' && raw !== 'limited' && raw !== 'fct') throw new InputError('--along-flux', `expected quick, limited or fct, got ${JSON.stringify(raw)}`);
    return raw;
  },
};

function alongFluxOption(ctx: CommandContext): { alongFlux?: AlongFlux } {
  const v = ctx.flags['along-flux'] as AlongFlux | undefined;
  return v !== undefined ? { alongFlux: v } : {};
}

// ---------------------------------------------------------------- the commands
const run: CliCommand = {
  name: 'run',
  summary: 'solve one case, compare with the averaged generator, write the report',
  details:
    'Solves the Fokker–Planck equation of the case, tracks the Gaussian across Γ and the marginal along Γ\n' +
    'against both averaged drifts, and writes the report to the output folder.',
  positionals: [caseArg(false)],
  flags: [
    FLAG_ETA,
    FLAG_OUT,
    FLAG_JSON,
    FLAG_QUIET,
    {
      name: 'checkpoint-every',
      value: 'T',
      help: 'write a checkpoint into the output folder every T of slow time (at frame boundaries)',
      parse: (raw) => {
        const v = Number(raw);
        if (!(v > 0) || !Number.isFinite(v)) throw new InputError('--checkpoint-every', `expected a positive slow time, got ${JSON.stringify(raw)}`);
        return v;
      },
    },
    { name: 'resume', value: 'DIR', help: 'continue an interrupted run from DIR/checkpoint.json (writes into DIR)', parse: (raw) => parseDir(raw, '--resume') },
    FLAG_PARTICLES,
    FLAG_PARTICLE_MODE,
    FLAG_PARTICLE_SEED,
    { name: 'no-particles', help: "skip the particles even when the case has a `particles` section" },
    {
      name: 'check-grid',
      value: 'K',
      help: "run on grid K of verify's resolution check (1: twice the cells along and across Γ; past the cell budget 1: along, 2: across), for verify --collect",
      parse: intFlag('--check-grid', 1, 2, '2'),
    },
    FLAG_ALONG_FLUX,
  ],
  examples: [
    'gammafp run hyperbola-label --eta 0.005 --out out/hyp',
    'gammafp run valley --particles 20000 --particle-mode sde   # overlay SDE particles on the report',
    'gammafp run my-case.json --json --quiet > summary.json',
    'gammafp run twisted-curve --out out/tw --checkpoint-every 0.05   # then, after a kill: gammafp run --resume out/tw',
  ],
  async run(ctx) {
    const resumeDir = ctx.flags['resume'] as string | undefined;
    let resume;
    if (resumeDir !== undefined) {
      if (ctx.positionals[0] !== undefined) throw new InputError('--resume', 'takes the case from the checkpoint: give no case file with it');
      const { readCheckpoint } = await import('../pipeline/checkpoint.js');
      resume = readCheckpoint(resumeDir);
    }
    const checkGrid = ctx.flags['check-grid'] as number | undefined;
    if (resume && checkGrid !== undefined) throw new InputError('--check-grid', 'does not go with --resume (the checkpoint holds its grid); drop it');
    const loaded = resume ? resume.spec : loadCase(ctx.positionals[0] ?? DEFAULT_CASE);
    const spec = checkGrid === undefined ? loaded : await checkGridSpec(loaded, checkGrid);
    const eta = resume ? resume.eta : (ctx.flags['eta'] as number | undefined);
    const outDir = resumeDir ?? (ctx.flags['out'] as string | undefined) ?? join('out', spec.name);
    const checkpointEvery = ctx.flags['checkpoint-every'] as number | undefined;
    // Loaded on demand: `list` and `--help` stay fast and work while the solver stack is broken.
    const { runCase } = await import('../pipeline.js');
    const progress = progressFor(ctx, `run ${spec.name}`);
    const { requestStop } = await import('../util/interrupt.js');
    const onSignal = (sig: NodeJS.Signals) => {
      requestStop(sig);
      ctx.io.stderr.write(`\ngammafp: ${sig} received: stopping at the next step and writing what is finished\n`);
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    let summary;
    try {
      summary = await runCase(spec, {
        ...(eta !== undefined ? { eta } : {}),
        outDir,
        progress: progress.update,
        ...(checkpointEvery !== undefined ? { checkpointEvery } : {}),
        ...(resume ? { resume: resume as never } : {}),
        ...particleOptions(ctx, spec),
        ...alongFluxOption(ctx),
      });
    } finally {
      progress.done();
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    if (ctx.flags['json'] === true) writeJson(ctx.io, summary);
    else ctx.io.stdout.write(formatRunSummary(summary));
    return summary.complete === false ? 130 : 0;
  },
};

/** The case on grid k (1-based) of verify's resolution check, for a sharded sweep's check run. */
async function checkGridSpec(spec: CaseSpec, k: number): Promise<CaseSpec> {
  const { resolutionCheckGrids } = await import('../pipeline/verify.js');
  const grids = resolutionCheckGrids(spec);
  if (!grids) throw new InputError('--check-grid', `the case's grid is "${spec.grid.kind}"; the resolution check is for tube grids (grid.kind "tube")`);
  if (k > grids.length) {
    const list = grids.map((g, i) => `${i + 1}: ${g.scale} the cells ${g.changed === 'along+across' ? 'along and across' : g.changed} Γ`).join(', ');
    throw new InputError('--check-grid', `${k}: this case's resolution check has ${grids.length} grid${grids.length === 1 ? '' : 's'} (${list}); use --check-grid ${grids.length === 1 ? '1' : `1 to ${grids.length}`}`);
  }
  return grids[k - 1].spec;
}

const FLAG_WORKERS: FlagSpec = {
  name: 'workers',
  value: 'N',
  help: 'worker threads for the η runs (default: one per core)',
  parse: (raw) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 256) throw new InputError('--workers', `expected an integer from 1 to 256, got ${JSON.stringify(raw)}`);
    return n;
  },
};

const verify: CliCommand = {
  name: 'verify',
  summary: 'run one case for several η: errors per η for both drift formulas, fitted order, verdict',
  details:
    'Runs the case at each η (on worker threads), measures the L1 distance between the marginal along Γ\n' +
    'and the averaged solution of each drift formula, fits error ≈ C·η^p and states which formula the\n' +
    'Fokker–Planck equation supports. A resolution check re-runs the smallest η on a finer grid: an error is\n' +
    'resolved when that changes it by at most a third; under-resolved η are named (a warning; --strict: exit 1)\n' +
    'and --refine re-runs them on finer grids. Exit code 1 when the verdict contradicts the case\'s "expect" field.\n' +
    '--collect builds the same verdict from summaries of runs made elsewhere (gammafp run CASE --eta X --json per η;\n' +
    'for the resolution check also gammafp run CASE --eta <smallest> --check-grid 1); without that run, resolution\n' +
    'is reported as not checked.',
  positionals: [
    caseArg(true),
    { name: 'summary', required: false, variadic: true, help: 'with --collect: summary files (gammafp run --json > FILE) or output folders (run --out DIR), or folders of them' },
  ],
  flags: [
    { ...FLAG_ETA_LIST, required: false, help: `${FLAG_ETA_LIST.help} (required, but not with --collect: the summaries hold the η)` },
    {
      name: 'collect',
      help: 'build the verdict from summaries of runs made elsewhere (one `gammafp run CASE --eta X --json` per η, e.g. a Slurm job array) instead of running',
    },
    FLAG_OUT,
    FLAG_JSON,
    FLAG_QUIET,
    FLAG_WORKERS,
    FLAG_PARTICLES,
    FLAG_PARTICLE_MODE,
    FLAG_PARTICLE_SEED,
    { name: 'refine', help: 're-run under-resolved η on finer grids (twice the cells per level) and fit the order on resolved errors' },
    { name: 'strict', help: 'exit 1 when an error is under-resolved (default: a warning)' },
  ],
  examples: [
    'gammafp verify hyperbola-label --eta 0.02,0.01,0.005 --json > verify.json',
    'gammafp verify my-case.json --eta 0.04,0.02,0.01,0.005 --refine --strict   # finer grids until resolved; exit 1 if not',
    'gammafp verify valley --eta 0.04,0.02,0.01 --particles 20000 --particle-mode sde   # particle columns in the verdict table',
    'gammafp verify hyperbola-label --collect out/sweep/eta-*   # the verdict of runs written by `gammafp run --out` (see README: sharding)',
  ],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0]!);
    const collect = ctx.flags['collect'] === true;
    const paths = ctx.positionals.slice(1);
    if (!collect && paths.length > 0) {
      throw new InputError(paths[0], `unexpected argument; "verify" takes one case, and summary files only with --collect (gammafp verify --help), got ${JSON.stringify(paths[0])}`);
    }
    if (collect) {
      const clash = ['eta', 'workers', 'refine', 'particles', 'particle-mode', 'particle-seed'].find((f) => ctx.flags[f] !== undefined);
      if (clash) throw new InputError(`--${clash}`, `does not go with --collect, which runs nothing (the summaries hold the η and the runs' settings); drop it`);
    } else if (ctx.flags['eta'] === undefined) throw new InputError('--eta', `missing; ${FLAG_ETA_LIST.help}`);
    const etas = ctx.flags['eta'] as number[];
    const workers = ctx.flags['workers'] as number | undefined;
    const { verifyCase } = await import('../pipeline/verify.js');
    const progress = progressFor(ctx, `verify ${spec.name}`);
    let result;
    try {
      if (collect) {
        const { collectVerify } = await import('../pipeline/verify-collect.js');
        result = await collectVerify(spec, paths);
      } else {
        // Particles in verify only when asked for with --particles (a case's section is for `run`).
        const parts = ctx.flags['particles'] !== undefined ? particleOptions(ctx, spec).particles : undefined;
        if (parts === undefined && (ctx.flags['particle-mode'] !== undefined || ctx.flags['particle-seed'] !== undefined)) {
          throw new InputError(ctx.flags['particle-mode'] !== undefined ? '--particle-mode' : '--particle-seed', 'needs --particles N');
        }
        result = await verifyCase(spec, etas, { workers, progress: progress.update, refine: ctx.flags['refine'] === true, ...(parts ? { particles: parts } : {}) });
      }
    } finally {
      progress.done();
    }
    const outDir = ctx.flags['out'] as string | undefined;
    if (outDir) {
      const { writeVerifyOutputs } = await import('../pipeline/verify-report.js');
      (result as { outputs?: string[] }).outputs = await writeVerifyOutputs(outDir, spec, result);
    }
    if (ctx.flags['json'] === true) writeJson(ctx.io, result);
    else {
      const f = (v: number) => v.toPrecision(3);
      ctx.io.stdout.write(`verify ${spec.name}: verdict ${result.verdict}\n`);
      if (result.collected) {
        const c = result.collected;
        ctx.io.stdout.write(`  collected ${c.files.length} η runs${c.checkFiles.length ? ` and ${c.checkFiles.length} resolution-check run(s)` : ''} (${c.runWallSeconds.toFixed(1)} s of runs); resolution ${c.resolutionCheck}\n`);
      }
      ctx.io.stdout.write(`  ${'eta'.padEnd(10)} ${'L1 Li'.padEnd(10)} ${'L1 seed'.padEnd(10)} ${'mean err Li'.padEnd(12)} mean err seed\n`);
      result.etas.forEach((eta, i) =>
        ctx.io.stdout.write(`  ${f(eta).padEnd(10)} ${f(result.errors.li[i]).padEnd(10)} ${f(result.errors.seed[i]).padEnd(10)} ${f(result.errors.meanLi[i]).padEnd(12)} ${f(result.errors.meanSeed[i])}\n`),
      );
      const over = result.resolved === false ? ' (over the resolved η)' : '';
      const order = (v: number) => (Number.isFinite(v) ? f(v) : '— (fewer than two resolved η)');
      ctx.io.stdout.write(`  fitted order${over}: Li ${order(result.order.li)}, seed ${order(result.order.seed)}\n  ${result.verdictDetail}\n`);
      if (result.particles) {
        const P = result.particles;
        ctx.io.stdout.write(`  particles (${P.mode}, n = ${P.n}) at the end: ${'eta'.padEnd(8)} ${'mean ± SE'.padEnd(22)} ${'z FPE'.padEnd(8)} ${'z Li'.padEnd(8)} ${'W1 FPE'.padEnd(10)} W1 Li\n`);
        P.rows.forEach((r) =>
          ctx.io.stdout.write(`  ${''.padEnd(37)}${f(r.eta).padEnd(8)} ${`${r.mean.toPrecision(5)} ± ${r.se.toPrecision(2)}`.padEnd(22)} ${f(r.zMeanFpe).padEnd(8)} ${(r.zMeanLi === null ? '—' : f(r.zMeanLi)).padEnd(8)} ${(r.w1Fpe === null ? '—' : f(r.w1Fpe)).padEnd(10)} ${r.w1Li === null ? '—' : f(r.w1Li)}\n`),
        );
        ctx.io.stdout.write(`  ${P.detail}\n`);
      }
    }
    if (spec.expect && result.verdict !== spec.expect) {
      ctx.io.stderr.write(`verify: the verdict "${result.verdict}" contradicts the case's expect = "${spec.expect}"\n`);
      return 1;
    }
    return unresolvedWarning(ctx, result);
  },
};

/** Under-resolved errors: a warning on stderr (exit 0), or with --strict an error (exit 1). */
function unresolvedWarning(ctx: CommandContext, result: { resolved: boolean | null; unresolvedEtas: number[]; verdict: string }): number {
  if (result.resolved !== false) return 0;
  const strict = ctx.flags['strict'] === true;
  const at = result.unresolvedEtas.map((e) => e.toPrecision(3)).join(', ');
  ctx.io.stderr.write(
    `verify: ${strict ? 'error' : 'warning'}: under-resolved at η = ${at} — the verdict "${result.verdict}" stands on errors the grid sets, not averaging; ` +
      `use the grid named above or --refine${strict ? '' : ' (--strict makes this an error)'}\n`,
  );
  return strict ? 1 : 0;
}

const theory: CliCommand = {
  name: 'theory',
  summary: 'the averaged generator along Γ: P, Ω, both drifts, Σ̄ on stations along Γ',
  positionals: [caseArg(true)],
  flags: [FLAG_JSON],
  examples: ['gammafp theory valley --json > theory.json'],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0]!);
    const { theoryTable, formatTheoryTable } = await import('../pipeline/theory-table.js');
    const table = theoryTable(spec);
    if (ctx.flags['json'] === true) writeJson(ctx.io, table);
    else ctx.io.stdout.write(formatTheoryTable(table));
    return 0;
  },
};

const bench: CliCommand = {
  name: 'bench',
  summary: 'the benchmark figures (setup time, ms per step, iterations, memory)',
  details: 'Add --full for the large 3D runs (3D tube 256×48×48, Cartesian 128³) and a 1448² (2.1M cells) growth point.',
  positionals: [],
  flags: [FLAG_JSON, FLAG_QUIET, { name: 'full', help: 'include the large 3D benchmarks' }],
  examples: ['gammafp bench --json > bench.json'],
  async run(ctx) {
    const { runBench } = await import('../pipeline/bench.js');
    const quiet = ctx.flags['quiet'] === true;
    const report = await runBench({ full: ctx.flags['full'] === true, log: quiet ? undefined : (l) => ctx.io.stderr.write(`${l}\n`) });
    if (ctx.flags['json'] === true) writeJson(ctx.io, report);
    else {
      const w = ctx.io.stdout;
      const R = report.reference;
      const mvs = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(1));
      w.write(`${formatReference(R)}\n`);
      w.write(`${'benchmark'.padEnd(24)} ${'cells'.padStart(9)} ${'setup s'.padStart(9)} ${'ms/step'.padStart(9)} ${'its/step'.padStart(9)} ${'peak MB'.padStart(8)} ${'cell·steps/s'.padStart(13)} ${'setup/mv'.padStart(9)} ${'step/mv'.padStart(8)}\n`);
      for (const b of report.benchmarks) {
        w.write(
          `${b.name.padEnd(24)} ${String(b.cells).padStart(9)} ${b.setupSeconds.toFixed(3).padStart(9)} ${b.stepMsMedian.toFixed(1).padStart(9)} ${b.iterationsPerStep.toFixed(1).padStart(9)} ${b.peakRssMB.toFixed(0).padStart(8)} ${b.cellStepsPerSecond.toExponential(2).padStart(13)} ${mvs(b.inJsMatVecs?.setup).padStart(9)} ${mvs(b.inJsMatVecs?.step).padStart(8)}\n`,
        );
      }
      w.write(`(setup/mv, step/mv: in units of the same-run JS mat-vec, ${R.jsMatVec.ms.toFixed(2)} ms)\n`);
      for (const g of report.growth) {
        w.write(
          `growth ${g.name}: cells ${g.cells.join(', ')} → ms/step ${g.stepMs.map((v) => v.toFixed(1)).join(', ')} (faster of two passes; ${(g.stepInJsMatVecs ?? []).map((v) => v.toFixed(1)).join(', ')} JS mat-vecs); exponent ${g.exponent.toFixed(2)}\n`,
        );
      }
      if (report.verify) {
        const v = report.verify;
        w.write(
          `verify (4 η, medians of ${v.rounds} alternating rounds): ${v.serialSeconds.toFixed(1)} s on 1 worker, ${v.parallelSeconds.toFixed(1)} s on ${v.workers}: ` +
            `speed-up ×${v.speedup.toFixed(2)} (rounds ${v.roundRatios.map((r) => r.toFixed(2)).join(', ')}; fastest against fastest ×${v.speedupBest.toFixed(2)}), ` +
            `identical numbers: ${v.identical}; a register-only reference job on the same cores in the same rounds: ×${v.reference.speedup.toFixed(2)} ` +
            `(the verify got ${(100 * v.ofReference).toFixed(0)} % of that ratio, median over rounds)\n` +
            (v.inJsMatVecs ? `verify in JS mat-vecs: ${v.inJsMatVecs.serial.toFixed(0)} on 1 worker, ${v.inJsMatVecs.parallel.toFixed(0)} on ${v.workers}\n` : '') +
            `verify CPU time (all threads): ${v.cpu.serialSeconds.toFixed(1)} s on 1 worker, ${v.cpu.parallelSeconds.toFixed(1)} s on ${v.workers} ` +
            `(×${v.cpu.ratio.toFixed(2)}: the speed-up is at most ${(v.workers / v.cpu.ratio).toFixed(2)} on ${v.workers} idle cores)\n` +
            (v.oneCore
              ? `verify on 1 core (a process pinned to one CPU, its V8 helper threads with it): ${v.oneCore.seconds.toFixed(1)} s; ${v.workers} cores against 1: ×${v.oneCore.speedup.toFixed(2)} (rounds ${v.oneCore.roundRatios.map((r) => r.toFixed(2)).join(', ')})\n`
              : 'verify on 1 core: not measured (taskset not found)\n'),
        );
      }
    }
    return 0;
  },
};

/** The bench's reference lines: the JS mat-vec, SuperLU (or why it was skipped), the valley's ratios to it. */
function formatReference(R: BenchReference): string {
  const js = `reference: plain-JS CSR mat-vec on the 256² valley BE matrix ${R.jsMatVec.ms.toFixed(2)} ms (median of ${R.jsMatVec.batchMs.length} batches in ${R.rounds.length} rounds)`;
  const s = R.superLu;
  if (!s) return `${js}\nreference: SciPy SuperLU skipped (${R.superLuSkipped ?? 'python3/scipy not found'})`;
  const r = R.ratios;
  return (
    `${js}\nreference: SciPy ${s.scipy} SuperLU on the same matrix: factor ${s.factorMs.toFixed(0)} ms (${r.superLuFactorInJsMatVecs!.toFixed(0)} JS mat-vecs), ` +
    `solve ${s.solveMs.toFixed(2)} ms (${r.superLuSolveInJsMatVecs!.toFixed(1)} JS mat-vecs); SciPy's mat-vec ${s.matVecMs.toFixed(2)} ms (the JS one ×${r.jsMatVecToScipyMatVec!.toFixed(2)})\n` +
    `valley-cartesian-256 against SuperLU (medians of ${R.rounds.length} rounds' ratios): BE step ×${r.valleyStepToSuperLuSolve!.toFixed(2)} its solve ` +
    `(rounds ${R.rounds.map((x) => (x.valleyStepMs / x.superLuSolveMs!).toFixed(2)).join(', ')}), setup ×${r.valleySetupToSuperLuFactor!.toFixed(2)} its factorisation ` +
    `(rounds ${R.rounds.map((x) => ((1000 * x.valleySetupSeconds) / x.superLuFactorMs!).toFixed(2)).join(', ')})`
  );
}

const particles: CliCommand = {
  name: 'particles',
  summary: 'particle simulations of the SDE or of the discrete learning rule itself (SGD)',
  details:
    'sde: Euler–Maruyama for dθ = −η⁻¹∇L dt + σ dW with dt = dtFactor·η/λ_max, by default extrapolated\n' +
    'in dt (runs at dt and 2dt on one Brownian path, 2E_dt − E_2dt: O(dt²) weak error); sgd: the rule\n' +
    'θ ← θ − η(∇L + noise) for t/η² steps. Defaults come from the case\'s `particles` section, if any.\n' +
    'Seeded, reproducible for any number of workers.',
  positionals: [caseArg(true)],
  flags: [
    FLAG_ETA,
    FLAG_JSON,
    { name: 'mode', value: 'sde|sgd', help: "what to simulate (default: the case's, else sgd)", parse: parseMode('--mode') },
    { name: 'n', value: 'N', help: "number of particles (default: the case's, else 10000)", parse: intFlag('--n', 2, 1e8, '1e8') },
    { name: 'seed', value: 'S', help: "random seed (default: the case's, else 1)", parse: intFlag('--seed', 0, 2 ** 32 - 1, '2^32−1') },
    {
      name: 'dt-factor',
      value: 'X',
      help: "sde: dt = X·η/λ_max, X in (0, 1] (default: the case's particles.dtFactor, else 0.05)",
      parse: (raw) => {
        const v = Number(raw);
        if (raw.trim() === '' || !(v > 0 && v <= 1)) throw new InputError('--dt-factor', `expected a number in (0, 1], got ${JSON.stringify(raw)}`);
        return v;
      },
    },
    {
      name: 'sde-scheme',
      value: 'extrapolated|euler',
      help: 'sde: Euler–Maruyama extrapolated in dt (default) or plain',
      parse: (raw) => {
        if (raw !== 'extrapolated' && raw !== 'euler') throw new InputError('--sde-scheme', `expected "extrapolated" or "euler", got ${JSON.stringify(raw)}`);
        return raw;
      },
    },
    FLAG_WORKERS,
  ],
  examples: ['gammafp particles hyperbola-label --mode sgd --n 100000 --json > particles.json'],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0]!);
    const { simulateParticles, particleTimes } = await import('../particles/simulate.js');
    const eta = ctx.flags['eta'] as number | undefined;
    const base = spec.particles;
    const dtFactor = (ctx.flags['dt-factor'] as number | undefined) ?? base?.dtFactor;
    const sdeScheme = ctx.flags['sde-scheme'] as SdeScheme | undefined;
    const result = await simulateParticles(spec, {
      mode: (ctx.flags['mode'] as 'sde' | 'sgd' | undefined) ?? base?.mode ?? 'sgd',
      n: (ctx.flags['n'] as number | undefined) ?? base?.n ?? 10000,
      seed: (ctx.flags['seed'] as number | undefined) ?? base?.seed ?? 1,
      ...(eta !== undefined ? { eta } : {}),
      ...(dtFactor !== undefined ? { dtFactor } : {}),
      ...(sdeScheme !== undefined ? { sdeScheme } : {}),
      ...(ctx.flags['workers'] !== undefined ? { workers: ctx.flags['workers'] as number } : {}),
      times: particleTimes(spec),
    });
    if (ctx.flags['json'] === true) writeJson(ctx.io, result);
    else {
      const f = (v: number) => v.toPrecision(5);
      const how = result.mode === 'sde' ? ` (${sdeSchemeLabel(result.sdeScheme)}, dt/η = ${result.dtOverEta.toPrecision(3)})` : '';
      ctx.io.stdout.write(`particles ${spec.name}: ${result.mode}${how}, n = ${result.n}, η = ${result.eta}, ${result.workers} worker(s), ${result.wallSeconds.toFixed(1)} s\n`);
      ctx.io.stdout.write(`  ${'t'.padEnd(10)} ${'mean along Γ'.padEnd(14)} ${'± SE'.padEnd(12)}${result.slow ? ` E[${result.slow.name}] ± SE` : ''}\n`);
      result.t.forEach((t: number, i: number) =>
        ctx.io.stdout.write(`  ${f(t).padEnd(10)} ${f(result.meanAlong[i]).padEnd(14)} ${f(result.seAlong[i]).padEnd(12)}${result.slow ? ` ${f(result.slow.mean[i])} ± ${f(result.slow.se[i])}` : ''}\n`),
      );
    }
    return 0;
  },
};

const list: CliCommand = {
  name: 'list',
  summary: 'the shipped cases (grids/), with their descriptions',
  positionals: [],
  flags: [FLAG_JSON],
  examples: ['gammafp list'],
  async run(ctx) {
    const rows: { name: string; description: string; file: string; error?: string }[] = [];
    for (const name of shippedCaseNames()) {
      const file = join(shippedCasesDir(), `${name}.json`);
      try {
        rows.push({ name, description: loadCase(file).description, file });
      } catch (err) {
        rows.push({ name, description: '', file, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (ctx.flags['json'] === true) {
      writeJson(ctx.io, { cases: rows });
    } else {
      const w = Math.max(0, ...rows.map((r) => r.name.length));
      for (const r of rows) {
        ctx.io.stdout.write(`${r.name.padEnd(w)}  ${r.error ? `(invalid: ${r.error})` : r.description}\n`);
      }
    }
    return rows.some((r) => r.error) ? 2 : 0;
  },
};

/** All commands, in help order. */
export const COMMANDS: CliCommand[] = [run, verify, theory, particles, bench, list];
