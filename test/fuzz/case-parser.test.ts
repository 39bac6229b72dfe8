/**
 * Fuzzing the case parser (src/case/schema.ts, src/case/json-text.ts).
 *
 * Property, for every input: `parseCase` returns a CaseSpec, or throws an
 * `InputError` (exit code 2) whose `field` is a non-empty JSON path (or the
 * source name, for the file as a whole) and whose message is one line that
 * starts with `field: ` — never another exception.
 *
 * Inputs: valid cases with random valid values (must parse, and the resolved
 * spec must re-parse to itself); valid cases with one field mutated (wrong type,
 * out of range, unknown extra field, deleted field, wrong array length — the
 * error must name the mutated field, a field above it, or one inside the
 * replacement); arbitrary JSON values; random text, JSON text and
 * character-level edits of a valid case's text through `parseJsonText`.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCase } from '../../src/case/schema.js';
import { parseJsonText } from '../../src/case/json-text.js';
import type { CaseSpec } from '../../src/case/types.js';
import { InputError } from '../../src/util/errors.js';
import { mutatedCase, pathText, validCase, type Key, type Mutation } from './case-arbitraries.js';

const SOURCE = 'fuzz-case.json';
const counts: Record<string, number> = {};
const bump = (k: string) => {
  counts[k] = (counts[k] ?? 0) + 1;
};
const started = performance.now();

type Outcome = { ok: true; spec: CaseSpec } | { ok: false; error: InputError };

/**
 * Run `f`; any throw other than a well-formed InputError fails the property
 * (the thrown value is re-thrown with a description so fast-check reports it).
 */
