/**
 * `gammafp <command> [args]`: dispatch to the command table, help, version, and
 * the mapping of errors to exit codes:
 *   0 success · 1 verify's verdict contradicts the case's `expect` (or, with --strict, is under-resolved) · 2 bad input
 *   (InputError, unknown command or flag, bad flag value) · 3 numerical failure
 *   (NumericalError) · 70 anything else ("internal error"; the stack only with GAMMAFP_DEBUG=1).
 * Errors are printed as one line on stderr: `gammafp: <message>`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GammaError, InputError } from '../util/errors.js';
import { packageRoot } from '../case/case-paths.js';
import { parseArgs } from './args.js';
import { COMMANDS, DEFAULT_CASE, type CliCommand, type CliIO } from './commands.js';

export const EXIT_OK = 0;
export const EXIT_VERDICT = 1;
export const EXIT_INPUT = 2;
export const EXIT_NUMERICAL = 3;
export const EXIT_INTERNAL = 70;

/** The package version from package.json. */
export function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** Help of the whole program. */
export function programHelp(commands: readonly CliCommand[] = COMMANDS): string {
  const w = Math.max(...commands.map((c) => usageHead(c).length));
  return [
    'gammafp — Fokker–Planck solver for noisy learning dynamics near a manifold Γ of minima',
    '',
    'Usage: gammafp <command> [args]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${usageHead(c).padEnd(w)}  ${c.summary}`),
    '',
    'Options:',
    `  ${'-h, --help'.padEnd(w)}  this help; gammafp <command> --help for one command`,
    `  ${'-V, --version'.padEnd(w)}  the version`,
    '',
    'A case is a JSON file or the name of a shipped case (gammafp list; format in grids/README.md).',
    'Exit codes: 0 success, 1 verify verdict contradicts the case\'s "expect" (or --strict and under-resolved), 2 bad input,',
    '3 numerical failure, 70 internal error (GAMMAFP_DEBUG=1 prints the stack).',
    '',
    'Examples:',
    `  gammafp run                       # the default case, ${DEFAULT_CASE}`,
    ...commands.map((c) => `  ${c.examples[0]}`),
    '',
  ].join('\n');
}

function usageHead(c: CliCommand): string {
  return [c.name, ...c.positionals.map((p) => (p.required ? `<${p.name}>` : `[${p.name}${p.variadic ? '…' : ''}]`))].join(' ');
}

/** Help of one command. */
export function commandHelp(c: CliCommand): string {
  const flagUsage = c.flags.map((f) => {
    const s = `--${f.name}${f.value ? ` ${f.value}` : ''}`;
    return f.required ? s : `[${s}]`;
  });
  const items: [string, string][] = [
    ...c.positionals.map((p): [string, string] => [p.name, p.help]),
    ...c.flags.map((f): [string, string] => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help]),
    ['-h, --help', 'this help'],
  ];
  const w = Math.max(...items.map(([k]) => k.length));
  return [
    `Usage: gammafp ${[usageHead(c), ...flagUsage].join(' ')}`,
    '',
    `${c.summary[0]!.toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.details ? [c.details] : []),
    '',
    ...items.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
    '',
    c.examples.length > 1 ? 'Examples:' : 'Example:',
    ...c.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

const isHelp = (a: string) => a === '--help' || a === '-h';

/**
 * Run the CLI on `argv` (the arguments after the program name) and return the exit code.
 * Never throws; never calls process.exit.
 */
export async function runCli(argv: readonly string[], io: CliIO, commands: readonly CliCommand[] = COMMANDS): Promise<number> {
  try {
    const first = argv[0];
    if (first === undefined) {
      io.stderr.write(programHelp(commands));
      return EXIT_INPUT;
    }
    if (isHelp(first) || first === 'help') {
      const target = argv[1] !== undefined ? commands.find((c) => c.name === argv[1]) : undefined;
      if (argv[1] !== undefined && target === undefined) throw unknownCommand(argv[1], commands);
      io.stdout.write(target ? commandHelp(target) : programHelp(commands));
      return EXIT_OK;
    }
    if (first === '--version' || first === '-V' || first === 'version') {
      io.stdout.write(`gammafp ${version()}\n`);
      return EXIT_OK;
    }
    if (first.startsWith('-')) {
      throw new InputError(first, 'unknown option; expected a command first (gammafp --help)');
    }
    const cmd = commands.find((c) => c.name === first);
    if (cmd === undefined) throw unknownCommand(first, commands);
    const rest = argv.slice(1);
    const dashdash = rest.indexOf('--');
    if ((dashdash < 0 ? rest : rest.slice(0, dashdash)).some(isHelp)) {
      io.stdout.write(commandHelp(cmd));
      return EXIT_OK;
    }
    const parsed = parseArgs(rest, cmd);
    return await cmd.run({ ...parsed, io });
  } catch (err) {
    return reportError(err, io);
  }
}

function unknownCommand(name: string, commands: readonly CliCommand[]): InputError {
  return new InputError(
    name,
    `unknown command; expected one of ${commands.map((c) => c.name).join(', ')} (gammafp --help), got ${JSON.stringify(name)}`,
  );
}

/** One line on stderr; returns the exit code of the error. */
export function reportError(err: unknown, io: CliIO): number {
  const debug = io.env['GAMMAFP_DEBUG'] === '1';
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  if (err instanceof GammaError) {
    io.stderr.write(`gammafp: ${oneLine(err.message)}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`gammafp: internal error: ${oneLine(message)}\n`);
  if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
  return EXIT_INTERNAL;
}
