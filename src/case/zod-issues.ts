/**
 * Turn zod issues into one `InputError` whose message starts with the JSON path
 * of the offending field: `grid.shape[1]: expected an integer ≥ 2, got 1.5 (in f.json)`.
 */
import type { z } from 'zod';
import { InputError, showValue } from '../util/errors.js';

type Key = PropertyKey;

/** `['grid', 'shape', 1]` → `grid.shape[1]`; the empty path → `source`. */
export function formatPath(path: readonly Key[], source = '(case)'): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(String(k))) out += out === '' ? String(k) : `.${String(k)}`;
    // Keys that are not plain identifiers are quoted, so the path stays one visible line.
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out === '' ? source : out;
}

/** The value at `path` inside `json` (undefined when absent). */
export function valueAt(json: unknown, path: readonly Key[]): unknown {
  let v: unknown = json;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<Key, unknown>)[k];
  }
  return v;
}

/**
 * The first issue as an InputError. Unknown fields come first (a misspelt field
 * otherwise shows up as a "missing" one), then zod's order (schema order).
 */
export function firstIssueError(issues: readonly z.core.$ZodIssue[], json: unknown, source: string): InputError {
  const sorted = [...issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const iss = sorted[0];
  if (iss === undefined) return new InputError(source, 'invalid case');
  const where = ` (in ${source})`;
  if (iss.code === 'unrecognized_keys') {
    const key = iss.keys[0] ?? '';
    return new InputError(formatPath([...iss.path, key], source), `${iss.message}${where}`);
  }
  const field = formatPath(iss.path, source);
  const value = valueAt(json, iss.path);
  let expected = iss.message;
  if (!expected.startsWith('expected')) {
    expected = iss.code === 'invalid_type' ? `expected ${iss.expected}` : expected.replace(/^Invalid input: /, '');
  }
  if (value === undefined) return new InputError(field, `missing; ${expected}${where}`);
  return new InputError(field, `${expected}, got ${showValue(value)}${where}`);
}
