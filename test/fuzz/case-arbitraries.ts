/**
 * fast-check generators of case files (DESIGN.md §9) for the parser fuzz test:
 * valid cases with random valid values, and single-field mutations of them
 * (wrong type, out of range, unknown extra field, deleted field, wrong array
 * length) together with the JSON path the resulting error must point at (or above).
 *
 * Paths are arrays of keys (string for an object field, number for an array
 * index); `pathText` renders them the way `formatPath` in src/case/zod-issues.ts
 * does (`grid.shape[1]`).
 */
import fc from 'fast-check';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };
export type Key = string | number;

// ---------------------------------------------------------------- small value generators
const posNum = (lo = 1e-3, hi = 10) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const anyNum = (lo = -5, hi = 5) => fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
const intIn = (lo: number, hi: number) => fc.integer({ min: lo, max: hi });
/** [lo, hi] with lo < hi (hi − lo ≥ 1e-3 so rounding cannot make them equal). */
const interval = (lo = -5, hi = 5) =>
  fc.tuple(anyNum(lo, hi), posNum(1e-3, 5)).map(([a, w]) => [a, a + w] as [number, number]);

/** A d×d symmetric positive definite matrix LLᵀ + εI (exactly symmetric: the same sums in the same order). */
const spd = (d: number) =>
  fc.tuple(fc.array(anyNum(-2, 2), { minLength: d * d, maxLength: d * d }), posNum(0.05, 1)).map(([l, eps]) => {
    const m: number[][] = [];
    for (let i = 0; i < d; i++) {
      m.push([]);
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < d; k++) s += l[i * d + k]! * l[j * d + k]!;
        m[i]!.push(s + (i === j ? eps : 0));
      }
    }
    for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) m[i]![j] = m[j]![i]!;
    return m;
  });

/** A formula in the given names (syntax is not checked by the parser, but keep it plausible). */
const formulaIn = (names: readonly string[]) =>
  fc
    .array(
      fc.tuple(fc.constantFrom(...names), fc.constantFrom('sin', 'cos', 'exp', ''), intIn(1, 3)),
      { minLength: 1, maxLength: 3 },
    )
    .map((terms) => terms.map(([v, f, k]) => (f ? `${k}*${f}(${v})` : `${k}*${v}^2`)).join(' + '));

const VARIABLE_POOL = ['x', 'y', 'z', 'u', 'v', 'w', 'q1', 'θ', 'alpha_2'] as const;
const SLUG = fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,20}$/);

// ---------------------------------------------------------------- valid cases
const BUILTIN: Record<string, { variables: string[]; gamma: 'curve' | 'surface' }> = {
  valley: { variables: ['x', 'y'], gamma: 'curve' },
  hyperbola: { variables: ['u', 'v'], gamma: 'curve' },
  'scalar-net': { variables: ['x', 'y', 'z'], gamma: 'surface' },
  'twisted-curve': { variables: ['x', 'y', 'z'], gamma: 'curve' },
};

/**
 * A valid case file: every cross-field rule of src/case/cross-checks.ts holds
 * (dimensions, Γ kind vs grid/initial, `at` inside the range, dt ≤ end, SPD matrices).
 */
