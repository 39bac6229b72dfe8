/**
 * Typed errors. Every error that reaches the command line carries an exit code:
 * 2 for bad input (a case field, a flag), 3 for a numerical failure (a solve that
 * did not converge, a NaN in the state). Messages are one line and name the
 * field, the value and the fix.
 */
export class GammaError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad input: `field` is a JSON path or flag name, `value` what was given, `fix` what is allowed. */
export class InputError extends GammaError {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`, 2);
    this.field = field;
  }
}

/** A grid specification that cannot be built (e.g. a tube half-width beyond 1/κ). */
export class GridSpecError extends InputError {}

/** A numerical failure: non-convergence, NaN/Inf, loss of positivity beyond tolerance. */
export class NumericalError extends GammaError {
  readonly detail: Record<string, unknown>;
  constructor(message: string, detail: Record<string, unknown> = {}) {
    super(message, 3);
    this.detail = detail;
  }
}

/** Short printable form of a value for error messages. */
export function showValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'number') return String(v);
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return String(v);
    return s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}
