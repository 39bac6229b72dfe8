/**
 * Hand-written argument parsing for `gammafp <command> [args]`: positionals and
 * `--flag`, `--flag value`, `--flag=value`; `--` ends the flags. Every mistake is
 * an `InputError` naming the flag (exit 2).
 */
import { InputError } from '../util/errors.js';

export type FlagValue = string | number | boolean | number[];

/** One flag of a command. A flag with `value` takes an argument, parsed by `parse`. */
export interface FlagSpec {
  /** Long name without dashes: `eta` for `--eta`. */
  name: string;
  /** Placeholder of the argument in help (`X`, `DIR`, `a,b,c`); absent for a boolean switch. */
  value?: string;
  help: string;
  /** Turns the raw text into the value; throws InputError(`--name`, …). Default: the text itself. */
  parse?: (raw: string) => FlagValue;
  required?: boolean;
}

export interface PositionalSpec {
  name: string;
  help: string;
  required: boolean;
  /** The last positional only: takes every remaining argument (`verify CASE --collect DIR…`). */
  variadic?: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, FlagValue | undefined>;
}

/** Parse the arguments after the command name against its positionals and flags. */
export function parseArgs(
  argv: readonly string[],
  spec: { name: string; positionals: readonly PositionalSpec[]; flags: readonly FlagSpec[] },
): ParsedArgs {
  const positionals: string[] = [];
  const flags: Record<string, FlagValue | undefined> = {};
  const known = spec.flags.map((f) => `--${f.name}`).join(', ') || 'none';
  let i = 0;
  let flagsDone = false;
  while (i < argv.length) {
    const arg = argv[i++]!;
    if (!flagsDone && arg === '--') {
      flagsDone = true;
      continue;
    }
    if (!flagsDone && arg.startsWith('-') && arg !== '-' && !/^-\d/.test(arg)) {
      const eq = arg.indexOf('=');
      const name = (eq >= 0 ? arg.slice(0, eq) : arg).replace(/^--?/, '');
      const flag = spec.flags.find((f) => f.name === name);
      const shown = eq >= 0 ? arg.slice(0, eq) : arg;
      if (!flag || !arg.startsWith('--')) {
        throw new InputError(shown, `unknown flag for "${spec.name}"; its flags: ${known} (see gammafp ${spec.name} --help)`);
      }
      if (flag.value === undefined) {
        if (eq >= 0) throw new InputError(shown, `takes no value, got ${JSON.stringify(arg.slice(eq + 1))}`);
        flags[flag.name] = true;
        continue;
      }
      let raw: string | undefined;
      if (eq >= 0) raw = arg.slice(eq + 1);
      else if (i < argv.length) raw = argv[i++];
      if (raw === undefined) throw new InputError(shown, `expected a value (${flag.value}), got nothing`);
      flags[flag.name] = flag.parse ? flag.parse(raw) : raw;
      continue;
    }
    positionals.push(arg);
  }
  if (positionals.length > spec.positionals.length && !spec.positionals.at(-1)?.variadic) {
    const extra = positionals[spec.positionals.length]!;
    const allowed = spec.positionals.map((p) => `<${p.name}>`).join(' ') || 'no arguments';
    throw new InputError(
      extra,
      `unexpected argument; "${spec.name}" takes ${allowed} (gammafp ${spec.name} --help), got ${JSON.stringify(extra)}`,
    );
  }
  spec.positionals.forEach((p, k) => {
    if (p.required && positionals[k] === undefined) {
      throw new InputError(`<${p.name}>`, `missing; ${p.help} (see gammafp ${spec.name} --help)`);
    }
  });
  for (const f of spec.flags) {
    if (f.required && flags[f.name] === undefined) {
      throw new InputError(`--${f.name}`, `missing; ${f.help}`);
    }
  }
  return { positionals, flags };
}

const DECIMAL = /^[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A learning rate η in (0, 1]. */
export function parseEta(raw: string, flag = '--eta'): number {
  const x = DECIMAL.test(raw.trim()) ? Number(raw) : NaN;
  if (!(x > 0 && x <= 1)) throw new InputError(flag, `expected a number in (0, 1], got ${JSON.stringify(raw)}`);
  return x;
}

/** A comma-separated list of at least two distinct η in (0, 1], e.g. `0.02,0.01,0.005`. */
export function parseEtaList(raw: string, flag = '--eta'): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const xs = parts.map((p) => (DECIMAL.test(p) ? Number(p) : NaN));
  const bad = xs.findIndex((x) => !(x > 0 && x <= 1));
  if (bad >= 0) {
    throw new InputError(
      flag,
      `expected a comma-separated list of numbers in (0, 1] (e.g. 0.02,0.01,0.005), got ${JSON.stringify(parts[bad])} in ${JSON.stringify(raw)}`,
    );
  }
  if (new Set(xs).size < 2) {
    throw new InputError(flag, `expected at least two distinct values of η to fit an order, got ${JSON.stringify(raw)}`);
  }
  return xs;
}

/** A folder path (not empty). */
export function parseDir(raw: string, flag = '--out'): string {
  if (raw.trim() === '') throw new InputError(flag, 'expected a folder path, got ""');
  return raw;
}