export const validCase: fc.Arbitrary<JsonObject> = fc
  .record({
    useBuiltin: fc.boolean(),
    builtin: fc.constantFrom(...Object.keys(BUILTIN)),
    d: fc.constantFrom(2, 3),
    vars: fc.shuffledSubarray([...VARIABLE_POOL], { minLength: 3, maxLength: 3 }),
    gammaKind: fc.constantFrom('none', 'curve', 'surface', 'traced'),
    tube: fc.boolean(),
    initialKind: fc.constantFrom('gaussian', 'on-gamma', 'density'),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
  })
  .chain((o) => {
    const builtin = o.useBuiltin ? BUILTIN[o.builtin]! : undefined;
    const variables = builtin ? builtin.variables : o.vars.slice(0, o.d);
    const d = variables.length;
    // Γ: surface only in 3D; a built-in landscape brings its own Γ when none is given.
    let gammaKind = o.gammaKind;
    if (gammaKind === 'surface' && d !== 3) gammaKind = 'curve';
    const hasGamma = gammaKind !== 'none' || builtin !== undefined;
    const surface = gammaKind === 'none' ? builtin?.gamma === 'surface' : gammaKind === 'surface';
    const tube = o.tube && hasGamma;
    const initialKind = o.initialKind === 'on-gamma' && !hasGamma ? 'gaussian' : o.initialKind;

    const gammaArb: fc.Arbitrary<JsonObject | undefined> =
      gammaKind === 'curve'
        ? fc.record(
            {
              kind: fc.constant('curve'),
              param: fc.array(formulaIn(['s']), { minLength: d, maxLength: d }),
              range: interval(),
              closed: fc.boolean(),
            },
            { requiredKeys: ['kind', 'param', 'range'] },
          )
        : gammaKind === 'surface'
          ? fc.record({
              kind: fc.constant('surface'),
              param: fc.array(formulaIn(['a', 'b']), { minLength: 3, maxLength: 3 }),
              range: fc.tuple(interval(), interval()),
            })
          : gammaKind === 'traced'
            ? fc.record({
                kind: fc.constant('traced'),
                seed: fc.array(anyNum(), { minLength: d, maxLength: d }),
                length: fc.tuple(anyNum(-3, 0), posNum(1e-3, 3)),
              })
            : fc.constant(undefined);

    const pairOrOne = (pair: boolean) => (pair ? fc.tuple(intIn(4, 64), intIn(4, 64)) : intIn(4, 256));
    const gridArb: fc.Arbitrary<JsonObject> = tube
      ? fc.record(
          {
            kind: fc.constant('tube'),
            along: pairOrOne(surface),
            across: surface || d !== 3 ? intIn(4, 64) : fc.oneof(intIn(4, 64), fc.tuple(intIn(4, 32), intIn(4, 32))),
            halfWidth: posNum(0.5, 12),
            halfWidthAbs: posNum(0.01, 2),
            grading: fc.double({ min: 1, max: 5, noNaN: true }),
            crossSection: fc.constantFrom('square', 'disc'),
          },
          { requiredKeys: ['kind', 'along', 'across'] },
        )
      : fc.record({
          kind: fc.constant('cartesian'),
          bounds: fc.array(interval(), { minLength: d, maxLength: d }),
          shape: fc.array(intIn(2, 512), { minLength: d, maxLength: d }),
        });

    return fc
      .record({
        name: SLUG,
        description: fc.string({ maxLength: 40 }),
        loss: formulaIn(variables),
        noise: fc.oneof(
          fc.record({ kind: fc.constant('isotropic'), sigma2: posNum() }),
          fc.record({ kind: fc.constant('label'), output: formulaIn(variables), c: posNum() }),
          fc.record({ kind: fc.constant('constant'), Sigma: spd(d) }),
          fc.record({
            kind: fc.constant('formula'),
            Sigma: fc.array(fc.array(formulaIn(variables), { minLength: d, maxLength: d }), { minLength: d, maxLength: d }),
          }),
        ),
        gamma: gammaArb,
        eta: fc.double({ min: 1e-6, max: 1, noNaN: true, minExcluded: true }),
        grid: gridArb,
        initial: fc.constant(null),
        atFrac: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 2 }),
        width: fc.tuple(posNum(1e-3, 2), posNum(1e-3, 2)),
        mean: fc.array(anyNum(), { minLength: d, maxLength: d }),
        cov: spd(d),
        density: formulaIn(variables),
        time: fc.record(
          {
            end: posNum(1e-3, 10),
            scheme: fc.constantFrom('tr-bdf2', 'backward-euler'),
            dtFrac: fc.double({ min: 1e-3, max: 1, noNaN: true }),
            rtol: fc.double({ min: 1e-8, max: 0.5, noNaN: true }),
            frames: intIn(2, 400),
          },
          { requiredKeys: ['end'] },
        ),
        output: fc.option(fc.record({ frames: intIn(2, 400) }, { requiredKeys: [] }), { nil: undefined }),
        expect: fc.option(fc.constantFrom('li', 'seed'), { nil: undefined }),
        withDescription: fc.boolean(),
      })
      .map((r) => {
        const c: JsonObject = { name: r.name };
        if (r.withDescription) c['description'] = r.description;
        c['variables'] = [...variables];
        if (builtin) c['landscape'] = o.builtin;
        else c['loss'] = r.loss;
        c['noise'] = r.noise as Json;
        if (r.gamma !== undefined) c['gamma'] = r.gamma;
        c['eta'] = r.eta;
        c['grid'] = r.grid;
        c['initial'] = initialFor(initialKind, r, surface, r.gamma);
        const t: JsonObject = { end: r.time.end };
        if (r.time.scheme !== undefined) t['scheme'] = r.time.scheme;
        if (r.time.dtFrac !== undefined) t['dt'] = r.time.end * r.time.dtFrac;
        if (r.time.rtol !== undefined) t['rtol'] = r.time.rtol;
        if (r.time.frames !== undefined) t['frames'] = r.time.frames;
        c['time'] = t;
        if (r.output !== undefined) c['output'] = r.output as Json;
        if (r.expect !== undefined) c['expect'] = r.expect;
        return c;
      });
  });