function outcome(f: () => CaseSpec): Outcome {
  let spec: CaseSpec;
  try {
    spec = f();
  } catch (err) {
    if (!(err instanceof InputError)) {
      throw new Error(`expected an InputError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
    }
    checkInputError(err);
    return { ok: false, error: err };
  }
  expect(typeof spec).toBe('object');
  return { ok: true, spec };
}

/** The InputError contract: exit 2, non-empty one-line field, one-line message starting with the field. */
function checkInputError(e: InputError): void {
  if (e.exitCode !== 2) throw new Error(`exit code ${e.exitCode} for ${JSON.stringify(e.message)}`);
  if (typeof e.field !== 'string' || e.field.trim() === '') throw new Error(`empty field in ${JSON.stringify(e.message)}`);
  if (/[\n\r]/.test(e.field)) throw new Error(`field ${JSON.stringify(e.field)} spans lines`);
  if (/[\n\r]/.test(e.message)) throw new Error(`message spans lines: ${JSON.stringify(e.message)}`);
  if (!e.message.startsWith(`${e.field}: `)) throw new Error(`message does not start with the field: ${JSON.stringify(e.message)}`);
  if (e.message.length > 2000) throw new Error(`message of ${e.message.length} characters`);
}

/** Split a rendered path back into keys (`grid.shape[1]` → grid, shape, 1). */
function splitPath(p: string): Key[] {
  const out: Key[] = [];
  const re = /([^.[\]]+)|\[(\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) !== null) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

const isPrefix = (a: readonly Key[], b: readonly Key[]) => a.length <= b.length && a.every((k, i) => k === b[i]);

/** The error path is on the branch of one expected path: at it, above it, or inside the replaced value. */
function onBranch(e: InputError, m: Mutation): boolean {
  const field = e.field;
  if (m.expect === 'any') return true;
  const { paths, exact } = m.expect;
  if (m.unknownKey !== undefined) {
    // The message quotes the key; an identifier key is named exactly (`grid.colour`), any other
    // key (blank, with a newline, with dots) under its parent's path in some one-line notation.
    if (!e.message.includes(JSON.stringify(m.unknownKey))) return false;
    const parent = pathText(m.path.slice(0, -1));
    if (/^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(m.unknownKey)) return field === pathText(m.path);
    return field.startsWith(parent) && field !== parent && field !== SOURCE;
  }
  if (exact) return paths.some((p) => pathText(p) === field);
  const got = splitPath(field);
  return paths.some((p) => isPrefix(got, p) || isPrefix(p, got));
}

afterAll(() => {
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const secs = ((performance.now() - started) / 1000).toFixed(2);
  console.log(`case-parser fuzz: ${total} generated inputs in ${secs} s — ${JSON.stringify(counts)}`);
});

describe('parseCase fuzz', () => {
  it('valid cases with random values parse, and the resolved spec re-parses to itself', () => {
    fc.assert(
      fc.property(validCase, (c) => {
        bump('valid');
        const r = outcome(() => parseCase(c, SOURCE));
        if (!r.ok) throw new Error(`a valid case was refused: ${r.error.message}\n${JSON.stringify(c)}`);
        // case.json in an output folder is this object as JSON: it must load back to the same JSON.
        const text = JSON.stringify(r.spec);
        expect(JSON.stringify(parseCase(JSON.parse(text), SOURCE))).toBe(text);
      }),
      { numRuns: 3000, seed: 20240611 },
    );
  });

  it('one mutated field: an InputError at (or above) the mutated field, or a valid case only when the field was optional', () => {
    const byKind: Record<string, number> = {};
    fc.assert(
      fc.property(mutatedCase, (m) => {
        bump(`mutated:${m.kind}`);
        byKind[m.kind] = (byKind[m.kind] ?? 0) + 1;
        const r = outcome(() => parseCase(m.json, SOURCE));
        if (r.ok) {
          if (!m.mayBeValid) throw new Error(`accepted after ${m.label}: ${JSON.stringify(m.json)}`);
          return;
        }
        if (!onBranch(r.error, m)) {
          throw new Error(`after ${m.label} the error names ${JSON.stringify(r.error.field)}: ${r.error.message}`);
        }
      }),
      { numRuns: 8000, seed: 7130 },
    );
    // Every mutation kind was exercised.
    for (const k of ['wrong-type', 'out-of-range', 'unknown-field', 'delete-field', 'array-length']) {
      expect(byKind[k] ?? 0).toBeGreaterThan(200);
    }
  });

  it('arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        bump('jsonValue');
        outcome(() => parseCase(v, SOURCE));
      }),
      { numRuns: 3000, seed: 99 },
    );
  });

  it('JSON values with case-like fields (known keys, random values)', () => {
    const keys = ['name', 'description', 'variables', 'loss', 'landscape', 'noise', 'gamma', 'eta', 'grid', 'initial', 'time', 'output', 'expect', 'kind'];
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', maxDepth: 3 },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom('isotropic', 'label', 'constant', 'formula', 'curve', 'surface', 'traced', 'tube', 'cartesian', 'gaussian', 'on-gamma', 'density', 'valley', 'x', 'y'),
        fc.dictionary(fc.constantFrom(...keys, 'sigma2', 'Sigma', 'param', 'range', 'along', 'across', 'bounds', 'shape', 'mean', 'cov', 'end'), tie('v'), { maxKeys: 5 }),
        fc.array(tie('v'), { maxLength: 4 }),
      ),
    }));
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value.v, { maxKeys: 12 }), (v) => {
        bump('caseLike');
        outcome(() => parseCase(v, SOURCE));
      }),
      { numRuns: 2000, seed: 4242 },
    );
  });

  it('random text, JSON text and edits of a valid case text through parseJsonText', () => {
    const edited = fc
      .tuple(validCase, fc.nat(), fc.nat({ max: 3 }), fc.string({ minLength: 1, maxLength: 3 }))
      .map(([c, pos, op, s]) => {
        const text = JSON.stringify(c, null, op === 3 ? 2 : undefined);
        const i = pos % (text.length + 1);
        if (op === 0) return text.slice(0, i) + text.slice(i + 1); // delete one character
        if (op === 1) return text.slice(0, i) + s + text.slice(i); // insert
        return text.slice(0, i); // truncate
      });
    const text = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.json({ maxDepth: 3 }),
      fc.constantFrom('', ' ', '\n\t', '\ufeff', '\ufeff{}', '{', '[', 'null', '{"name": "a",}', '// c\n{}', "{'a': 1}", 'NaN', '1e999'),
      edited,
    );
    fc.assert(
      fc.property(text, (t) => {
        bump('text');
        outcome(() => parseCase(parseJsonText(t, SOURCE), SOURCE));
      }),
      { numRuns: 4000, seed: 31337 },
    );
  });
});
