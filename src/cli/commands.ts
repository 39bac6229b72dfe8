/**
 * The subcommands of `gammafp`, as a table. Adding a command = one entry:
 * its usage line, positionals, flags (shared ones below), one example, and `run`,
 * which returns the exit code. Output rules: with `--json` exactly one JSON
 * document on stdout; everything else (progress, notes) on stderr.
 */
import { join } from 'node:path';
import { GammaError } from '../util/errors.js';
import { loadCase } from '../case/schema.js';
import { shippedCaseNames, shippedCasesDir } from '../case/case-paths.js';
import { parseDir, parseEta, parseEtaList, type FlagSpec, type FlagValue, type PositionalSpec } from './args.js';
import { createProgress } from './progress.js';
import { formatRunSummary } from './summary-text.js';

/** The case `gammafp run` solves when given none. */
export const DEFAULT_CASE = 'valley-cartesian';

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

// ---------------------------------------------------------------- the commands
const run: CliCommand = {
  name: 'run',
  summary: 'solve one case, compare with the averaged generator, write the report',
  details:
    'Solves the Fokker–Planck equation of the case, tracks the Gaussian across Γ and the marginal along Γ\n' +
    'against both averaged drifts, and writes the report to the output folder.',
  positionals: [caseArg(false)],
  flags: [FLAG_ETA, FLAG_OUT, FLAG_JSON, FLAG_QUIET],
  examples: ['gammafp run hyperbola-label --eta 0.005 --out out/hyp', 'gammafp run my-case.json --json --quiet > summary.json'],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0] ?? DEFAULT_CASE);
    const eta = ctx.flags['eta'] as number | undefined;
    const outDir = (ctx.flags['out'] as string | undefined) ?? join('out', spec.name);
    // Loaded on demand: `list` and `--help` stay fast and work while the solver stack is broken.
    const { runCase } = await import('../pipeline.js');
    const progress = progressFor(ctx, `run ${spec.name}`);
    let summary;
    try {
      summary = await runCase(spec, { ...(eta !== undefined ? { eta } : {}), outDir, progress: progress.update });
    } finally {
      progress.done();
    }
    if (ctx.flags['json'] === true) writeJson(ctx.io, summary);
    else ctx.io.stdout.write(formatRunSummary(summary));
    return 0;
  },
};

const verify: CliCommand = {
  name: 'verify',
  summary: 'run one case for several η: errors per η for both drift formulas, fitted order, verdict',
  details:
    'Exit code 1 when the verdict contradicts the case\'s "expect" field.',
  positionals: [caseArg(true)],
  flags: [FLAG_ETA_LIST, FLAG_OUT, FLAG_JSON, FLAG_QUIET],
  examples: ['gammafp verify hyperbola-label --eta 0.02,0.01,0.005 --json > verify.json'],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0]!);
    void spec; // wired by the pipeline's verifyCase(spec, { etas, outDir, progress })
    throw new NotAvailableError('verify');
  },
};

const theory: CliCommand = {
  name: 'theory',
  summary: 'the averaged generator along Γ: P, Ω, both drifts, Σ̄ on stations along Γ',
  positionals: [caseArg(true)],
  flags: [FLAG_JSON],
  examples: ['gammafp theory valley --json > theory.json'],
  async run(ctx) {
    const spec = loadCase(ctx.positionals[0]!);
    void spec; // wired by the pipeline's theoryTable(spec)
    throw new NotAvailableError('theory');
  },
};

const bench: CliCommand = {
  name: 'bench',
  summary: 'the benchmark figures (setup time, ms per step, iterations, memory)',
  positionals: [],
  flags: [FLAG_JSON, FLAG_QUIET],
  examples: ['gammafp bench --json > bench.json'],
  async run() {
    throw new NotAvailableError('bench'); // wired by src/cli/bench.ts
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
export const COMMANDS: CliCommand[] = [run, verify, theory, bench, list];