function initialFor(
  kind: string,
  r: { atFrac: number[]; width: [number, number]; mean: number[]; cov: number[][]; density: string },
  surface: boolean,
  gamma: JsonObject | undefined,
): JsonObject {
  if (kind === 'gaussian') return { kind, mean: r.mean, cov: r.cov };
  if (kind === 'density') return { kind, formula: r.density };
  // on-gamma: a parameter inside Γ's range (or arclength interval).
  const inside = (lo: number, hi: number, f: number) => Math.min(hi, Math.max(lo, lo + f * (hi - lo)));
  let at: Json;
  if (surface) {
    const rg = gamma?.['range'] as [number, number][] | undefined;
    at = rg ? [inside(rg[0]![0], rg[0]![1], r.atFrac[0]!), inside(rg[1]![0], rg[1]![1], r.atFrac[1]!)] : [r.atFrac[0]!, r.atFrac[1]!];
  } else if (gamma?.['kind'] === 'curve') {
    const [lo, hi] = gamma['range'] as [number, number];
    at = inside(lo, hi, r.atFrac[0]!);
  } else if (gamma?.['kind'] === 'traced') {
    const [lo, hi] = gamma['length'] as [number, number];
    at = inside(lo, hi, r.atFrac[0]!);
  } else at = r.atFrac[0]!;
  return { kind, at, width: surface ? [r.width[0], r.width[1]] : r.width[0] };
}

// ---------------------------------------------------------------- paths
export function pathText(path: readonly Key[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
  return out;
}

/** Every path inside `v` (not the root), depth first, with the value there. */
export function allPaths(v: Json, prefix: Key[] = [], out: { path: Key[]; value: Json }[] = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push({ path: [...prefix, i], value: x });
      allPaths(x, [...prefix, i], out);
    });
  } else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      out.push({ path: [...prefix, k], value: x });
      allPaths(x, [...prefix, k], out);
    }
  }
  return out;
}

export function getAt(root: Json, path: readonly Key[]): Json | undefined {
  let v: Json | undefined = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<Key, Json>)[k];
  }
  return v;
}

function setAt(root: Json, path: readonly Key[], value: Json): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<Key, Json>;
  parent[path[path.length - 1]!] = value;
}

const clone = <T>(x: T): T => structuredClone(x);

// ---------------------------------------------------------------- mutations
export type MutationKind = 'wrong-type' | 'out-of-range' | 'unknown-field' | 'delete-field' | 'array-length';

export interface Mutation {
  kind: MutationKind;
  /** The mutated JSON value. */
  json: JsonObject;
  /** Path of the changed field. */
  path: Key[];
  /**
   * Paths an error may name: the error's path must equal one of these or be a
   * prefix of one (an error "at or above" the mutated field). `exact` asks for equality.
   */
  expect: { paths: Key[][]; exact: boolean } | 'any';
  /** For an unknown field: its key (the message must quote it). */
  unknownKey?: string;
  /** The mutation leaves a valid case (e.g. deleting an optional field): parsing must succeed. */
  mayBeValid: boolean;
  label: string;
}

/** JSON type names; a replacement of a different type is never valid in this schema. */
function jsonType(v: Json): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}
const WRONG_TYPED: Json[] = [null, true, false, 'str', '7', 3.5, 0, -1, {}, { kind: 'x' }, [], [1, 2]];

/** Keys that no object of the schema allows (with awkward ones: prototype names, dots, brackets). */
export const UNKNOWN_KEYS = [
  'colour', 'sigma', 'Eta', 'halfwidth', 'half_width', 'comment', 'Kind', 'constructor', 'toString',
  '__proto__', 'hasOwnProperty', 'a.b', 'x[0]', 'σ²', 'dt ', 'frames2',
  // Keys that are not identifiers: the path must still be one non-blank line.
  'two\nlines', '', ' ', 'tab\there',
];

/** Optional fields: deleting one may leave a valid case. */
const OPTIONAL = new Set([
  'description', 'gamma', 'closed', 'halfWidth', 'halfWidthAbs', 'grading', 'crossSection',
  'scheme', 'dt', 'rtol', 'frames', 'output', 'expect',
]);

/**
 * An out-of-range value for the field at `path` in `c` (same JSON type), and the
 * path the error must name; undefined when the field has no range to leave.
 */
