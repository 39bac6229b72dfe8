/**
 * Typed errors across the worker boundary: serialised to plain data in the
 * worker, rebuilt with the same class, field and detail in the parent.
 */
import { InputError, NumericalError } from '../util/errors.js';

export interface SerialisedError {
  kind: 'input' | 'numerical' | 'other';
  message: string;
  field?: string;
  detail?: Record<string, unknown>;
  stack?: string;
}

export function serialiseError(e: unknown): SerialisedError {
  if (e instanceof InputError) {
    const prefix = `${e.field}: `;
    return { kind: 'input', field: e.field, message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message };
  }
  if (e instanceof NumericalError) return { kind: 'numerical', message: e.message, detail: JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown> };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'other', message: err.message, stack: err.stack };
}

export function rebuildError(s: SerialisedError): Error {
  if (s.kind === 'input') return new InputError(s.field ?? 'particles', s.message);
  if (s.kind === 'numerical') return new NumericalError(s.message, s.detail ?? {});
  const e = new Error(`particle worker: ${s.message}`);
  if (s.stack) e.stack = s.stack;
  return e;
}