function outOfRange(c: JsonObject, path: Key[], pick: number): { value: Json; at: Key[] } | undefined {
  const p = pathText(path);
  const v = getAt(c, path);
  const choose = <T>(xs: readonly T[]): T => xs[pick % xs.length]!;
  const d = (c['variables'] as string[]).length;
  const negEye = (k: number) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? -1 : 0)));
  const notPsd = (k: number) => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 2)));
  if (p === 'eta') return { value: choose([0, -0.1, 1.5, 1 + 1e-12]), at: path };
  if (p === 'noise.sigma2' || p === 'noise.c') return { value: choose([0, -1, -1e-300]), at: path };
  if (/^grid\.shape\[\d\]$/.test(p)) return { value: choose([1, 0, -3, 2.5]), at: path };
  if (/^grid\.(along|across)(\[\d\])?$/.test(p) && typeof v === 'number') return { value: choose([3, 0, 4.5, -8]), at: path };
  if (p === 'grid.halfWidth' || p === 'grid.halfWidthAbs') return { value: choose([0, -2]), at: path };
  if (p === 'grid.grading') return { value: choose([0.5, 0, -1]), at: path };
  if (/^grid\.bounds\[\d\]$/.test(p) || p === 'gamma.range' || /^gamma\.range\[\d\]$/.test(p)) {
    const pair = v as [number, number];
    if (typeof pair[0] !== 'number') return undefined; // a surface's range pair holds pairs
    return { value: choose([[pair[1], pair[0]], [pair[0], pair[0]]]), at: path };
  }
  if (p === 'gamma.length') return { value: choose([[0.5, 1], [-1, -0.5], [0, 0]]), at: path };
  if (p === 'initial.width' && typeof v === 'number') return { value: choose([0, -1]), at: path };
  if (/^initial\.width\[\d\]$/.test(p)) return { value: choose([0, -1]), at: path };
  const g = c['gamma'] as JsonObject | undefined;
  if (p === 'initial.at' && typeof v === 'number' && g?.['kind'] === 'curve') {
    const [lo, hi] = g['range'] as [number, number];
    return { value: choose([hi + 1, lo - 1]), at: path };
  }
  if (p === 'initial.at' && typeof v === 'number' && g?.['kind'] === 'traced') {
    const [lo, hi] = g['length'] as [number, number];
    return { value: choose([hi + 1, lo - 1]), at: path };
  }
  if (/^initial\.at\[\d\]$/.test(p) && g?.['kind'] === 'surface') {
    const k = path[2] as number;
    const [lo, hi] = (g['range'] as [number, number][])[k]!;
    return { value: choose([hi + 1, lo - 1]), at: path };
  }
  if (p === 'initial.cov') return { value: choose([negEye(d), notPsd(d)]), at: path };
  if (p === 'noise.Sigma' && (c['noise'] as JsonObject)['kind'] === 'constant') {
    return { value: choose([negEye(d), notPsd(d)]), at: path };
  }
  // An asymmetric entry is reported at the lower-triangle position: mutate only i > j.
  const sym = /^(initial\.cov|noise\.Sigma)\[(\d)\]\[(\d)\]$/.exec(p);
  if (sym && Number(sym[2]) > Number(sym[3]) && typeof v === 'number') {
    if (sym[1] === 'noise.Sigma' && (c['noise'] as JsonObject)['kind'] !== 'constant') return undefined;
    return { value: v + 1 + Math.abs(v), at: path };
  }
  if (p === 'time.end') return { value: choose([0, -1]), at: path };
  if (p === 'time.dt') {
    const end = (c['time'] as JsonObject)['end'] as number;
    return { value: choose([0, -1, 2 * end + 1]), at: path };
  }
  if (p === 'time.rtol') return { value: choose([0, 1, 2, -0.5]), at: path };
  if (p === 'time.frames' || p === 'output.frames') return { value: choose([1, 0, 401, 2.5]), at: path };
  if (p === 'name') return { value: choose(['Bad Name', '', '-x', 'a/b', 'x'.repeat(65)]), at: path };
  if (/^variables\[\d\]$/.test(p)) {
    const vars = c['variables'] as string[];
    const other = vars[(path[1] as number) === 0 ? 1 : 0]!;
    // A duplicate is reported at the later of the two positions.
    if ((path[1] as number) === 0) return { value: choose(['pi', '1x', '', 'a b', 'e']), at: path };
    return { value: choose(['pi', '1x', '', 'a b', other]), at: path };
  }
  if (p === 'landscape') return { value: choose(['banana', 'Valley', '']), at: path };
  if (p === 'expect') return { value: choose(['both', 'LI', '']), at: path };
  if (p === 'time.scheme') return { value: choose(['euler', 'rk4', '']), at: path };
  if (p === 'grid.crossSection') return { value: choose(['circle', '']), at: path };
  if (/\.kind$/.test(p)) return { value: choose(['bogus', 'Curve', '']), at: path };
  if (p === 'loss' || p === 'noise.output' || p === 'initial.formula' || /^(gamma\.param|noise\.Sigma\[\d\])\[?\d*\]?$/.test(p)) {
    if (typeof v !== 'string') return undefined;
    return { value: choose(['', '   ', '\t\n']), at: path };
  }
  return undefined;
}

/** Apply one mutation, chosen by the integers `which`, `where` and `pick`, to a valid case. */
export function mutate(valid: JsonObject, which: number, where: number, pick: number): Mutation {
  const kinds: MutationKind[] = ['wrong-type', 'out-of-range', 'unknown-field', 'delete-field', 'array-length'];
  const kind = kinds[which % kinds.length]!;
  const c = clone(valid);
  const paths = allPaths(c);
  if (kind === 'unknown-field') {
    const objects = [{ path: [] as Key[], value: c as Json }, ...paths.filter((e) => jsonType(e.value) === 'object')];
    const target = objects[where % objects.length]!;
    const key = UNKNOWN_KEYS[pick % UNKNOWN_KEYS.length]!;
    // defineProperty so that "__proto__" becomes an own field, as JSON.parse makes it.
    Object.defineProperty(target.value, key, { value: pick, enumerable: true, writable: true, configurable: true });
    const path = [...target.path, key];
    return {
      kind, json: c, path, expect: { paths: [path], exact: true }, unknownKey: key, mayBeValid: false,
      label: `${kind} ${JSON.stringify(pathText(path))}`,
    };
  }
  if (kind === 'delete-field') {
    const fields = paths.filter((e) => typeof e.path[e.path.length - 1] === 'string');
    const target = fields[where % fields.length]!;
    const path = target.path;
    const key = path[path.length - 1] as string;
    delete (getAt(c, path.slice(0, -1)) as JsonObject)[key];
    // Deleting `landscape` leaves no landscape: the error is "loss: missing; give either loss or landscape".
    // Deleting `gamma` under a built-in landscape switches to the landscape's own Γ, whose kind
    // (curve or surface) the grid and the initial density must then fit.
    const alt: Key[][] = key === 'landscape' ? [['loss']] : key === 'gamma' && path.length === 1 ? [['grid'], ['initial']] : [];
    return {
      kind, json: c, path,
      expect: { paths: [path, ...alt], exact: false },
      mayBeValid: OPTIONAL.has(key),
      label: `${kind} ${pathText(path)}`,
    };
  }
  if (kind === 'array-length') {
    const arrays = paths.filter((e) => Array.isArray(e.value));
    if (arrays.length > 0) {
      const target = arrays[where % arrays.length]!;
      const arr = target.value as Json[];
      if (pick % 2 === 0 || arr.length === 0) arr.push(clone(arr[arr.length - 1] ?? 1));
      else arr.pop();
      const top = target.path[0];
      // A new number of variables makes every d-sized field inconsistent: any field may be named.
      const expect = top === 'variables' ? ('any' as const) : { paths: [target.path], exact: false };
      return { kind, json: c, path: target.path, expect, mayBeValid: false, label: `${kind} ${pathText(target.path)}` };
    }
  }
  if (kind === 'out-of-range') {
    const cands = paths.map((e) => ({ e, r: outOfRange(c, e.path, pick) })).filter((x) => x.r !== undefined);
    if (cands.length > 0) {
      const { e, r } = cands[where % cands.length]!;
      setAt(c, e.path, r!.value);
      return { kind, json: c, path: e.path, expect: { paths: [r!.at], exact: false }, mayBeValid: false, label: `${kind} ${pathText(e.path)} = ${JSON.stringify(r!.value)}` };
    }
  }
  // wrong type (also the fallback of the kinds above when they found no target)
  const target = paths[where % paths.length]!;
  const others = WRONG_TYPED.filter((x) => jsonType(x) !== jsonType(target.value));
  const value = clone(others[pick % others.length]!);
  setAt(c, target.path, value);
  return {
    kind: 'wrong-type', json: c, path: target.path,
    expect: { paths: [target.path], exact: false },
    mayBeValid: false,
    label: `wrong-type ${pathText(target.path)} = ${JSON.stringify(value)}`,
  };
}

/** A valid case and one mutation of it. */
export const mutatedCase: fc.Arbitrary<Mutation> = fc
  .tuple(validCase, fc.nat(), fc.nat(), fc.nat())
  .map(([c, which, where, pick]) => mutate(c, which, where, pick));
